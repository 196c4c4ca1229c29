"""The `tools` / `disallowedTools` value in all the shapes real files use, and the known tools."""

from __future__ import annotations

from typing import Any

# Claude Code's built-in tools (2.1.x). Anything else is an MCP tool (`mcp__…`), a plugin tool,
# or a mistake.
KNOWN_TOOLS: frozenset[str] = frozenset(
    {
        "Agent",
        "AskUserQuestion",
        "Bash",
        "BashOutput",
        "Edit",
        "EnterPlanMode",
        "ExitPlanMode",
        "Glob",
        "Grep",
        "KillShell",
        "KillBash",
        "LSP",
        "ListMcpResourcesTool",
        "NotebookEdit",
        "Read",
        "ReadMcpResourceTool",
        "SendMessage",
        "Skill",
        "SlashCommand",
        "Task",
        "TaskCreate",
        "TaskGet",
        "TaskList",
        "TaskOutput",
        "TaskStop",
        "TaskUpdate",
        "TeamCreate",
        "TeamDelete",
        "TodoWrite",
        "WebFetch",
        "WebSearch",
        "Write",
    }
)
OBSOLETE_TOOLS: dict[str, str] = {
    "MultiEdit": "Edit",
    "LS": "Glob (or Bash `ls`)",
    "NotebookRead": "Read",
}
RENAMED_TOOLS: dict[str, str] = {"Task": "Agent"}
# The tools Roster's own session engine can run.
SESSION_TOOLS: tuple[str, ...] = (
    "Read",
    "Write",
    "Edit",
    "Glob",
    "Grep",
    "Bash",
    "BashOutput",
    "KillShell",
)


_BRACKETS = frozenset("()[]")


def _depth0(text: str) -> list[tuple[str, bool]]:
    """Each char with whether it sits outside parentheses/brackets."""
    out: list[tuple[str, bool]] = []
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth > 0:
            depth -= 1
            out.append((ch, False))
            continue
        out.append((ch, depth == 0 and ch not in "(["))
    return out


def _split_depth0(text: str, seps: str) -> list[str]:
    """Split on any char in `seps` that is outside parentheses/brackets."""
    out: list[str] = []
    cur: list[str] = []
    for ch, top in _depth0(text):
        if top and ch in seps:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [p for p in out if p]


def _strip_parens(text: str) -> str:
    return "".join(ch for ch, top in _depth0(text) if top)


def parse_tool_value(value: Any) -> tuple[tuple[str, ...], str | None]:
    """Return (entries, problem). Empty gives (); a problem names a shape we could not read."""
    if value is None:
        return (), None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return (), None
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        if not _BRACKETS.intersection(text):  # the common `Read, Grep, Glob`: no nesting
            parts = text.split(",") if "," in text else text.replace("\t", " ").split(" ")
            return tuple(u for u in (_unquote(p) for p in parts) if u), None
        seps = "," if "," in _strip_parens(text) else " \t"
        return tuple(_unquote(p) for p in _split_depth0(text, seps) if _unquote(p)), None
    if isinstance(value, list | tuple):
        entries: list[str] = []
        for item in value:
            if item is None:
                continue
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                s = str(item).strip()
                if s:
                    entries.append(s)
            else:
                return tuple(entries), f"list item {item!r} is not a tool name"
        return tuple(entries), None
    return (), f"expected a comma-separated string or a list, got {type(value).__name__}"


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1].strip()
    return s


def base_name(entry: str) -> str:
    """`Bash(git *)` -> `Bash`."""
    paren = entry.find("(")
    return entry[:paren].strip() if paren > 0 else entry.strip()


def suggest_tool(name: str) -> str | None:
    """A known tool this unknown name is probably a typo of."""
    lower = name.lower()
    for known in sorted(KNOWN_TOOLS):
        if known.lower() == lower:
            return known
    best: tuple[int, str] | None = None
    for known in sorted(KNOWN_TOOLS):
        d = edit_distance(lower, known.lower())
        if d <= max(1, len(known) // 4) and (best is None or d < best[0]):
            best = (d, known)
    return best[1] if best else None


def edit_distance(a: str, b: str) -> int:
    if abs(len(a) - len(b)) > 3:
        return 99
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
