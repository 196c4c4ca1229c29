"""Hostile glob patterns from the model: a class that is not a valid regex class (`[]`,
`[z-a]`) ended the whole session with re.error; `{a,b}` repeated expanded exponentially (Grep
did it on the event loop, freezing the app). Both are now plain answers or clear ToolErrors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import parse
from tests.helpers.session import make_definition
from tui.cli.run import run_command
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError
from tui.core.session.tools.globbing import MAX_PATTERNS, glob_regex


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    (workdir / "a.txt").write_text("alpha\n")
    (workdir / "[z-a].txt").write_text("literal\n")
    (workdir / "b.md").write_text("beta\n")
    return ToolContext.for_dir(workdir)


async def glob(ctx: ToolContext, pattern: str) -> Any:
    return await ALL_TOOLS["Glob"].run({"pattern": pattern}, ctx)


@pytest.mark.parametrize("pattern", ["[]", "[z-a]*", "*[", "[!]", "[\\]", "[a&&b]", "[[:x:]]"])
async def test_odd_classes_never_raise(ctx: ToolContext, pattern: str) -> None:
    out = await glob(ctx, pattern)
    assert isinstance(out, str)
    grep = await ALL_TOOLS["Grep"].run({"pattern": "a", "glob": pattern}, ctx)
    assert isinstance(grep, str)


async def test_a_reversed_class_matches_its_text_literally(ctx: ToolContext) -> None:
    assert (await glob(ctx, "[z-a].txt")).endswith("[z-a].txt")
    assert glob_regex("[!a-c]x").fullmatch("dx") and not glob_regex("[!a-c]x").fullmatch("bx")
    assert glob_regex("[ab].md").fullmatch("b.md")


@pytest.mark.parametrize("tool", ["Glob", "Grep"])
async def test_brace_bombs_are_refused_at_once(ctx: ToolContext, tool: str) -> None:
    bomb = "{a,b}" * 40  # 2^40 patterns
    args = {"pattern": bomb} if tool == "Glob" else {"pattern": "a", "glob": bomb}
    with pytest.raises(ToolError, match=f"more than {MAX_PATTERNS} patterns"):
        await ALL_TOOLS[tool].run(args, ctx)
    few = "*.{md,txt}"
    args = {"pattern": few} if tool == "Glob" else {"pattern": "a", "glob": few}
    assert "a.txt" in await ALL_TOOLS[tool].run(args, ctx)


def test_a_bad_class_in_a_session_is_a_tool_error_not_the_end(
    api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "a.txt").write_text("x")
    api.script(
        reply(tool_use("g1", "Glob", {"pattern": "[]"})),
        reply(text("TASK_COMPLETE: x\nSTATUS: success\n")),
    )
    definition = make_definition(tools=("Glob",))
    argv = ("run", "tester", "go", "--cwd", str(workdir), "--permission-mode", "bypassPermissions")
    code = run_command(parse(*argv), lambda name: definition if name == "tester" else None)
    assert code == 0, capsys.readouterr().out
    assert len(api.requests) == 2
    result = api.requests[1].body["messages"][-1]["content"][0]
    assert result["type"] == "tool_result" and result["content"] == "No files found"


async def test_glob_stops_at_its_deadline_and_says_so(
    ctx: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.session.tools import glob as glob_module

    monkeypatch.setattr(glob_module, "DEADLINE_S", -1.0)  # already past: a huge tree's case
    out = await glob(ctx, "**/*")
    assert "Search stopped after" in out and "results are incomplete" in out
