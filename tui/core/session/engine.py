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
import importlib
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator, Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import NO_KEY_MESSAGE, classify, retry_wait
from .events import (
    Decision,
    DecisionKind,
    Event,
    PermissionDecided,
    PermissionNeeded,
    Retrying,
    SessionError,
    SessionStarted,
    ToolResult,
    TurnEnded,
    Usage,
)
from .models import resolve_model
from .permissions import PermissionPolicy, normalize_mode
from .pricing import Price, cost_usd
from .prompt import system_blocks
from .reporting import find_report
from .secrets import Redactor
from .store import SessionStore
from .stream import BlockState, MessageAssembler
from .tools import Tool, ToolContext, ToolError, api_tool_params, select_tools
from .tools.paths import display

DEFAULT_MAX_TOKENS = 32_000
YIELD_EVERY_S = 0.008
INTERRUPTED_RESULT = "Interrupted by the user before this tool finished."
# Model ids that predate adaptive thinking: no `thinking` parameter is sent to them.
_NO_ADAPTIVE = (
    "claude-3",
    "claude-haiku-4-5",
    "claude-sonnet-4-5",
    "claude-opus-4-5",
    "claude-opus-4-1",
    "claude-opus-4-0",
    "claude-sonnet-4-0",
    "claude-opus-4-2",
)


class DefinitionLike(Protocol):
    """What the engine reads from `tui.core.definition.AgentDefinition`."""

    @property
    def name(self) -> str | None: ...
    @property
    def path(self) -> Path: ...
    @property
    def body(self) -> str: ...
    @property
    def tools(self) -> tuple[str, ...] | None: ...
    @property
    def disallowed_tools(self) -> tuple[str, ...] | None: ...
    @property
    def model(self) -> str | None: ...
    @property
    def permission_mode(self) -> str | None: ...
    @property
    def frontmatter(self) -> Mapping[str, Any]: ...
    @property
    def content_hash(self) -> str: ...


@dataclass(frozen=True)
class SessionConfig:
    model: str | None = None  # overrides the definition's `model`
    permission_mode: str | None = None  # overrides the definition's `permissionMode`
    default_model: str | None = None  # what `inherit` means (alias or id)
    model_aliases: Mapping[str, str] | None = None
    max_tokens: int | None = None  # when the definition has no maxTokens (else 32,000)
    max_turns: int | None = None  # when the definition has no maxTurns (else unlimited)
    thinking: bool = True
    api_key: str | None = None  # else ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN
    base_url: str | None = None  # else ANTHROPIC_BASE_URL
    secrets: tuple[str, ...] = ()  # config [secrets]: redacted from tool results, not in Bash env
    read_timeout_s: float = 300.0
    connect_timeout_s: float = 10.0
    max_retries: int = 4
    retry_base_s: float = 1.0
    retry_max_s: float = 30.0
    prices: Mapping[str, Price] | None = None
    allow_rules: tuple[str, ...] = ()  # extra pre-allowed rules, e.g. "Bash(git status*)"
    demo: bool = False
    title: str = ""


def has_credentials(config: SessionConfig | None = None) -> bool:
    if config is not None and config.api_key:
        return True
    return bool(os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN"))


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


@dataclass
class _ToolPhase:
    blocks: list[BlockState]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)


class AgentSession:
    def __init__(
        self,
        definition: DefinitionLike,
        cwd: str | os.PathLike[str],
        config: SessionConfig | None = None,
        store: SessionStore | None = None,
        *,
        session_id: str | None = None,
        messages: list[dict[str, Any]] | None = None,
    ) -> None:
        self.definition = definition
        self.config = config or SessionConfig()
        cfg = self.config
        self._redactor = Redactor.for_session(cfg.api_key, cfg.secrets)
        self.ctx = ToolContext.for_dir(cwd, secrets=self._redactor.values)
        self.model = resolve_model(
            cfg.model or definition.model,
            overrides=cfg.model_aliases,
            default=cfg.default_model,
        )
        self.mode = normalize_mode(cfg.permission_mode or definition.permission_mode)
        fm = definition.frontmatter
        self.max_tokens = _positive_int(fm.get("maxTokens")) or cfg.max_tokens or DEFAULT_MAX_TOKENS
        self.max_turns = _positive_int(fm.get("maxTurns")) or cfg.max_turns
        self.tools: list[Tool] = select_tools(definition.tools, definition.disallowed_tools)
        self._tools_by_name = {t.name: t for t in self.tools}
        rules = [r for r in (definition.tools or ()) if "(" in r] + list(cfg.allow_rules)
        self.policy = PermissionPolicy(self.mode, self.ctx, rules)
        self.messages: list[dict[str, Any]] = list(messages or [])
        self.store = store
        # The store batches text deltas. By default each event is written before it is handed
        # to the consumer, so whatever a consumer showed survives a kill -9. A consumer that
        # shows events later (the app repaints ~10 times a second) turns this off and calls
        # flush_history() before it shows them, keeping the batching's saving.
        self.flush_per_event = True
        self.status = "new"
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
        else:
            self.id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]

    @classmethod
    def resume(
        cls,
        store: SessionStore,
        session_id: str,
        definition: DefinitionLike,
        config: SessionConfig | None = None,
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
        return cls(
            definition,
            row.cwd,
            cfg,
            store,
            session_id=row.id,
            messages=store.load_messages(row.id),
        )

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

    def flush_history(self) -> None:
        """Write any batched deltas to the history now."""
        if self.store is not None:
            self.store.flush()

    async def aclose(self) -> None:
        self.cancel()
        await self.ctx.jobs.close()  # background Bash jobs end with the session
        if self._client is not None:
            await self._client.close()
            self._client = None

    # ------------------------------------------------------------------ driving

    async def _drive(self, work: Coroutine[Any, Any, None]) -> AsyncIterator[Event]:
        if self._task is not None and not self._task.done():
            work.close()
            raise RuntimeError("this session is already running a turn")
        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self._queue = queue
        task = asyncio.create_task(self._guarded(work))
        self._task = task
        try:
            while True:
                event = await queue.get()
                if event is None:
                    break
                if self.flush_per_event:
                    self.flush_history()
                yield event
        finally:
            if not task.done():
                task.cancel()
                await asyncio.wait({task})

    async def _guarded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            self._on_cancel()
        except Exception as exc:  # a bug of ours: report it, never crash the caller
            self._emit(SessionError("internal", f"{type(exc).__name__}: {exc}", False))
            self._set_status("error")
        finally:
            self._phase = None
            if self._queue is not None:
                self._queue.put_nowait(None)

    def _emit(self, event: Event) -> None:
        if self.store is not None:
            self.store.record_event(self.id, event)
        if self._queue is not None:
            self._queue.put_nowait(event)

    def _set_status(self, status: str) -> None:
        self.status = status
        if self.store is not None:
            self.store.set_status(self.id, status, ended=status != "running")

    def _append(self, role: str, content: list[dict[str, Any]], *, record: bool = True) -> None:
        if self.messages and self.messages[-1]["role"] == role:
            self.messages[-1]["content"].extend(content)
        else:
            self.messages.append({"role": role, "content": list(content)})
        if record and self.store is not None:
            self.store.add_message(self.id, role, content)

    # ------------------------------------------------------------------ the loop

    async def _turn_loop(self, prompt: str | None) -> None:
        self._set_status("running")
        self._since = time.time()
        self._emit(
            SessionStarted(self.id, self.model, str(self.ctx.root), self.mode, self.config.demo)
        )
        if prompt is not None:
            self._append("user", [{"type": "text", "text": prompt}])
        elif not self.can_retry:
            self._emit(SessionError("request", "Nothing to retry: send a message.", False))
            self._set_status("error")
            return
        if not self.config.demo and not has_credentials(self.config):
            self._emit(SessionError("auth", NO_KEY_MESSAGE, False))
            self._set_status("error")
            return
        turns = 0
        while True:
            if self.max_turns is not None and turns >= self.max_turns:
                self._emit(
                    SessionError(
                        "max_turns", f"Stopped after maxTurns={self.max_turns} model turns.", False
                    )
                )
                self._set_status("max_turns")
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
            self._finish(assembler)
            return

    def _finish(self, assembler: MessageAssembler) -> None:
        try:
            report = find_report(assembler.text(), self.definition.body, self.ctx.root, self._since)
        except Exception:
            report = None
        if report is not None:
            self._emit(report)
        self._set_status("completed")

    def _request(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": self._system,
            "messages": self.messages,
            "cache_control": {"type": "ephemeral"},
            "stream": True,
        }
        if self.tools:
            params["tools"] = api_tool_params(self.tools)
        if self.config.thinking and not self.model.startswith(_NO_ADAPTIVE):
            params["thinking"] = {"type": "adaptive", "display": "summarized"}
        return params

    def _client_or_new(self) -> Any:
        if self._client is None:
            import anthropic
            import httpx2

            cfg = self.config
            kwargs: dict[str, Any] = {
                "max_retries": 0,
                "timeout": httpx2.Timeout(cfg.read_timeout_s, connect=cfg.connect_timeout_s),
            }
            if cfg.api_key:
                kwargs["api_key"] = cfg.api_key
            if cfg.base_url:
                kwargs["base_url"] = cfg.base_url
            self._client = anthropic.AsyncAnthropic(**kwargs)
        return self._client

    async def _open_stream(self) -> Any:
        cfg = self.config
        attempt = 0
        if self._client is None and "anthropic" not in sys.modules:
            # importing the SDK takes a second or more: off the event loop, so a UI driving
            # this session keeps answering keys meanwhile
            await asyncio.to_thread(importlib.import_module, "anthropic")
        while True:
            try:
                return await self._client_or_new().messages.create(**self._request())
            except Exception as exc:
                failure = classify(exc)
                if failure.retryable and attempt < cfg.max_retries:
                    attempt += 1
                    wait = retry_wait(exc, attempt, cfg.retry_base_s, cfg.retry_max_s)
                    self._emit(Retrying(attempt, wait, failure.message))
                    await asyncio.sleep(wait)
                    continue
                self._emit(SessionError(failure.kind, failure.message, failure.retryable))
                self._set_status("error")
                return None

    async def _one_response(self) -> MessageAssembler | None:
        stream = await self._open_stream()
        if stream is None:
            return None
        assembler = MessageAssembler()
        self._phase = assembler
        try:
            slice_end = time.perf_counter() + YIELD_EVERY_S
            async for raw in stream:
                for event in assembler.feed(raw):
                    self._emit(event)
                # the SDK hands over every event already buffered without yielding: give the
                # event loop (a UI's keys and repaints) a turn every few milliseconds
                if time.perf_counter() >= slice_end:
                    await asyncio.sleep(0)
                    slice_end = time.perf_counter() + YIELD_EVERY_S
        except Exception as exc:
            failure = classify(exc)
            self._interrupt_response(assembler)
            self._emit(SessionError(failure.kind, failure.message, True))
            return None
        finally:
            await stream.close()
        if not assembler.stopped:
            self._interrupt_response(assembler)
            self._emit(
                SessionError(
                    "stream", "The response ended before message_stop; partial output kept.", True
                )
            )
            return None
        self._phase = None
        self._append("assistant", assembler.content())
        self._emit_usage(assembler)
        self._emit(TurnEnded(assembler.stop_reason, False))
        return assembler

    def _emit_usage(self, assembler: MessageAssembler) -> None:
        if assembler.model is None:
            return
        u = assembler.usage
        cost = cost_usd(
            self.model,
            input_tokens=u.input_tokens,
            output_tokens=u.output_tokens,
            cache_creation_input_tokens=u.cache_creation_input_tokens,
            cache_read_input_tokens=u.cache_read_input_tokens,
            table=self.config.prices,
        )
        self._emit(
            Usage(
                u.input_tokens,
                u.output_tokens,
                u.cache_creation_input_tokens,
                u.cache_read_input_tokens,
                None if self.config.demo else cost,
            )
        )

    def _interrupt_response(self, assembler: MessageAssembler) -> None:
        """A response that did not finish: keep what arrived in the history (marked
        interrupted) but not in the conversation, so a retry resends the same request."""
        self._phase = None
        partial = assembler.content(complete_only=False)
        keep = [b for b in partial if b.get("type") in {"text", "thinking"}]
        if self.store is not None:
            self.store.add_message(self.id, "assistant", keep, interrupted=True)
        self._emit_usage(assembler)
        self._emit(TurnEnded(None, True))
        self._set_status("interrupted")

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
                if result is None:
                    result = _tool_result(tool_id, INTERRUPTED_RESULT, True)
                    self._emit(ToolResult(tool_id, block.data["name"], INTERRUPTED_RESULT, True))
                results.append(result)
            self._append("user", results)
        self._emit(TurnEnded(None, True))
        self._set_status("interrupted")

    # ------------------------------------------------------------------ tools

    async def _run_tools(self, blocks: list[BlockState]) -> None:
        phase = _ToolPhase(blocks)
        self._phase = phase
        for block in blocks:
            tool_id, name = block.data["id"], block.data["name"]
            output, is_error = await self._run_tool(block)
            output = self._redactor.redact(output)  # before it is stored, shown or sent
            phase.results[tool_id] = _tool_result(tool_id, output, is_error)
            self._emit(ToolResult(tool_id, name, output, is_error))
        self._phase = None
        self._append("user", [phase.results[b.data["id"]] for b in blocks])

    async def _run_tool(self, block: BlockState) -> tuple[str, bool]:
        tool_id, name, args = block.data["id"], block.data["name"], block.input
        if block.input_error is not None:
            return (
                f"Invalid tool input: the JSON did not parse ({block.input_error}). "
                "Send the call again with valid JSON."
            ), True
        tool = self._tools_by_name.get(name)
        if tool is None:
            offered = ", ".join(self._tools_by_name) or "none"
            return f"No such tool available to this agent: {name} (available: {offered}).", True
        try:
            target = tool.target(args, self.ctx)
            verdict = self.policy.check(tool, args, target)
            if verdict.action == "ask":
                decision = await self._ask(tool, tool_id, args, target, verdict.reason)
                if not decision.allowed:
                    why = f" Reason: {decision.reason}" if decision.reason else ""
                    return f"The user denied this {name} call.{why}", True
            else:
                kind: DecisionKind = "allow_once" if verdict.action == "allow" else "deny"
                self._emit(PermissionDecided(tool_id, name, kind, verdict.reason, True))
                if verdict.action == "deny":
                    return f"Permission denied: {verdict.reason}.", True
            return await tool.run(args, self.ctx), False
        except ToolError as exc:
            return str(exc), True
        except OSError as exc:
            return f"{name} failed: {exc.strerror or exc}", True

    async def _ask(
        self, tool: Tool, tool_id: str, args: dict[str, Any], target: Path | None, reason: str
    ) -> Decision:
        preview = self._redactor.redact(tool.preview(args, self.ctx))  # a diff shows file text
        if tool.kind == "exec":
            summary = str(args.get("command", ""))
        elif target is not None:
            summary = display(target, self.ctx)
        else:
            summary = preview.splitlines()[0] if preview else ""
        future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        self._emit(PermissionNeeded(tool_id, tool.name, args, summary, preview, reason, future))
        decision = await future
        if decision.kind == "allow_session":
            self.policy.allow_for_session(tool, args)
        self._emit(PermissionDecided(tool_id, tool.name, decision.kind, decision.reason, False))
        return decision


def _tool_result(tool_id: str, output: str, is_error: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_id, "content": output}
    if is_error:
        result["is_error"] = True
    return result
