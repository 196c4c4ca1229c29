"""The collector pause around Roster's first frame (tui/core/startup_gc.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.core import startup_gc


@pytest.fixture(autouse=True)
def _restore_gc() -> Iterator[None]:
    yield
    startup_gc.resume()
    gc.unfreeze()
    gc.enable()


def test_pause_turns_collection_off_and_resume_brings_it_back() -> None:
    startup_gc.pause()
    assert not gc.isenabled() and startup_gc.paused()
    frozen = gc.get_freeze_count()
    startup_gc.resume()
    assert gc.isenabled() and not startup_gc.paused()
    assert gc.get_freeze_count() > frozen, "what lived at the first frame was not frozen"
    startup_gc.resume()  # twice: nothing more happens
    assert gc.isenabled()


def test_resume_leaves_a_collector_someone_else_turned_off_alone() -> None:
    gc.disable()
    startup_gc.pause()  # already off: not ours to turn back on
    startup_gc.resume()
    assert not gc.isenabled()
