"""Issue 13 item 9: the demo never writes into the user's folder unless they choose it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.cli_run import run_cli


def test_headless_demo_works_in_a_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "my-project"
    mine.mkdir()
    monkeypatch.chdir(mine)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    argv = ("--demo", "run", "nobody", "add /health", "--permission-mode", "acceptEdits")
    assert run_cli(*argv, names=()) == 0
    assert list(mine.iterdir()) == []  # nothing written where the user stands
    err = capsys.readouterr().err
    found = re.search(r"DEMO working in (\S+)", err)
    assert found is not None
    demo_dir = Path(found.group(1))
    assert (demo_dir / "demo_health.py").exists() and demo_dir.name.startswith("roster-demo-")
