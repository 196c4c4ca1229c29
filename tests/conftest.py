"""Shared fixtures: isolation from the developer's machine, and the optional shared corpora."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI

PROJECT = Path(__file__).resolve().parents[1]
CORPORA = PROJECT.parent / "shared" / "corpora"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the real ~/.claude/agents, config or data dir."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("ROSTER_DATA_DIR", str(home / "roster-data"))
    monkeypatch.setenv("ROSTER_CONFIG", str(home / "roster-config.toml"))
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not present at {CORPORA} (a fresh clone has no ../shared)")
    return CORPORA


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAPI]:
    """The one fake Messages API (a loopback HTTP+SSE server the real `anthropic` client
    talks to), with the environment pointed at it. A key a test (or its folder's conftest)
    already set is kept."""
    with FakeAPI() as server:
        if not os.environ.get("ANTHROPIC_API_KEY"):
            monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
        yield server
