"""`roster run | history | export`: headless sessions on the terminal (Rich) or as JSON lines.

Exit codes of `run`: 0 the agent finished (a completed report, or no report), 2 its report
says blocked, 3 failed, 1 an error (no key, API failure, interrupted, maxTurns).
Heavy imports (Rich, the engine, anthropic) happen inside the commands.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.definition import AgentDefinition
    from tui.core.session.engine import AgentSession, SessionConfig
    from tui.core.session.events import Decision, Event, PermissionNeeded

ResolveAgent = Callable[[str], "AgentDefinition | None"]
MODES = ("default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions", "manual")
EXIT_OK, EXIT_ERROR, EXIT_BLOCKED, EXIT_FAILED = 0, 1, 2, 3


def add_run_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = sub.add_parser("run", help="run an agent on a task, headless (streams to stdout)")
    run.add_argument("name", help="agent name")
    run.add_argument("task", nargs="?", help="the task (optional with --resume: retries)")
    run.add_argument("--cwd", type=Path, help="working directory the tools are confined to")
    run.add_argument("--permission-mode", choices=MODES, help="override the definition's mode")
    run.add_argument("--model", help="alias (sonnet, opus, haiku, fable) or a model id")
    run.add_argument("--json", action="store_true", help="print one JSON event per line")
    run.add_argument("--resume", metavar="ID", help="continue a stored session")
    run.add_argument("--max-turns", type=int, help="stop after this many model turns")
    run.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the bundled local DEMO server (no API key needed)",
    )
    hist = sub.add_parser("history", help="list stored sessions")
    hist.add_argument("--json", action="store_true", help="print JSON")
    hist.add_argument("--limit", type=int, default=30, help="how many (newest first)")
    export = sub.add_parser("export", help="print a stored session as Markdown")
    export.add_argument("id", help="session id (or a unique prefix)")
    export.add_argument("-o", "--output", type=Path, help="write to this file instead")


def run_command(args: argparse.Namespace, resolve_agent: ResolveAgent) -> int:
    try:
        if args.command == "run":
            return _cmd_run(args, resolve_agent)
        if args.command == "history":
            return _cmd_history(args)
        if args.command == "export":
            return _cmd_export(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:  # no traceback reaches the user
        print(f"roster: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"roster: unknown command {args.command!r}", file=sys.stderr)
    return EXIT_ERROR


# ----------------------------------------------------------------------------- history/export


def _cmd_history(args: argparse.Namespace) -> int:
    from tui.core.session.store import SessionStore

    store = SessionStore()
    try:
        rows = store.list_sessions(limit=args.limit)
    finally:
        store.close()
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=2))
        return EXIT_OK
    import datetime as dt

    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not rows:
        console.print('No sessions yet. Start one with [bold]roster run NAME "task"[/].')
        return EXIT_OK
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "agent", "status", "started", "tokens", "cost"):
        table.add_column(column, no_wrap=True)
    table.add_column("task", overflow="fold", max_width=60)
    for r in rows:
        started = dt.datetime.fromtimestamp(r.started_at).strftime("%m-%d %H:%M")
        cost = f"${r.cost_usd:.3f}" if r.cost_usd is not None else "—"
        agent = r.definition_name + (" [magenta]DEMO[/]" if r.demo else "")
        table.add_row(
            r.id,
            agent,
            _status_markup(r.status),
            started,
            f"{r.input_tokens}/{r.output_tokens}",
            cost,
            r.title,
        )
    console.print(table)
    return EXIT_OK


def _status_markup(status: str) -> str:
    color = {"completed": "green", "running": "cyan", "interrupted": "yellow"}.get(status, "red")
    return f"[{color}]{status}[/]"


def _cmd_export(args: argparse.Namespace) -> int:
    from tui.core.session.export import to_markdown
    from tui.core.session.store import SessionStore

    store = SessionStore()
    try:
        text = to_markdown(store, args.id)
    finally:
        store.close()
    if text is None:
        print(f"roster: no session {args.id!r} (see `roster history`)", file=sys.stderr)
        return EXIT_ERROR
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


# ----------------------------------------------------------------------------- run


def _cmd_run(args: argparse.Namespace, resolve_agent: ResolveAgent) -> int:
    from tui.core.session.engine import SessionConfig, has_credentials
    from tui.core.session.errors import NO_KEY_MESSAGE

    demo = bool(getattr(args, "demo", False))
    definition = resolve_agent(args.name)
    if definition is None:
        if not demo:
            print(f"roster: no agent named {args.name!r} (see `roster list`)", file=sys.stderr)
            return EXIT_ERROR
        from tui.core.session.demo_agent import demo_definition

        definition = demo_definition()
    cwd = (args.cwd or Path.cwd()).expanduser()
    if not cwd.is_dir():
        print(f"roster: --cwd {cwd} is not a folder", file=sys.stderr)
        return EXIT_ERROR
    if args.task is None and not args.resume:
        print('roster: give a task: roster run NAME "what to do"', file=sys.stderr)
        return EXIT_ERROR
    if not demo and not has_credentials():
        print(f"roster: {NO_KEY_MESSAGE}", file=sys.stderr)
        return EXIT_ERROR
    settings: Any = None
    with contextlib.suppress(Exception):
        from tui.config import load_settings

        settings = load_settings()
    config = SessionConfig(
        model=args.model,
        permission_mode=args.permission_mode,
        default_model=getattr(settings, "default_model", None),
        model_aliases=getattr(settings, "models", None) or None,
        max_tokens=getattr(settings, "max_tokens", None),
        secrets=tuple(getattr(settings, "secrets", ())),
        max_turns=args.max_turns,
        demo=demo,
        title=args.task or "",
    )
    return asyncio.run(_run(args, definition, cwd, config))


async def _run(
    args: argparse.Namespace, definition: AgentDefinition, cwd: Path, config: SessionConfig
) -> int:
    from dataclasses import replace

    from tui.core.session.engine import AgentSession
    from tui.core.session.store import SessionStore

    store = SessionStore()
    server = None
    if config.demo:
        from tui.core.session.replay import DEMO_API_KEY, DEMO_MODEL, DemoServer

        server = DemoServer().start()
        config = replace(
            config, base_url=server.url, api_key=DEMO_API_KEY, model=config.model or DEMO_MODEL
        )
    renderer: _Renderer = _JsonRenderer(config.demo) if args.json else _RichRenderer(config.demo)
    try:
        if args.resume:
            try:
                session = AgentSession.resume(store, args.resume, definition, config)
            except KeyError:
                renderer.fail(f"no session {args.resume!r} (see `roster history`)")
                return EXIT_ERROR
            if args.task is None and not session.can_retry:
                renderer.fail("that session is waiting for a new message: give a task")
                return EXIT_ERROR
        else:
            session = AgentSession(definition, cwd, config, store)
        renderer.start(definition, session)
        return await _drive(session, args.task, renderer)
    finally:
        store.close()
        if server is not None:
            server.stop()


async def _drive(session: AgentSession, task: str | None, renderer: _Renderer) -> int:
    from tui.core.session.events import PermissionNeeded, ReportParsed

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, session.cancel)
    report: ReportParsed | None = None
    stream = session.send(task) if task is not None else session.retry()
    try:
        async with contextlib.aclosing(stream) as events:  # type: ignore[type-var]
            async for event in events:
                renderer.event(event)
                if isinstance(event, ReportParsed):
                    report = event
                if isinstance(event, PermissionNeeded):
                    decision = await renderer.ask(event)
                    if not event.future.done():
                        event.future.set_result(decision)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        await session.aclose()
    code = _exit_code(session.status, report)
    renderer.finish(session, code)
    return code


def _exit_code(status: str, report: Any) -> int:
    if status != "completed":
        return EXIT_ERROR
    if report is None:
        return EXIT_OK
    return {"blocked": EXIT_BLOCKED, "failed": EXIT_FAILED}.get(report.outcome, EXIT_OK)


# ----------------------------------------------------------------------------- renderers


class _Renderer:
    def start(self, definition: AgentDefinition, session: AgentSession) -> None: ...
    def event(self, event: Event) -> None: ...
    def finish(self, session: AgentSession, code: int) -> None: ...
    def fail(self, message: str) -> None:
        print(f"roster: {message}", file=sys.stderr)

    async def ask(self, request: PermissionNeeded) -> Decision:
        from tui.core.session.events import Decision

        if not sys.stdin.isatty():
            return Decision(
                "deny",
                "not interactive (stdin is not a terminal); rerun with "
                "--permission-mode acceptEdits or bypassPermissions to allow",
            )
        return await _prompt_terminal(request)


async def _prompt_terminal(request: PermissionNeeded) -> Decision:
    from rich.console import Console
    from rich.panel import Panel
    from rich.syntax import Syntax

    from tui.core.session.events import Decision

    console = Console(stderr=True)
    if request.name == "Bash":
        body: Any = Syntax(request.preview, "bash", word_wrap=True)
    elif request.preview.startswith("---"):
        body = Syntax(request.preview, "diff", word_wrap=True)
    else:
        body = request.preview or request.summary
    console.print(
        Panel(
            body,
            title=f"[bold]{request.name}[/] {request.summary}",
            subtitle=request.reason,
            border_style="yellow",
        )
    )
    while True:
        answer = (
            (await asyncio.to_thread(input, "Allow? [y] once  [a] for this session  [n] deny: "))
            .strip()
            .lower()
        )
        if answer in {"y", "yes"}:
            return Decision("allow_once")
        if answer in {"a", "always"}:
            return Decision("allow_session")
        if answer in {"n", "no", ""}:
            reason = await asyncio.to_thread(input, "Reason for the agent (optional): ")
            return Decision("deny", reason.strip())


class _JsonRenderer(_Renderer):
    def __init__(self, demo: bool) -> None:
        self.demo = demo

    def _line(self, payload: dict[str, Any]) -> None:
        if self.demo:
            payload = {**payload, "demo": True}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    def event(self, event: Event) -> None:
        from tui.core.session.events import to_json

        self._line(to_json(event))

    def finish(self, session: AgentSession, code: int) -> None:
        self._line(
            {"type": "exit", "session_id": session.id, "status": session.status, "exit_code": code}
        )

    def fail(self, message: str) -> None:
        self._line({"type": "error", "message": message})


class _RichRenderer(_Renderer):
    def __init__(self, demo: bool) -> None:
        from rich.console import Console

        self.console = Console(highlight=False)
        self.demo = demo
        self.mode = ""  # what the last output was: text | thinking | line
        self.tokens = [0, 0]
        self.cost: float | None = None

    def _switch(self, mode: str) -> None:
        if self.mode in {"text", "thinking"} and mode != self.mode:
            self.console.file.write("\n")
        self.mode = mode

    def start(self, definition: AgentDefinition, session: AgentSession) -> None:
        if self.demo:
            self.console.print(
                "[bold magenta]DEMO[/] scripted session from the local replay "
                "server: no API call, no cost."
            )
        name = definition.name or definition.path.stem
        self.console.print(
            f"[bold]● {name}[/] · {session.model} · mode {session.mode} · "
            f"[dim]{session.ctx.root}[/]"
        )

    def event(self, event: Event) -> None:
        from tui.core.session import events as ev

        if isinstance(event, ev.TextDelta):
            self._switch("text")
            self.console.file.write(event.text)
            self.console.file.flush()
        elif isinstance(event, ev.ThinkingDelta):
            self._switch("thinking")
            self.console.print(event.text, style="dim italic", end="", markup=False)
        elif isinstance(event, ev.ToolInputComplete):
            self._switch("line")
            self.console.print(
                f"[cyan]⏺ {event.name}[/]([dim]{_brief(event.input)}[/])", markup=True
            )
        elif isinstance(event, ev.ToolResult):
            self._switch("line")
            first = event.output.strip().splitlines()[0] if event.output.strip() else ""
            count = len(event.output.splitlines())
            more = f" [dim](+{count - 1} lines)[/]" if count > 1 else ""
            color = "red" if event.is_error else "dim"
            self.console.print(f"  ⎿ [{color}]{_escape(first[:160])}[/]{more}")
        elif isinstance(event, ev.PermissionDecided):
            if event.automatic and event.decision == "deny":
                self.console.print(f"  [red]✗ denied:[/] {_escape(event.reason)}")
        elif isinstance(event, ev.Retrying):
            self._switch("line")
            self.console.print(
                f"[yellow]↻ {_escape(event.reason)} — retrying in "
                f"{event.wait_s:.1f}s (attempt {event.attempt})[/]"
            )
        elif isinstance(event, ev.Usage):
            self.tokens[0] += (
                event.input_tokens
                + event.cache_read_input_tokens
                + event.cache_creation_input_tokens
            )
            self.tokens[1] += event.output_tokens
            if event.cost_usd is not None:
                self.cost = (self.cost or 0.0) + event.cost_usd
        elif isinstance(event, ev.TurnEnded) and event.interrupted:
            self._switch("line")
            self.console.print("[yellow]— interrupted —[/]")
        elif isinstance(event, ev.SessionError):
            self._switch("line")
            self.console.print(f"[red]✗ {_escape(event.message)}[/]")
        elif isinstance(event, ev.ReportParsed):
            self._switch("line")
            self._report(event)

    def _report(self, report: Any) -> None:
        from rich.panel import Panel

        color = {"completed": "green", "blocked": "yellow", "failed": "red"}.get(
            report.outcome, "blue"
        )
        lines = [
            f"[bold]{report.kind}[/] {_escape(report.report_id)} · status "
            f"[{color}]{_escape(report.status)}[/]"
        ]
        for key in ("SUMMARY", "BLOCKER", "ERROR", "SUGGESTED_ACTION"):
            if key in report.data:
                lines.append(f"{key.lower().replace('_', ' ')}: {_escape(str(report.data[key]))}")
        for art in report.artifacts:
            mark = "[green]✓[/]" if art["exists"] else "[red]✗ missing[/]"
            modified = " [dim](modified this session)[/]" if art["modified_since"] else ""
            lines.append(f"  {mark} {_escape(art['path'])}{modified}")
        verified = report.data.get("VERIFIED")
        if verified:
            items = verified if isinstance(verified, list) else [verified]
            lines.append(" ".join(f"[black on green] {_escape(v)} [/]" for v in items))
        if report.missing_keys:
            lines.append(f"[yellow]missing template keys: {', '.join(report.missing_keys)}[/]")
        title = "Completion report" + (" (DEMO)" if self.demo else "")
        self.console.print(Panel("\n".join(lines), title=title, border_style=color))

    def finish(self, session: AgentSession, code: int) -> None:
        self._switch("line")
        cost = f" · ${self.cost:.4f}" if self.cost is not None else ""
        demo = " · [magenta]DEMO[/]" if self.demo else ""
        self.console.print(
            f"[dim]session {session.id} · {session.status} · {self.tokens[0]} in / "
            f"{self.tokens[1]} out{cost}[/]{demo}"
        )
        if session.status in {"interrupted", "error"} and session.can_retry:
            name = session.definition.name or ""
            self.console.print(f"[dim]retry: roster run {name} --resume {session.id}[/]")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _brief(args: dict[str, Any]) -> str:
    for key in ("file_path", "command", "pattern", "path"):
        if key in args:
            value = str(args[key]).replace("\n", " ")
            return _escape(value if len(value) <= 80 else value[:79] + "…")
    return _escape(json.dumps(args)[:80])
