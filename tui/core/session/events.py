"""What a running session tells its caller: small immutable events, free of SDK types.

The engine yields these in order; the UI, the headless CLI and the history store consume them.
`to_json` gives the `--json` line form (the permission future is left out).

Each event class declares its `KIND`, the literal the history database stores and export and
replay read back: a class may be renamed freely, a KIND never changes (history files written
by earlier versions must keep loading). `KIND` rather than `kind`: ReportParsed and
SessionError already carry a `kind` field of their own, stored in their payloads.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from tui.core.report import ArtifactCheck

# allow_run: "for this whole run", the root session and every session below it
DecisionKind = Literal["allow_once", "allow_session", "allow_run", "deny"]


class SessionStatus(StrEnum):
    """How a session stands (stored in the history; the engine, transcript and CLI read it)."""

    NEW = "new"
    RUNNING = "running"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    ERROR = "error"
    MAX_TURNS = "max_turns"
    TRUNCATED = "truncated"  # still cut at max_tokens after the automatic continuations
    REFUSED = "refused"  # stop_reason refusal


class Outcome(StrEnum):
    """What a completion report says happened (stored with the report)."""

    COMPLETED = "completed"
    BLOCKED = "blocked"
    FAILED = "failed"
    OTHER = "other"


# The stored vocabulary (the `type` column of the history's events table). Never rename one.
EventKind = Literal[
    "session_started",
    "user_message",
    "assistant_message",
    "text_delta",
    "thinking_delta",
    "tool_use_started",
    "tool_input_complete",
    "permission_needed",
    "permission_decided",
    "tool_result",
    "usage",
    "turn_ended",
    "report_parsed",
    "session_error",
    "retrying",
    "status_changed",
    "notice",
    "subagent_started",
    "child_event",
]


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
    KIND: ClassVar[EventKind] = "session_started"
    session_id: str
    model: str
    cwd: str
    permission_mode: str
    demo: bool = False


@dataclass(frozen=True, slots=True)
class TextDelta:
    KIND: ClassVar[EventKind] = "text_delta"
    text: str


@dataclass(frozen=True, slots=True)
class ThinkingDelta:
    KIND: ClassVar[EventKind] = "thinking_delta"
    text: str


@dataclass(frozen=True, slots=True)
class ToolUseStarted:
    KIND: ClassVar[EventKind] = "tool_use_started"
    tool_use_id: str
    name: str


@dataclass(frozen=True, slots=True)
class ToolInputComplete:
    KIND: ClassVar[EventKind] = "tool_input_complete"
    tool_use_id: str
    name: str
    input: dict[str, Any]
    # Set when the model's input JSON did not parse; the tool is not run.
    input_error: str | None = None


@dataclass(frozen=True, slots=True)
class PermissionNeeded:
    """The engine waits on `future` until the caller sets a Decision (or cancels the session)."""

    KIND: ClassVar[EventKind] = "permission_needed"
    tool_use_id: str
    name: str
    input: dict[str, Any]
    summary: str  # one line: the command, or the path
    preview: str  # a unified diff for Write/Edit, the command for Bash
    reason: str  # why it asks (mode, protected path, ...)
    future: asyncio.Future[Decision] = field(compare=False, repr=False)
    # what "allow for this session" covers, said plainly; "" = only "allow once" is offered
    session_scope: str = ""
    # "for this whole run" offered too (the same scope, for every session of the tree)
    whole_run: bool = False


@dataclass(frozen=True, slots=True)
class PermissionDecided:
    KIND: ClassVar[EventKind] = "permission_decided"
    tool_use_id: str
    name: str
    decision: DecisionKind
    reason: str
    automatic: bool  # decided by the mode or a rule, not by the user


@dataclass(frozen=True, slots=True)
class ToolResult:
    KIND: ClassVar[EventKind] = "tool_result"
    tool_use_id: str
    name: str
    output: str
    is_error: bool


@dataclass(frozen=True, slots=True)
class Usage:
    KIND: ClassVar[EventKind] = "usage"
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    cost_usd: float | None


@dataclass(frozen=True, slots=True)
class TurnEnded:
    """One model response is over. `stop_reason` is None when the response did not finish."""

    KIND: ClassVar[EventKind] = "turn_ended"
    stop_reason: str | None
    interrupted: bool


@dataclass(frozen=True, slots=True)
class ReportParsed:
    """A completion report found in the final text (the report object comes from core.report)."""

    KIND: ClassVar[EventKind] = "report_parsed"
    kind: str
    report_id: str
    status: str
    outcome: Outcome
    data: dict[str, Any]
    artifacts: tuple[ArtifactCheck, ...]
    missing_keys: tuple[str, ...]
    note: str = ""  # e.g. several reports in the answer: which one counts
    report: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class SessionError:
    KIND: ClassVar[EventKind] = "session_error"
    kind: str  # auth | rate_limit | overloaded | server | connection | stream | request | max_turns
    message: str
    retryable: bool


@dataclass(frozen=True, slots=True)
class Retrying:
    KIND: ClassVar[EventKind] = "retrying"
    attempt: int
    wait_s: float
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the transcript says about how a turn went. `code`: continuing (the answer hit
    max_tokens and is continued), truncated, refused, cut_tool (a tool call cut by max_tokens,
    not run), superseded (a failed attempt's partial output, replaced by a retry)."""

    KIND: ClassVar[EventKind] = "notice"
    code: str
    text: str
    mode: str = ""  # code "mode": the permission mode from now on


@dataclass(frozen=True, slots=True)
class SubagentStarted:
    """An Agent call started a child session (stored in the parent's history: the link)."""

    KIND: ClassVar[EventKind] = "subagent_started"
    tool_use_id: str
    agent: str  # the child definition's name
    description: str
    child_session_id: str
    agent_path: tuple[str, ...]  # from the root session to the child


@dataclass(frozen=True, slots=True)
class ChildEvent:
    """An event of a delegated session, handed up to the root's consumer unchanged (a
    permission request in it is answered like any other). Not stored in the parent's history:
    the child records its own. `agent_path` names the definitions from the root down."""

    KIND: ClassVar[EventKind] = "child_event"
    session_id: str
    parent_session_id: str
    agent_path: tuple[str, ...]
    event: Event

    @property
    def depth(self) -> int:
        return len(self.agent_path) - 1


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
    | Notice
    | SubagentStarted
    | ChildEvent
)


# What the engine tells the history only (not its caller): the conversation as the API sees
# it, and the session's status.


@dataclass(frozen=True, slots=True)
class UserMessage:
    """A user message of the API conversation: the prompt, or tool results."""

    KIND: ClassVar[EventKind] = "user_message"
    content: tuple[dict[str, Any], ...]
    interrupted: bool = False


@dataclass(frozen=True, slots=True)
class AssistantMessage:
    """A finished (or, `interrupted`, a cut) assistant message of the API conversation."""

    KIND: ClassVar[EventKind] = "assistant_message"
    content: tuple[dict[str, Any], ...]
    interrupted: bool = False


@dataclass(frozen=True, slots=True)
class StatusChanged:
    KIND: ClassVar[EventKind] = "status_changed"
    status: SessionStatus


Record = Event | UserMessage | AssistantMessage | StatusChanged

_SKIP = frozenset({"future", "report"})


def to_json(event: Event) -> dict[str, Any]:
    if isinstance(event, ChildEvent):  # the child's event, with whose it is
        return {
            **to_json(event.event),
            "session_id": event.session_id,
            "parent_session_id": event.parent_session_id,
            "agent_path": list(event.agent_path),
        }
    out: dict[str, Any] = {"type": event.KIND}
    for f in fields(event):
        if f.name not in _SKIP:
            out[f.name] = _plain(getattr(event, f.name))
    return out


def _plain(value: Any) -> Any:
    """JSON-ready: dataclass values (ArtifactCheck) as dicts, tuples of them as lists."""
    if isinstance(value, tuple) and value and is_dataclass(value[0]):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value
