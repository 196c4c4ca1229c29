"""Issue 17 item 1, the engine's side: /compact makes ONE summary request and the next request
carries only the summary; a failed compaction changes nothing; /model changes the next
request's model (and the history row's)."""

from __future__ import annotations

from pathlib import Path

from tests.fakeapi import FakeAPI, error, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.events import Notice, SessionError
from tui.core.session.store import SessionStore
from tui.core.session.user_commands import COMPACT_REQUEST, SUMMARY_HEAD

SUMMARY = "The user asked for a plan; the plan is in plan.md. Next: write tests."


async def test_compact_sends_one_summary_request_then_only_the_summary(
    api: FakeAPI, make_session, store: SessionStore, workdir: Path
) -> None:
    api.script(reply(text("First answer.")), reply(text(SUMMARY)), reply(text("Going on.")))
    session: AgentSession = make_session()
    await drain(session.send("make a plan"))
    events = await drain(session.compact())
    assert len(api.requests) == 2  # exactly one request for the summary
    asked = api.requests[1].body["messages"]
    assert [m["role"] for m in asked] == ["user", "assistant", "user"]
    assert asked[-1]["content"] == [{"type": "text", "text": COMPACT_REQUEST}]
    said = [e.code for e in of_type(events, Notice)]
    assert said == ["compact", "compacted"]
    await drain(session.send("go on"))
    fresh = api.requests[2].body["messages"]
    assert fresh == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": SUMMARY_HEAD + SUMMARY},
                {"type": "text", "text": "go on"},
            ],
        }
    ]
    # the history: a resume starts from the summary; the replay still has everything
    await session.aclose()
    resumed = AgentSession.resume(
        store, session.id, make_definition(), SessionConfig(base_url=api.url)
    )
    try:
        assert resumed.messages[0] == fresh[0]
        assert resumed.messages[1]["role"] == "assistant"
        assert len(resumed.messages) == 2
    finally:
        await resumed.aclose()
    kinds = [kind for kind, _p, _at in store.events(session.id)]
    assert kinds.count("user_message") == 2  # "make a plan" and "go on": nothing hidden
    replayed = "".join(
        p.get("text", "") for k, p, _ in store.events(session.id) if k == "text_delta"
    )
    assert SUMMARY in replayed  # the summary stays visible in the transcript


async def test_a_failed_compaction_leaves_the_conversation_as_it_was(
    api: FakeAPI, make_session
) -> None:
    api.script(reply(text("First answer.")), error(400, "bad"), reply(text("Still here.")))
    session: AgentSession = make_session()
    await drain(session.send("hello"))
    before = [dict(m) for m in session.messages]
    events = await drain(session.compact())
    assert of_type(events, SessionError)
    assert session.messages == before
    await drain(session.send("again"))
    assert [m["role"] for m in api.requests[2].body["messages"]] == ["user", "assistant", "user"]


async def test_model_change_takes_effect_on_the_next_request(
    api: FakeAPI, make_session, store: SessionStore
) -> None:
    api.script(reply(text("one")), reply(text("two")))
    session: AgentSession = make_session(make_definition(model="sonnet"))
    await drain(session.send("hi"))
    assert api.requests[0].body["model"] == "claude-sonnet-5-5"
    notice = session.set_model("claude-haiku-5-5", "claude-haiku-5-5 (the alias haiku)")
    assert notice is not None and "haiku" in notice.text
    await drain(session.send("again"))
    assert api.requests[1].body["model"] == "claude-haiku-5-5"
    row = store.get_session(session.id)
    assert row is not None and row.model == "claude-haiku-5-5"


async def test_a_tool_call_instead_of_a_summary_leaves_the_resumed_conversation_as_it_was(
    api: FakeAPI, make_session, store: SessionStore
) -> None:
    """ "Nothing changed" holds for the history too: the attempt (a tool call, no summary) is
    not a message a resume sends (it sent a stray tool_use merged into the last answer)."""
    api.script(
        reply(text("First answer.")),
        reply(tool_use("t9", "Read", {"file_path": "notes.md"})),
        reply(text("Still here.")),
    )
    session: AgentSession = make_session()
    await drain(session.send("hello"))
    events = await drain(session.compact())
    assert [e.kind for e in of_type(events, SessionError)] == ["compact"]
    await drain(session.send("again"))
    await session.aclose()
    resumed = AgentSession.resume(
        store, session.id, make_definition(), SessionConfig(base_url=api.url)
    )
    try:
        assert resumed.messages == session.messages
        assert "t9" not in str(resumed.messages)
    finally:
        await resumed.aclose()


async def test_a_summary_cut_by_the_output_limit_changes_nothing(
    api: FakeAPI, make_session, store: SessionStore
) -> None:
    """A summary that stopped at max_tokens became the whole context, and what it had not
    reached yet was gone without a word."""
    api.script(
        reply(text("First answer.")),
        reply(text("The user asked for"), stop_reason="max_tokens"),
        reply(text("Still here.")),
    )
    session: AgentSession = make_session()
    await drain(session.send("hello"))
    before = [dict(m) for m in session.messages]
    events = await drain(session.compact())
    errors = of_type(events, SessionError)
    assert len(errors) == 1 and "cut off by the output limit" in errors[0].message
    assert session.messages == before
    await drain(session.send("again"))
    assert [m["role"] for m in api.requests[2].body["messages"]] == ["user", "assistant", "user"]
    await session.aclose()
    resumed = AgentSession.resume(
        store, session.id, make_definition(), SessionConfig(base_url=api.url)
    )
    try:
        assert resumed.messages == session.messages
    finally:
        await resumed.aclose()
