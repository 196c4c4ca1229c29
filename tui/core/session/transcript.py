"""A session as a list of blocks, built from its events: what the session screen shows.

The same builder reads live events (as `to_json` dicts) and the events stored in the history
database, so a reopened session looks exactly like it did while it ran. Each `apply` returns
what changed — a new block, or text appended to the last one — so a view can update in place
instead of redrawing. The counters (tokens, cost, state) live here too: the status line only
formats them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from . import agent_runs
from .blocks import AgentRun as AgentRun
from .blocks import Block as Block
from .blocks import ErrorBlock as ErrorBlock
from .blocks import MentionChip as MentionChip
from .blocks import NoticeBlock as NoticeBlock
from .blocks import PermissionAsk as PermissionAsk
from .blocks import ReportBlock as ReportBlock
from .blocks import TextBlock as TextBlock
from .blocks import ThinkingBlock as ThinkingBlock
from .blocks import ToolBlock as ToolBlock
from .blocks import UserBlock as UserBlock
from .events import (
    ChildEvent,
    Notice,
    PermissionDecided,
    PermissionNeeded,
    ReportParsed,
    Retrying,
    SessionError,
    SessionStarted,
    SessionStatus,
    SubagentStarted,
    TextDelta,
    ThinkingDelta,
    ToolInputComplete,
    ToolResult,
    ToolUseStarted,
    TurnEnded,
    Usage,
    UserMessage,
)
from .usage import UsageTotals

State = Literal[
    "new",
    "streaming",
    "thinking",
    "running tool",
    "waiting for you",
    "retrying",
    "done",
    "interrupted",
    "error",
    "truncated",
    "refused",
]
SPLIT_AT = 3000  # characters of streamed text per block, at most about
_UNFINISHED = frozenset({SessionStatus.INTERRUPTED, SessionStatus.RUNNING, SessionStatus.NEW})
BUSY_STATES = frozenset({"streaming", "thinking", "running tool", "waiting for you", "retrying"})


@dataclass(frozen=True, slots=True)
class Change:
    """`block` is new (`appended` is None) or got `appended` added to its text."""

    index: int
    block: Block
    appended: str | None = None
    new: bool = False


@dataclass
class Stats:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read: int = 0
    cache_write: int = 0
    cost_usd: float | None = None
    responses: int = 0

    def totals(self) -> UsageTotals:
        return UsageTotals(
            new_input=self.input_tokens,
            cache_read=self.cache_read,
            cache_write=self.cache_write,
            output=self.output_tokens,
            cost_usd=self.cost_usd,
            responses=self.responses,
        )


@dataclass
class Transcript:
    blocks: list[Block] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    state: State = "new"
    model: str = ""
    mode: str = ""
    session_id: str = ""
    demo: bool = False
    turn_started: float | None = None  # wall clock of the running turn, None when idle
    elapsed_s: float = 0.0  # finished turns only
    report: ReportBlock | None = None
    context_tokens: int = 0  # the conversation's size after the latest response (its input+output)
    _tools: dict[str, ToolBlock] = field(default_factory=dict)
    _tool_at: dict[str, int] = field(default_factory=dict)  # tool_use_id -> block index
    _last_at: float = 0.0
    _sealed: bool = False  # the last text block is full: new text starts a new one
    agent_runs: dict[str, AgentRun] = field(default_factory=dict)  # child session id -> its run
    child_stats: UsageTotals = field(default_factory=UsageTotals)  # the children's usage

    # ---------------------------------------------------------------- reading events

    def apply(self, kind: str, payload: dict[str, Any], *, at: float | None = None) -> list[Change]:
        handler = _HANDLERS.get(kind)
        if handler is None:
            return []
        now = at if at is not None else time.time()
        changes = handler(self, payload, now)
        self._last_at = now
        return changes

    def elapsed(self, now: float | None = None) -> float:
        running = 0.0
        if self.turn_started is not None:
            running = max(0.0, (now if now is not None else time.time()) - self.turn_started)
        return self.elapsed_s + running

    def finish(self, status: str, *, at: float | None = None) -> None:
        """The driver's verdict once `send` returned: completed, error, interrupted, ..."""
        self._stop_clock(at if at is not None else time.time())
        if status == SessionStatus.COMPLETED:
            self.state = "done"
        elif status == SessionStatus.TRUNCATED:
            self.state = "truncated"
        elif status == SessionStatus.REFUSED:
            self.state = "refused"
        elif status in _UNFINISHED:
            self.state = "interrupted"
        else:
            self.state = "error"

    @property
    def busy(self) -> bool:
        return self.state in BUSY_STATES

    @property
    def waiting(self) -> list[ToolBlock]:
        return [t for t in self._tools.values() if t.waiting]

    def tool_index(self, tool_use_id: str) -> int | None:
        """Where the tool call's block is in `blocks` (blocks are only ever appended)."""
        return self._tool_at.get(tool_use_id)

    def tool(self, tool_use_id: str) -> ToolBlock | None:
        return self._tools.get(tool_use_id)

    # ---------------------------------------------------------------- internals

    def _add(self, block: Block) -> list[Change]:
        self.blocks.append(block)
        return [Change(len(self.blocks) - 1, block, new=True)]

    def _stop_clock(self, now: float) -> None:
        if self.turn_started is not None:
            self.elapsed_s += max(0.0, now - self.turn_started)
            self.turn_started = None

    def _stream(
        self, cls: type[TextBlock] | type[ThinkingBlock], text: str, state: State
    ) -> list[Change]:
        self.state = state
        last = self.blocks[-1] if self.blocks else None
        if type(last) is not cls or self._sealed:
            self._sealed = False
            return self._add(cls(text))
        cut = _paragraph_cut(last.text, text)
        if cut is None:
            last.text += text
            return [Change(len(self.blocks) - 1, last, appended=text)]
        head, tail = text[:cut], text[cut:]
        changes: list[Change] = []
        if head:
            last.text += head
            changes.append(Change(len(self.blocks) - 1, last, appended=head))
        if tail:
            changes += self._add(cls(tail))
        else:
            self._sealed = True  # the next piece of text starts the next block
        return changes


def _paragraph_cut(before: str, text: str) -> int | None:
    """Where in `text` a long run of text (`before` so far) continues in a new block: just
    after the first paragraph break past SPLIT_AT characters that is outside code fences. The
    screen then re-lays out only the block that grows, and old parts can leave the DOM."""
    if len(before) + len(text) < SPLIT_AT or ("\n" not in text and not before.endswith("\n\n")):
        return None  # (cheap exit: only a newline can complete a paragraph break)
    joined = before + text
    at = max(len(before) - 1, SPLIT_AT - 1)
    if before.endswith("\n\n") and len(before) >= SPLIT_AT:
        at = len(before) - 2
    while (found := joined.find("\n\n", at)) >= 0:
        end = found + 2
        prefix = joined[:end]
        if prefix.count("```") % 2 == 0 and prefix.count("~~~") % 2 == 0:
            return max(0, end - len(before))
        at = end
    return None


def _started(t: Transcript, p: dict[str, Any], now: float) -> list[Change]:
    t._stop_clock(t._last_at or now)  # a stored session: the last turn ended with its events
    t.session_id = str(p.get("session_id", t.session_id))
    t.model = str(p.get("model", t.model))
    t.mode = str(p.get("permission_mode", t.mode))
    t.demo = bool(p.get("demo", t.demo))
    t.state = "streaming"
    t.turn_started = now
    return []


def _user_message(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    changes: list[Change] = []
    for part in p.get("content") or []:
        if isinstance(part, dict) and part.get("type") == "text":
            changes += t._add(UserBlock(str(part.get("text", ""))))
    return changes


def _text(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    return t._stream(TextBlock, str(p.get("text", "")), "streaming")


def _thinking(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    return t._stream(ThinkingBlock, str(p.get("text", "")), "thinking")


def _tool_started(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    block = ToolBlock(str(p.get("tool_use_id", "")), str(p.get("name", "")))
    t._tools[block.tool_use_id] = block
    t._tool_at[block.tool_use_id] = len(t.blocks)
    t.state = "streaming"
    return t._add(block)


def _tool_input(t: Transcript, p: dict[str, Any], now: float) -> list[Change]:
    tid = str(p.get("tool_use_id", ""))
    block = t._tools.get(tid)
    changes: list[Change] = []
    if block is None:
        changes = _tool_started(t, p, now)
        block = t._tools[tid]
    raw = p.get("input")
    block.input = raw if isinstance(raw, dict) else {}
    block.input_error = p.get("input_error")
    t.state = "running tool"
    return [*changes, Change(t._tool_at[tid], block, appended="")]


def _permission_needed(t: Transcript, p: dict[str, Any], now: float) -> list[Change]:
    tid = str(p.get("tool_use_id", ""))
    block = t._tools.get(tid)
    changes: list[Change] = []
    if block is None:
        changes = _tool_input(t, p, now)
        block = t._tools[tid]
    block.ask = PermissionAsk(
        str(p.get("summary", "")),
        str(p.get("preview", "")),
        str(p.get("reason", "")),
        str(p.get("session_scope") or ""),
        bool(p.get("whole_run")),
    )
    t.state = "waiting for you"
    return [*changes, Change(t._tool_at[tid], block, appended="")]


def _permission_decided(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    tid = str(p.get("tool_use_id", ""))
    block = t._tools.get(tid)
    if block is None:
        return []
    block.decision = str(p.get("decision", ""))
    block.decision_reason = str(p.get("reason", ""))
    block.automatic = bool(p.get("automatic", False))
    t.state = "waiting for you" if t.waiting else "running tool"
    return [Change(t._tool_at[tid], block, appended="")]


def _tool_result(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    tid = str(p.get("tool_use_id", ""))
    block = t._tools.get(tid)
    if block is None:
        return []
    block.output = str(p.get("output", ""))
    block.is_error = bool(p.get("is_error", False))
    agent_runs.ended(block, p)
    t.state = "streaming"
    return [Change(t._tool_at[tid], block, appended="")]


def _usage(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    latest = UsageTotals().plus(p)
    t.context_tokens = latest.input + latest.output
    totals = t.stats.totals().plus(p)
    s = t.stats
    s.input_tokens, s.output_tokens = totals.new_input, totals.output
    s.cache_read, s.cache_write = totals.cache_read, totals.cache_write
    s.cost_usd, s.responses = totals.cost_usd, totals.responses
    return []


def _turn_ended(t: Transcript, p: dict[str, Any], now: float) -> list[Change]:
    if p.get("interrupted"):
        t.state = "interrupted"
        t._stop_clock(now)
        for block in t.waiting:  # a prompt nobody answered is void now
            block.decision, block.decision_reason = "deny", "interrupted"
        return t._add(NoticeBlock("Interrupted. Send a message to go on, or retry."))
    return []


def _report(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    block = ReportBlock(
        kind=str(p.get("kind", "")),
        report_id=str(p.get("report_id", "")),
        status=str(p.get("status", "")),
        outcome=str(p.get("outcome", "other")),
        data=dict(p.get("data") or {}),
        artifacts=[dict(a) for a in p.get("artifacts") or []],
        missing_keys=[str(k) for k in p.get("missing_keys") or []],
        children=[
            (b.agent.agent, b.agent.state, b.agent.outcome)
            for b in t.blocks
            if isinstance(b, ToolBlock) and b.agent is not None
        ],
    )
    t.report = block
    changes = t._add(block)
    if p.get("note"):
        changes += t._add(NoticeBlock(str(p["note"])))
    return changes


def _error(t: Transcript, p: dict[str, Any], now: float) -> list[Change]:
    t.state = "error"
    t._stop_clock(now)
    return t._add(
        ErrorBlock(
            str(p.get("kind", "")), str(p.get("message", "")), bool(p.get("retryable", False))
        )
    )


def _retrying(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    t.state = "retrying"
    wait = float(p.get("wait_s") or 0)
    return t._add(
        NoticeBlock(f"Retrying (attempt {p.get('attempt')}) in {wait:.1f} s: {p.get('reason', '')}")
    )


def _notice(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    if p.get("code") == "mode" and p.get("mode"):
        t.mode = str(p["mode"])
    chip = p.get("code") == "attached"
    return t._add((MentionChip if chip else NoticeBlock)(str(p.get("text", ""))))


def _subagent(t: Transcript, p: dict[str, Any], _now: float) -> list[Change]:
    tid = str(p.get("tool_use_id", ""))
    block = t._tools.get(tid)
    if block is None:
        return []
    block.agent = agent_runs.new_run(p)
    t.agent_runs[block.agent.session_id] = block.agent
    return [Change(t._tool_at[tid], block, appended="")]


def _child(t: Transcript, p: dict[str, Any], now: float) -> list[Change]:
    """A child's event (any depth): its Agent block follows it; its prompts are asked here,
    labelled with the chain; its usage counts in this session's tree total."""
    run = agent_runs.follow(t.agent_runs, p)
    if run is None:
        return []
    kind = p.get("type")
    if kind == "usage":
        t.child_stats = t.child_stats.plus(p)
    elif kind == "permission_needed":
        chain = " › ".join(str(x) for x in p.get("agent_path") or ())
        return _permission_needed(t, {**p, "name": f"{chain} · {p.get('name', '')}"}, now)
    elif kind == "permission_decided" and str(p.get("tool_use_id")) in t._tools:
        return _permission_decided(t, p, now)
    at = next((i for i, b in enumerate(t.blocks) if getattr(b, "agent", None) is run), None)
    return [] if at is None else [Change(at, t.blocks[at], appended="")]


_HANDLERS: dict[str, Callable[[Transcript, dict[str, Any], float], list[Change]]] = {
    SessionStarted.KIND: _started,
    UserMessage.KIND: _user_message,
    TextDelta.KIND: _text,
    ThinkingDelta.KIND: _thinking,
    ToolUseStarted.KIND: _tool_started,
    ToolInputComplete.KIND: _tool_input,
    PermissionNeeded.KIND: _permission_needed,
    PermissionDecided.KIND: _permission_decided,
    ToolResult.KIND: _tool_result,
    Usage.KIND: _usage,
    TurnEnded.KIND: _turn_ended,
    ReportParsed.KIND: _report,
    SessionError.KIND: _error,
    Retrying.KIND: _retrying,
    Notice.KIND: _notice,
    SubagentStarted.KIND: _subagent,
    ChildEvent.KIND: _child,
}


def from_events(rows: list[tuple[str, dict[str, Any], float]], status: str) -> Transcript:
    """Rebuild a stored session (`SessionStore.events`) as it looked when it stopped."""
    transcript = Transcript()
    for kind, payload, at in rows:
        transcript.apply(kind, payload, at=at)
    last = rows[-1][2] if rows else None
    transcript.finish(status, at=last)
    for block in transcript.waiting:  # the app stopped before anyone answered
        block.decision, block.decision_reason = "deny", "not answered"
    return transcript
