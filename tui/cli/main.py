"""`roster` command line: the app by default, plus list / validate / show / run / history / export.

Imports stay light at module level (argparse only): the app, Rich and the session engine are
loaded by the command that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import __version__
from tui.cli.run_args import RUN_COMMANDS, add_run_options

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.core.catalog import Catalog
    from tui.core.definition import AgentDefinition
    from tui.core.roots import Root


def _add_root_options(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Root options work before or after the subcommand: subcommands use SUPPRESS defaults so
    they never overwrite what the top-level parser already read."""
    d: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    p.add_argument(
        "--agents-dir",
        action="append",
        default=[] if top else argparse.SUPPRESS,
        type=Path,
        metavar="DIR",
        help="an extra folder of agent definitions (repeatable); bundled agents are then hidden",
    )
    p.add_argument("--no-user", action="store_true", help="ignore ~/.claude/agents", **d)
    p.add_argument(
        "--no-project", action="store_true", help="ignore .claude/agents in this project", **d
    )
    p.add_argument(
        "--bundled",
        action="store_true",
        help="include Roster's bundled agents with --agents-dir",
        **d,
    )
    p.add_argument(
        "--no-bundled",
        action="store_true",
        help="hide Roster's bundled library (config: bundled = false)",
        **d,
    )


# every subcommand and its line in `roster --help`, in that order
COMMANDS = {
    "list": "list agents grouped by level and domain",
    "validate": "check definition files like a compiler",
    "show": "show one agent: metadata, workflows, report template",
    "install": "copy an agent into .claude/agents for Claude Code",
    **RUN_COMMANDS,
}


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """`commands=False`: the subcommands by name only, for a command line that names none
    (`roster` alone opens the app; building every command's options costs ~4 ms of its first
    frame). `roster --help` reads the same either way."""
    parser = argparse.ArgumentParser(
        prog="roster",
        description="Browse, validate, edit and run Claude Code agent definitions.",
    )
    parser.add_argument("--version", action="version", version=f"roster {__version__}")
    _add_root_options(parser, top=True)
    parser.add_argument("--demo", action="store_true", help="sessions use the local DEMO server")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    subs = {name: sub.add_parser(name, help=text) for name, text in COMMANDS.items()}
    if commands:
        _add_command_options(subs)
    return parser


def _add_command_options(subs: dict[str, argparse.ArgumentParser]) -> None:
    p_list = subs["list"]
    _add_root_options(p_list)
    p_list.add_argument("--tree", action="store_true", help="show a tree instead of a table")
    p_list.add_argument("--json", action="store_true", help="print JSON")
    p_list.add_argument(
        "--roots", action="store_true", help="list the roots searched: path, kind, count"
    )

    p_val = subs["validate"]
    _add_root_options(p_val)
    p_val.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    p_val.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p_val.add_argument("--json", action="store_true", help="print JSON")
    p_val.add_argument(
        "--fix", action="store_true", help="apply the safe fixes (atomic writes, diff printed)"
    )
    p_val.add_argument(
        "--dry-run", action="store_true", help="with --fix: print the diff, write nothing"
    )

    p_show = subs["show"]
    _add_root_options(p_show)
    p_show.add_argument("name", help="agent name (or file stem)")
    p_show.add_argument("--json", action="store_true", help="print JSON")

    p_inst = subs["install"]
    _add_root_options(p_inst)
    p_inst.add_argument("name", help="agent name (or file stem), from anywhere in the catalog")
    where = p_inst.add_mutually_exclusive_group()
    where.add_argument(
        "--project", action="store_true", help="into this project's .claude/agents (default)"
    )
    where.add_argument("--user", action="store_true", help="into ~/.claude/agents")
    p_inst.add_argument("--force", action="store_true", help="overwrite a different file")
    p_inst.add_argument("--dry-run", action="store_true", help="say where it would go")

    add_run_options(subs["run"], subs["history"], subs["export"])
    for name in RUN_COMMANDS:
        _add_root_options(subs[name])


def _roots(args: argparse.Namespace, settings: Settings) -> list[Root]:
    from tui.core.roots import discover_roots

    extra: list[Path] = list(getattr(args, "agents_dir", []) or [])
    return discover_roots(
        Path.cwd(),
        extra_dirs=extra,
        config_dirs=list(settings.roots),
        include_project=not args.no_project,
        include_user=not args.no_user,
        include_bundled=_bundled(args, settings),
    )


def _bundled(args: argparse.Namespace, settings: Settings) -> bool | None:
    """--no-bundled (or `bundled = false`) hides the library; --bundled shows it beside
    --agents-dir; otherwise it shows unless --agents-dir was given."""
    if getattr(args, "no_bundled", False):
        return False
    if getattr(args, "bundled", False):
        return True
    return None if settings.bundled else False


def load_catalog(args: argparse.Namespace, settings: Settings) -> Catalog:
    from tui.core.catalog import Catalog

    catalog = Catalog(_roots(args, settings))
    catalog.scan()
    return catalog


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """`parse_args`, except for `run`: the task may follow the options (`roster run NAME
    --resume ID "task"`), and a usage error exits 1, not 2, which `run` uses for "blocked"."""
    try:
        args, extra = parser.parse_known_args(argv)
        if not extra:
            return args
        task_after_options = len(extra) == 1 and not extra[0].startswith("-")
        if args.command == "run" and args.task is None and task_after_options:
            args.task = extra[0]
            return args
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:
        if exc.code == 2 and "run" in argv:
            raise SystemExit(1) from None
        raise
    return args  # (not reached: parser.error exits)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # (a word that may be a command, or help: every command's options; else only the app's)
    full = any(a in COMMANDS or a in ("-h", "--help") for a in argv)
    args = _parse(build_parser(commands=full), argv)
    from tui.config import load_settings

    settings = load_settings()
    if args.command is not None and settings.problems:  # (the app shows them as notifications)
        from tui.core.sanitize import visible_line

        for problem in settings.problems:  # e.g. a typo that drops [permissions] for `run`
            print(f"roster: {visible_line(problem)}", file=sys.stderr)
    from tui.core.infer import configure

    configure(settings.infer_levels, settings.infer_domains)  # the user's words, before scans
    command = args.command
    try:
        if command is None:
            return run_app(args, settings)
        if command in ("list", "validate", "show", "install"):
            from tui.cli import catalog as cli_catalog
            from tui.core.roots import root_problems
            from tui.core.sanitize import visible_line

            problems = root_problems(getattr(args, "agents_dir", []) or [], settings.roots)
            for problem in problems:
                print(f"roster: {visible_line(problem)}", file=sys.stderr)
            if problems:
                return 2

            if command == "list":
                return cli_catalog.cmd_list(load_catalog(args, settings), args)
            if command == "validate":
                return cli_catalog.cmd_validate(args, settings, _roots(args, settings))
            if command == "install":
                args.bundled, args.no_bundled = (
                    True,
                    False,
                )  # the library: first place to install from
                return cli_catalog.cmd_install(load_catalog(args, settings), args)
            return cli_catalog.cmd_show(load_catalog(args, settings), args)
        from tui.cli.run import run_command

        catalog: Catalog | None = None

        def loaded() -> Catalog:
            nonlocal catalog
            if catalog is None:
                catalog = load_catalog(args, settings)
            return catalog

        def resolve(name: str) -> AgentDefinition | None:
            return loaded().find(name)

        def listing() -> list[tuple[str, str]]:  # what the Agent tool may call
            names = sorted({d.name for d in loaded().agents() if d.name})
            winners = [loaded().winner(n) for n in names]
            return [(w.name or "", w.description or "") for w in winners if w is not None]

        return int(run_command(args, resolve, listing))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `roster list | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def run_app(args: argparse.Namespace, settings: Settings) -> int:
    from tui.core import startup_gc
    from tui.core.early_scan import EarlyScan

    startup_gc.pause()  # until the first frame is up (tui/core/startup_gc.py says why)
    roots = _roots(args, settings)
    # Read the agents on the other core while Textual loads on this one (the first frame
    # then shows them); the app falls back to its own scan if the child fails.
    early = EarlyScan.start(roots)
    try:
        from tui.app.app import make_app

        app = make_app(roots=roots, settings=settings, demo=args.demo, early=early)
        app.run()
    finally:
        startup_gc.resume()
        if early is not None:
            early.close()
    return int(app.return_code or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
