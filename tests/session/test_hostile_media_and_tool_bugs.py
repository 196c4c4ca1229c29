"""An image whose header says 0 px (the API refuses it, and a refused block stays in every
later request) is refused by Read; and any tool that fails with an unexpected exception on odd
input ends that call with an error result the model sees, never the whole session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers import media_files as mf
from tests.helpers.cli_run import parse
from tests.helpers.session import make_definition
from tui.cli.run import run_command
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError


@pytest.mark.parametrize(
    ("name", "data"),
    [("zero.png", mf.png(0, 0)), ("flat.png", mf.png(5, 0)), ("zero.gif", mf.gif(0, 7))],
    ids=["png-0x0", "png-5x0", "gif-0x7"],
)
async def test_an_image_of_zero_pixels_is_not_sent(workdir: Path, name: str, data: bytes) -> None:
    (workdir / name).write_bytes(data)
    with pytest.raises(ToolError, match="corrupt or empty; it was not sent") as caught:
        await ALL_TOOLS["Read"].run({"file_path": name}, ToolContext.for_dir(workdir))
    assert name in str(caught.value)


def test_an_unexpected_tool_failure_is_a_tool_error_and_the_session_goes_on(
    api: FakeAPI,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def broken(self: Any, args: dict[str, Any], ctx: ToolContext) -> str:
        raise KeyError("some-bug")

    monkeypatch.setattr(type(ALL_TOOLS["Glob"]), "run", broken)
    api.script(
        reply(tool_use("g1", "Glob", {"pattern": "*"})),
        reply(text("TASK_COMPLETE: x\nSTATUS: success\n")),
    )
    definition = make_definition(tools=("Glob",))
    argv = ("run", "tester", "go", "--cwd", str(workdir), "--permission-mode", "bypassPermissions")
    code = run_command(parse(*argv), lambda name: definition if name == "tester" else None)
    assert code == 0, capsys.readouterr().out
    result = api.requests[1].body["messages"][-1]["content"][0]
    assert result["is_error"] is True
    assert result["content"] == "Glob failed unexpectedly (KeyError: 'some-bug')."


async def test_a_pdf_whose_pages_cannot_be_seen_is_judged_by_its_page_tree(
    workdir: Path,
) -> None:
    """Page objects count_pages cannot find (here renamed; in real files, compressed where it
    does not look) counted 0, so a 150-page PDF was sent and the API refused it in every later
    request. The page tree's /Count says 150: refused before it is sent."""
    hidden = mf.pdf(3).replace(b"/Type /Page ", b"/Type /Pag  ")
    (workdir / "three.pdf").write_bytes(hidden)
    ctx = ToolContext.for_dir(workdir)
    out = await ALL_TOOLS["Read"].run({"file_path": "three.pdf"}, ctx)
    assert "3 pages" in out[0]["text"]
    (workdir / "many.pdf").write_bytes(hidden.replace(b"/Count 3", b"/Count 150"))
    with pytest.raises(ToolError, match="has 150 pages"):
        await ALL_TOOLS["Read"].run({"file_path": "many.pdf"}, ctx)
