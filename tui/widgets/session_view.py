"""One session on screen: the status line, the transcript of blocks, the message box.

The engine's changes arrive through the LiveSession listener (synchronously, from the task
that drives the session) and are queued; one pump task applies them to the DOM in order,
coalescing bursts — text goes to the block's MarkdownStream, other blocks are re-synced — so
thousands of deltas per second cost a handful of refreshes. Only the newest MAX_BLOCKS
blocks are in the DOM; older ones come back from the transcript (which mirrors the history
database) when the user asks for them at the top.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.worker import Worker

from tui.core.session.transcript import Change, TextBlock, Transcript, UserBlock
from tui.widgets.message_box import MessageBox
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.session_blocks import ErrorView, ResponseView, make_block_widget
from tui.widgets.session_find import FindAndCopy
from tui.widgets.slash_commands import message_box, run_line
from tui.widgets.status_line import render_status
from tui.widgets.transcript_reframe import TranscriptScroll
from tui.widgets.transcript_search import SearchBar
from tui.widgets.transcript_window import DOM_CHARS, MAX_BLOCKS, PAGE, page_start, prune_cut
from tui.widgets.worker_errors import forward_failure

if TYPE_CHECKING:
    from tui.core.session.live import LiveSession

STATUS_EVERY_S = 0.25
PUMP_INTERVAL_S = 0.1  # at most ~10 DOM updates a second: each repaints the transcript
PUMP_MIN_GAP_S = 0.08  # the soonest a keystroke may pull the next one forward (0.05 and
# 0.1 measured worse: one updates more often in all, the other is no longer just after the key)

__all__ = ["MAX_BLOCKS", "PAGE", "SessionView"]

Op = tuple[str, int, str]  # ("new" | "text" | "sync", block index, appended text)


class SessionView(FindAndCopy, Vertical):
    """Shows `transcript`; when `live` is given it follows it and accepts messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r", "retry", "Retry", id="session.retry", tooltip="Send the last request again"
        ),
        Binding(
            "shift+tab",
            "cycle_mode",
            "Mode",
            id="session.mode",
            tooltip="Permission mode: default → acceptEdits → plan (the next request uses it)",
        ),
        Binding(
            "ctrl+end",
            "follow",
            "Follow",
            id="session.follow",
            show=False,
            tooltip="Scroll to the newest block and follow the stream",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Page up",
            id="session.page_up",
            show=False,
            tooltip="Scroll the transcript up",
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            id="session.page_down",
            show=False,
            tooltip="Scroll the transcript down",
        ),
    ]

    class SendRequested(Message):
        def __init__(self, view: SessionView, text: str) -> None:
            super().__init__()
            self.view = view
            self.text = text

    class RetryRequested(Message):
        def __init__(self, view: SessionView) -> None:
            super().__init__()
            self.view = view

    def __init__(
        self,
        transcript: Transcript,
        *,
        live: LiveSession | None = None,
        agent: str = "",
        flush_history: Callable[[], None] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="session-view")
        self._applying = False
        self.live = live
        self._flush = flush_history  # the session service writes batched deltas to history
        self._stored = transcript  # shown when there is no live session (read-only)
        self.agent = agent
        self.read_only = live is None
        self._widgets: dict[int, Widget] = {}
        self._first = 0  # index of the oldest block in the DOM
        self._ops: asyncio.Queue[Op] = asyncio.Queue()
        self._typed = asyncio.Event()  # set when the user types in the message box
        self._told_failure = False
        self._last_state = transcript.state
        self._could_retry: bool | None = None  # the footer's Retry, as last shown
        self._status_shown: Text | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="session-status", classes="session-status")
        yield SearchBar(id="find-bar")  # Ctrl+F (session_find.py)
        # the blocks' container is at least as tall as the view: an anchored scroll over
        # shorter content gets a negative offset (Textual 8.2), a blank band above the blocks
        with (
            TranscriptScroll(id="transcript", classes="transcript"),
            Vertical(id="blocks", classes="blocks"),
        ):
            yield Button("", id="earlier", classes="earlier", compact=True)
        yield Button("", id="later", classes="later", compact=True)  # transcript_reframe.py
        if self.live is None:
            yield Static(
                Text("Read-only: r resumes this session, x exports it to Markdown", style="dim"),
                classes="session-hint",
            )
        else:  # (with / commands and @path completion)
            yield message_box(self.live)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(self, event)  # to the App's error funnel (StateChanged does not bubble)

    def on_mount(self) -> None:
        scroll = self.scroll
        count = len(self.transcript.blocks)
        self._first = self._page_start(count, MAX_BLOCKS, DOM_CHARS)
        widgets = [self._make(i) for i in range(self._first, count)]
        if widgets:
            self.blocks.mount_all(widgets)
        self._update_earlier()
        scroll.anchor()
        self.refresh_status()
        self.set_interval(STATUS_EVERY_S, self.refresh_status, name="session-status")
        if self.live is not None:
            for box in self.query("#prompt").results(MessageBox):  # Up recalls these too
                box.sent = [b.text for b in self.transcript.blocks if isinstance(b, UserBlock)]
            self.live.listeners.append(self._on_changes)
            self.run_worker(self._pump(), group="pump", exit_on_error=False)

    def on_unmount(self) -> None:
        if self.live is not None and self._on_changes in self.live.listeners:
            self.live.listeners.remove(self._on_changes)

    @property
    def scroll(self) -> TranscriptScroll:
        return self.query_one("#transcript", TranscriptScroll)

    @property
    def blocks(self) -> Vertical:
        return self.query_one("#blocks", Vertical)

    def _page_start(self, end: int, blocks: int, chars: int) -> int:
        return page_start(self.transcript.blocks, end, blocks, chars)

    def _make(self, index: int) -> Widget:
        widget = make_block_widget(self.transcript.blocks[index])
        self._widgets[index] = widget
        return widget

    # ------------------------------------------------------------------ following the engine

    def _on_changes(self, _live: LiveSession, changes: list[Change]) -> None:
        for change in changes:
            if change.new:
                self._ops.put_nowait(("new", change.index, ""))
            elif change.appended and isinstance(change.block, TextBlock):
                self._ops.put_nowait(("text", change.index, change.appended))
            else:
                self._ops.put_nowait(("sync", change.index, ""))
        if self.transcript.state != self._last_state:
            self._last_state = self.transcript.state
            if (
                self.live is not None
                and self._last_state in {"interrupted", "error"}
                and self.live.queued
            ):
                for box in self.query("#prompt").results(MessageBox):  # back to the box
                    box.value = "\n\n".join(filter(None, (self.live.take_queued(), box.value)))
            self.refresh_status()
            # only Retry depends on the session's state, and a footer rebuild costs 10-30 ms
            # (an orchestrator's Agent calls flip the state a few times a call)
            if (could := bool(self.check_action("retry", ()))) != self._could_retry:
                self._could_retry = could
                self.refresh_bindings()

    @property
    def caught_up(self) -> bool:
        """Every queued change of the transcript is on screen."""
        return self._ops.empty() and not self._applying

    @property
    def transcript(self) -> Transcript:
        """The live session's transcript (a resume swaps it), else the stored one."""
        return self.live.transcript if self.live is not None else self._stored

    async def _pump(self) -> None:
        """Apply queued changes about ten times a second. An update repaints the scrolled
        transcript (30-50 ms) and a key that lands in one waits for it, so while the user
        types, updates move to just after a keystroke (the key is already in the box, and
        the next one is most likely tens of milliseconds away) instead of a fixed beat."""
        clock = asyncio.get_running_loop().time
        while True:
            ops = [await self._ops.get()]
            frame = self.frames  # (a find may replace the DOM window, and drop these)
            while not self._ops.empty():
                ops.append(self._ops.get_nowait())
            self._applying = True
            try:
                async with self.window_lock:
                    if frame == self.frames:
                        await self._apply(ops)
            except Exception as exc:  # a bug of ours must not freeze the transcript for good
                if not self._told_failure:
                    self._told_failure = True
                    self.notify(
                        f"The transcript could not show an update ({type(exc).__name__}: {exc}).",
                        severity="error",
                    )
            self._applying = False
            applied = clock()
            self._typed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._typed.wait(), PUMP_INTERVAL_S)
                await asyncio.sleep(max(0.0, applied + PUMP_MIN_GAP_S - clock()))

    def _flush_history(self) -> None:
        if self.live is not None and self._flush is not None:
            self._flush()

    @on(MessageBox.Changed, "#prompt")
    def _typing(self) -> None:
        self._typed.set()

    async def _apply(self, ops: list[Op]) -> None:
        self._flush_history()  # what is about to be shown is in the history first
        texts: dict[int, list[str]] = {}
        syncs: set[int] = set()
        created: dict[int, Widget] = {}
        for kind, index, text in ops:
            if kind == "new":
                if index not in self._widgets and self.at_tail:
                    created[index] = self._make(index)
            elif kind == "text" and index in self._widgets and index not in created:
                # (a block created in this batch already holds its whole text)
                texts.setdefault(index, []).append(text)
            elif kind == "sync":
                syncs.add(index)
        for index, parts in texts.items():
            widget = self._widgets.get(index)
            if isinstance(widget, ResponseView):
                await widget.write("".join(parts))
        if created:
            await self._close_streams(before=min(created))
            await self.blocks.mount_all(created.values())
        self._flush_history()  # (the awaits above let more deltas in)
        for index in syncs:
            widget = self._widgets.get(index)
            sync = getattr(widget, "sync", None)
            if callable(sync):
                sync()
        self._prune()
        if not self.at_tail:
            self.changed_while_detached({index for _, index, _ in ops})

    @on(PermissionPrompt.Shown)
    def _prompt_shown(self, event: PermissionPrompt.Shown) -> None:
        event.stop()
        self.call_after_refresh(self._offer_prompt)

    def _offer_prompt(self) -> None:
        """Move the keyboard to a new permission prompt, unless the user is typing."""
        for box in self.query("#prompt").results(MessageBox):
            if box.has_focus and box.value:
                return
        self.focus_waiting()

    async def _close_streams(self, before: int) -> None:
        """A run of text is over once a later block starts: flush and stop its stream."""
        for index, widget in list(self._widgets.items()):
            if index < before and isinstance(widget, ResponseView):
                await widget.close_stream()

    def _prune(self) -> None:
        indices = sorted(self._widgets)
        cut = prune_cut(self.transcript.blocks, indices)
        if cut == 0:
            return
        for index in indices[:cut]:
            self._widgets.pop(index).remove()
        self._first = min(self._widgets) if self._widgets else len(self.transcript.blocks)
        self._update_earlier()

    def _update_earlier(self) -> None:
        button = self.query_one("#earlier", Button)
        button.display = self._first > 0
        button.label = f"▲ {self._first:,} earlier blocks (show {min(PAGE, self._first)})"

    @on(Button.Pressed, "#earlier")
    async def show_earlier(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        start = self._page_start(self._first, PAGE, DOM_CHARS // 2)
        widgets = [self._make(i) for i in range(start, self._first)]
        if not widgets:
            return
        self.scroll.release_anchor()
        await self.blocks.mount_all(widgets, after=self.query_one("#earlier"))
        self._first = start
        self._update_earlier()

    # ------------------------------------------------------------------ status and input

    def refresh_status(self) -> None:
        """Redraw the status line when what it says changed (the 4 Hz timer mostly finds the
        same text: only the elapsed seconds move, and only while a turn runs)."""
        text = render_status(self.agent, self.transcript, time.time())
        if text != self._status_shown:
            self._status_shown = text
            # (a fixed height: no layout pass, which would stall the whole screen)
            self.query_one("#session-status", Static).update(text, layout=False)

    def focus_waiting(self) -> bool:
        """Put the keyboard on the first unanswered permission prompt, if any."""
        if not self.display or not self.screen.is_current:
            return False
        for prompt in self.query(PermissionPrompt):
            if not prompt.answered:
                if not prompt.has_focus_within:
                    prompt.focus()
                    prompt.scroll_visible(animate=False)
                return True
        return False

    def focus_input(self) -> None:
        if self.focus_waiting():
            return
        for box in self.query("#prompt").results(MessageBox):
            box.focus()

    @on(MessageBox.Submitted, "#prompt")
    def _submitted(self, event: MessageBox.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text or self.live is None:
            return
        event.box.remember(text)
        event.box.value = ""
        self.follow_tail()
        sent = run_line(self, self.live, text)  # a /command is done here, never sent
        if sent is None:
            self.refresh_status()
            return
        text = sent
        if self.live.running:  # sent when the turn ends (shown as queued meanwhile)
            self.live.enqueue(text)
            return
        self.post_message(self.SendRequested(self, text))

    @on(PermissionPrompt.Answered)
    def _answered(self, event: PermissionPrompt.Answered) -> None:
        event.stop()
        if self.live is None or not self.live.decide(event.tool_use_id, event.decision):
            self.notify("That request is no longer waiting.", severity="warning")
        self.call_after_refresh(self.focus_input)

    @on(ErrorView.RetryPressed)
    def _retry_pressed(self, event: ErrorView.RetryPressed) -> None:
        event.stop()
        self.action_retry()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":  # shown only when there is something to retry
            live = self.live
            return live is not None and not live.running and live.session.can_retry
        return True

    def action_retry(self) -> None:
        if self.live is None or self.live.running:
            return
        if not self.live.session.can_retry:
            self.notify("Nothing to retry: send a message instead.", severity="warning")
            return
        self.follow_tail()
        self.post_message(self.RetryRequested(self))

    def action_cycle_mode(self) -> None:
        if self.live is not None:
            self.live.cycle_mode()
            self.refresh_status()

    def action_follow(self) -> None:
        self.follow_tail()

    def action_page(self, direction: int) -> None:
        scroll = self.scroll
        if direction < 0:
            scroll.release_anchor()
            if scroll.scroll_y <= 0 and self._first > 0:
                self.run_worker(self.show_earlier(), group="earlier", exit_on_error=False)
            scroll.scroll_page_up(animate=False)
        else:
            scroll.past_bottom()  # (a detached window brings its next blocks)
            scroll.scroll_page_down(animate=False)
