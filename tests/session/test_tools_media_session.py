"""An image or PDF the model reads goes to the API as content blocks in the tool_result; the
history stores the data once (in the conversation, not again in the events), and the transcript,
export, headless output and resume handle a result that is a list of blocks without ever
showing base64."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers import media_files as mf
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.events import ToolResult
from tui.core.session.export import to_json_lines, to_markdown
from tui.core.session.store import SessionStore
from tui.core.session.transcript import ToolBlock, from_events


async def test_image_and_pdf_reach_the_next_request_as_blocks(
    api: FakeAPI, make_session, workdir: Path, store: SessionStore
) -> None:
    image = mf.png(800, 600, noise=True)  # ~1.4 MB
    paper = mf.pdf(2)
    (workdir / "screen.png").write_bytes(image)
    (workdir / "paper.pdf").write_bytes(paper)
    api.script(
        reply(
            tool_use("i1", "Read", {"file_path": str(workdir / "screen.png")}),
            tool_use("p1", "Read", {"file_path": "paper.pdf"}),
            tool_use("n1", "Read", {"file_path": "nb.ipynb"}),
        ),
        reply(text("A noisy picture and a two-page paper.")),
    )
    (workdir / "nb.ipynb").write_bytes(mf.notebook_bytes())
    session = make_session(make_definition(mode="default"))
    events = await drain(session.send("look at these"))
    assert api.rejected == []
    results = api.requests[1].body["messages"][-1]["content"]
    by_id = {r["tool_use_id"]: r for r in results}
    img = by_id["i1"]["content"]
    assert img[1] == {
        "type": "image",
        "source": {
            "type": "base64",
            "media_type": "image/png",
            "data": base64.b64encode(image).decode(),
        },
    }
    assert "800×600" in img[0]["text"]
    doc = by_id["p1"]["content"][1]
    assert doc["type"] == "document" and doc["source"]["media_type"] == "application/pdf"
    assert base64.b64decode(doc["source"]["data"]) == paper
    assert isinstance(by_id["n1"]["content"], str) and "## Cell 2 · code" in by_id["n1"]["content"]

    # what is shown (events, headless, the session view): a summary, never base64
    shown = {r.tool_use_id: r.output for r in of_type(events, ToolResult)}
    assert shown["i1"].endswith("[image: image/png, 1.4 MB]") and "iVBOR" not in shown["i1"]
    assert "[document: application/pdf" in shown["p1"] and "JVBER" not in shown["p1"]
    transcript = from_events(store.events(session.id), "completed")
    tools = {b.tool_use_id: b for b in transcript.blocks if isinstance(b, ToolBlock)}
    assert tools["i1"].output == shown["i1"]

    # stored once: the conversation holds the data, the events and tool_calls do not
    data = base64.b64encode(image).decode()
    with sqlite3.connect(store.path) as db:
        in_messages = db.execute(
            "SELECT COUNT(*) FROM messages WHERE content LIKE ?", (f"%{data[:64]}%",)
        ).fetchone()[0]
        in_events = db.execute(
            "SELECT COUNT(*) FROM events WHERE payload LIKE ?", (f"%{data[:64]}%",)
        ).fetchone()[0]
    assert (in_messages, in_events) == (1, 0)
    assert all("iVBOR" not in str(c["output"]) for c in store.tool_calls(session.id))
    exported = to_markdown(store, session.id) or ""
    lines = to_json_lines(store, session.id) or ""
    assert "[image: image/png, 1.4 MB]" in exported
    assert data[:64] not in exported and data[:64] not in lines
    assert "omitted_bytes" in lines
    await session.aclose()

    # resume: the conversation sent again holds the image itself, and the API accepts it
    api.script(reply(text("Still the same picture.")))
    again = AgentSession.resume(
        store, session.id, make_definition(), SessionConfig(base_url=api.url)
    )
    await drain(again.send("and now?"))
    await again.aclose()
    assert api.rejected == []
    resent = api.requests[-1].body["messages"]
    blocks = [b for m in resent for b in m["content"] if b.get("type") == "tool_result"]
    assert any(
        isinstance(b["content"], list) and b["content"][1].get("source", {}).get("data") == data
        for b in blocks
    )


async def test_a_bad_image_is_an_error_result_and_the_session_goes_on(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "half.png").write_bytes(mf.png(64, 64)[:-40])
    api.script(
        reply(tool_use("i1", "Read", {"file_path": "half.png"})),
        reply(text("The file is damaged.")),
    )
    session = make_session(make_definition(mode="default"))
    events = await drain(session.send("what is in half.png"))
    result = of_type(events, ToolResult)[0]
    assert result.is_error and "truncated or corrupt" in result.output
    assert api.rejected == [] and session.status == "completed"
    sent = api.requests[1].body["messages"][-1]["content"][0]
    assert sent["is_error"] is True and isinstance(sent["content"], str)


async def test_the_fake_api_refuses_what_the_real_one_would(api: FakeAPI) -> None:
    import anthropic

    client = anthropic.AsyncAnthropic(api_key="test-key", base_url=api.url, max_retries=0)
    call = {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": "t1", "name": "Read", "input": {}}],
    }
    fake_png = {
        "type": "image",
        "source": {
            "type": "base64",
            "media_type": "image/png",
            "data": base64.b64encode(b"just text, not a PNG").decode(),
        },
    }
    messages = [
        {"role": "user", "content": "read it"},
        call,
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [fake_png]}],
        },
    ]
    try:
        await client.messages.create(model="m", max_tokens=10, messages=messages)  # type: ignore[arg-type]
    except anthropic.BadRequestError as exc:
        assert "does not match the provided media type image/png" in str(exc)
    else:
        raise AssertionError("the fake API accepted an image that is not one")
    finally:
        await client.close()
    assert api.rejected and "content.0" in api.rejected[0]
