"""Issue 17.5 in the app: an image the model reads shows in its tool block as a summary (name,
kind, size, dimensions), never as base64, and the session goes on."""

from __future__ import annotations

import base64
from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers import media_files as mf
from tests.helpers.app import SIZE, app_for, launch, plain, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.widgets.session_blocks import ToolView


async def test_an_image_result_shows_as_a_summary(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "scratch"
    work.mkdir()
    image = mf.png(640, 400, noise=True)
    (work / "diagram.png").write_bytes(image)
    api.script(
        reply(tool_use("i1", "Read", {"file_path": "diagram.png"})),
        reply(text("It is a noisy diagram.")),
    )
    agent = writer_agent(tmp_root)  # before the app starts: it lists what is on disk then
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "describe the diagram", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="the session to finish")
        await wait_for(pilot, lambda: bool(view.query(ToolView)), what="the tool block")
        tool = view.query_one(ToolView)
        shown = plain(tool._result)
        assert "diagram.png: PNG image, 640×400" in shown
        assert "[image: image/png, " in shown
        encoded = base64.b64encode(image).decode()
        assert encoded[:40] not in shown and "iVBOR" not in shown
    sent = api.requests[1].body["messages"][-1]["content"][0]["content"]
    assert sent[1]["source"]["data"] == encoded
