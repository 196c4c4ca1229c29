"""One model response: the request body, the SDK client (imported lazily, off the event loop),
the stream (its events decoded by `sse`, not the SDK) with its retries (before it starts:
429/529/5xx and connection errors, retry-after honoured; during it: overload, a cut or stalled
stream), and the usage it cost. Mixed into AgentSession."""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
from typing import Any

from .errors import Failure, classify, retry_wait
from .events import (
    AssistantMessage,
    Event,
    Notice,
    Record,
    Retrying,
    SessionError,
    SessionStatus,
    ToolResult,
    TurnEnded,
    Usage,
)
from .options import SessionConfig
from .pricing import cost_usd
from .sse import event_batches
from .stream import MessageAssembler
from .tools import Tool, api_tool_params

YIELD_EVERY_S = 0.008
CUT_TOOL = "Not run: the call was cut by the output token limit (max_tokens)."
REFUSED_TOOL = "Not run: the response that made this call ended in a refusal."

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


class Transport:
    config: SessionConfig
    model: str
    max_tokens: int
    messages: list[dict[str, Any]]
    tools: list[Tool]
    server_tools: list[dict[str, str]]
    _system: Any
    _client: Any
    _phase: Any  # the response or tool phase in progress (what a cancel must close)

    def _emit(self, event: Event) -> None:
        raise NotImplementedError

    def _set_status(self, status: SessionStatus) -> None:
        raise NotImplementedError

    def _record(self, record: Record) -> None:
        raise NotImplementedError

    def _repair(self, *, live: bool) -> None:
        raise NotImplementedError

    def _append(self, role: str, content: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def request_tools(self) -> list[dict[str, object]]:  # (plan mode offers fewer)
        return api_tool_params(self.tools)

    def request_system(self) -> Any:  # (plan mode adds a note)
        return self._system

    def _request(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": self.request_system(),
            "messages": self.messages,
            "cache_control": {"type": "ephemeral"},
            "stream": True,
        }
        tools = [*self.request_tools(), *self.server_tools]  # server tools: run by the API
        if tools:
            params["tools"] = tools
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
                if self.server_tools and not failure.retryable and _names_web_tool(exc):
                    # refused (not enabled for the organisation, an old model...): said once,
                    # and the session goes on without them
                    self.server_tools = []
                    self._emit(
                        Notice(
                            "web_tools_refused",
                            f"The API refused the web tools ({failure.message[:200]}); "
                            "continuing without WebSearch/WebFetch.",
                        )
                    )
                    continue
                if failure.retryable and attempt < cfg.max_retries:
                    attempt += 1
                    wait = retry_wait(exc, attempt, cfg.retry_base_s, cfg.retry_max_s)
                    self._emit(Retrying(attempt, wait, failure.message))
                    await asyncio.sleep(wait)
                    continue
                self._emit(SessionError(failure.kind, failure.message, failure.retryable))
                self._set_status(SessionStatus.ERROR)
                return None

    async def _one_response(self) -> MessageAssembler | None:
        """One model response. A failure mid-stream (overloaded_error, a dropped connection,
        a stall, a body ending early) is retried with backoff while no server tool has run
        in it; the failed attempt's partial output is kept in the history as interrupted and
        shown as superseded. Client tools only run after a complete response."""
        attempt = 0
        while True:
            self._repair(live=True)  # the request must be one the API accepts
            stream = await self._open_stream()
            if stream is None:
                return None
            assembler = MessageAssembler()
            self._phase = assembler
            failure: Failure | None = None
            error: BaseException | None = None
            try:
                slice_end = time.perf_counter() + YIELD_EVERY_S
                feed, emit, clock = assembler.feed, self._emit, time.perf_counter
                async for batch in event_batches(stream):
                    for raw in batch:
                        for event in feed(raw):
                            emit(event)
                    # a read hands over every chunk already buffered without yielding: give
                    # the event loop (a UI's keys and repaints) a turn every few milliseconds
                    if clock() >= slice_end:
                        await asyncio.sleep(0)
                        slice_end = clock() + YIELD_EVERY_S
            except Exception as exc:
                failure, error = classify(exc), exc
            finally:
                await stream.close()
            if failure is None and not assembler.stopped:
                failure = Failure(
                    "stream", "The response ended before message_stop; partial output kept.", True
                )
            if failure is None:
                break
            retry = failure.retryable and not assembler.server_tool_ran()
            if retry and attempt < self.config.max_retries:
                attempt += 1
                wait = retry_wait(error, attempt, self.config.retry_base_s, self.config.retry_max_s)
                self._supersede(assembler, failure.message)
                self._emit(Retrying(attempt, wait, failure.message))
                await asyncio.sleep(wait)
                continue
            self._interrupt_response(assembler)
            self._emit(SessionError(failure.kind, failure.message, failure.retryable))
            return None
        self._phase = None
        cut = assembler.drop_cut_tool()
        if cut is not None:
            self._emit(ToolResult(cut.data["id"], cut.data["name"], CUT_TOOL, True))
        for call in assembler.drop_refused_tools():
            self._emit(ToolResult(call.data["id"], call.data["name"], REFUSED_TOOL, True))
        content = assembler.content()
        if content:  # (nothing but a cut call: the next request asks again)
            self._append("assistant", content)
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

    def _supersede(self, assembler: MessageAssembler, why: str) -> None:
        """A failed attempt about to be retried: its partial output stays in the history
        (interrupted, not in the conversation) and the transcript says it is replaced."""
        self._phase = None
        partial = assembler.content(complete_only=False)
        keep = [b for b in partial if b.get("type") in {"text", "thinking"}]
        if keep:
            self._record(AssistantMessage(tuple(keep), interrupted=True))
            self._emit(
                Notice("superseded", f"Superseded: the answer above broke off ({why}); retrying.")
            )
        self._emit_usage(assembler)

    def _interrupt_response(self, assembler: MessageAssembler) -> None:
        """A response that did not finish: keep what arrived in the history (marked
        interrupted) but not in the conversation, so a retry resends the same request."""
        self._phase = None
        partial = assembler.content(complete_only=False)
        keep = [b for b in partial if b.get("type") in {"text", "thinking"}]
        self._record(AssistantMessage(tuple(keep), interrupted=True))
        self._emit_usage(assembler)
        self._emit(TurnEnded(None, True))
        self._set_status(SessionStatus.INTERRUPTED)


def _names_web_tool(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "web_search" in text or "web_fetch" in text or "web search" in text
