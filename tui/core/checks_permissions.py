"""Definitions that try to raise their own privileges, and rules that allow everything.

A definition may ask for a permission mode that runs more without asking (acceptEdits, dontAsk,
bypassPermissions). Roster honours that only for files in the user's own folders (the
project's `.claude/agents`, `~/.claude/agents`, Roster's bundled agents); for any other file
the user says yes first (the launch dialog, or `roster run --permission-mode`). The catalog
adds R090 (info) to such files; validate adds R091 (warning) for `Bash(*)`-style rules.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tui.core.definition import AgentDefinition, Diagnostic, Severity
from tui.core.tool_list import parse_tool_value

# Modes that run more without asking than `default`.
ESCALATING_MODES = frozenset({"acceptEdits", "dontAsk", "bypassPermissions"})
_BY_LOWER = {m.lower(): m for m in ESCALATING_MODES}


def escalating_mode(value: Any) -> str | None:
    """The escalating mode `value` names (any case), else None."""
    return _BY_LOWER.get(value.strip().lower()) if isinstance(value, str) else None


def own_agent_dirs(cwd: Path, home: Path | None = None) -> list[Path]:
    """The project's `.claude/agents` folders, `~/.claude/agents`, and Roster's bundled agents
    (shipped with the program itself)."""
    from tui.core.roots import bundled_agents_dir, project_agent_dirs

    user = (home or Path.home()) / ".claude" / "agents"
    bundled = bundled_agents_dir()
    dirs = [*project_agent_dirs(cwd), user, *([bundled] if bundled is not None else [])]
    return [Path(os.path.realpath(p)) for p in dirs]


def is_own(path: Path, cwd: Path, home: Path | None = None) -> bool:
    """True when `path` (a definition file or its root) is inside the user's own folders."""
    real = Path(os.path.realpath(path))
    return any(real == d or real.is_relative_to(d) for d in own_agent_dirs(cwd, home))


def untrusted_escalation(
    permission_mode: str | None, path: Path, cwd: Path, home: Path | None = None
) -> str | None:
    """The mode a definition at `path` asks for that needs the user's yes, or None."""
    mode = escalating_mode(permission_mode)
    if mode is None or is_own(path, cwd, home):
        return None
    return mode


def blanket_bash(entry: str) -> bool:
    """`Bash(*)`, `Bash(:*)`, `Bash( * )`, `Bash(* --help)`: a rule that allows every command;
    also `Bash(python3:*)`, `Bash(sh *)`, `Bash(env:*)`: any program behind an interpreter."""
    from tui.core.session.prefixes import INTERPRETERS, program_name

    head, _, rest = entry.strip().partition("(")
    if head.strip() != "Bash" or not rest.endswith(")"):
        return False
    spec = rest[:-1].strip()
    if not spec.strip(" *:") or spec.startswith("*"):
        return True
    if "*" not in spec:
        return False
    lead = spec.split("*", 1)[0].removesuffix(":").split()
    return len(lead) == 1 and program_name(lead[0]) in INTERPRETERS


def escalation_diagnostic(d: AgentDefinition, own: bool) -> Diagnostic | None:
    """R090 (info) for a file outside the user's own folders that picks an escalating mode.
    Called by the catalog, which knows each file's root."""
    mode = escalating_mode(d.permission_mode)
    if mode is None or own:
        return None
    return Diagnostic(
        "R090",
        Severity.INFO,
        d.line_of("permissionMode"),
        1,
        f"`permissionMode: {mode}` raises this agent's own permissions, and the file is "
        "outside your own agent folders: Roster runs it in default mode unless you confirm "
        "the mode when you launch (or pass --permission-mode)",
        "move it to .claude/agents or ~/.claude/agents if you trust it",
    )


def permission_diagnostics(data: Mapping[str, Any], lines: Mapping[str, int]) -> list[Diagnostic]:
    """R091 (warning) for every `Bash(*)`-style rule in `tools`. Called from validate."""
    out: list[Diagnostic] = []
    entries, _problem = parse_tool_value(data.get("tools"))
    for entry in entries:
        if blanket_bash(entry):
            out.append(
                Diagnostic(
                    "R091",
                    Severity.WARNING,
                    lines.get("tools", 1),
                    1,
                    f"`{entry}` in `tools` would allow any shell command without asking; "
                    "Roster reads it as plain `Bash` (each command asks)",
                    "name the commands: `Bash(npm test:*)`, `Bash(git status:*)`",
                )
            )
    return out
