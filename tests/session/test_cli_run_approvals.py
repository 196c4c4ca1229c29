""" "For this whole run" on `roster run`'s terminal question: `r` answers child-a's prompt for
every agent of the run (child-b and the root do not ask); the next run asks again; a deny rule
still refuses."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI
from tests.helpers.cli_run import parse
from tests.helpers.delegation import fan_out_defs, script_fan_out
from tui.cli.run import run_command


class Terminal(io.StringIO):
    """Answers typed on a terminal (`roster run` asks only when stdin is one)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def env_api(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> FakeAPI:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    return api


def run(monkeypatch: pytest.MonkeyPatch, typed: str, workdir: Path, *extra: str) -> int:
    found = {d.name: d for d in fan_out_defs()}
    listing = lambda: [(n, d.description or "") for n, d in found.items()]  # noqa: E731
    monkeypatch.setattr(sys, "stdin", Terminal(typed))
    argv = ("run", "orchestrator", "fan out", "--cwd", str(workdir), "--json", *extra)
    return run_command(parse(*argv), found.get, listing)


def bash_results(out: str) -> dict[str, dict[str, object]]:
    lines = [json.loads(x) for x in out.splitlines()]
    return {
        str(x["tool_use_id"]): x
        for x in lines
        if x["type"] == "tool_result" and x["name"] == "Bash"
    }


def test_r_approves_for_the_whole_run_and_the_next_run_asks_again(
    env_api: FakeAPI,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    script_fan_out(env_api, "echo hi")
    assert run(monkeypatch, "r\n", workdir) == 0
    out, err = capsys.readouterr()
    assert err.count("Allow?") == 1 and "asked by orchestrator › child-a" in err
    assert "[r] for this whole run" in err
    results = bash_results(out)
    assert {k: r["is_error"] for k, r in results.items()} == {"a1": False, "b1": False, "o1": False}
    script_fan_out(env_api, "echo hi", run=2)
    assert run(monkeypatch, "y\ny\ny\n", workdir) == 0
    assert capsys.readouterr().err.count("Allow?") == 3


def test_a_deny_rule_still_refuses_after_a_whole_run_approval(
    env_api: FakeAPI,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    script_fan_out(env_api, "echo hi", b_command="echo secret")
    code = run(monkeypatch, "r\n", workdir, "--disallowedTools", "Bash(echo secret)")
    out, err = capsys.readouterr()
    assert code == 0 and err.count("Allow?") == 1
    b1 = bash_results(out)["b1"]
    assert b1["is_error"] and "denied by the rule `Bash(echo secret)`" in str(b1["output"])
