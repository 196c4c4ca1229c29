"""One truth for usage (issue 13, item 7): input (new + cache read + cache write), output and
cost, cache writes priced, identical in the status line, history, export and --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.cli_run import run_cli
from tui.core.session.pricing import cost_usd
from tui.core.session.store import SessionStore, default_db_path
from tui.core.session.transcript import from_events

REPORT = "\n\nTASK_COMPLETE: t\nSTATUS: success\n"
LINE = "2,500 in (1,400 new · 700 cache read · 400 cache write) · 350 out · $0.0112"


def test_one_usage_figure_everywhere(
    api: FakeAPI,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    usage = {"input_tokens": 1400, "cache_read": 700, "cache_creation": 400, "output_tokens": 350}
    api.script(reply(text("Done." + REPORT), **usage))
    assert run_cli("run", "tester", "go", "--cwd", str(workdir), "--json") == 0
    exit_line = json.loads(capsys.readouterr().out.splitlines()[-1])
    expected_cost = cost_usd(
        "claude-sonnet-5-5",
        input_tokens=1400,
        output_tokens=350,
        cache_creation_input_tokens=400,
        cache_read_input_tokens=700,
    )
    assert exit_line["usage"]["input_tokens"] == 2500
    assert exit_line["usage"]["cache_creation_input_tokens"] == 400
    assert exit_line["usage"]["cost_usd"] == pytest.approx(expected_cost)
    assert expected_cost is not None and expected_cost > cost_usd(
        "claude-sonnet-5-5", input_tokens=1400, output_tokens=350, cache_read_input_tokens=700
    )  # cache writes are priced

    assert run_cli("history", "--json") == 0
    row_json = json.loads(capsys.readouterr().out)[0]
    assert row_json["usage"] == exit_line["usage"]
    assert run_cli("export", row_json["id"]) == 0
    assert f"- Usage: {LINE}" in capsys.readouterr().out

    store = SessionStore(default_db_path())
    try:
        row = store.get_session(row_json["id"])
        assert row is not None and row.totals().line() == LINE
        transcript = from_events(store.events(row.id), row.status)
    finally:
        store.close()
    assert transcript.stats.totals().line() == LINE
    from tui.widgets.status_line import render_status

    status = render_status("tester", transcript, now=0).plain
    assert "2.5k in (700 cache read · 400 cache write) · 350 out · $0.0112" in status
    # the context meter: the conversation after the last response, of the model's window
    assert transcript.context_tokens == 2500 + 350
    assert "context 2.9k/200k (1%)" in status

    assert run_cli("history") == 0
    assert "2,500/350" in capsys.readouterr().out
