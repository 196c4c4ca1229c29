"""Fixtures for engine and CLI tests: the API key, a working folder, a store, a session
factory (the fake API is the root conftest's `api`; helpers are in tests/helpers/session.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakeapi import FakeAPI
from tests.helpers.session import SECRET_KEY, make_definition
from tui.core.definition import AgentDefinition
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.store import SessionStore


@pytest.fixture(autouse=True)
def _api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET_KEY)
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    return root


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    s = SessionStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


@pytest.fixture
async def make_session(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> AsyncIterator[Callable[..., AgentSession]]:
    created: list[AgentSession] = []

    def factory(definition: AgentDefinition | None = None, **config: Any) -> AgentSession:
        config.setdefault("base_url", api.url)
        config.setdefault("retry_base_s", 0.01)
        session = AgentSession(
            definition or make_definition(), workdir, SessionConfig(**config), store
        )
        created.append(session)
        return session

    yield factory
    for session in created:
        await session.aclose()
