""" "For this whole run" in the app: a child's prompt offers it (key `r`, shown in the prompt),
and once chosen the other child and the root run the same command without asking; a new run
asks again."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button

from tests.fakeapi import FakeAPI
from tests.helpers.app import SIZE, app_for, launch, plain, settle, wait_for, write_agent
from tests.helpers.delegation import CHILD_A, CHILD_B, ORCH_RUN, script_fan_out
from tui.core.roots import Root
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.session_view import SessionView


def asked(view: SessionView) -> list[str]:
    live = view.live
    assert live is not None
    return [b.tool_use_id for b in live.transcript.blocks if getattr(b, "ask", None)]


async def test_whole_run_key_answers_every_agent_of_the_run(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    orch = write_agent(tmp_root.path, "orchestrator", extra="tools: Agent, Bash\n", body=ORCH_RUN)
    for name, marker in (("child-a", CHILD_A), ("child-b", CHILD_B)):
        write_agent(tmp_root.path, name, extra="tools: Bash\n", body=f"{marker}\n")
    script_fan_out(api, "echo hi")
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, orch, "fan out", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="child prompt")
        prompt = view.query_one(PermissionPrompt)
        assert prompt.block.tool_use_id == "a1"
        assert "orchestrator › child-a · Bash" in prompt.block.name
        scope = plain(prompt.query_one(".permission-scope"))
        assert "`echo:*`" in scope and "whole run (r)" in scope
        assert "Whole run (r)" in [str(b.label) for b in prompt.query(Button)]
        await wait_for(pilot, lambda: prompt.has_focus, what="focus")
        await pilot.press("r")
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert asked(view) == ["a1"]  # child-b and the orchestrator itself did not ask
        assert live.session.status == "completed"
        agent_blocks = [b for b in live.transcript.blocks if getattr(b, "agent", None)]
        assert [b.agent.state for b in agent_blocks] == ["completed", "completed"]
        # a new run of the same orchestrator asks again
        script_fan_out(api, "echo hi", run=2)
        again = await launch(pilot, orch, "fan out again", work)
        await wait_for(pilot, lambda: bool(again.query(PermissionPrompt)), what="new prompt")
        assert again.query_one(PermissionPrompt).block.tool_use_id == "a1"
        again_live = again.live
        assert again_live is not None
        again_live.session.cancel()
        await wait_for(pilot, lambda: not again_live.running, what="cancelled")
