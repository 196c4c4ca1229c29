"""What may run without asking: rules first, then the permission mode, then session answers.

Order (DESIGN §5), in every mode, bypassPermissions included: a deny rule denies, an ask rule
asks (dontAsk: denies), and only then does the mode speak:
default (= manual, = auto here): reads run, the rest asks · acceptEdits: reads and Write/Edit
run, Bash asks · plan: reads run, Write/Edit/Bash refused · dontAsk: reads and pre-allowed
calls run, the rest is denied without asking · bypassPermissions: everything runs.
Protected paths (protected.py) always ask, except under bypassPermissions (denied under dontAsk
and plan). A Bash command runs on allow rules only if EVERY simple command in it is allowed and
it has no risk (shell.py): substitutions, eval, writes outside the folder... always ask.
"Allow for this session" adds the rules the prompt shows (`Bash(git status:*)`, `Edit`).
"For this whole run" adds them to a RunApprovals shared by a root session and every session
below it (delegation.run_child hands it down): it only answers a question the session would
have asked, so a deny or ask rule, plan and dontAsk modes, protected paths and risky commands
are unchanged by it. Both live in memory: a resumed session starts without them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..checks_permissions import ESCALATING_MODES
from .prefixes import INTERPRETERS, program_name, session_prefix
from .protected import DESCRIPTION, is_protected
from .rules import Rule, RuleSet
from .shell import UNWRAPPED, SimpleCommand, analyze
from .tools import Tool, ToolContext
from .tools.paths import lexical_path

__all__ = ["ESCALATING_MODES", "MODES", "PermissionPolicy", "Verdict", "normalize_mode"]
MODES = ("default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions", "manual")
CANONICAL_MODES = {m.lower(): m for m in MODES}  # any case -> the spelling
EDIT_SCOPE = "Edit"
RUN_REASON = "allowed for this whole run"


AUTO_UNSUPPORTED = (
    "permission mode `auto` is not supported: Claude Code's auto mode lets a classifier model "
    "approve calls, and Roster has none. Use default (asks; `manual` is the same), "
    "acceptEdits or plan."
)


def normalize_mode(mode: str | None) -> str:
    """`manual` is an alias of `default`; `auto` (refused at launch, AUTO_UNSUPPORTED) and
    unknown or absent values run as `default`."""
    canonical = CANONICAL_MODES.get((mode or "default").strip().lower(), "default")
    return "default" if canonical in {"manual", "auto"} else canonical


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Literal["allow", "ask", "deny"]
    reason: str
    # What "allow for this session" would add (rule texts); empty: only "allow once" is offered
    session: tuple[str, ...] = ()


def session_label(session: tuple[str, ...]) -> str:
    """What the prompt says the session answer covers."""
    if not session:
        return ""
    if session == (EDIT_SCOPE,):
        return "every Write/Edit in this folder, outside protected paths"
    shown = [s[5:-1] if s.startswith("Bash(") and s.endswith(")") else s for s in session]
    return "commands starting " + ", ".join(f"`{s}`" for s in shown)


class RunApprovals:
    """The rules approved "for this whole run": one object per delegation tree."""

    def __init__(self) -> None:
        self.rules = RuleSet(())
        self.shared = False  # handed to a child: the session is part of a delegation tree

    def add(self, scope: Iterable[str]) -> None:
        self.rules = RuleSet(self.rules.rules + RuleSet.parse(scope).rules)


class PermissionPolicy:
    def __init__(
        self,
        mode: str | None,
        ctx: ToolContext,
        allow: Iterable[str] = (),
        *,
        deny: Iterable[str] = (),
        ask: Iterable[str] = (),
    ) -> None:
        self.mode = normalize_mode(mode)
        self.ctx = ctx
        self.allow = RuleSet.parse(allow)
        self.deny = RuleSet.parse(deny, strict_broken=True)
        self.ask = RuleSet.parse(ask, strict_broken=True)
        self.granted = RuleSet(())
        self.run = RunApprovals()  # a child's is its root's (delegation.run_child)

    def check(self, tool: Tool, args: dict[str, Any], target: Path | None) -> Verdict:
        if tool.kind == "exec":
            return self._check_bash(tool.name, str(args.get("command", "")))
        raw = args.get("file_path", args.get("path"))
        named = None
        if isinstance(raw, str) and raw and "\x00" not in raw:
            named = lexical_path(raw, self.ctx.root)
        return self._check_file(tool, target, named)

    def grant(self, session: Iterable[str]) -> None:
        """The user said "allow for this session" to a prompt offering `session`."""
        added = RuleSet.parse(session)
        self.granted = RuleSet(self.granted.rules + added.rules)

    def grant_run(self, session: Iterable[str]) -> None:
        """The user said "allow for this whole run" (to this session or any of its tree)."""
        self.run.add(session)

    def _run_rules(self) -> RuleSet:
        """The whole-run approvals this session may use: none where it would never ask."""
        return RuleSet(()) if self.mode in {"dontAsk", "plan"} else self.run.rules

    # ------------------------------------------------------------------ files

    def _first(
        self, rules: RuleSet, tool: Tool, target: Path | None, named: Path | None
    ) -> Rule | None:
        """A deny or ask rule matching the resolved target or the path as named (a symlink
        named `.env` is denied by `Read(.env)` wherever it points)."""
        rule = rules.first_path(tool.name, target, self.ctx.root, loose=True)
        if rule is None and named is not None and named != target:
            rule = rules.first_path(tool.name, named, self.ctx.root, loose=True)
        return rule

    def _check_file(self, tool: Tool, target: Path | None, named: Path | None = None) -> Verdict:
        root = self.ctx.root
        rule = self._first(self.deny, tool, target, named)
        if rule is not None:
            return Verdict("deny", f"denied by the rule `{rule.text}`")
        mode = self.mode
        if mode == "plan" and tool.kind != "read":
            return Verdict("deny", f"plan mode: {tool.name} is not allowed while planning")
        rule = self._first(self.ask, tool, target, named)
        if rule is not None:
            return self._asking(f"the rule `{rule.text}` asks first")
        if mode == "bypassPermissions":
            return Verdict("allow", "bypassPermissions mode")
        if tool.kind == "read":
            return Verdict("allow", "read-only tool")
        if target is not None and is_protected(target, root):
            return self._asking(DESCRIPTION)
        rule = self.allow.first_path(tool.name, target, root)
        if rule is not None:
            return Verdict("allow", f"pre-allowed by the rule `{rule.text}`")
        if self.granted.first_path(tool.name, target, root) is not None:
            return Verdict("allow", "allowed for this session")
        if self._run_rules().first_path(tool.name, target, root) is not None:
            return Verdict("allow", RUN_REASON)
        if mode == "acceptEdits" and tool.kind == "edit":
            return Verdict("allow", "acceptEdits mode")
        scope = (EDIT_SCOPE,) if tool.kind == "edit" else (tool.name,)
        return self._asking(f"{mode} mode: {tool.name} needs approval", scope)

    # ------------------------------------------------------------------ Bash

    def _check_bash(self, name: str, command: str) -> Verdict:
        analysis = analyze(command, self.ctx.root)
        commands = analysis.commands
        rule = self.deny.first_for_tool(name) or next(
            (r for c in commands if (r := self.deny.first_command(c, loose=True)) is not None),
            None,
        )
        if rule is not None:
            return Verdict("deny", f"denied by the rule `{rule.text}`")
        mode = self.mode
        if mode == "plan":
            return Verdict("deny", f"plan mode: {name} is not allowed while planning")
        risk = analysis.risks[0] if analysis.risks else None
        if risk is not None and self.deny.bash:
            # bypass or not: what cannot be read cannot be proven clear of the deny rules
            return self._asking(f"{risk}; it cannot be checked against the deny rules")
        rule = self.ask.first_for_tool(name) or next(
            (r for c in commands if (r := self.ask.first_command(c, loose=True)) is not None),
            None,
        )
        if rule is not None:
            return self._asking(f"the rule `{rule.text}` asks first")
        if mode == "bypassPermissions":
            opaque = next((c for c in commands if _runs_unseen_code(c.words)), None)
            if opaque is not None and self.deny.bash and not self._all_allowed(commands):
                # `python3 -c`, `sh x.sh`, `make`: what they run cannot be cleared of the rules
                return self._asking(
                    f"`{_short(opaque.text)}` runs code that cannot be checked against the deny "
                    "rules"
                )
            return Verdict("allow", "bypassPermissions mode")
        if risk is not None:
            return self._asking(f"{risk}: always asks")
        if not commands:
            return self._asking("an empty or unreadable command")
        if self.allow.first_for_tool(name) is not None:
            return Verdict("allow", f"pre-allowed by the rule `{name}`")
        unallowed = self._unallowed(commands)
        if not unallowed:
            return Verdict("allow", "every command in it is pre-allowed")
        run = self._run_rules()
        if all(run.first_command(c) is not None for c in unallowed):
            return Verdict("allow", RUN_REASON)
        prefixes = [session_prefix(c.words) for c in unallowed]
        scope = (
            tuple(dict.fromkeys(f"Bash({p})" for p in prefixes if p is not None))
            if all(p is not None for p in prefixes)
            else ()
        )
        shown = _short(unallowed[0].text)
        return self._asking(f"{mode} mode: `{shown}` is not pre-allowed", scope)

    def _unallowed(self, commands: Iterable[SimpleCommand]) -> list[SimpleCommand]:
        return [
            c
            for c in commands
            if self.allow.first_command(c) is None and self.granted.first_command(c) is None
        ]

    def _all_allowed(self, commands: Iterable[SimpleCommand]) -> bool:
        return self.allow.first_for_tool("Bash") is not None or not self._unallowed(commands)

    def _asking(self, reason: str, session: tuple[str, ...] = ()) -> Verdict:
        if self.mode == "dontAsk":
            return Verdict("deny", f"dontAsk mode: {reason}")
        return Verdict("ask", reason, session)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def _runs_unseen_code(words: tuple[str, ...]) -> bool:
    """An interpreter or build tool whose program text Roster does not read (the wrappers it
    looks through, `sudo`, `env`, `xargs`, ..., are checked by their inner command)."""
    return bool(words) and program_name(words[0]) in INTERPRETERS - UNWRAPPED
