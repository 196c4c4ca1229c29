"""`roster` alone builds only the subcommands' names (their options cost ~4 ms of the first
frame); what the user sees of the parser must not change with it."""

from __future__ import annotations

import pytest

from tui.cli.main import COMMANDS, _parse, build_parser


def test_help_reads_the_same_with_or_without_the_commands_options() -> None:
    assert build_parser(commands=False).format_help() == build_parser().format_help()


@pytest.mark.parametrize("argv", [["lst"], ["--agents-dir"], ["--bogus"], ["--no-user", "x"]])
def test_errors_read_the_same(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    said = []
    for full in (False, True):
        with pytest.raises(SystemExit) as exc:
            _parse(build_parser(commands=full), argv)
        said.append((exc.value.code, capsys.readouterr().err))
    assert said[0] == said[1]


def test_the_app_s_options_parse_without_the_commands() -> None:
    args = _parse(build_parser(commands=False), ["--agents-dir", "x", "--no-user", "--demo"])
    assert args.command is None and args.no_user and args.demo
    assert [str(p) for p in args.agents_dir] == ["x"]


def test_every_command_is_listed_in_both() -> None:
    for full in (False, True):
        help_text = build_parser(commands=full).format_help()
        assert all(name in help_text for name in COMMANDS)
