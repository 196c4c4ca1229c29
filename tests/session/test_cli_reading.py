"""Issue 17 point 8: `roster run` reads like Claude Code. Each tool result prints under its call
(also with several calls in one message), Bash shows its exit code, thinking is dim italic on a
terminal and marked "thinking: " when piped, and no raw control character gets out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from tests.fakeapi import FakeAPI, reply, text, thinking, tool_use
from tests.helpers.cli_run import parse
from tests.helpers.session import make_definition
from tui.cli.render import RichRenderer
from tui.cli.run import run_command
from tui.core.session import events as ev


def run_cli(*argv: str) -> int:
    definition = make_definition(tools=("Read", "Write", "Bash"))
    return run_command(parse(*argv), lambda name: definition if name == "tester" else None)


def index_of(lines: list[str], needle: str) -> int:
    return next(i for i, line in enumerate(lines) if needle in line)


def test_results_print_under_their_calls_with_bash_exit_codes(
    api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api.script(
        reply(
            thinking("Two commands.\nBoth in one go."),
            text("Running both."),
            tool_use("b1", "Bash", {"command": "echo one"}),
            tool_use("b2", "Bash", {"command": "echo two; exit 3"}),
            tool_use("r1", "Read", {"file_path": "missing.txt"}),
        ),
        reply(text("TASK_COMPLETE: x\nSTATUS: success\n")),
    )
    code = run_cli(
        "run", "tester", "go", "--cwd", str(workdir), "--permission-mode", "bypassPermissions"
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    call_1 = index_of(lines, "⏺ Bash(echo one)")
    call_2 = index_of(lines, "⏺ Bash(echo two; exit 3)")
    call_3 = index_of(lines, "⏺ Read(missing.txt)")
    # call, its result, next call, its result: never all calls first
    assert lines[call_1 + 1].strip() == "⎿ one · exit 0"
    assert call_2 == call_1 + 2
    assert lines[call_2 + 1].strip() == "⎿ two · exit 3"
    assert call_3 == call_2 + 2 and lines[call_3 + 1].strip().startswith("⎿ ")
    assert "exit" not in lines[call_3 + 1]  # only Bash has an exit code
    # piped: thinking is marked on each of its lines, the answer is not
    assert "thinking: Two commands." in lines and "thinking: Both in one go." in lines
    answer = index_of(lines, "Running both.")
    assert not lines[answer].startswith("thinking:")


def test_a_result_after_other_output_repeats_its_call(capsys: pytest.CaptureFixture[str]) -> None:
    renderer = RichRenderer(demo=False)
    renderer.event(ev.ToolInputComplete("a", "Bash", {"command": "make"}))
    renderer.event(ev.ToolInputComplete("b", "Bash", {"command": "make test"}))
    renderer.event(ev.ToolResult("a", "Bash", "built", False))
    renderer.event(ev.Notice("x", "a notice in between"))
    renderer.event(ev.ToolResult("b", "Bash", "FAILED\nExit code 2", True))
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        "⏺ Bash(make)",
        "⎿ built · exit 0",
        "a notice in between",
        "⏺ Bash(make test)",
        "⎿ FAILED · exit 2",
    ]


def test_thinking_is_dim_italic_on_a_terminal_and_control_characters_never_raw() -> None:
    renderer = RichRenderer(demo=False)
    buffer = io.StringIO()
    renderer.console = Console(
        file=buffer, force_terminal=True, color_system="standard", highlight=False
    )
    renderer.event(ev.ThinkingDelta("weighing \x1b]0;pwned\x07 options"))
    renderer.event(ev.TextDelta("The answer\x1b[2J."))
    renderer.event(ev.ToolInputComplete("a", "Bash", {"command": "printf '\x1b[31m'"}))
    renderer.event(ev.ToolResult("a", "Bash", "\x1b[31mred\x07", False))
    out = buffer.getvalue()
    assert "\x1b[2;3m" in out  # dim italic
    assert "thinking:" not in out  # the style marks it on a terminal
    assert "\\x1b]0;pwned\\x07" in out and "\\x1b[2J" in out and "\\x1b[31mred\\x07" in out
    for raw in ("\x1b]0;", "\x07", "\x1b[2J", "\x1b[31m"):
        assert raw not in out
