"""Regular expressions from the model that Python's parser does not reject with re.error but
with RecursionError (`((((...))))` a thousand deep) or OverflowError (`a{99999999999}`): Grep
and BashOutput's filter let them through, and the session ended. Now a clear ToolError."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError

BAD = ["(" * 1000 + "a" + ")" * 1000, "a{99999999999999999999}"]


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    (workdir / "a.txt").write_text("alpha\n")
    return ToolContext.for_dir(workdir)


@pytest.mark.parametrize("pattern", BAD, ids=["nested", "repeat"])
async def test_grep_refuses_them_clearly(ctx: ToolContext, pattern: str) -> None:
    with pytest.raises(ToolError, match="Invalid regular expression"):
        await ALL_TOOLS["Grep"].run({"pattern": pattern}, ctx)


@pytest.mark.parametrize("pattern", BAD, ids=["nested", "repeat"])
async def test_bash_output_refuses_them_as_filters(ctx: ToolContext, pattern: str) -> None:
    out = await ALL_TOOLS["Bash"].run({"command": "echo hi", "run_in_background": True}, ctx)
    assert "bash_1" in out
    try:
        with pytest.raises(ToolError, match="Invalid filter regular expression"):
            await ALL_TOOLS["BashOutput"].run({"bash_id": "bash_1", "filter": pattern}, ctx)
    finally:
        await ALL_TOOLS["KillShell"].run({"shell_id": "bash_1"}, ctx)
