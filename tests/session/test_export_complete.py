"""Issue 13 item 9: export is complete (thinking folded, full tool inputs and results, every
permission decision, notices, the report, usage) and `roster export ID --json` gives the raw
events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, thinking, tool_use
from tests.helpers.cli_run import run_cli
from tests.helpers.session import drain, make_definition
from tui.core.session.events import Decision, PermissionNeeded
from tui.core.session.export import to_json_lines, to_markdown
from tui.core.session.store import SessionStore

LONG = "line with ``` fence\n" + "x" * 5000 + "\nTHE END OF THE FILE"


async def test_markdown_export_keeps_everything(
    api: FakeAPI, make_session, store: SessionStore, workdir: Path
) -> None:
    (workdir / "big.txt").write_text(LONG)
    content = "y" * 600 + "TAIL-OF-CONTENT"
    api.script(
        reply(
            thinking("I should read first."),
            tool_use("r1", "Read", {"file_path": "big.txt"}),
            tool_use("w1", "Write", {"file_path": "new.txt", "content": content}),
        ),
        reply(text("Done.\n\nTASK_COMPLETE: E-1\nSTATUS: completed\nSUMMARY: exported\n")),
    )
    session = make_session(make_definition())

    def answer(request: PermissionNeeded) -> Decision:
        return Decision("deny", "not that file")

    await drain(session.send("export me"), answer)
    md = to_markdown(store, session.id)
    assert md is not None
    assert "<details><summary>Thinking</summary>" in md and "I should read first." in md
    assert "TAIL-OF-CONTENT" in md  # the whole tool input, not 300 characters of it
    assert "THE END OF THE FILE" in md  # the whole result, not 2,000 characters of it
    assert "````" in md  # a result holding ``` gets a longer fence
    assert "read-only tool" in md  # automatic decisions too
    assert "deny (by the user): not that file" in md
    assert "TASK_COMPLETE E-1" in md and "exported" in md
    assert "- Usage:" in md and "*Usage:" in md  # the total in the header, and per response


def test_export_json_gives_the_raw_events(
    api: FakeAPI, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    api.script(reply(text("Hello.\n\nTASK_COMPLETE: J\nSTATUS: completed\n")))
    assert run_cli("run", "tester", "go", "--cwd", str(workdir)) == 0
    capsys.readouterr()
    assert run_cli("history", "--json") == 0
    session_id = json.loads(capsys.readouterr().out)[0]["id"]
    assert run_cli("export", session_id, "--json") == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    types = [e["type"] for e in events]
    assert types[0] == "session_started" and "text_delta" in types and "report_parsed" in types
    assert "usage" in types and all(isinstance(e["at"], float) for e in events)
    store = SessionStore()
    try:
        assert to_json_lines(store, session_id) is not None
        assert to_json_lines(store, "nope") is None
    finally:
        store.close()
