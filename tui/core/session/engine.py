"""The turn loop: stream a response, run its tools under the permission policy, repeat.

    session = AgentSession(definition, cwd, SessionConfig(), store=SessionStore())
    async with contextlib.aclosing(session.send("add a /health endpoint")) as events:
        async for event in events:
            if isinstance(event, PermissionNeeded):
                event.future.set_result(Decision("allow_once"))
            ...

`send` yields events until the model ends its turn (or the turn loop stops: maxTurns, an
error, a cancel); then the caller may `send` again, or `retry()` after an interrupted response.
`cancel()` (or cancelling the task iterating `send`) closes the stream, kills a running Bash
and marks the interrupted turn; the conversation stays valid for the next request.
`anthropic` is imported on the first request, not before.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from ..checks_permissions import blanket_bash
from .conversation import INTERRUPTED_RESULT, INTERRUPTED_TOOL, repair, tool_result
from .delegation import agent_tool, wrap
from .errors import NO_KEY_MESSAGE
from .events import (
    AssistantMessage,
    Event,
    Notice,
    Record,
    SessionError,
    SessionStarted,
    SessionStatus,
    StatusChanged,
    SubagentStarted,
    ToolResult,
    TurnEnded,
    UserMessage,
)
from .handup import EventQueue
from .history import HistoryError, HistoryWriter
from .models import default_max_tokens, resolve_model
from .options import DefinitionLike as DefinitionLike
from .options import SessionConfig as SessionConfig
from .options import default_driver, positive_int
from .options import has_credentials as has_credentials
from .permissions import PermissionPolicy, normalize_mode
from .planmode import PlanMode
from .progress import ProgressBoard
from .prompt import system_blocks
from .reporting import find_report
from .secrets import Redactor
from .store import SessionStore
from .stream import MessageAssembler
from .toolrun import ToolRunner, _ToolPhase
from .tools import Tool, ToolContext, select_tools, server_tools, unsupported
from .transport import CUT_TOOL as CUT_TOOL
from .transport import Transport
from .user_commands import UserCommands

CONTINUE_PROMPT = (
    "Your previous answer was cut off by the output token limit. Continue exactly where it "
    "stopped, without repeating what you already wrote."
)


class AgentSession(PlanMode, UserCommands, Transport, ToolRunner):
    id: str
    depth: int

    def __init__(
        self,
        definition: DefinitionLike,
        cwd: str | os.PathLike[str],
        config: SessionConfig | None = None,
        store: SessionStore | None = None,
        *,
        history: HistoryWriter | None = None,
        session_id: str | None = None,
        messages: list[dict[str, Any]] | None = None,
        parent: AgentSession | None = None,
        parent_tool_use_id: str | None = None,
        agent_name: str | None = None,
    ) -> None:
        self.definition = definition
        name = agent_name or definition.name or definition.path.stem
        self.parent_id = parent.id if parent is not None else None
        self.depth = parent.depth + 1 if parent is not None else 0
        self.agent_path: tuple[str, ...] = (*(parent.agent_path if parent else ()), name)
        self.running_children: set[AgentSession] = set()  # /mode narrows them (planmode.py)
        self.config = config or SessionConfig()
        cfg = self.config
        self._redactor = Redactor.for_session(cfg.api_key, cfg.secrets)
        self.progress = ProgressBoard(self._redactor.redact)  # live tool output, screen only
        self.ctx = ToolContext.for_dir(
            cwd,
            secrets=self._redactor.values,
            read_rules=[*(definition.disallowed_tools or ()), *cfg.deny_rules, *cfg.ask_rules],
        )
        self.model = resolve_model(
            cfg.model or definition.model,
            overrides=cfg.model_aliases,
            default=cfg.default_model,
        )
        self.mode = normalize_mode(cfg.permission_mode or definition.permission_mode)
        self.launch_mode = self.mode  # /mode never goes above it (slash.allowed_modes)
        fm = definition.frontmatter
        self.max_tokens = (
            positive_int(fm.get("maxTokens")) or cfg.max_tokens or default_max_tokens(self.model)
        )
        self.max_turns = positive_int(fm.get("maxTurns")) or cfg.max_turns
        deny = [*(definition.disallowed_tools or ()), *cfg.deny_rules]
        self.tools: list[Tool] = select_tools(definition.tools, deny)
        self.agent_tool = agent_tool(definition.tools, deny, cfg.subagents)
        if self.agent_tool is not None:
            self.tools.append(self.agent_tool)
        self._tools_by_name = {t.name: t for t in self.tools}
        # a definition's `Bash(*)` offers Bash, it does not pre-allow every command (R091)
        allow = [r for r in definition.tools or () if "(" in r and not blanket_bash(r)]
        allow += cfg.allow_rules
        self.policy = PermissionPolicy(self.mode, self.ctx, allow, deny=deny, ask=cfg.ask_rules)
        self.messages: list[dict[str, Any]] = list(messages or [])
        # Every event, message and status change goes to the history writer; when it reaches
        # the disk is the writer's business (a consumer that shows events passes its own).
        if history is None and store is not None:
            history = HistoryWriter(store)
        self.history = history
        store = history.store if history is not None else None
        self.status = SessionStatus.NEW
        self._system = system_blocks(definition.body, self.ctx.root)
        self._client: Any = None
        self._task: asyncio.Task[None] | None = None
        self._queue: asyncio.Queue[Event | None] | None = None
        self._phase: MessageAssembler | _ToolPhase | None = None
        self._since: float | None = None
        if session_id is not None:
            self.id = session_id
        elif store is not None:
            self.id = store.create_session(
                definition_name=definition.name or definition.path.stem,
                definition_path=str(definition.path),
                definition_sha256=definition.content_hash,
                model=self.model,
                cwd=str(self.ctx.root),
                mode=self.mode,
                demo=cfg.demo,
                title=cfg.title,
            )
            if parent is not None and parent_tool_use_id is not None:
                store.link_parent(self.id, parent.id, parent_tool_use_id)
        else:
            self.id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        # a stored conversation may end in a call its process never answered (killed)
        self.repaired: list[str] = []  # tool_use ids answered "interrupted" on load
        self._unshown: list[Event] = []  # those answers, shown when the next turn starts
        self.server_tools = server_tools(definition.tools, deny) if cfg.web_tools else []
        self.unsupported = unsupported(definition.tools)
        if self.unsupported:  # named before the work starts, never dropped silently
            missing = ", ".join(self.unsupported)
            notice = Notice("unsupported_tools", f"Roster cannot provide {missing}: left out.")
            self._record(notice)
            self._unshown.append(notice)
        # one driver per session: held until aclose(); SessionLocked if a live one has it
        self._lock_token = uuid.uuid4().hex
        if store is not None:
            store.lock(self.id, self._lock_token, cfg.driver or default_driver())
        self._repair(live=False)

    @classmethod
    def resume(
        cls,
        store: SessionStore,
        session_id: str,
        definition: DefinitionLike,
        config: SessionConfig | None = None,
        *,
        history: HistoryWriter | None = None,
    ) -> AgentSession:
        """Continue a stored session (its cwd, model and mode unless `config` overrides)."""
        row = store.get_session(session_id)
        if row is None:
            raise KeyError(session_id)
        cfg = config or SessionConfig()
        if cfg.model is None or cfg.permission_mode is None:
            from dataclasses import replace

            cfg = replace(
                cfg,
                model=cfg.model or row.model,
                permission_mode=cfg.permission_mode or row.mode,
            )
        session = cls(
            definition,
            row.cwd,
            cfg,
            store,
            history=history,
            session_id=row.id,
            messages=store.load_messages(row.id),
        )
        session._since = row.started_at  # "changed in this session": since it first started
        return session

    # ------------------------------------------------------------------ public API

    def send(self, prompt: str) -> AsyncIterator[Event]:
        """Add a user message and run the turn loop; yields events until it stops."""
        return self._drive(self._turn_loop(prompt))

    def retry(self) -> AsyncIterator[Event]:
        """Send the conversation again after an interrupted or failed response."""
        return self._drive(self._turn_loop(None))

    @property
    def can_retry(self) -> bool:
        return bool(self.messages) and self.messages[-1]["role"] == "user"

    def cancel(self) -> None:
        """Stop now: the stream is closed, Bash killed, the turn marked interrupted."""
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def aclose(self) -> None:
        self.cancel()
        if self._task is not None and not self._task.done():
            await asyncio.wait({self._task})  # (its interrupted results are recorded first)
        await self.ctx.jobs.close()  # background Bash jobs end with the session
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self.history is not None:
            with contextlib.suppress(Exception):  # (a closed or unwritable file: stale lock)
                self.history.store.unlock(self.id, self._lock_token)

    def _store_mode(self, mode: str) -> None:
        if self.history is not None:
            self.history.store.set_mode(self.id, mode)

    def started_child(self, tool_use_id: str, name: str, description: str, child: Any) -> None:
        self._emit(SubagentStarted(tool_use_id, name, description, child.id, child.agent_path))

    def hand_up(self, child: Any, event: Event) -> None:
        """A child's event goes to this session's consumer (not into this history)."""
        if self._queue is not None:
            self._queue.put_nowait(wrap(child, event))

    def switch_agent(self, previous: str) -> None:
        """Continue a session started by another definition (`--agent-switch`): recorded in
        the history and said when the next turn starts."""
        name = self.definition.name or self.definition.path.stem
        notice = Notice("agent_switch", f"Agent switched from {previous} to {name}.")
        self._record(notice)
        self._unshown.append(notice)
        if self.history is not None:
            self.history.store.set_definition(
                self.id, name, str(self.definition.path), self.definition.content_hash
            )

    # ------------------------------------------------------------------ driving

    async def _drive(self, work: Coroutine[Any, Any, None]) -> AsyncIterator[Event]:
        if self._task is not None and not self._task.done():
            work.close()
            raise RuntimeError("this session is already running a turn")
        queue = EventQueue()  # (children's text deltas merge while the consumer lags)
        self._queue = queue
        task = asyncio.create_task(self._guarded(work))
        self._task = task
        try:
            while True:
                event = await queue.get()
                if event is None:
                    break
                yield event
        finally:
            if not task.done():
                task.cancel()
                await asyncio.wait({task})

    async def _guarded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            try:
                self._on_cancel()
            except HistoryError as exc:
                self._stop_unrecorded(exc)
        except HistoryError as exc:  # nothing more can be recorded: say so and stop
            self._stop_unrecorded(exc)
        except Exception as exc:  # a bug of ours: report it, never crash the caller
            try:
                self._emit(SessionError("internal", f"{type(exc).__name__}: {exc}", False))
                self._set_status(SessionStatus.ERROR)
            except HistoryError as again:
                self._stop_unrecorded(again)
        finally:
            self._phase = None
            if self._queue is not None:
                self._queue.put_nowait(None)

    def _stop_unrecorded(self, exc: HistoryError) -> None:
        self.status = SessionStatus.ERROR
        if self._queue is not None:
            self._queue.put_nowait(SessionError("history", str(exc), False))

    def _record(self, record: Record) -> None:
        if self.history is not None:
            self.history.record(self.id, record)

    def _repair(self, *, live: bool) -> None:
        """Answer any unanswered tool_use (see conversation.repair), recorded in the history;
        `live`: also shown to the caller (during a turn)."""
        added = repair(self.messages)
        if not added:
            return
        for tool_id, name in added:
            event = ToolResult(tool_id, name, INTERRUPTED_TOOL, True)
            if live:
                self._emit(event)
            else:
                self._record(event)
                self._unshown.append(event)
            self.repaired.append(tool_id)
        results = tuple(tool_result(tool_id, INTERRUPTED_TOOL, True) for tool_id, _ in added)
        self._record(UserMessage(results))

    def _emit(self, event: Event) -> None:
        self._record(event)
        if self._queue is not None:
            self._queue.put_nowait(event)

    def _set_status(self, status: SessionStatus) -> None:
        self.status = status
        self._record(StatusChanged(status))

    def _append(self, role: str, content: list[dict[str, Any]]) -> None:
        if self.messages and self.messages[-1]["role"] == role:
            self.messages[-1]["content"].extend(content)
        else:
            self.messages.append({"role": role, "content": list(content)})
        message = UserMessage if role == "user" else AssistantMessage
        self._record(message(tuple(content)))

    # ------------------------------------------------------------------ the loop

    async def _turn_loop(self, prompt: str | None) -> None:
        self._set_status(SessionStatus.RUNNING)
        self._since = self._since or time.time()  # the whole session, not this turn
        self._emit(
            SessionStarted(self.id, self.model, str(self.ctx.root), self.mode, self.config.demo)
        )
        if self._queue is not None:  # (already in the history)
            for event in self._unshown:
                self._queue.put_nowait(event)
        self._unshown.clear()
        if prompt is not None:
            await self._add_prompt(prompt)  # (with the files its @mentions attach)
        elif not self.can_retry:
            self._emit(SessionError("request", "Nothing to retry: send a message.", False))
            self._set_status(SessionStatus.ERROR)
            return
        if not self.config.demo and not has_credentials(self.config):
            self._emit(SessionError("auth", NO_KEY_MESSAGE, False))
            self._set_status(SessionStatus.ERROR)
            return
        turns = continued = 0
        while True:
            if self.max_turns is not None and turns >= self.max_turns:
                self._emit(
                    SessionError(
                        "max_turns", f"Stopped after maxTurns={self.max_turns} model turns.", False
                    )
                )
                self._set_status(SessionStatus.MAX_TURNS)
                return
            turns += 1
            assembler = await self._one_response()
            if assembler is None:
                return
            tool_blocks = assembler.tool_uses()
            if tool_blocks:
                await self._run_tools(tool_blocks)
                if assembler.stop_reason == "tool_use":
                    continue
            if assembler.stop_reason == "pause_turn":
                continue
            if assembler.stop_reason == "max_tokens":
                if continued < self.config.continuations:
                    continued += 1
                    self._emit(
                        Notice(
                            "continuing",
                            f"The answer reached the output limit ({self.max_tokens:,} tokens): "
                            f"continuing it ({continued} of {self.config.continuations}).",
                        )
                    )
                    self._append("user", [{"type": "text", "text": CONTINUE_PROMPT}])
                    continue
                self._emit(
                    Notice(
                        "truncated",
                        f"Stopped: the answer was still cut at the output limit after "
                        f"{continued} continuation(s). Raise max_tokens or ask for less.",
                    )
                )
                self._set_status(SessionStatus.TRUNCATED)
                return
            if assembler.stop_reason == "refusal":
                self._emit(Notice("refused", "The model declined to answer (refusal)."))
                self._set_status(SessionStatus.REFUSED)
                return
            self._finish(assembler)
            return

    def _finish(self, assembler: MessageAssembler) -> None:
        try:
            report = find_report(assembler.text(), self.definition.body, self.ctx.root, self._since)
        except Exception:
            report = None
        if report is not None:
            self._emit(report)
        self._set_status(SessionStatus.COMPLETED)

    def _on_cancel(self) -> None:
        phase = self._phase
        if isinstance(phase, MessageAssembler):
            self._interrupt_response(phase)
            return
        if isinstance(phase, _ToolPhase):
            results = []
            for block in phase.blocks:
                tool_id = block.data["id"]
                result = phase.results.get(tool_id)
                if result is None:  # what a command printed before the interrupt is kept
                    arrived = self.progress.take(tool_id)
                    said = f"{arrived}\n\n{INTERRUPTED_RESULT}" if arrived else INTERRUPTED_RESULT
                    result = tool_result(tool_id, said, True)
                    self._emit(ToolResult(tool_id, block.data["name"], said, True))
                results.append(result)
            self._append("user", results)
        self._emit(TurnEnded(None, True))
        self._set_status(SessionStatus.INTERRUPTED)

    # ------------------------------------------------------------------ tools
