"""`roster run | history | export`: headless sessions on the terminal (Rich) or as JSON lines.

Exit codes of `run`: 0 a completed report, 2 the report says blocked, 3 failed, 4 no verdict
(truncated at max_tokens, refused, or no completion report), 1 an error (no key, API failure,
interrupted, maxTurns, the history not writable).
Heavy imports (Rich, the engine, anthropic) happen inside the commands.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.permissions import escalation_fallback, rule_lists
from tui.core.sanitize import visible

if TYPE_CHECKING:
    from tui.cli.render import Renderer
    from tui.core.definition import AgentDefinition
    from tui.core.session.engine import AgentSession, SessionConfig
    from tui.core.session.history import HistoryWriter

ResolveAgent = Callable[[str], "AgentDefinition | None"]
ListAgents = Callable[[], list[tuple[str, str]]]
EXIT_OK, EXIT_ERROR, EXIT_BLOCKED, EXIT_FAILED, EXIT_UNFINISHED = 0, 1, 2, 3, 4
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def run_command(
    args: argparse.Namespace, resolve_agent: ResolveAgent, list_agents: ListAgents | None = None
) -> int:
    """`list_agents`: the (name, description) pairs the Agent tool may call (None: none)."""
    try:
        if args.command == "run":
            return _cmd_run(args, resolve_agent, list_agents)
        if args.command == "history":
            return _cmd_history(args)
        if args.command == "export":
            return _cmd_export(args)
    except HistoryUnavailable as exc:
        print(f"roster: {visible(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
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


class HistoryUnavailable(Exception):
    """The data folder cannot hold the history (missing parent, not a folder, no access)."""


def _open_store() -> Any:
    from tui.core.dirs import data_dir
    from tui.core.session.store import SessionStore

    try:
        return SessionStore()
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise HistoryUnavailable(
            f"cannot open the session history in {data_dir()}: {reason}. Set ROSTER_DATA_DIR "
            "to a folder you can write (or fix that one)."
        ) from exc


def _cmd_history(args: argparse.Namespace) -> int:
    from tui.cli.history import cmd_history

    return cmd_history(args, _open_store())


def _cmd_export(args: argparse.Namespace) -> int:
    from tui.core.session.export import to_json_lines, to_markdown

    store = _open_store()
    try:
        text = (to_json_lines if getattr(args, "json", False) else to_markdown)(store, args.id)
    finally:
        store.close()
    if text is None:
        print(f"roster: no session {args.id!r} (see `roster history`)", file=sys.stderr)
        return EXIT_ERROR
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(visible(text) if sys.stdout.isatty() else text)
    return EXIT_OK


# ----------------------------------------------------------------------------- run


def _cmd_run(
    args: argparse.Namespace, resolve_agent: ResolveAgent, list_agents: ListAgents | None
) -> int:
    from tui.core.session.engine import SessionConfig, has_credentials
    from tui.core.session.errors import NO_KEY_MESSAGE
    from tui.core.session.options import Subagents
    from tui.core.session.permissions import AUTO_UNSUPPORTED

    demo = bool(getattr(args, "demo", False))
    definition = resolve_agent(args.name)
    if definition is None:
        if not demo:
            print(f"roster: no agent named {args.name!r} (see `roster list`)", file=sys.stderr)
            return EXIT_ERROR
        from tui.core.session.demo_agent import demo_definition

        definition = demo_definition()
    if demo and args.cwd is None and not args.resume:  # never the user's own folder unasked
        from tui.core.session.demo_agent import demo_workdir

        args.cwd = demo_workdir()
        print(f"roster: DEMO working in {args.cwd} (--cwd picks a folder)", file=sys.stderr)
    cwd = (args.cwd or Path.cwd()).expanduser()
    if not cwd.is_dir():
        print(f"roster: --cwd {cwd} is not a folder", file=sys.stderr)
        return EXIT_ERROR
    if args.task is not None:  # bytes that are not UTF-8 (`$(cat latin1.txt)`): U+FFFD each
        args.task = args.task.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
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
    permission_mode = args.permission_mode
    if permission_mode == "auto":
        print(f"roster: {AUTO_UNSUPPORTED}", file=sys.stderr)
        return EXIT_ERROR
    if (definition.permission_mode or "").strip().lower() == "auto" and permission_mode is None:
        print(f"roster: {AUTO_UNSUPPORTED} This definition runs in default.", file=sys.stderr)
    if permission_mode is None and not args.resume:
        note = escalation_fallback(definition, Path.cwd())
        if note is not None:
            print(note, file=sys.stderr)
            permission_mode = "default"
    allow, deny, ask = rule_lists(args, settings)
    config = SessionConfig(
        model=args.model,
        permission_mode=permission_mode,
        default_model=getattr(settings, "default_model", None),
        model_aliases=getattr(settings, "models", None) or None,
        max_tokens=getattr(settings, "max_tokens", None),
        secrets=tuple(getattr(settings, "secrets", ())),
        continuations=getattr(settings, "continuations", 3),
        connect_timeout_s=getattr(settings, "connect_timeout_s", 10.0),
        read_timeout_s=getattr(settings, "stall_timeout_s", 90.0),
        max_turns=args.max_turns,
        demo=demo,
        title=args.task or "",
        driver=f"roster run {args.name}",
        allow_rules=allow,
        deny_rules=deny,
        ask_rules=ask,
        subagents=Subagents(resolve_agent, list_agents) if list_agents is not None else None,
        max_depth=getattr(settings, "max_delegation_depth", 5),
        web_tools=getattr(settings, "web_tools", True),
    )
    return asyncio.run(_run(args, definition, cwd, config))


async def _run(
    args: argparse.Namespace, definition: AgentDefinition, cwd: Path, config: SessionConfig
) -> int:
    from dataclasses import replace

    from tui.core.session.engine import AgentSession
    from tui.core.session.history import HistoryWriter
    from tui.core.session.locks import SessionLocked

    store = _open_store()
    history = HistoryWriter(store, on_trouble=_history_trouble)
    server = None
    if config.demo:
        from tui.core.session.replay import DEMO_API_KEY, DEMO_MODEL, DemoServer

        server = DemoServer().start()
        config = replace(
            config, base_url=server.url, api_key=DEMO_API_KEY, model=config.model or DEMO_MODEL
        )
    from tui.cli.render import JsonRenderer, RichRenderer

    renderer: Renderer = JsonRenderer(config.demo) if args.json else RichRenderer(config.demo)
    try:
        if args.resume:
            row = store.get_session(args.resume)
            if row is None:
                renderer.fail(f"no session {args.resume!r} (see `roster history`)")
                return EXIT_ERROR
            name = definition.name or definition.path.stem
            switch = row.definition_name != name
            if switch and not args.agent_switch:
                renderer.fail(
                    f"session {row.id} belongs to agent {row.definition_name!r}, not {name!r}: "
                    f"resume it with `roster run {row.definition_name} --resume {row.id}`, or "
                    "add --agent-switch to continue it with this agent (recorded in its history)"
                )
                return EXIT_ERROR
            try:
                session = AgentSession.resume(store, row.id, definition, config, history=history)
            except SessionLocked as exc:
                renderer.fail(str(exc))
                return EXIT_ERROR
            if switch:
                session.switch_agent(row.definition_name)
            if args.task is None and not session.can_retry:
                renderer.fail("that session is waiting for a new message: give a task")
                return EXIT_ERROR
        else:
            session = AgentSession(definition, cwd, config, history=history)
        renderer.start(definition, session)
        return await _drive(session, args.task, renderer, history)
    finally:
        try:
            store.close()
        except sqlite3.Error as exc:  # (a full disk: the last batch could not be written)
            _history_trouble(f"Cannot write the session history {store.path}: {exc}")
        if server is not None:
            server.stop()


def _history_trouble(message: str | None) -> None:
    sys.stderr.write((message or "The session history is being written again.") + "\n")


async def _drive(
    session: AgentSession, task: str | None, renderer: Renderer, history: HistoryWriter
) -> int:
    from tui.core.session.events import ChildEvent, PermissionNeeded, ReportParsed, Usage, to_json
    from tui.core.session.usage import UsageTotals

    loop = asyncio.get_running_loop()
    asking: set[asyncio.Future[Any]] = set()

    def stop() -> None:  # also while a question waits on the terminal
        session.cancel()
        for question in asking:
            question.cancel()

    # Ctrl+C, a closed terminal (SIGHUP) and a CI timeout (SIGTERM) all stop the same way:
    # interrupted results written, Bash killed, status interrupted; also at a permission
    # question (which then stops waiting for its answer)
    for signum in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop)
    report: ReportParsed | None = None
    usage = UsageTotals()  # the whole tree's: this session + its children
    stream = session.send(task) if task is not None else session.retry()
    try:
        async with contextlib.aclosing(stream) as events:  # type: ignore[type-var]
            # each event is in the history before it is shown: a kill -9 loses nothing shown
            async for event in history.written(events):
                renderer.event(event)
                inner = event.event if isinstance(event, ChildEvent) else event
                if isinstance(inner, Usage):
                    usage = usage.plus(to_json(inner))
                if isinstance(event, ReportParsed):  # the exit code: the top session's report
                    report = event
                if isinstance(inner, PermissionNeeded):  # asked at any depth, answered here
                    chain = event.agent_path if isinstance(event, ChildEvent) else ()
                    question = asyncio.ensure_future(renderer.ask(inner, chain))
                    asking.add(question)
                    try:
                        decision = await asyncio.shield(question)
                    except asyncio.CancelledError:
                        if not question.cancelled():
                            raise  # (this task itself is being cancelled)
                        sys.stderr.write("\n")  # Ctrl+C at the question: the session stops
                        continue
                    finally:
                        asking.discard(question)
                    if not inner.future.done():
                        inner.future.set_result(decision)
    finally:
        for signum in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)
        await session.aclose()
    code = _exit_code(session.status, report)
    renderer.finish(session, code, usage)
    return code


def _exit_code(status: str, report: Any) -> int:
    if status in {"truncated", "refused"}:
        return EXIT_UNFINISHED
    if status != "completed":
        return EXIT_ERROR
    if report is None:
        return EXIT_UNFINISHED
    outcomes = {"completed": EXIT_OK, "blocked": EXIT_BLOCKED, "failed": EXIT_FAILED}
    return outcomes.get(report.outcome, EXIT_UNFINISHED)
