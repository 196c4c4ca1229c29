"""How `roster run` shows a session: Rich on the terminal (with a permission prompt on stdin)
or JSON lines (`--json`). Imported when a run starts, not by `roster --help`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.core.sanitize import json_line_safe, visible

if TYPE_CHECKING:
    from tui.core.definition import AgentDefinition
    from tui.core.session.engine import AgentSession
    from tui.core.session.events import ChildEvent, Decision, Event, PermissionNeeded
    from tui.core.session.usage import UsageTotals


class Renderer:
    def start(self, definition: AgentDefinition, session: AgentSession) -> None: ...
    def event(self, event: Event) -> None: ...
    def finish(self, session: AgentSession, code: int, usage: UsageTotals) -> None: ...
    def fail(self, message: str) -> None:
        print(f"roster: {message}", file=sys.stderr)

    async def ask(self, request: PermissionNeeded, chain: tuple[str, ...] = ()) -> Decision:
        """`chain`: the agents from the root down to the one asking (empty: the root)."""
        from tui.core.session.events import Decision

        if not sys.stdin.isatty():
            if request.name == "ExitPlanMode":  # nobody to approve it: not approved
                return Decision("deny")
            return Decision(
                "deny",
                "not interactive (stdin is not a terminal); allow it with a rule "
                '(--allowedTools "Bash(npm test:*)") or --permission-mode acceptEdits',
            )
        from tui.cli.permissions import prompt_terminal

        if chain:
            sys.stderr.write(f"asked by {visible(' › '.join(chain))}\n")
        return await prompt_terminal(request)


class JsonRenderer(Renderer):
    """Every event line carries `session_id`, `parent_session_id` (null for the session
    started here) and `agent_path` (definition names from the root)."""

    def __init__(self, demo: bool) -> None:
        from tui.core.session.secrets import Redactor

        self.demo = demo
        self.root: dict[str, Any] = {}
        self.redactor = Redactor.for_session()

    def start(self, definition: AgentDefinition, session: AgentSession) -> None:
        from tui.core.session.secrets import Redactor

        self.root = {
            "session_id": session.id,
            "parent_session_id": None,
            "agent_path": list(session.agent_path),
        }
        # the model may repeat a secret in its text or a tool input: redacted on the way out
        self.redactor = Redactor.for_session(session.config.api_key, session.config.secrets)

    def _line(self, payload: dict[str, Any]) -> None:
        if self.demo:
            payload = {**payload, "demo": True}
        payload = _redacted(payload, self.redactor.redact)
        sys.stdout.write(json_line_safe(json.dumps(payload, ensure_ascii=False, default=str)))
        sys.stdout.write("\n")
        sys.stdout.flush()

    def event(self, event: Event) -> None:
        from tui.core.session.events import ChildEvent, to_json

        line = to_json(event)
        self._line(line if isinstance(event, ChildEvent) else {**line, **self.root})

    def finish(self, session: AgentSession, code: int, usage: UsageTotals) -> None:
        self._line(
            {
                "type": "exit",
                **self.root,
                "session_id": session.id,
                "status": session.status,
                "exit_code": code,
                "usage": usage.to_json(),
            }
        )

    def fail(self, message: str) -> None:
        self._line({"type": "error", "message": message})


def _redacted(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redacted(v, redact) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v, redact) for v in value]
    return value


class RichRenderer(Renderer):
    """Thinking is dim italic on a terminal; piped, each of its lines starts "thinking: "."""

    def __init__(self, demo: bool) -> None:
        from rich.console import Console

        from tui.cli.calls import CallOrder

        self.console = Console(highlight=False)
        self.demo = demo
        self.mode = ""  # what the last output was: text | thinking | line
        self.pending: dict[str, str] = {}  # a child's text not yet ended by a newline
        self.calls = CallOrder()
        self.line_start = True  # (piped thinking: the next character starts a line)

    def _switch(self, mode: str) -> None:
        if self.mode in {"text", "thinking"} and mode != self.mode:
            self.console.file.write("\n")
        if mode == "thinking" and self.mode != "thinking":
            self.line_start = True
        self.mode = mode
        self.calls.printed()

    def _call_line(self, key: tuple[str, str], markup: str | None) -> None:
        if markup is not None:
            self._switch("line")
            self.console.print(markup)
            self.calls.printed(key)

    def _thinking(self, text: str) -> None:
        if self.console.is_terminal:
            self.console.print(text, style="dim italic", end="", markup=False)
            return
        out: list[str] = []
        for piece in text.splitlines(keepends=True):
            out.append(("thinking: " if self.line_start else "") + piece)
            self.line_start = piece.endswith("\n")
        self.console.file.write("".join(out))
        self.console.file.flush()

    async def ask(self, request: PermissionNeeded, chain: tuple[str, ...] = ()) -> Decision:
        if sys.stdin.isatty():  # the question is printed: the call is no longer right above
            self._switch("line")
        return await super().ask(request, chain)

    def start(self, definition: AgentDefinition, session: AgentSession) -> None:
        if self.demo:
            self.console.print(
                "[bold magenta]DEMO[/] scripted session from the local replay "
                "server: no API call, no cost."
            )
        name = escape_markup(definition.name or definition.path.stem)
        self.console.print(
            f"[bold]● {name}[/] · {escape_markup(session.model)} · mode {session.mode} · "
            f"[dim]{escape_markup(str(session.ctx.root))}[/]"
        )

    def event(self, event: Event) -> None:
        from tui.core.session import events as ev

        if isinstance(event, ev.ChildEvent):
            self._child(event)
        elif isinstance(event, ev.SubagentStarted):
            self._switch("line")
            self.console.print(
                f"[magenta]→ {escape_markup(event.agent)}[/]: {escape_markup(event.description)}"
            )
        elif isinstance(event, ev.TextDelta):
            self._switch("text")
            self.console.file.write(visible(event.text))
            self.console.file.flush()
        elif isinstance(event, ev.ThinkingDelta):
            self._switch("thinking")
            self._thinking(visible(event.text))
        elif isinstance(event, ev.ToolInputComplete):
            key = ("", event.tool_use_id)
            self._call_line(key, self.calls.called(key, _call_markup(event)))
        elif isinstance(event, ev.ToolResult):
            self._call_line(("", event.tool_use_id), self.calls.result(("", event.tool_use_id)))
            self._switch("line")
            self.console.print(_result_markup(event, 160))
        elif isinstance(event, ev.PermissionNeeded):
            key = ("", event.tool_use_id)
            self._call_line(key, self.calls.starting(key))
        elif isinstance(event, ev.PermissionDecided):
            key = ("", event.tool_use_id)
            self._call_line(key, self.calls.starting(key))
            if event.automatic and event.decision == "deny":
                self.console.print(f"  [red]✗ denied:[/] {escape_markup(event.reason)}")
        elif isinstance(event, ev.Retrying):
            self._switch("line")
            self.console.print(
                f"[yellow]↻ {escape_markup(event.reason)} — retrying in "
                f"{event.wait_s:.1f}s (attempt {event.attempt})[/]"
            )
        elif isinstance(event, ev.TurnEnded) and event.interrupted:
            self._switch("line")
            self.console.print("[yellow]— interrupted —[/]")
        elif isinstance(event, ev.Notice):
            self._switch("line")
            self.console.print(f"[yellow]{escape_markup(event.text)}[/]")
        elif isinstance(event, ev.SessionError):
            self._switch("line")
            self.console.print(f"[red]✗ {escape_markup(event.message)}[/]")
        elif isinstance(event, ev.ReportParsed):
            self._switch("line")
            self._report(event)

    def _child(self, child: ChildEvent) -> None:
        """A child's event, one line, prefixed with its agent path and indented by depth
        (children run at once: their text is shown a whole line at a time)."""
        from tui.core.session import events as ev

        event, sid = child.event, child.session_id
        if isinstance(event, ev.TextDelta):
            text = self.pending.get(sid, "") + event.text
            *lines, self.pending[sid] = text.split("\n")
            for line in lines:
                if line.strip():
                    self._child_line(child, escape_markup(line))
            return
        if isinstance(event, ev.ThinkingDelta | ev.Usage | ev.ToolUseStarted):
            return
        rest = self.pending.pop(sid, "")
        if rest.strip():
            self._child_line(child, escape_markup(rest))
        if isinstance(event, ev.ToolInputComplete | ev.PermissionNeeded | ev.PermissionDecided):
            key = (sid, event.tool_use_id)
            if isinstance(event, ev.ToolInputComplete):
                call = self.calls.called(key, _call_markup(event))
            else:
                call = self.calls.starting(key)
            if call is not None:
                self._child_line(child, call)
                self.calls.printed(key)
        elif isinstance(event, ev.ToolResult):
            call = self.calls.result((sid, event.tool_use_id))
            if call is not None:
                self._child_line(child, call)
        line = _child_summary(event)
        if line:
            self._child_line(child, line)

    def _child_line(self, child: ChildEvent, markup: str) -> None:
        self._switch("line")
        path = escape_markup(" › ".join(child.agent_path))
        self.console.print(f"{'  ' * child.depth}[magenta]\\[{path}][/] {markup}")

    def _report(self, report: Any) -> None:
        from rich.panel import Panel

        color = {"completed": "green", "blocked": "yellow", "failed": "red"}.get(
            report.outcome, "blue"
        )
        lines = [
            f"[bold]{report.kind}[/] {escape_markup(report.report_id)} · status "
            f"[{color}]{escape_markup(report.status)}[/]"
        ]
        for key in ("SUMMARY", "BLOCKER", "ERROR", "SUGGESTED_ACTION"):
            if key in report.data:
                lines.append(
                    f"{key.lower().replace('_', ' ')}: {escape_markup(str(report.data[key]))}"
                )
        for art in report.artifacts:
            mark = "[green]✓[/]" if art.exists else "[red]✗ missing[/]"
            modified = " [dim](modified this session)[/]" if art.modified_since else ""
            lines.append(f"  {mark} {escape_markup(art.path)}{modified}")
        verified = report.data.get("VERIFIED")
        if verified:
            items = verified if isinstance(verified, list) else [verified]
            lines.append(" ".join(f"[black on green] {escape_markup(v)} [/]" for v in items))
        if report.missing_keys:
            lines.append(f"[yellow]missing template keys: {', '.join(report.missing_keys)}[/]")
        title = "Completion report" + (" (DEMO)" if self.demo else "")
        self.console.print(Panel("\n".join(lines), title=title, border_style=color))

    def finish(self, session: AgentSession, code: int, usage: UsageTotals) -> None:
        self._switch("line")
        demo = " · [magenta]DEMO[/]" if self.demo else ""
        self.console.print(
            f"[dim]session {session.id} · {session.status} · {usage.line()}[/]{demo}"
        )
        if session.status in {"interrupted", "error"} and session.can_retry:
            name = session.definition.name or ""
            self.console.print(
                f"[dim]retry: roster run {escape_markup(name)} --resume {session.id}[/]"
            )


def _child_summary(event: Any) -> str:
    """Rich markup for one of a child's events (its text is shown line by line elsewhere)."""
    from tui.core.session import events as ev

    if isinstance(event, ev.SessionStarted):
        return (
            f"[bold]●[/] {escape_markup(event.model)} · mode {escape_markup(event.permission_mode)}"
        )
    if isinstance(event, ev.ToolResult):
        return _result_markup(event, 120)
    if isinstance(event, ev.SubagentStarted):
        return f"[magenta]→ {escape_markup(event.agent)}[/]: {escape_markup(event.description)}"
    if isinstance(event, ev.PermissionDecided) and event.automatic and event.decision == "deny":
        return f"[red]✗ denied:[/] {escape_markup(event.reason)}"
    if isinstance(event, ev.SessionError):
        return f"[red]✗ {escape_markup(event.message)}[/]"
    if isinstance(event, ev.Notice | ev.Retrying):
        return f"[yellow]{escape_markup(getattr(event, 'text', '') or event.KIND)}[/]"
    if isinstance(event, ev.TurnEnded) and event.interrupted:
        return "[yellow]— interrupted —[/]"
    if isinstance(event, ev.ReportParsed):
        color = {"completed": "green", "blocked": "yellow", "failed": "red"}.get(
            event.outcome, "blue"
        )
        summary = escape_markup(str(event.data.get("SUMMARY", ""))[:120])
        return (
            f"[{color}]report {escape_markup(event.kind)} {escape_markup(event.report_id)}: "
            f"{escape_markup(event.status)}[/] {summary}"
        )
    return ""


def _call_markup(event: Any) -> str:
    return f"[cyan]⏺ {escape_markup(event.name)}[/]([dim]{_brief(event.input)}[/])"


def _result_markup(event: Any, width: int) -> str:
    """`  ⎿ first line (+N lines) · exit N`: the exit code of every Bash command."""
    from tui.cli.calls import result_parts

    first, count, code = result_parts(event.name, event.output, event.is_error)
    color = "red" if event.is_error else "dim"
    more = f" [dim](+{count - 1} lines)[/]" if count > 1 else ""
    exit_note = ""
    if code is not None:
        exit_note = f" [{'red' if code else 'dim'}]· exit {code}[/]"
    return f"  ⎿ [{color}]{escape_markup(first[:width])}[/]{more}{exit_note}"


def escape_markup(text: str) -> str:
    """Untrusted text for Rich markup: control characters shown, markup not interpreted."""
    from rich.markup import escape

    return escape(visible(text))


def _brief(args: dict[str, Any]) -> str:
    for key in ("file_path", "command", "pattern", "path"):
        if key in args:
            value = str(args[key]).replace("\n", " ")
            return escape_markup(value if len(value) <= 80 else value[:79] + "…")
    return escape_markup(json.dumps(args)[:80])
