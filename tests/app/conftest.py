"""Fixtures for the app tests (the helpers they share are in tests/helpers/app.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.roots import Root, RootKind


@pytest.fixture(autouse=True)
def _no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def tmp_root(tmp_path: Path) -> Root:
    path = tmp_path / "agents"
    path.mkdir()
    return Root(path, RootKind.EXTRA, 2)
