"""Issue 14's "Done when" in the app: the orchestrator's two Agent calls in one message run at
once as blocks, both children's Write prompts are answered from the parent's screen, both files
exist, the children are nested under the parent in the list and the parent reports completed;
and one Esc stops the whole subtree."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, write_agent
from tui.core.roots import Root
from tui.widgets.permission_prompt import PermissionPrompt

ORCH, WA, WB = "ORCH-RUN-APP-1a", "WRITER-A-APP-2b", "WRITER-B-APP-3c"


def agents(root: Root) -> Path:
    orch = write_agent(root.path, "orchestrator", extra="tools: Agent\n", body=f"{ORCH}\n")
    for name, marker in (("writer-a", WA), ("writer-b", WB)):
        write_agent(root.path, name, extra="tools: Write\n", body=f"{marker}\n")
    return orch


def call(tool_id: str, who: str, what: str) -> dict[str, object]:
    return tool_use(tool_id, "Agent", {"description": what, "prompt": what, "subagent_type": who})


def listed(app: object) -> list[str]:
    options = app.screen.query_one("#session-list", OptionList)  # type: ignore[attr-defined]
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_two_children_run_at_once_and_the_parent_reports_completed(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    orch = agents(tmp_root)
    api.route(
        ORCH,
        reply(call("c1", "writer-a", "write a.txt"), call("c2", "writer-b", "write b.txt")),
        reply(text("Both written.\n\nTASK_COMPLETE: epic\nSTATUS: success\nSUMMARY: two\n")),
    )
    for marker, name in ((WA, "a"), (WB, "b")):
        api.route(
            marker,
            reply(
                tool_use(f"w{name}", "Write", {"file_path": f"{name}.txt", "content": name}),
                wait_in_flight=2,
            ),
            reply(text(f"TASK_COMPLETE: {name}\nSTATUS: success\nSUMMARY: wrote {name}.txt\n")),
        )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, orch, "two pages", work)
        live = view.live
        assert live is not None
        answered: set[str] = set()
        while len(answered) < 2:  # each child's Write, asked on the parent's screen
            await wait_for(
                pilot,
                lambda: any(
                    p.block.tool_use_id not in answered for p in view.query(PermissionPrompt)
                ),
                what="a child's prompt",
            )
            prompt = next(
                p for p in view.query(PermissionPrompt) if p.block.tool_use_id not in answered
            )
            assert prompt.block.name.startswith("orchestrator › writer-")
            lines = listed(app)
            assert sum("↳ writer-" in x for x in lines) == 2  # both nested under the parent
            prompt.focus()
            await wait_for(pilot, lambda p=prompt: p.has_focus, what="focus")  # type: ignore[misc]
            await pilot.press("y")
            answered.add(prompt.block.tool_use_id)
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert api.max_in_flight >= 2
        assert (work / "a.txt").read_text() == "a" and (work / "b.txt").read_text() == "b"
        report = live.transcript.report
        assert report is not None and report.outcome == "completed"
        assert sorted(report.children) == [
            ("writer-a", "completed", "completed"),
            ("writer-b", "completed", "completed"),
        ]
        await pilot.pause()
        lines = listed(app)
        parent = next(i for i, x in enumerate(lines) if "orchestrator" in x)
        children = [x for x in lines[parent + 1 :] if "↳ writer-" in x]
        assert len(children) == 2 and all("completed" in x for x in children)


async def test_one_escape_interrupts_the_parent_and_its_streaming_child(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    orch = agents(tmp_root)
    api.route(ORCH, reply(call("c1", "writer-a", "write a.txt")))
    api.route(WA, reply(text("Thinking about the page " * 10), stall_after=6))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, orch, "one page", work)
        live = view.live
        assert live is not None
        await wait_for(
            pilot,
            lambda: any(r.latest for r in live.transcript.agent_runs.values()),
            what="the child streaming",
        )
        view.focus_input()
        await pilot.press("escape")
        await wait_for(pilot, lambda: not live.running, what="interrupted")
        api.release()
        assert live.session.status == "interrupted"
        (run,) = live.transcript.agent_runs.values()
        row = app.sessions.store.get_session(run.session_id)
        assert row is not None and row.status == "interrupted"
        assert run.state == "interrupted"
