"""A file whose name is not UTF-8 (any bytes are a valid Linux name) reaches Python as lone
surrogates; a Glob or Grep listing it ended the whole session (UnicodeEncodeError writing the
result to SQLite). The result now carries U+FFFD in its place, and the session goes on. A tool
input with a `\\udcff` escape (model output) is an input error the model is told about."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import parse
from tests.helpers.session import make_definition
from tui.cli.run import run_command


def test_a_non_utf8_file_name_in_a_search_result_does_not_end_the_session(
    api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open(os.path.join(os.fsencode(workdir), b"bad\xff.txt"), "w") as handle:
        handle.write("needle\n")
    api.script(
        reply(
            tool_use("g1", "Glob", {"pattern": "*"}),
            tool_use("g2", "Grep", {"pattern": "needle"}),
            tool_use("r1", "Read", {"file_path": "nothing\udcff.txt"}),
        ),
        reply(text("TASK_COMPLETE: x\nSTATUS: success\n")),
    )
    definition = make_definition(tools=("Glob", "Grep", "Read"))
    argv = ("run", "tester", "go", "--cwd", str(workdir), "--permission-mode", "bypassPermissions")
    code = run_command(parse(*argv), lambda name: definition if name == "tester" else None)
    out = capsys.readouterr().out
    assert code == 0, out
    results = api.requests[1].body["messages"][-1]["content"]
    assert results[0]["content"].endswith("bad\ufffd.txt")
    assert results[1]["content"].endswith("bad\ufffd.txt")
    assert "lone surrogate" in results[2]["content"] and results[2]["is_error"]
    assert "bad\ufffd.txt" in out


def test_a_session_in_a_non_utf8_folder_runs_and_is_listed(
    api: FakeAPI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Before: SQLite refused the folder name (and the API the system prompt holding it), so
    `roster run` in such a folder failed before the first request."""
    monkeypatch.setenv("ROSTER_DATA_DIR", str(tmp_path / "data"))
    folder = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9-latin1"))
    os.mkdir(folder)
    api.script(reply(text("TASK_COMPLETE: x\nSTATUS: success\n")))
    definition = make_definition(tools=("Read",))
    argv = ("run", "tester", "task \udce9", "--cwd", folder, "--permission-mode", "plan")
    code = run_command(parse(*argv), lambda name: definition if name == "tester" else None)
    assert code == 0, capsys.readouterr()
    assert "caf?-latin1" in api.requests[0].body["system"][0]["text"]
    capsys.readouterr()
    assert run_command(parse("history", "--json"), lambda name: None) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["cwd"] == folder  # the real name, bytes and all: resume can go back there
    assert listed[0]["title"].startswith("task ")
    assert run_command(parse("history"), lambda name: None) == 0  # (capsys is strict UTF-8)
    shown = capsys.readouterr().out
    assert "caf\\udce9-latin1" in shown and "task \ufffd" in shown
