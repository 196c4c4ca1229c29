"""`roster run` of an orchestrator: children's lines prefixed with their agent path, every
`--json` line with session_id / parent_session_id / agent_path, the exit code from the top."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import parse
from tests.helpers.delegation import agent
from tui.cli.run import run_command

ORCH, WA, WB = "ORCH-c11", "WORKER-A-c22", "WORKER-B-c33"


def defs() -> dict:
    return {
        "orchestrator": agent("orchestrator", ORCH, tools=("Agent",)),
        "writer-a": agent("writer-a", WA, tools=("Write",)),
        "writer-b": agent("writer-b", WB, tools=("Write",)),
    }


def run(*argv: str) -> int:
    found = defs()
    listing = lambda: [(n, d.description or "") for n, d in found.items()]  # noqa: E731
    return run_command(parse(*argv), found.get, listing)


def script(api: FakeAPI, top_report: str) -> None:
    call = lambda i, who, what: tool_use(  # noqa: E731
        i, "Agent", {"description": what, "prompt": what, "subagent_type": who}
    )
    api.route(
        ORCH,
        reply(call("c1", "writer-a", "write a.txt"), call("c2", "writer-b", "write b.txt")),
        reply(text(top_report)),
    )
    for marker, name in ((WA, "a"), (WB, "b")):
        api.route(
            marker,
            reply(
                tool_use(f"w{name}", "Write", {"file_path": f"{name}.txt", "content": name}),
                wait_in_flight=2,
            ),
            reply(text(f"Line one of {name}.\nTASK_FAILED: {name}\nERROR: pretend\n")),
        )


@pytest.fixture
def env_api(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> FakeAPI:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    return api


def test_json_lines_carry_session_ids_and_agent_paths(
    env_api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script(env_api, "TASK_COMPLETE: epic\nSTATUS: success\nSUMMARY: both ran\n")
    argv = ("run", "orchestrator", "go", "--cwd", str(workdir), "--json")
    code = run(*argv, "--permission-mode", "acceptEdits")
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    # the children's reports say failed; the exit code comes from the top session's report
    assert code == 0
    assert env_api.max_in_flight >= 2
    assert (workdir / "a.txt").exists() and (workdir / "b.txt").exists()
    events = [x for x in lines if x["type"] != "exit"]
    assert all({"session_id", "parent_session_id", "agent_path"} <= set(x) for x in events)
    top = events[0]["session_id"]
    assert events[0]["parent_session_id"] is None and events[0]["agent_path"] == ["orchestrator"]
    started = {x["agent"]: x["child_session_id"] for x in events if x["type"] == "subagent_started"}
    for name in ("writer-a", "writer-b"):
        mine = [x for x in events if x["session_id"] == started[name]]
        assert mine and all(x["parent_session_id"] == top for x in mine)
        assert all(x["agent_path"] == ["orchestrator", name] for x in mine)
        assert any(x["type"] == "report_parsed" and x["outcome"] == "failed" for x in mine)
    results = [x for x in events if x["type"] == "tool_result" and x["session_id"] == top]
    assert [r["tool_use_id"] for r in results] == ["c1", "c2"]


def test_terminal_output_prefixes_children_with_their_path(
    env_api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script(env_api, "TASK_BLOCKED: epic\nBLOCKER: the writers failed\n")
    argv = ("run", "orchestrator", "go", "--cwd", str(workdir))
    assert run(*argv, "--permission-mode", "acceptEdits") == 2
    out = capsys.readouterr().out
    assert "  [orchestrator › writer-a] Line one of a." in out
    assert "  [orchestrator › writer-b] ⏺ Write(b.txt)" in out
    assert "→ writer-a: write a.txt" in out


def test_history_lists_children_under_the_session_that_started_them(
    env_api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script(env_api, "TASK_COMPLETE: epic\nSTATUS: success\nSUMMARY: both ran\n")
    run("run", "orchestrator", "go", "--cwd", str(workdir), "--permission-mode", "acceptEdits")
    capsys.readouterr()
    assert run("history") == 0
    # a session's first line: id, status, report outcome, agent (children marked ↳)
    heads = [
        line.split()
        for line in capsys.readouterr().out.splitlines()
        if not line.startswith((" ", "id "))
    ]
    assert heads[0][1] == "completed" and heads[0][-1] == "orchestrator"
    assert sorted(h[-2:] for h in heads[1:]) == [["↳", "writer-a"], ["↳", "writer-b"]]
