"""One widget per transcript block: prompt, streamed response, thinking, tool call, notice, error.

Each widget is built from its core block and refreshed from it (`sync()`); the text of a
response is streamed through one MarkdownStream per run of text. The report card and the
permission prompt live in their own modules.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Markdown, Static
from textual.widgets.markdown import MarkdownStream

from tui.core.sanitize import visible, visible_line
from tui.core.session.block_text import as_terminal_shows
from tui.core.session.transcript import (
    Block,
    ErrorBlock,
    MentionChip,
    NoticeBlock,
    ReportBlock,
    TextBlock,
    ThinkingBlock,
    ToolBlock,
    UserBlock,
)
from tui.widgets.agent_run import agent_run_text, todo_text
from tui.widgets.permission_prompt import PermissionPrompt

OUTPUT_TAIL_LINES = 30
INPUT_MAX_LINES = 200
ICONS = {
    **{"Read": "◱", "Write": "✎", "Edit": "✎", "Glob": "⌕", "Grep": "⌕", "Bash": "❯"},
    "ExitPlanMode": "☰",
}


def _tail(text: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    parts = text.splitlines()
    if len(parts) <= lines:
        return text
    earlier = f"… {len(parts) - lines} earlier lines (click to show all)"
    return earlier + "\n" + "\n".join(parts[-lines:])


def _head(text: str, lines: int = INPUT_MAX_LINES) -> str:
    parts = text.splitlines()
    if len(parts) <= lines:
        return text
    return "\n".join(parts[:lines]) + f"\n… {len(parts) - lines} more lines"


def tool_detail(block: ToolBlock) -> Syntax | Text:
    """What the call does: the diff for Write/Edit, the command for Bash, else its input
    (control characters made visible: the model wrote all of it)."""
    detail = _tool_detail(block)
    if isinstance(detail, Syntax):
        detail.code = visible(detail.code)
    return detail


def _tool_detail(block: ToolBlock) -> Syntax | Text:
    args: dict[str, Any] = block.input or {}
    if block.name == "ExitPlanMode" and isinstance(args.get("plan"), str):
        return Syntax(str(args["plan"]), "markdown", theme="ansi_dark", word_wrap=True)
    if block.ask is not None and block.ask.preview and block.name in {"Write", "Edit"}:
        return Syntax(_head(block.ask.preview), "diff", theme="ansi_dark", word_wrap=True)
    if block.name == "Edit" and isinstance(args.get("old_string"), str):
        name = str(args.get("file_path", ""))
        old, new = str(args.get("old_string", "")), str(args.get("new_string", ""))
        diff = difflib.unified_diff(old.splitlines(), new.splitlines(), name, name, lineterm="")
        return Syntax(_head("\n".join(diff)), "diff", theme="ansi_dark", word_wrap=True)
    if block.name == "Write" and isinstance(args.get("content"), str):
        lexer = Syntax.guess_lexer(str(args.get("file_path", "")), str(args["content"]))
        return Syntax(
            _head(str(args["content"])), lexer, theme="ansi_dark", word_wrap=True, line_numbers=True
        )
    if block.name == "Bash" and isinstance(args.get("command"), str):
        return Syntax(str(args["command"]), "bash", theme="ansi_dark", word_wrap=True)
    if block.name == "TodoWrite" and isinstance(args.get("todos"), list):  # the checklist
        return todo_text(args["todos"])
    if block.input_error:
        return Text(f"The input JSON did not parse: {visible(block.input_error)}", style="red")
    return Syntax(
        json.dumps(args, indent=2, ensure_ascii=False), "json", theme="ansi_dark", word_wrap=True
    )


def tool_header(block: ToolBlock, width: int = 0) -> Text:
    """`width`: the header's (an Agent call's latest line is kept to one row of it)."""
    text = Text()
    text.append(f"{ICONS.get(block.name, '⚙')} {visible_line(block.name)}", style="bold")
    if block.target:
        text.append(f"  {visible_line(block.target)}", style="italic")
    text.append("  ")
    if block.input is None:
        text.append("writing the call…", style="dim")
    elif block.waiting:
        text.append("◉ waiting for you", style="bold black on yellow")
    elif block.decision == "deny":
        why = f": {visible_line(block.decision_reason)}" if block.decision_reason else ""
        sent_back = block.name == "ExitPlanMode"
        text.append(f"✗ {'sent back' if sent_back else 'denied'}{why}", style="red")
    elif block.name == "ExitPlanMode" and block.output is not None and not block.is_error:
        accept = block.decision == "allow_session"
        text.append(f"✓ plan approved{', accept edits' if accept else ''}", style="green")
        return text
    elif block.output is None:
        text.append("running…", style="cyan")
    elif block.is_error:
        code = block.exit_code
        text.append(f"✗ exit {code}" if code is not None else "✗ failed", style="red")
    else:
        code = block.exit_code
        text.append("✓ exit 0" if code == 0 else "✓ done", style="green")
    if block.decision in _ALLOWED_FOR and not block.automatic:
        text.append("  allowed by you" + _ALLOWED_FOR[block.decision], style="dim")
    if block.agent is not None:  # an Agent call: its child session, live
        text.append("\n")
        text.append_text(agent_run_text(block.agent, width))
    return text


_ALLOWED_FOR = {
    "allow_once": "",
    "allow_session": " for the session",
    "allow_run": " for the whole run",
}


class UserPromptView(Static):
    def __init__(self, block: UserBlock) -> None:
        super().__init__(Text(visible(block.text)), classes="block user-block", markup=False)


class ResponseView(Markdown):
    """A run of model text; appended to through a MarkdownStream while it streams."""

    def __init__(self, block: TextBlock) -> None:
        super().__init__(visible(block.text), classes="block response-block")
        self._stream: MarkdownStream | None = None
        self._parsed = asyncio.Event()

    @on(Markdown.TableOfContentsUpdated)
    def _first_parse_done(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        self._parsed.set()

    async def write(self, text: str, first_parse_timeout: float = 5.0) -> None:
        """Stream `text` onto the end. The first write waits until the text the view was
        made with is parsed and mounted: Markdown.append reads its parse position before
        taking its lock, so an append made while that first parse runs (in a thread, slow on
        a busy machine) shows the opening twice and loses the end."""
        if self._stream is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._parsed.wait(), first_parse_timeout)
            self._stream = Markdown.get_stream(self)
        await self._stream.write(visible(text))

    async def close_stream(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()


class ThinkingView(Collapsible):
    def __init__(self, block: ThinkingBlock) -> None:
        self.block = block
        self._body = Static(Text(visible(block.text), style="italic dim"), classes="thinking-text")
        super().__init__(
            self._body, title="Thinking", collapsed=True, classes="block thinking-block"
        )

    def sync(self) -> None:
        words = len(self.block.text.split())
        self.title = f"Thinking ({words:,} words)"
        if not self.collapsed:
            self._body.update(Text(visible(self.block.text), style="italic dim"))

    def watch_collapsed(self, collapsed: bool) -> None:  # after Collapsible's own watcher
        if not collapsed:
            self._body.update(Text(visible(self.block.text), style="italic dim"))


class ToolView(Vertical):
    """Header (tool, target, state), the call (diff / command / input), the result."""

    class OpenChild(Message):
        """Open the transcript of the session an Agent call started."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(self, block: ToolBlock) -> None:
        super().__init__(classes="block tool-block")
        self.block = block
        self._header = Static(classes="tool-header")
        self._detail = Static(classes="tool-detail")
        self._result = Static(classes="tool-result")
        self._input = Collapsible(self._detail, title="Call", collapsed=True, classes="tool-call")
        self._output = Collapsible(
            self._result, title="Result", collapsed=True, classes="tool-output"
        )
        self._shown_input = False
        self._prompt: PermissionPrompt | None = None
        self._live_opened = False
        self._whole = False  # the whole output rather than its tail

    def compose(self) -> ComposeResult:
        yield self._header
        yield self._input
        yield self._output

    def on_mount(self) -> None:
        self.sync()

    def sync(self) -> None:
        block = self.block
        self._set_header(tool_header(block, self._header.content_size.width))
        if block.agent is not None and not self.query(".agent-open"):  # Enter opens the child
            self.mount(Button("Open its transcript", classes="agent-open", compact=True), after=0)
        self.set_class(block.waiting, "-waiting")
        self.set_class(block.is_error or block.decision == "deny", "-failed")
        if block.input is not None and not self._shown_input:
            self._shown_input = True
            self._detail.update(tool_detail(block))
            # a diff or command is what the user needs to read; other inputs stay folded
            self._input.collapsed = block.name not in {
                "Write",
                "Edit",
                "Bash",
                "ExitPlanMode",
                "TodoWrite",
            }
        elif block.ask is not None and block.input is not None:
            self._detail.update(tool_detail(block))
        if block.waiting and self._prompt is None:
            self._prompt = PermissionPrompt(block)
            self.mount(self._prompt, after=self._input)
            self._input.collapsed = False  # the user decides after reading the call
        elif not block.waiting and self._prompt is not None:
            self._prompt.remove()
            self._prompt = None
        self._output.display = block.output is not None or bool(block.live)
        if block.output is not None:
            code = block.exit_code
            title = "Result" if code is None else f"Output (exit {code})"
            self._show_output(title, block.output)
            # Bash output and failures are worth seeing at once; a file read is not
            self._output.collapsed = not (block.name == "Bash" or block.is_error)
        elif block.live:  # a running command's output so far (the tail; a click shows all)
            self._show_output("Output so far", block.live)
            if not self._live_opened:
                self._live_opened = True
                self._output.collapsed = False

    def _show_output(self, title: str, output: str) -> None:
        lines = output.count("\n") + 1
        self._output.title = f"{title} · {lines:,} line{'s' if lines != 1 else ''}"
        if self.block.name == "Bash":  # a progress bar shows its last state, as a terminal
            output = as_terminal_shows(output)
        shown = output if self._whole else _tail(output)
        self._result.update(Text(visible(shown), style="red" if self.block.is_error else ""))

    def on_click(self, event: events.Click) -> None:
        if event.widget is self._result:  # the whole output, or back to its tail
            self._whole = not self._whole
            self.sync()

    def _set_header(self, text: Text) -> None:
        """A new header; the screen's layout is redone only when its height changes (a
        running child's block changes its latest line several times a second, and a layout
        pass stalls the whole screen)."""
        header = self._header
        size = header.content_size
        header.update(text, layout=False)
        if not size.width or header.get_content_height(size, size, size.width) != size.height:
            header.refresh(layout=True)

    @on(Button.Pressed, ".agent-open")
    def _open_child(self, event: Button.Pressed) -> None:
        event.stop()
        if self.block.agent is not None:
            self.post_message(self.OpenChild(self.block.agent.session_id))


class NoticeView(Static):
    def __init__(self, block: NoticeBlock) -> None:
        if isinstance(block, MentionChip):  # an @path mention: its path and size, not content
            super().__init__(Text(visible(block.text)), classes="block notice-block mention-chip")
            return
        super().__init__(
            Text(visible(block.text), style="dim italic"), classes="block notice-block"
        )


class ErrorView(Vertical):
    class RetryPressed(Message):
        pass

    def __init__(self, block: ErrorBlock) -> None:
        super().__init__(classes="block error-block")
        self.block = block

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                ("✗ ", "bold red"),
                (f"{self.block.kind}: ", "bold"),
                visible(self.block.message),
            ),
            classes="error-text",
        )
        if self.block.retryable or self.block.kind in {
            "stream",
            "connection",
            "server",
            "overloaded",
            "rate_limit",
        }:
            yield Button("Retry (ctrl+r)", id="retry", variant="warning", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RetryPressed())


def make_block_widget(block: Block) -> Widget:
    from tui.widgets.report_card import ReportCard

    if isinstance(block, UserBlock):
        return UserPromptView(block)
    if isinstance(block, TextBlock):
        return ResponseView(block)
    if isinstance(block, ThinkingBlock):
        return ThinkingView(block)
    if isinstance(block, ToolBlock):
        return ToolView(block)
    if isinstance(block, ErrorBlock):
        return ErrorView(block)
    if isinstance(block, ReportBlock):
        return ReportCard(block)
    return NoticeView(block)
