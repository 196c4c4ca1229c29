""" "Allow for this whole run": an approval given to any session of a delegation tree holds for
the root and every session below it, for this run only, and never beyond the rules or a
child's narrowed mode. "This session" stays per child session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI
from tests.helpers.delegation import (
    catalog,
    drain_tree,
    fan_out_defs,
    of_child,
    script_fan_out,
)
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.events import (
    ChildEvent,
    Decision,
    DecisionKind,
    Event,
    PermissionDecided,
    PermissionNeeded,
    ToolResult,
)
from tui.core.session.store import SessionStore


def root(api: FakeAPI, workdir: Path, store: SessionStore, defs, **config) -> AgentSession:
    cfg = SessionConfig(base_url=api.url, retry_base_s=0.01, subagents=catalog(*defs[1:]), **config)
    return AgentSession(defs[0], workdir, cfg, store)


class Answers:
    """Answers the first prompt with `first`, any later one with allow once; records them."""

    def __init__(self, first: DecisionKind) -> None:
        self.first = first
        self.asked: list[PermissionNeeded] = []

    def __call__(self, request: PermissionNeeded) -> Decision:
        self.asked.append(request)
        return Decision(self.first if len(self.asked) == 1 else "allow_once")


async def play(session: AgentSession, answers: Answers) -> list[Event]:
    try:
        return await drain_tree(session.send("fan out"), answers)
    finally:
        await session.aclose()


def bash_results(events: list[Event]) -> dict[str, ToolResult]:
    inner = [e.event if isinstance(e, ChildEvent) else e for e in events]
    return {e.tool_use_id: e for e in inner if isinstance(e, ToolResult) and e.name == "Bash"}


async def test_whole_run_approval_holds_for_every_session_of_the_run_and_not_the_next(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    defs = fan_out_defs()
    script_fan_out(api, "echo hi")
    answers = Answers("allow_run")
    events = await play(root(api, workdir, store, defs), answers)
    # child-a asked, with "for this whole run" offered; child-b and the root did not ask
    assert [r.tool_use_id for r in answers.asked] == ["a1"]
    assert answers.asked[0].whole_run and answers.asked[0].session_scope
    results = bash_results(events)
    assert {k: r.is_error for k, r in results.items()} == {"a1": False, "b1": False, "o1": False}
    assert all(r.output.strip() == "hi" for r in results.values())
    automatic = [e.event for e in of_child(events, PermissionDecided) if e.event.automatic]
    assert [(d.tool_use_id, d.reason) for d in automatic] == [("b1", "allowed for this whole run")]
    # a second run (a new root session) asks again
    script_fan_out(api, "echo hi", run=2)
    again = Answers("allow_once")
    await play(root(api, workdir, store, defs), again)
    assert [r.tool_use_id for r in again.asked] == ["a1", "b1", "o1"]


async def test_this_session_stays_per_child(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    script_fan_out(api, "echo hi")
    answers = Answers("allow_session")
    await play(root(api, workdir, store, fan_out_defs()), answers)
    assert [r.tool_use_id for r in answers.asked] == ["a1", "b1", "o1"]


@pytest.mark.parametrize(
    ("rules", "asked", "b_denied"),
    [
        ({"deny_rules": ("Bash(echo secret)",)}, ["a1"], True),
        ({"ask_rules": ("Bash(echo secret)",)}, ["a1", "b1"], False),
    ],
    ids=["deny-rule", "ask-rule"],
)
async def test_rules_still_win_over_a_whole_run_approval(
    api: FakeAPI,
    workdir: Path,
    store: SessionStore,
    rules: dict[str, tuple[str, ...]],
    asked: list[str],
    b_denied: bool,
) -> None:
    # child-a's `echo hi` is approved for the run as `echo:*`, which covers `echo secret`
    script_fan_out(api, "echo hi", b_command="echo secret")
    answers = Answers("allow_run")
    events = await play(root(api, workdir, store, fan_out_defs(), **rules), answers)
    assert [r.tool_use_id for r in answers.asked] == asked
    result = bash_results(events)["b1"]
    assert result.is_error is b_denied
    if b_denied:
        assert "denied by the rule `Bash(echo secret)`" in result.output


async def test_a_whole_run_approval_does_not_lift_a_childs_narrowed_mode(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    # child-b runs in dontAsk (stricter than its parent's default): only pre-allowed calls run
    script_fan_out(api, "echo hi")
    answers = Answers("allow_run")
    events = await play(root(api, workdir, store, fan_out_defs(b_mode="dontAsk")), answers)
    assert [r.tool_use_id for r in answers.asked] == ["a1"]
    result = bash_results(events)["b1"]
    assert result.is_error and "dontAsk mode" in result.output
    assert not bash_results(events)["o1"].is_error  # the root (default) is covered


async def test_a_lone_session_is_not_offered_a_whole_run(make_session, api: FakeAPI) -> None:
    from tests.fakeapi import reply, text, tool_use
    from tests.helpers.session import make_definition

    api.script(reply(tool_use("t1", "Bash", {"command": "echo hi"})), reply(text("ok")))
    session = make_session(make_definition(tools=("Bash",)))
    answers = Answers("allow_once")
    await drain_tree(session.send("go"), answers)
    assert len(answers.asked) == 1 and not answers.asked[0].whole_run
    assert answers.asked[0].session_scope  # "this session" is still offered


async def test_a_resumed_root_asks_again_like_session_approvals(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    defs = fan_out_defs()
    script_fan_out(api, "echo hi")
    first = root(api, workdir, store, defs)
    await play(first, Answers("allow_run"))
    script_fan_out(api, "echo hi", run=2)
    cfg = SessionConfig(base_url=api.url, retry_base_s=0.01, subagents=catalog(*defs[1:]))
    resumed = AgentSession.resume(store, first.id, defs[0], cfg)
    again = Answers("allow_once")
    await play(resumed, again)
    assert [r.tool_use_id for r in again.asked] == ["a1", "b1", "o1"]
