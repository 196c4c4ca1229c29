"""What the user's commands do to a running session: /model, /compact, and the `@path`
mentions of a prompt (mentions.py). Mixed into AgentSession.

/compact sends the conversation so far plus a request for a summary (one real request, with
the session's system prompt and tools, so the API accepts the tool calls in it), streams the
summary into the transcript where it stays, and then makes a fresh context whose only message
is the summary. In the history the old messages stay (flagged out of the API context, their
events still replay and export) and the summary is the first message a resume sends. A failed
or interrupted compaction, or a summary cut by the output limit, leaves the conversation as it
was (in the history too).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Coroutine
from typing import TYPE_CHECKING, Any

from . import mentions
from .events import Event, Notice, Record, SessionError, SessionStarted, SessionStatus, ToolResult
from .models import default_max_tokens
from .options import SessionConfig, positive_int
from .tools.read import ReadTool

if TYPE_CHECKING:
    from .history import HistoryWriter
    from .permissions import PermissionPolicy
    from .secrets import Redactor
    from .stream import MessageAssembler
    from .tools import ToolContext

COMPACT_REQUEST = (
    "Summarise this conversation so far so that the work can go on from the summary alone: it "
    "replaces the whole conversation as your context. Include the user's requests and intent, "
    "the decisions taken, the files read or changed (with paths) and what changed in them, "
    "commands run and their outcome, errors and how they were solved, and what is left to do "
    "next. Answer with the summary only, as text; do not call any tool."
)
SUMMARY_HEAD = (
    "This session continues an earlier conversation that was compacted (/compact). Summary of "
    "it so far:\n\n"
)
NOT_RUN = "Not run: the conversation was being compacted."
_READ = ReadTool()


class UserCommands:
    id: str
    model: str
    mode: str
    max_tokens: int
    config: SessionConfig
    definition: Any
    ctx: ToolContext
    policy: PermissionPolicy
    messages: list[dict[str, Any]]
    history: HistoryWriter | None
    _redactor: Redactor
    _since: float | None

    if TYPE_CHECKING:  # (defined by AgentSession and Transport: no stubs at run time)

        def _emit(self, event: Event) -> None: ...
        def _record(self, record: Record) -> None: ...
        def _set_status(self, status: SessionStatus) -> None: ...
        def _append(self, role: str, content: list[dict[str, Any]]) -> None: ...
        def _repair(self, *, live: bool) -> None: ...
        def _drive(self, work: Coroutine[Any, Any, None]) -> AsyncIterator[Event]: ...
        async def _one_response(self) -> MessageAssembler | None: ...

    # ------------------------------------------------------------------ /model

    def set_model(self, model_id: str, label: str = "") -> Notice | None:
        """Use `model_id` from the next request (its output ceiling too, unless the definition
        or the config set max tokens); recorded in the history. None: already that model."""
        if model_id == self.model:
            return None
        before, self.model = self.model, model_id
        fm = self.definition.frontmatter
        if not (positive_int(fm.get("maxTokens")) or self.config.max_tokens):
            self.max_tokens = default_max_tokens(model_id)
        if self.history is not None:
            self.history.store.set_model(self.id, model_id)
        notice = Notice("model", f"Model: {before} → {label or model_id}, from the next request")
        self._record(notice)
        return notice

    # ------------------------------------------------------------------ mentions

    async def _add_prompt(self, prompt: str) -> None:
        """The user's message, with the files it mentions attached (read off the event
        loop); each attachment and each refusal is said after it."""
        found = None
        if "@" in prompt:
            found = await asyncio.to_thread(
                mentions.resolve, prompt, self.ctx, self._read_refusal, self._redactor.redact
            )
        blocks = found.blocks if found is not None else []
        self._append("user", [{"type": "text", "text": prompt}, *blocks])
        if found is not None:
            for item in found.attached:
                self._emit(Notice("attached", item.chip))
            for refused in found.refused:
                self._emit(Notice("not_attached", refused.note))

    def _read_refusal(self, raw: str, target: Any) -> str | None:
        verdict = self.policy.check(_READ, {"file_path": raw}, target)
        if verdict.action == "allow":
            return None
        return verdict.reason

    # ------------------------------------------------------------------ /compact

    def compact(self) -> AsyncIterator[Event]:
        """Summarise the conversation into a fresh context; yields events like `send`."""
        return self._drive(self._compact())

    async def _compact(self) -> None:
        self._set_status(SessionStatus.RUNNING)
        self._since = time.time()
        self._emit(
            SessionStarted(self.id, self.model, str(self.ctx.root), self.mode, self.config.demo)
        )
        self._repair(live=True)
        if not self.messages:
            self._emit(Notice("compact", "Nothing to compact yet: the conversation is empty."))
            self._set_status(SessionStatus.COMPLETED)
            return
        before = [dict(m, content=list(m["content"])) for m in self.messages]
        ask = {"type": "text", "text": COMPACT_REQUEST}
        if self.messages[-1]["role"] == "user":
            self.messages[-1]["content"].append(ask)
        else:
            self.messages.append({"role": "user", "content": [ask]})
        count = len(before)
        self._emit(Notice("compact", f"Compacting: asking {self.model} for a summary…"))
        done = False
        try:
            assembler = await self._one_response()
            summary = assembler.text().strip() if assembler is not None else ""
            if assembler is not None:
                for call in assembler.tool_uses():
                    self._emit(ToolResult(call.data["id"], call.data["name"], NOT_RUN, True))
            if assembler is None:
                return  # (the error is said and the status set)
            cut = assembler.stop_reason == "max_tokens"
            if not summary or cut:
                if assembler.content() and self.history is not None:
                    # the attempt was stored as the conversation's next message: out again
                    self.history.flush()
                    self.history.store.forget_last_message(self.id)
                why = (
                    f"The summary was cut off by the output limit ({self.max_tokens} tokens): "
                    "a cut summary would lose the rest of the context; nothing changed."
                    if summary
                    else "The model gave no summary; nothing changed."
                )
                self._emit(SessionError("compact", why, True))
                self._set_status(SessionStatus.ERROR)
                return
            content = [{"type": "text", "text": SUMMARY_HEAD + summary}]
            if self.history is not None:
                self.history.flush()  # (what streamed so far goes first)
                self.history.store.compact(self.id, content)
            self.messages[:] = [{"role": "user", "content": content}]
            done = True
            self._emit(
                Notice(
                    "compacted",
                    f"Compacted: {count} messages → the summary above, which is now the whole "
                    "context of the next request.",
                )
            )
            self._set_status(SessionStatus.COMPLETED)
        finally:
            if not done:
                self.messages[:] = before
