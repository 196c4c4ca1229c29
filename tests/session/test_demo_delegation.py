"""`roster run l1-phase-orchestrator ... --demo`: the DEMO server plays an L1 orchestrator
sending two L2 specialists out at once, one of which calls an L3 worker; all labelled DEMO."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli_run import parse
from tui.cli.run import run_command
from tui.core.catalog import Catalog
from tui.core.roots import Root, RootKind, bundled_agents_dir


def bundled() -> Catalog:
    root = bundled_agents_dir()
    assert root is not None
    catalog = Catalog([Root(root, RootKind.BUNDLED, 0)])
    catalog.scan(workers=1)
    return catalog


def test_demo_fans_out_to_two_specialists_and_one_calls_a_worker(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = bundled()
    listing = lambda: [(d.name or "", d.description or "") for d in catalog.agents()]  # noqa: E731
    args = parse(
        *("run", "l1-phase-orchestrator", "add a health endpoint", "--demo", "--json"),
        *("--cwd", str(workdir), "--permission-mode", "acceptEdits"),
    )
    assert run_command(args, catalog.find, listing) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert all(x.get("demo") is True for x in lines)
    started = [(x["agent_path"], x["agent"]) for x in lines if x["type"] == "subagent_started"]
    assert (["l1-phase-orchestrator"], "l2-backend-specialist") in started
    assert (["l1-phase-orchestrator"], "l2-docs-writer") in started
    assert (["l1-phase-orchestrator", "l2-backend-specialist"], "l3-test-runner") in started
    worker = [x for x in lines if x["agent_path"][-1:] == ["l3-test-runner"]]
    assert any(x["type"] == "report_parsed" for x in worker)
    assert (workdir / "demo_health.py").exists() and (workdir / "DEMO_HEALTH.md").exists()
    top = [x for x in lines if x["type"] == "report_parsed" and x["parent_session_id"] is None]
    assert top[-1]["kind"] == "ROADMAP_COMPLETE" and top[-1]["outcome"] == "completed"
