"""What a running session tells its caller: small immutable events, free of SDK types.

The engine yields these in order; the UI, the headless CLI and the history store consume them.
`to_json` gives the `--json` line form (the permission future is left out).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, fields
from typing import Any, Literal

DecisionKind = Literal["allow_once", "allow_session", "deny"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The caller's answer to a PermissionNeeded: allow once, allow for the session, or deny."""

    kind: DecisionKind
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.kind != "deny"


@dataclass(frozen=True, slots=True)
class SessionStarted:
    session_id: str
    model: str
    cwd: str
    permission_mode: str
    demo: bool = False


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ThinkingDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ToolUseStarted:
    tool_use_id: str
    name: str


@dataclass(frozen=True, slots=True)
class ToolInputComplete:
    tool_use_id: str
    name: str
    input: dict[str, Any]
    # Set when the model's input JSON did not parse; the tool is not run.
    input_error: str | None = None


@dataclass(frozen=True, slots=True)
class PermissionNeeded:
    """The engine waits on `future` until the caller sets a Decision (or cancels the session)."""

    tool_use_id: str
    name: str
    input: dict[str, Any]
    summary: str  # one line: the command, or the path
    preview: str  # a unified diff for Write/Edit, the command for Bash
    reason: str  # why it asks (mode, protected path, ...)
    future: asyncio.Future[Decision] = field(compare=False, repr=False)
    # what "allow for this session" covers, said plainly; "" = only "allow once" is offered
    session_scope: str = ""


@dataclass(frozen=True, slots=True)
class PermissionDecided:
    tool_use_id: str
    name: str
    decision: DecisionKind
    reason: str
    automatic: bool  # decided by the mode or a rule, not by the user


@dataclass(frozen=True, slots=True)
class ToolResult:
    tool_use_id: str
    name: str
    output: str
    is_error: bool


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    cost_usd: float | None


@dataclass(frozen=True, slots=True)
class TurnEnded:
    """One model response is over. `stop_reason` is None when the response did not finish."""

    stop_reason: str | None
    interrupted: bool


@dataclass(frozen=True, slots=True)
class ReportParsed:
    """A completion report found in the final text (the report object comes from core.report)."""

    kind: str
    report_id: str
    status: str
    outcome: Literal["completed", "blocked", "failed", "other"]
    data: dict[str, Any]
    artifacts: tuple[dict[str, Any], ...]
    missing_keys: tuple[str, ...]
    report: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class SessionError:
    kind: str  # auth | rate_limit | overloaded | server | connection | stream | request | max_turns
    message: str
    retryable: bool


@dataclass(frozen=True, slots=True)
class Retrying:
    attempt: int
    wait_s: float
    reason: str


Event = (
    SessionStarted
    | TextDelta
    | ThinkingDelta
    | ToolUseStarted
    | ToolInputComplete
    | PermissionNeeded
    | PermissionDecided
    | ToolResult
    | Usage
    | TurnEnded
    | ReportParsed
    | SessionError
    | Retrying
)

_SKIP = frozenset({"future", "report"})


_TYPE_NAMES: dict[type, str] = {}


def event_type(event: Event) -> str:
    """snake_case name of the event class: TextDelta -> text_delta."""
    cls = type(event)
    name = _TYPE_NAMES.get(cls)
    if name is None:
        name = "".join("_" + c.lower() if c.isupper() else c for c in cls.__name__).lstrip("_")
        _TYPE_NAMES[cls] = name
    return name


def to_json(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"type": event_type(event)}
    for f in fields(event):
        if f.name not in _SKIP:
            out[f.name] = getattr(event, f.name)
    return out
