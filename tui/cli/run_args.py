"""The argument parsers of `roster run | history | export`: argparse only, so that building
`roster`'s parser (every start of the app) does not import the session machinery
(`tui.cli.run` does that when one of these commands runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

MODES = ("default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions", "manual")

RULES_HELP = """\
permission rules (Claude Code's syntax; deny beats ask beats allow, in every mode,
bypassPermissions included):
  Bash                every command           Bash(npm test)     exactly `npm test`
  Bash(npm test:*)    `npm test` and more     Bash(npm test *)   the same
  Edit(src/**)        Write/Edit under src/   Read(~/secrets/**) Read/Grep/Glob there
  Write(*.lock)       a file name at any depth
A compound command (;  &&  ||  |  newlines, subshells) runs unasked only if EVERY command in
it is allowed; $(...), backticks, <(...), eval and writes outside the folder always ask.
Rules also come from the definition (`tools: Bash(git status:*)`, `disallowedTools`) and
from config.toml ([permissions] allow / deny / ask lists). Without a terminal on stdin, a
call that would ask is denied.
examples:
  roster run fixer "fix the tests" --allowedTools "Bash(npm test:*) Edit(src/**)"
  roster run fixer "tidy up" --permission-mode acceptEdits --disallowed-tools "Bash(rm *)"
"""


def add_rule_options(run: argparse.ArgumentParser) -> None:
    run.formatter_class = argparse.RawDescriptionHelpFormatter
    run.epilog = RULES_HELP
    run.add_argument(
        "--allowedTools",
        "--allowed-tools",
        dest="allowed_tools",
        action="append",
        default=[],
        metavar="RULES",
        help='rules that run without asking, comma or space separated: "Bash(git status:*) Edit"',
    )
    run.add_argument(
        "--disallowedTools",
        "--disallowed-tools",
        dest="disallowed_tools",
        action="append",
        default=[],
        metavar="RULES",
        help='rules that are always denied, even in bypassPermissions: "Bash(rm *)"',
    )


RUN_COMMANDS = {  # name -> the line `roster --help` shows
    "run": "run an agent on a task, headless (streams to stdout)",
    "history": "list stored sessions",
    "export": "print a stored session as Markdown",
}


def add_run_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The three commands with their options, on `sub` (a parser's subparsers)."""
    parsers = {name: sub.add_parser(name, help=text) for name, text in RUN_COMMANDS.items()}
    add_run_options(parsers["run"], parsers["history"], parsers["export"])


def add_run_options(
    run: argparse.ArgumentParser, hist: argparse.ArgumentParser, export: argparse.ArgumentParser
) -> None:
    run.add_argument("name", help="agent name")
    run.add_argument("task", nargs="?", help="the task (optional with --resume: retries)")
    run.add_argument("--cwd", type=Path, help="working directory the tools are confined to")
    run.add_argument("--permission-mode", choices=MODES, help="override the definition's mode")
    run.add_argument("--model", help="alias (sonnet, opus, haiku, fable) or a model id")
    run.add_argument("--json", action="store_true", help="print one JSON event per line")
    run.add_argument("--resume", metavar="ID", help="continue a stored session")
    run.add_argument("--max-turns", type=int, help="stop after this many model turns")
    run.add_argument(
        "--agent-switch",
        action="store_true",
        help="with --resume: continue the session with this agent although another started it",
    )
    run.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the bundled local DEMO server (no API key needed)",
    )
    add_rule_options(run)
    hist.add_argument("--json", action="store_true", help="print JSON")
    hist.add_argument("--limit", type=int, default=30, help="how many (newest first)")
    export.add_argument("id", help="session id (or a unique prefix)")
    export.add_argument("-o", "--output", type=Path, help="write to this file instead")
    export.add_argument("--json", action="store_true", help="the raw events, one JSON a line")
