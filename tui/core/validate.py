"""Rules over one parsed file: diagnostics, and the verdict "would Claude Code load this?".

Codes are stable (scripts and docs refer to them). Errors are what Claude Code would skip the file
for, or what makes the definition unusable; warnings are what it would silently drop or misread.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.core.checks_permissions import permission_diagnostics
from tui.core.definition import Diagnostic, Severity
from tui.core.names import name_verdict
from tui.core.sanitize import quote_value
from tui.core.tool_list import (
    KNOWN_TOOLS,
    OBSOLETE_TOOLS,
    RENAMED_TOOLS,
    base_name,
    edit_distance,
    parse_tool_value,
    suggest_tool,
)

MODEL_ALIASES = frozenset({"sonnet", "opus", "haiku", "fable", "inherit"})
PERMISSION_MODES = frozenset(
    {"default", "manual", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions"}
)
COLORS = frozenset({"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"})
EFFORTS = frozenset({"low", "medium", "high", "xhigh", "max"})
MEMORIES = frozenset({"user", "project", "local"})
ISOLATIONS = frozenset({"worktree"})
CLAUDE_CODE_KEYS: tuple[str, ...] = (
    "name", "description", "tools", "disallowedTools", "model", "permissionMode", "color",
    "maxTurns", "skills", "mcpServers", "hooks", "memory", "background", "effort", "isolation",
    "initialPrompt",
)  # fmt: skip
CCASP_KEYS: tuple[str, ...] = (
    "level", "domain", "frameworks", "platforms", "maxTokens", "maxDuration",
)  # fmt: skip
COMMUNITY_KEYS: tuple[str, ...] = (
    "category", "tags", "version", "author", "title", "license", "emoji", "vibe",
)  # fmt: skip
KNOWN_KEYS = frozenset(CLAUDE_CODE_KEYS + CCASP_KEYS + COMMUNITY_KEYS)
# Keys an unknown key is compared with to spot typos (`tool:`, `Tools:`, `permission_mode:`).
_TYPO_TARGETS = CLAUDE_CODE_KEYS + CCASP_KEYS[:3] + ("maxTokens",)


MAX_MESSAGE = 400  # characters of a diagnostic message or fix


@dataclass(slots=True)
class Findings:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skip_reason: str | None = None  # first reason Claude Code would skip the file

    def add(
        self,
        code: str,
        severity: Severity,
        line: int,
        column: int,
        message: str,
        fix: str = "",
        *,
        skips: bool = False,
    ) -> None:
        # every message is one visible line of bounded length, whatever the file held
        message = quote_value(message, MAX_MESSAGE)
        fix = quote_value(fix, MAX_MESSAGE)
        self.diagnostics.append(Diagnostic(code, severity, line, column, message, fix))
        if skips and self.skip_reason is None:
            self.skip_reason = message

    def error(
        self, code: str, line: int, message: str, fix: str = "", *, skips: bool = False
    ) -> None:
        self.add(code, Severity.ERROR, line, 1, message, fix, skips=skips)

    def warn(self, code: str, line: int, message: str, fix: str = "") -> None:
        self.add(code, Severity.WARNING, line, 1, message, fix)

    def info(self, code: str, line: int, message: str, fix: str = "") -> None:
        self.add(code, Severity.INFO, line, 1, message, fix)


EXAMPLE_KEYS = frozenset({"user", "assistant", "human", "ai", "example", "examples"})


def looks_like_example_line(key: str) -> bool:
    """`user:`, `assistant:`, `Context:`: a line of a description's examples, not a key."""
    return key not in KNOWN_KEYS and (key[:1].isupper() or key.lower() in EXAMPLE_KEYS)


@functools.lru_cache(maxsize=4096)
def typo_of(key: str) -> str | None:
    """A Claude Code key this unknown key probably meant (`tool`, `Tools`, `permission_mode`);
    cached: the same unknown keys repeat across a collection."""
    folded = key.replace("_", "").replace("-", "").lower()
    for known in _TYPO_TARGETS:
        k = known.lower()
        if folded == k or folded == k + "s" or folded + "s" == k:
            return known
        if len(k) > 4 and abs(len(k) - len(folded)) <= 2 and edit_distance(folded, k) <= 2:
            return known
    return None


def check_tools(
    f: Findings, key: str, value: Any, line: int, present: bool
) -> tuple[str, ...] | None:
    if not present:
        return None
    entries, problem = parse_tool_value(value)
    if problem:
        f.add("R033", Severity.WARNING, line, 1, f"`{key}`: {problem}", "use `Read, Grep, Glob`")
    for entry in entries:
        base = base_name(entry)
        if base in OBSOLETE_TOOLS:
            f.warn(
                "R030",
                line,
                f"`{key}` lists obsolete tool `{base}`; Claude Code drops it",
                f"use {OBSOLETE_TOOLS[base]} instead",
            )
        elif base in RENAMED_TOOLS:
            f.info(
                "R032",
                line,
                f"`{base}` is the old name of `{RENAMED_TOOLS[base]}`",
                f"write `{RENAMED_TOOLS[base]}`",
            )
        elif base in KNOWN_TOOLS or base.startswith("mcp__"):
            continue
        else:
            guess = suggest_tool(base)
            if guess:
                f.warn(
                    "R031",
                    line,
                    f"`{key}` lists unknown tool `{base}`; did you mean `{guess}`?",
                    f"write `{guess}`",
                )
            else:
                f.info(
                    "R034",
                    line,
                    f"`{base}` is not a built-in tool; it works only if an MCP server or "
                    "plugin provides it",
                    "MCP tools are written `mcp__server__tool`",
                )
    return entries


def check_enum(
    f: Findings, key: str, value: Any, allowed: frozenset[str], line: int, extra_ok: bool = False
) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        f.warn(
            "R041",
            line,
            f"`{key}` should be one of {', '.join(sorted(allowed))}, got {quote_value(value)}",
            f"write e.g. `{key}: {sorted(allowed)[0]}`",
        )
        return None
    if value in allowed or extra_ok:
        return value
    close = [a for a in allowed if a.lower() == value.lower()]
    hint = f"write `{key}: {close[0]}`" if close else f"use one of: {', '.join(sorted(allowed))}"
    f.add(
        "R041",
        Severity.WARNING,
        line,
        1,
        f"`{key}: {quote_value(value)}` is not a known value",
        hint,
    )
    return None


def check_model(f: Findings, value: Any, line: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and (
        value in MODEL_ALIASES or value.startswith(("claude-", "anthropic."))
    ):
        return value
    f.warn(
        "R041",
        line,
        f"`model: {quote_value(value)}` is not an alias (sonnet, opus, haiku, fable, inherit) "
        "or a model id",
        "write `model: sonnet` or a full id like `claude-sonnet-5-5`",
    )
    return str(value) if isinstance(value, str) else None


def check_identity(f: Findings, data: Mapping[str, Any], lines: Mapping[str, int]) -> str | None:
    """`name` and `description`: the two things Claude Code requires."""
    name_line = lines.get("name", 1)
    raw_name = data.get("name")
    name: str | None = None
    if "name" not in data or raw_name is None or raw_name == "":
        f.error(
            "R010",
            name_line,
            "no `name`; Claude Code skips this file",
            "add `name: my-agent` to the frontmatter",
            skips=True,
        )
    elif not isinstance(raw_name, str):
        f.error(
            "R011",
            name_line,
            f"`name` is {type(raw_name).__name__} {quote_value(raw_name)}, not text; Claude Code "
            "skips this file",
            f'quote it: `name: "{quote_value(raw_name)}"`',
            skips=True,
        )
        name = str(raw_name)
    else:
        name = raw_name  # Claude Code does not trim it
        verdict = name_verdict(name)
        if verdict is not None and verdict.is_error:
            colon = verdict.problem == "contains `:`"
            extra = " (reserved for plugin namespacing)" if colon else ""
            f.error(
                "R012",
                name_line,
                f"`name: {quote_value(name)}` {verdict.problem}{extra}; "
                "Claude Code skips this file",
                verdict.fix,
                skips=True,
            )
        elif verdict is not None:
            f.info(
                "R015",
                name_line,
                f"`name: {quote_value(name)}` {verdict.problem}, Claude Code's convention",
                f"rename it to `{verdict.slug}` (R / F2 in the app)",
            )
    desc = data.get("description")
    if desc is None or desc == "":
        f.error(
            "R013",
            lines.get("description", name_line),
            "no `description`; Claude Code skips this file",
            "add `description: When to use this agent` to the frontmatter",
            skips=True,
        )
    elif not isinstance(desc, str):
        f.error(
            "R014",
            lines.get("description", 1),
            f"`description` is {type(desc).__name__}, not text; Claude Code skips this file",
            "quote the description",
            skips=True,
        )
    return name


def check_other_keys(
    f: Findings, data: Mapping[str, Any], lines: Mapping[str, int], duplicate_keys: list[str]
) -> None:
    for key in data:
        if not isinstance(key, str):
            f.add(
                "R040",
                Severity.WARNING,
                1,
                1,
                f"frontmatter key {quote_value(key)} is not text",
                "",
            )
            continue
        if key in KNOWN_KEYS:
            continue
        guess = typo_of(key)
        if guess and guess not in data:
            f.warn(
                "R040",
                lines.get(key, 1),
                f"unknown key `{key}`; did you mean `{guess}`? Claude Code ignores `{key}`",
                f"rename it to `{guess}`",
            )
    hooks = data.get("hooks")
    if "hooks" in data and isinstance(hooks, list):
        f.error(
            "R042",
            lines.get("hooks", 1),
            "`hooks` is a list; Claude Code expects a map and drops the whole agent",
            "remove `hooks: []` or write a map of events",
            skips=True,
        )
    for int_key in ("maxTurns", "maxTokens"):
        if int_key in data:
            v = data[int_key]
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                f.warn(
                    "R043",
                    lines.get(int_key, 1),
                    f"`{int_key}` should be a positive integer, got {quote_value(v)}",
                    f"write e.g. `{int_key}: 20`",
                )
    if "background" in data and not isinstance(data["background"], bool):
        f.warn(
            "R043",
            lines.get("background", 1),
            f"`background` should be true or false, got {quote_value(data['background'])}",
            "write `background: true`",
        )
    for key, allowed in (("effort", EFFORTS), ("memory", MEMORIES), ("isolation", ISOLATIONS)):
        if key in data:
            check_enum(f, key, data[key], allowed, lines.get(key, 1))
    f.diagnostics.extend(permission_diagnostics(data, lines))
    for key in duplicate_keys:
        if not looks_like_example_line(key):
            f.warn(
                "R050",
                lines.get(key, 1),
                f"key `{key}` appears more than once; Claude Code keeps only this last one",
                f"delete the earlier `{key}` line(s)",
            )
        else:
            f.warn(
                "R050",
                lines.get(key, 1),
                f"`{quote_value(key, 40)}:` starts more than one line: these look like lines of "
                "the description, which Claude Code reads as separate keys",
                "make the description a block scalar: `description: |-` with its lines indented "
                "(`roster validate --fix` does it)",
            )
