"""What may run without asking, per permission mode, plus the user's session-wide answers.

Modes (DESIGN §5): default (= manual, = auto here): reads run, the rest asks ·
acceptEdits: reads and Write/Edit run, Bash asks · plan: reads run, Write/Edit/Bash refused ·
dontAsk: reads and pre-allowed calls run, the rest is denied without asking ·
bypassPermissions: everything runs. Protected paths (.git/, .claude/, shell rc files) always
ask, except under bypassPermissions (and are denied under dontAsk and plan).
Pre-allowed calls come from rules with specifiers: `Bash(git *)`, `Write(src/**)`.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal

from .tools import Tool, ToolContext, base_name
from .tools.paths import is_protected

MODES = ("default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions", "manual")
_CANONICAL = {m.lower(): m for m in MODES}


def normalize_mode(mode: str | None) -> str:
    """`manual` and `auto` behave as `default`; unknown or absent values are `default`."""
    canonical = _CANONICAL.get((mode or "default").strip().lower(), "default")
    return "default" if canonical in {"manual", "auto"} else canonical


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Literal["allow", "ask", "deny"]
    reason: str


@dataclass(frozen=True, slots=True)
class Rule:
    tool: str
    pattern: str | None  # None: any call of the tool

    @classmethod
    def parse(cls, entry: str) -> Rule:
        entry = entry.strip()
        if "(" in entry and entry.endswith(")"):
            spec = entry[entry.index("(") + 1 : -1].strip()
            return cls(base_name(entry), spec.replace(":*", " *") or None)
        return cls(base_name(entry), None)

    def matches(self, tool: Tool, args: dict[str, Any], target: Path | None, root: Path) -> bool:
        if tool.name != self.tool:
            return False
        if self.pattern is None:
            return True
        if tool.kind == "exec":
            command = str(args.get("command", "")).strip()
            return fnmatchcase(command, self.pattern) or command == self.pattern.rstrip(" *")
        if target is None:
            return False
        try:
            rel = target.relative_to(root).as_posix()
        except ValueError:
            return False
        pattern = self.pattern.lstrip("./")
        return fnmatchcase(rel, pattern) or (
            pattern.endswith("/**") and (rel + "/").startswith(pattern[:-2])
        )


def session_key(tool: Tool, args: dict[str, Any]) -> str:
    """What "allow for this session" covers: every edit, or Bash commands of one program."""
    if tool.kind == "edit":
        return "edit"
    if tool.kind == "exec":
        try:
            words = shlex.split(str(args.get("command", "")))
        except ValueError:
            words = str(args.get("command", "")).split()
        return f"Bash:{words[0] if words else ''}"
    return tool.name


def session_scope_label(tool: Tool, args: dict[str, Any]) -> str:
    key = session_key(tool, args)
    if key == "edit":
        return "all file edits (Write/Edit) outside protected paths"
    if key.startswith("Bash:"):
        return f"`{key[5:]}` commands"
    return f"all {tool.name} calls"


class PermissionPolicy:
    def __init__(self, mode: str | None, ctx: ToolContext, rules: Iterable[str] = ()) -> None:
        self.mode = normalize_mode(mode)
        self.ctx = ctx
        self.rules = [Rule.parse(r) for r in rules if "(" in r]
        self._session_allowed: set[str] = set()

    def check(self, tool: Tool, args: dict[str, Any], target: Path | None) -> Verdict:
        protected = target is not None and is_protected(target, self.ctx)
        mode = self.mode
        if mode == "bypassPermissions":
            return Verdict("allow", "bypassPermissions mode")
        if tool.kind == "read":
            return Verdict("allow", "read-only tool")
        if mode == "plan":
            return Verdict("deny", f"plan mode: {tool.name} is not allowed while planning")
        if protected:
            if mode == "dontAsk":
                return Verdict("deny", "dontAsk mode: protected path (.git, .claude, shell rc)")
            return Verdict("ask", "protected path (.git, .claude or a shell rc file)")
        if any(rule.matches(tool, args, target, self.ctx.root) for rule in self.rules):
            return Verdict("allow", "pre-allowed by the definition's tool rules")
        if session_key(tool, args) in self._session_allowed:
            return Verdict("allow", "allowed for this session")
        if mode == "acceptEdits" and tool.kind == "edit":
            return Verdict("allow", "acceptEdits mode")
        if mode == "dontAsk":
            return Verdict("deny", f"dontAsk mode: {tool.name} is not pre-allowed")
        return Verdict("ask", f"{mode} mode: {tool.name} needs approval")

    def allow_for_session(self, tool: Tool, args: dict[str, Any]) -> None:
        self._session_allowed.add(session_key(tool, args))
