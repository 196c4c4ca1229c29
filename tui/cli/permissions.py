"""`roster run`'s permission side: rule flags, the self-escalation check, the terminal question.

The question (`Allow? ...`) and its panel go to stderr (or, when stderr is redirected, to the
terminal on stdin) and the answer is read from that terminal, so `--json` stdout carries JSON
lines only. Everything shown is passed through `visible()`: a model cannot retitle the
terminal or fake a panel with escape codes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tui.core.sanitize import visible

if TYPE_CHECKING:
    from tui.core.definition import AgentDefinition
    from tui.core.session.events import Decision, PermissionNeeded


def rule_lists(
    args: argparse.Namespace, settings: Any
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(allow, deny, ask): the flags' rules plus config.toml's [permissions]."""
    from tui.core.session.rules import split_rule_list

    allow = split_rule_list(getattr(args, "allowed_tools", None) or [])
    deny = split_rule_list(getattr(args, "disallowed_tools", None) or [])
    return (
        (*getattr(settings, "allow", ()), *allow),
        (*getattr(settings, "deny", ()), *deny),
        tuple(getattr(settings, "ask", ())),
    )


def escalation_fallback(definition: AgentDefinition, cwd: Path) -> str | None:
    """The stderr note when a definition from outside the user's own folders asks for a mode
    that runs more unasked and no --permission-mode was given (the run falls back to
    default); None when its mode stands."""
    from tui.core.checks_permissions import untrusted_escalation

    mode = untrusted_escalation(definition.permission_mode, definition.path, cwd)
    if mode is None:
        return None
    name = visible(definition.name or definition.path.stem, keep_newlines=False)
    where = visible(str(definition.path), keep_newlines=False)
    return (
        f"roster: {name} asks for permissionMode: {mode}, but {where} is outside your own "
        "agent folders (.claude/agents here, ~/.claude/agents); running in default mode. "
        f"Pass --permission-mode {mode} if you trust it."
    )


async def prompt_terminal(request: PermissionNeeded) -> Decision:
    """Ask on the terminal: the panel and the question on stderr, the answer from stdin."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.syntax import Syntax
    from rich.text import Text

    from tui.core.session.events import Decision

    console = Console(file=_question_stream(), highlight=False)
    if request.name == "ExitPlanMode":
        return await _approve_plan(console, request)
    preview = visible(request.preview)
    body: Any
    if request.name == "Bash":
        preview = compact_command(preview)
        body = Syntax(preview, "bash", word_wrap=True)
    elif preview.startswith("---"):
        body = Syntax(preview, "diff", word_wrap=True)
    else:
        body = Text(preview or visible(request.summary))
    title = Text.assemble(
        (visible(request.name, keep_newlines=False), "bold"),
        " ",
        visible(request.summary, keep_newlines=False)[:200],
    )
    console.print(
        Panel(body, title=title, subtitle=Text(visible(request.reason)), border_style="yellow")
    )
    if request.name == "Bash" and (count := preview.count("\n") + 1) > _LONG_COMMAND:
        console.print(
            Text(f"This command is {count} lines long: scroll up and read all of it.", "bold")
        )
    scope = visible(request.session_scope, keep_newlines=False)
    if scope and request.whole_run:  # a delegation tree: this agent, or every agent of the run
        console.print(
            Text.assemble(
                ("[a] for this session allows ", "dim"),
                scope,
                ("; [r] the same for every agent of this run", "dim"),
            )
        )
        question = "Allow? [y] once  [a] for this session  [r] for this whole run  [n] deny: "
        choices = {"y", "yes", "a", "always", "r", "run", "n", "no", ""}
    elif scope:
        console.print(Text.assemble(("[a] for this session allows ", "dim"), scope))
        question = "Allow? [y] once  [a] for this session  [n] deny: "
        choices = {"y", "yes", "a", "always", "n", "no", ""}
    else:
        question = "Allow? [y] once  [n] deny: "
        choices = {"y", "yes", "n", "no", ""}
    while True:
        answer = (await _ask(question)).strip().lower()
        if answer not in choices:
            continue
        if answer in {"y", "yes"}:
            return Decision("allow_once")
        if answer in {"a", "always"}:
            return Decision("allow_session")
        if answer in {"r", "run"}:
            return Decision("allow_run")
        reason = await _ask("Reason for the agent (optional): ")
        return Decision("deny", reason.strip())


_LONG_COMMAND = 30
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")
_SPACE_RUN = re.compile(r"[ \t]{16,}")


def compact_command(command: str) -> str:
    """Runs of blank lines and of spaces shown as a count, so that a command cannot push its
    first lines off the screen (`curl x | sh` then 300 blank lines then `ls`)."""
    command = _SPACE_RUN.sub(lambda m: f" [{len(m.group())} spaces] ", command)
    return _BLANK_RUN.sub(lambda m: f"\n[{m.group().count(chr(10)) - 1} blank lines]\n", command)


async def _approve_plan(console: Any, request: PermissionNeeded) -> Decision:
    """The plan, then: approve (default or acceptEdits from now on) or send it back."""
    from rich.markdown import Markdown
    from rich.panel import Panel

    from tui.core.session.events import Decision

    plan = Markdown(visible(request.preview))
    console.print(Panel(plan, title="The plan", subtitle=visible(request.reason), style="cyan"))
    question = "Approve? [y] yes  [a] yes, and accept edits  [n] no, send it back: "
    while True:
        answer = (await _ask(question)).strip().lower()
        if answer in {"y", "yes"}:
            return Decision("allow_once")
        if answer in {"a", "always"}:
            return Decision("allow_session")
        if answer in {"n", "no", ""}:
            comment = await _ask("What should change (optional): ")
            return Decision("deny", comment.strip())


def _question_stream() -> TextIO:
    """stderr; when stderr is redirected and stdin is a terminal, that terminal (the one the
    answer comes from). Never stdout."""
    global _TTY
    if sys.stderr.isatty() or not sys.stdin.isatty():
        return sys.stderr
    if _TTY is None:
        try:
            _TTY = open(os.ttyname(sys.stdin.fileno()), "w", encoding="utf-8")  # noqa: SIM115
        except (OSError, ValueError):
            return sys.stderr
    return _TTY


_TTY: TextIO | None = None


async def _ask(question: str) -> str:
    """`_ask_line` in a daemon thread: a Ctrl+C cancels the waiting task at once, and the
    blocked read never holds the process open at exit (asyncio.to_thread would: the
    executor is joined at shutdown)."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str] = loop.create_future()

    def read() -> None:
        try:
            line = _ask_line(question)
        except BaseException as exc:  # (closed stdin, ...): the waiting task gets it
            loop.call_soon_threadsafe(_settle, answer, None, exc)
        else:
            loop.call_soon_threadsafe(_settle, answer, line, None)

    threading.Thread(target=read, name="roster-ask", daemon=True).start()
    return await answer


def _settle(future: asyncio.Future[str], line: str | None, exc: BaseException | None) -> None:
    if future.done():  # cancelled meanwhile (Ctrl+C)
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(line or "")


def _ask_line(question: str) -> str:
    """`input()` without its stdout: the question on the terminal, the answer from stdin."""
    stream = _question_stream()
    stream.write(question)
    stream.flush()
    return sys.stdin.readline()  # "" at end of input: deny, no reason
