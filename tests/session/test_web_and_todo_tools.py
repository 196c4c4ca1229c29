"""WebSearch/WebFetch as the API's server tools, TodoWrite as a checklist, and tools Roster
cannot provide named at the start instead of dropped silently."""

from __future__ import annotations

from pathlib import Path

from tests.fakeapi import FakeAPI, raw_block, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.events import Notice, ToolInputComplete, ToolResult
from tui.core.session.store import SessionStore
from tui.core.session.transcript import from_events


def session(api: FakeAPI, workdir: Path, store: SessionStore, tools, **config) -> AgentSession:
    definition = make_definition("researcher", tools=tools)
    return AgentSession(definition, workdir, SessionConfig(base_url=api.url, **config), store)


async def test_web_search_is_the_api_server_tool_and_its_blocks_are_kept(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    search = raw_block(
        {"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {}},
        '{"query": "textual tui"}',
    )
    found = raw_block(
        {
            "type": "web_search_tool_result",
            "tool_use_id": "srv_1",
            "content": [
                {
                    "type": "web_search_result",
                    "title": "Textual",
                    "url": "https://textual.textualize.io/",
                    "encrypted_content": "abc",
                    "page_age": None,
                }
            ],
        }
    )
    api.script(reply(search, found, text("Textual is a TUI framework.")), reply(text("more")))
    s = session(api, workdir, store, ("Read", "WebSearch", "WebFetch", "mcp__github__issues"))
    try:
        events = await drain(s.send("what is textual?"))
        await drain(s.send("and?"))
    finally:
        await s.aclose()
    tools = api.requests[0].body["tools"]
    assert {"type": "web_search_20250305", "name": "web_search"} in tools
    assert {"type": "web_fetch_20250910", "name": "web_fetch"} in tools
    started = of_type(events, ToolInputComplete)
    assert started[0].name == "web_search" and started[0].input == {"query": "textual tui"}
    result = of_type(events, ToolResult)[0]
    assert "Textual — https://textual.textualize.io/" in result.output
    # the server blocks go back to the API as they came (no local tool ran, no tool_result)
    sent = api.requests[1].body["messages"][1]["content"]
    assert [b["type"] for b in sent] == ["server_tool_use", "web_search_tool_result", "text"]
    assert sent[0]["input"] == {"query": "textual tui"}
    notice = of_type(events, Notice)
    assert notice and "mcp__github__issues" in notice[0].text
    shown = from_events(store.events(s.id), "completed")  # reopened: the search is a block
    assert any(getattr(b, "name", "") == "web_search" for b in shown.blocks)


async def test_web_tools_can_be_turned_off_and_are_not_offered_unless_listed(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    api.script(reply(text("a")), reply(text("b")))
    off = session(api, workdir, store, ("Read", "WebSearch"), web_tools=False)
    unlisted = session(api, workdir, store, None)
    try:
        await drain(off.send("x"))
        await drain(unlisted.send("y"))
    finally:
        await off.aclose()
        await unlisted.aclose()
    for request in api.requests:
        assert not [t for t in request.body["tools"] if "type" in t]


async def test_todo_write_acknowledges_and_rejects_bad_lists(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    todos = [
        {"content": "Write tests", "status": "completed", "activeForm": "Writing tests"},
        {"content": "Ship", "status": "in_progress", "activeForm": "Shipping"},
    ]
    api.script(
        reply(tool_use("t1", "TodoWrite", {"todos": todos})),
        reply(tool_use("t2", "TodoWrite", {"todos": [{"content": "x", "status": "maybe"}]})),
        reply(text("ok")),
    )
    s = session(api, workdir, store, ("TodoWrite",))
    try:
        events = await drain(s.send("plan"))
    finally:
        await s.aclose()
    good, bad = of_type(events, ToolResult)
    assert not good.is_error and "1 of 2 completed" in good.output
    assert bad.is_error and "status must be one of" in bad.output
    schema = api.requests[0].body["tools"][0]["input_schema"]
    assert schema["properties"]["todos"]["items"]["required"] == [
        "content",
        "status",
        "activeForm",
    ]


async def test_refused_web_tools_are_said_once_and_the_session_goes_on(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    from tests.fakeapi import error

    api.script(error(400, "web_search is not enabled for this organization"), reply(text("fine")))
    s = session(api, workdir, store, ("Read", "WebSearch"))
    try:
        events = await drain(s.send("look it up"))
    finally:
        await s.aclose()
    notices = [n for n in of_type(events, Notice) if n.code == "web_tools_refused"]
    assert len(notices) == 1 and "continuing without WebSearch" in notices[0].text
    assert s.status == "completed"
    assert [t["name"] for t in api.requests[-1].body["tools"]] == ["Read"]
