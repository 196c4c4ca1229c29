"""The Agent tool: children run concurrently as full sessions, reports come back as tool
results; depth cap, unknown names, failing children, cancel the subtree, narrowed modes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.fakeapi import FakeAPI, error, reply, text, tool_use
from tests.helpers.delegation import agent, catalog, drain_tree, of_child, unwrap
from tests.helpers.session import make_definition, of_type
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.events import (
    ChildEvent,
    PermissionNeeded,
    ReportParsed,
    SessionStarted,
    SubagentStarted,
    ToolResult,
)
from tui.core.session.store import SessionStore

ORCH = "ORCH-7f3"
WA, WB = "WORKER-A-91c", "WORKER-B-2d4"


def call(tool_id: str, subagent: str, prompt: str) -> dict[str, object]:
    return tool_use(
        tool_id, "Agent", {"description": prompt[:20], "prompt": prompt, "subagent_type": subagent}
    )


def tree(api: FakeAPI, workdir: Path, store: SessionStore, *defs, **config) -> AgentSession:
    orchestrator = defs[0]
    config.setdefault("base_url", api.url)
    config.setdefault("retry_base_s", 0.01)
    cfg = SessionConfig(subagents=catalog(*defs[1:]), **config)
    return AgentSession(orchestrator, workdir, cfg, store)


def writer(name: str, marker: str, path: str) -> list:
    return [
        reply(
            tool_use(f"w-{name}", "Write", {"file_path": path, "content": name}), wait_in_flight=2
        ),
        reply(
            text(
                f"Wrote {path}.\n\nTASK_COMPLETE: {name}\nSTATUS: success\n"
                f"ARTIFACTS: [{path}]\nSUMMARY: wrote {path}\n"
            )
        ),
    ]


async def test_two_agent_calls_run_at_once_and_report_back(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH, tools=("Agent(writer-a, writer-b)",))
    a = agent("writer-a", WA, tools=("Write",))
    b = agent("writer-b", WB, tools=("Write", "Read"))
    api.route(
        ORCH,
        reply(call("c1", "writer-a", "write a.txt"), call("c2", "writer-b", "write b.txt")),
        reply(text("Both done.\n\nTASK_COMPLETE: epic\nSTATUS: success\nSUMMARY: ok\n")),
    )
    api.route(WA, *writer("writer-a", WA, "a.txt"))
    api.route(WB, *writer("writer-b", WB, "b.txt"))
    session = tree(api, workdir, store, orch, a, b, permission_mode="acceptEdits")
    try:
        events = await drain_tree(session.send("run the epic"))
    finally:
        await session.aclose()
    assert api.max_in_flight >= 2  # both children were talking to the API at the same time
    assert (workdir / "a.txt").read_text() == "writer-a"
    assert (workdir / "b.txt").read_text() == "writer-b"
    # each child with its own definition's system prompt and tools
    (ra,), (rb,) = api.requests_for(WA)[:1], api.requests_for(WB)[:1]
    assert [t["name"] for t in ra.body["tools"]] == ["Write"]
    assert sorted(t["name"] for t in rb.body["tools"]) == ["Read", "Write"]
    assert ORCH not in str(ra.body["system"])
    # the orchestrator was offered Agent listing only its callable definitions
    agent_param = next(t for t in api.requests_for(ORCH)[0].body["tools"] if t["name"] == "Agent")
    assert "writer-a: writer-a for tests" in agent_param["description"]
    assert agent_param["input_schema"]["required"] == ["description", "prompt", "subagent_type"]
    # both reports came back as tool results, in call order
    results = [e for e in of_type(events, ToolResult)]
    assert [r.tool_use_id for r in results] == ["c1", "c2"]
    assert "report TASK_COMPLETE writer-a: completed" in results[0].output
    assert "report TASK_COMPLETE writer-b: completed" in results[1].output
    assert not any(r.is_error for r in results)
    last = api.requests_for(ORCH)[-1].body["messages"][-1]["content"]
    assert [b["tool_use_id"] for b in last] == ["c1", "c2"]
    report = of_type(events, ReportParsed)
    assert report and report[0].outcome == "completed" and session.status == "completed"
    # children's events come up with their ids and agent path; the history links them
    started = of_type(events, SubagentStarted)
    assert [s.agent for s in started] == ["writer-a", "writer-b"]
    child_reports = of_child(events, ReportParsed)
    assert {e.agent_path for e in child_reports} == {
        ("orchestrator", "writer-a"),
        ("orchestrator", "writer-b"),
    }
    assert all(e.parent_session_id == session.id for e in child_reports)
    linked = store._db.execute(
        "SELECT id, parent_id, parent_tool_use_id FROM sessions WHERE parent_id IS NOT NULL "
        "ORDER BY parent_tool_use_id"
    ).fetchall()
    assert [(r[1], r[2]) for r in linked] == [(session.id, "c1"), (session.id, "c2")]
    assert {r[0] for r in linked} == {s.child_session_id for s in started}


async def test_unknown_subagent_type_lists_the_valid_ones(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH)  # no tools: all, Agent included
    api.route(ORCH, reply(call("c1", "nobody", "x")), reply(text("ok")))
    session = tree(api, workdir, store, orch, agent("writer-a", WA))
    try:
        events = await drain_tree(session.send("go"))
    finally:
        await session.aclose()
    result = of_type(events, ToolResult)[0]
    assert result.is_error and "Unknown agent type 'nobody'" in result.output
    assert "writer-a" in result.output
    assert session.status == "completed"


async def test_agent_restricted_names_and_not_offered_without_it(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH, tools=("Task(writer-a)",))
    api.route(ORCH, reply(call("c1", "writer-b", "x")), reply(text("ok")))
    session = tree(api, workdir, store, orch, agent("writer-a", WA), agent("writer-b", WB))
    try:
        events = await drain_tree(session.send("go"))
    finally:
        await session.aclose()
    result = of_type(events, ToolResult)[0]
    assert result.is_error and "not callable here; valid: writer-a" in result.output
    offered = api.requests_for(ORCH)[0].body["tools"]
    assert "writer-b" not in offered[0]["description"]
    plain = tree(api, workdir, store, agent("reader", "R-1", tools=("Read",)), orch)
    try:
        assert [t.name for t in plain.tools] == ["Read"]
    finally:
        await plain.aclose()


async def test_depth_cap_is_an_error_result(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH)
    middle = agent("writer-a", WA)  # calls another agent: beyond max_depth=1
    api.route(
        ORCH,
        reply(call("c1", "writer-a", "delegate further")),
        reply(text("TASK_COMPLETE: top\nSTATUS: success\nSUMMARY: ok\n")),
    )
    api.route(WA, reply(call("d1", "writer-a", "deeper")), reply(text("could not go deeper")))
    session = tree(api, workdir, store, orch, middle, max_depth=1)
    try:
        events = await drain_tree(session.send("go"))
    finally:
        await session.aclose()
    deep = [e.event for e in of_child(events, ToolResult)]
    assert deep[0].is_error and "limited to 1 levels" in deep[0].output
    top = of_type(events, ToolResult)[0]
    assert not top.is_error and "could not go deeper" in top.output
    assert len(api.requests_for(WA)) == 2 and session.status == "completed"


async def test_a_failing_child_is_an_error_result_and_the_parent_goes_on(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH)
    api.route(
        ORCH,
        reply(call("c1", "writer-a", "x")),
        reply(text("TASK_BLOCKED: top\nBLOCKER: the writer failed\n")),
    )
    api.route(WA, error(401, "bad key"))
    session = tree(api, workdir, store, orch, agent("writer-a", WA))
    try:
        events = await drain_tree(session.send("go"))
    finally:
        await session.aclose()
    result = of_type(events, ToolResult)[0]
    assert result.is_error and "did not finish (error" in result.output
    assert session.status == "completed"
    assert of_type(events, ReportParsed)[0].outcome == "blocked"


async def test_cancel_stops_the_whole_subtree(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH)
    api.route(ORCH, reply(call("c1", "writer-a", "x")))
    api.route(WA, reply(text("working on it " * 20), stall_after=5))
    session = tree(api, workdir, store, orch, agent("writer-a", WA))
    seen: list = []

    async def consume() -> None:
        async for event in session.send("go"):
            seen.append(event)
            if isinstance(event, ChildEvent) and type(event.event).__name__ == "TextDelta":
                session.cancel()

    try:
        await asyncio.wait_for(consume(), 10)
    finally:
        api.release()
        await session.aclose()
    assert session.status == "interrupted"
    child_id = of_type(seen, SubagentStarted)[0].child_session_id
    row = store.get_session(child_id)
    assert row is not None and row.status == "interrupted"
    interrupted = of_type(seen, ToolResult)
    assert interrupted and interrupted[0].is_error and "Interrupted" in interrupted[0].output


async def test_a_child_is_never_more_permissive_than_its_parent(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH)
    bold = agent("writer-a", WA, mode="bypassPermissions", tools=("Write",))
    api.route(ORCH, reply(call("c1", "writer-a", "x")), reply(text("done")))
    api.route(
        WA,
        reply(tool_use("w1", "Write", {"file_path": "x.txt", "content": "x"})),
        reply(text("denied, stopping")),
    )
    session = tree(api, workdir, store, orch, bold)  # parent: default mode
    asked: list[PermissionNeeded] = []

    def deny(request: PermissionNeeded):
        from tui.core.session.events import Decision

        asked.append(request)
        return Decision("deny", "no")

    try:
        events = await drain_tree(session.send("go"), deny)
    finally:
        await session.aclose()
    prompt = of_child(events, PermissionNeeded)
    assert len(asked) == 1 and prompt[0].agent_path == ("orchestrator", "writer-a")
    assert not (workdir / "x.txt").exists()
    started = [unwrap(e) for e in events if type(unwrap(e)).__name__ == "SessionStarted"]
    assert [s.permission_mode for s in started] == ["default", "default"]
    assert store.get_session(of_type(events, SubagentStarted)[0].child_session_id).mode == "default"


async def test_a_child_without_a_mode_or_model_inherits_and_one_with_a_mode_gets_the_stricter(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH, model="opus")
    heir = agent("writer-a", WA, tools=("Write",), model="inherit")  # no permissionMode
    planner = make_definition(
        "writer-b", f"{WB}: you plan.", tools=("Write",), mode="plan", model="haiku"
    )
    api.route(
        ORCH,
        reply(call("c1", "writer-a", "write a"), call("c2", "writer-b", "write b")),
        reply(text("done")),
    )
    for marker, path in ((WA, "a.txt"), (WB, "b.txt")):
        api.route(
            marker,
            reply(tool_use(f"w-{path}", "Write", {"file_path": path, "content": "x"})),
            reply(text("over")),
        )
    session = tree(api, workdir, store, orch, heir, planner, permission_mode="acceptEdits")
    asked: list[PermissionNeeded] = []

    def record(request: PermissionNeeded):
        from tui.core.session.events import Decision

        asked.append(request)
        return Decision("deny")

    try:
        events = await drain_tree(session.send("go"), record)
    finally:
        await session.aclose()
    assert not asked  # acceptEdits inherited: the write ran; plan refuses without asking
    assert (workdir / "a.txt").exists() and not (workdir / "b.txt").exists()
    modes = {e.agent_path[-1]: e.event.permission_mode for e in of_child(events, SessionStarted)}
    assert modes == {"writer-a": "acceptEdits", "writer-b": "plan"}
    refused = [e.event for e in of_child(events, ToolResult) if e.event.tool_use_id == "w-b.txt"]
    assert refused[0].is_error and "plan mode" in refused[0].output
    assert api.requests_for(WA)[0].body["model"] == api.requests_for(ORCH)[0].body["model"]
    assert "haiku" in api.requests_for(WB)[0].body["model"]


async def test_export_nests_the_children_under_their_parent(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    from tui.core.session.export import to_markdown

    orch = agent("orchestrator", ORCH)
    api.route(ORCH, reply(call("c1", "writer-a", "write the note")), reply(text("all done")))
    api.route(WA, reply(text("TASK_COMPLETE: a\nSTATUS: success\nSUMMARY: child text\n")))
    session = tree(api, workdir, store, orch, agent("writer-a", WA))
    try:
        await drain_tree(session.send("go"))
    finally:
        await session.aclose()
    md = to_markdown(store, session.id) or ""
    assert md.startswith(f"# Session {session.id}")
    (child_id,) = [
        r[0] for r in store._db.execute("SELECT id FROM sessions WHERE parent_id=?", (session.id,))
    ]
    assert "**Agent** → `writer-a`: write the note" in md
    assert f"\n## Session {child_id}" in md and "child text" in md
    assert md.index("all done") < md.index(f"## Session {child_id}")


def test_a_huge_library_is_listed_within_bounds() -> None:
    from tui.core.session.delegation import AgentTool
    from tui.core.session.options import Subagents

    pairs = [(f"agent-{i:05d}", "does things " * 50) for i in range(10_000)]
    tool = AgentTool(Subagents(lambda _: None, lambda: pairs), None)
    assert "- agent-00000: does things" in tool.description
    assert "agent-00359" in tool.description and "agent-00360" not in tool.description
    assert "and 9640 more" in tool.description and len(tool.description) < 40_000


async def test_the_model_may_call_it_task_too(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    orch = agent("orchestrator", ORCH, tools=("Task",))
    args = {"description": "x", "prompt": "say hi", "subagent_type": "writer-a"}
    api.route(ORCH, reply(tool_use("c1", "Task", args)), reply(text("ok")))
    api.route(WA, reply(text("hi from the child")))
    session = tree(api, workdir, store, orch, agent("writer-a", WA))
    try:
        events = await drain_tree(session.send("go"))
    finally:
        await session.aclose()
    (result,) = of_type(events, ToolResult)
    assert result.name == "Task" and "hi from the child" in result.output
    assert "no completion report" in result.output and not result.is_error


async def test_a_stricter_mode_of_the_parent_narrows_its_running_children(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    """/mode plan (or Shift+Tab) on a parent while its child runs: the child was left in
    acceptEdits and went on writing files; it is never more permissive than its parent."""
    orch = agent("orchestrator", ORCH)
    api.route(ORCH, reply(call("c1", "writer-a", "x")), reply(text("done")))
    api.route(
        WA,
        reply(tool_use("w1", "Write", {"file_path": "x.txt", "content": "x"}), stall_after=1),
        reply(text("refused, stopping")),
    )
    session = tree(api, workdir, store, orch, agent("writer-a", WA), permission_mode="acceptEdits")
    seen: list = []

    async def consume() -> None:
        async for event in session.send("go"):
            seen.append(event)
            if isinstance(event, SubagentStarted):
                session.set_mode("plan")
                api.release()

    try:
        await asyncio.wait_for(consume(), 10)
    finally:
        api.release()
        await session.aclose()
    assert not (workdir / "x.txt").exists()
    child_id = of_type(seen, SubagentStarted)[0].child_session_id
    assert store.get_session(child_id).mode == "plan"
    results = [e.event for e in of_child(seen, ToolResult)]
    assert results and results[0].is_error and "plan mode" in results[0].output
