"""Slash commands typed in a session's message box: what they are, how a line is read, and
the checks and texts that need no UI. They run in the app, never reach the model.

A line is a command when it starts with `/` and a command word (`/clear`, `/model opus`).
`//text` is the escape: it sends `/text` as a message. A line whose first word is a path
(`/etc/hosts: what is this?`) or that has a slash later is ordinary text. An unknown word
(`/x`) is answered "unknown command /x — /help lists them" and is never sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..checks_permissions import ESCALATING_MODES
from .models import FAMILIES, resolve_model, sdk_default_ids
from .permissions import AUTO_UNSUPPORTED, CANONICAL_MODES, normalize_mode
from .planmode import CYCLE
from .usage import UsageTotals


@dataclass(frozen=True)
class Command:
    name: str
    arg: str  # the placeholder shown in help ("" = takes no argument)
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("clear", "", "start a new conversation with the same agent and folder"),
    Command("compact", "", "summarise the conversation into a fresh context (kept visible)"),
    Command("cost", "", "tokens and cost of this session and the sessions it delegated to"),
    Command("export", "", "export this session to Markdown (as x does in history)"),
    Command("help", "", "list these commands"),
    Command("mode", "MODE", "permission mode from the next request (never above the launch)"),
    Command("model", "NAME", "model from the next request: an alias or a full model id"),
)
BY_NAME = {c.name: c for c in COMMANDS}
_WORD = re.compile(r"/([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)")
_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$")


@dataclass(frozen=True)
class Slash:
    """A command line: `name` (lower case) and its words after the command."""

    name: str
    args: tuple[str, ...]

    @property
    def known(self) -> bool:
        return self.name in BY_NAME


def parse(text: str) -> Slash | str:
    """A Slash for a command line, else the text to send (`//x` becomes `/x`)."""
    stripped = text.strip()
    if stripped.startswith("//"):
        return stripped[1:]
    match = _WORD.match(stripped)
    if match is None:
        return text
    return Slash(match.group(1).lower(), tuple(stripped[match.end() :].split()))


def shown(value: str, limit: int = 60) -> str:
    """What a refusal quotes of what was typed: a 100 KB word is not repeated whole."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def unknown_text(name: str) -> str:
    return f"unknown command /{shown(name)} — /help lists them"


def help_text() -> str:
    lines = ["Commands (typed in the message box, never sent to the model):"]
    for c in COMMANDS:
        head = f"/{c.name}" + (f" {c.arg}" if c.arg else "")
        lines.append(f"  {head:<14} {c.help}")
    lines.append("  //text         sends /text as a message")
    lines.append("  @path          attaches a file (or a folder's listing) from the working folder")
    return "\n".join(lines)


def arity_problem(slash: Slash) -> str | None:
    """What is wrong with the number of words after a known command, or None."""
    command = BY_NAME[slash.name]
    if not command.arg and slash.args:
        return f"/{slash.name} takes no argument"
    if command.arg and len(slash.args) > 1:
        return f"/{slash.name} takes one {command.arg}: /{slash.name} {command.arg}"
    return None


# ---------------------------------------------------------------------- /mode


def allowed_modes(launched: str) -> tuple[str, ...]:
    """The modes /mode may pick in a session that started in `launched`: what Shift+Tab
    reaches (default, acceptEdits, plan), the mode the user launched it in, and under a
    bypassPermissions launch everything. A mode that runs more without asking (dontAsk,
    bypassPermissions) needs the launch's yes, as a definition's own mode does."""
    launched = normalize_mode(launched)
    if launched == "bypassPermissions":
        return ("default", "acceptEdits", "plan", "dontAsk", "bypassPermissions")
    return tuple(dict.fromkeys((*CYCLE, launched)))


def check_mode(value: str, current: str, launched: str) -> tuple[str | None, str]:
    """(the mode to switch to, "") or (None, why not)."""
    canonical = CANONICAL_MODES.get(value.strip().lower())
    allowed = allowed_modes(launched)
    names = ", ".join(allowed)
    if canonical is None:
        return None, f"/mode: no mode {shown(value)!r}; this session may use {names}"
    if canonical == "auto":
        return None, f"/mode: {AUTO_UNSUPPORTED}"
    mode = normalize_mode(canonical)
    if mode not in allowed:
        why = (
            "it runs more without asking than this session was launched with"
            if mode in ESCALATING_MODES
            else "it is not allowed here"
        )
        return None, (
            f"/mode {mode} refused: {why} ({normalize_mode(launched)}). This session may use "
            f"{names}; launch a new session to pick {mode}."
        )
    if mode == current:
        return None, f"Permission mode is already {mode}."
    return mode, ""


# ---------------------------------------------------------------------- /model


def model_choices(aliases: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(alias, id it resolves to) for /model's completion and its help."""
    table = {**sdk_default_ids(), **(aliases or {})}
    names = list(dict.fromkeys((*FAMILIES, "inherit", *(aliases or {}))))
    return [(n, table.get(n, "the default model")) for n in names]


def check_model(
    value: str, *, aliases: Mapping[str, str] | None = None, default: str | None = None
) -> tuple[str | None, str]:
    """(model id, how to name it) or (None, why not). Aliases resolve through the config; any
    other well-formed id is taken as it is (the API says if it does not exist)."""
    value = value.strip()
    if not _MODEL_ID.match(value):
        return (
            None,
            f"/model: {shown(value)!r} is not a model alias or id (e.g. sonnet, opus, haiku)",
        )
    resolved = resolve_model(value, overrides=aliases, default=default)
    if value.lower() in {n for n, _ in model_choices(aliases)}:
        return resolved, f"{resolved} (the alias {value.lower()})"
    listed = set(sdk_default_ids().values()) | set((aliases or {}).values())
    if resolved in listed or resolved.startswith("claude-"):
        return resolved, resolved
    return resolved, f"{resolved} (not a Claude model id Roster knows: the API will say)"


# ---------------------------------------------------------------------- /cost


def cost_text(own: UsageTotals, children: UsageTotals, *, demo: bool = False) -> str:
    """What /cost shows: this session, the sessions it delegated to, and both together
    (UsageTotals.line, as the status line and the history say it)."""
    tail = " (DEMO: not billed)" if demo else ""
    return "\n".join(
        [
            f"Cost{tail}",
            f"this session: {own.line(short=True)} · {own.responses} responses",
            f"delegated:    {children.line(short=True)} · {children.responses} responses",
            f"total:        {own.add(children).line(short=True)}",
        ]
    )
