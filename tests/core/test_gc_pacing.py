"""The GC pacer: no automatic full passes while streaming, full passes at quiet moments or at
the latest every max_gap_s, the interpreter's thresholds back when streaming stops."""

from __future__ import annotations

import gc

import pytest

from tests.helpers.gc import honours_old_threshold
from tui.core.gc_pacing import NEVER, GcPacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def pacer(clock: Clock, passes: list[float], thresholds: list[tuple[int, int, int]]) -> GcPacer:
    def set_threshold(a: int, b: int, c: int) -> None:
        thresholds.append((a, b, c))

    return GcPacer(
        quiet_s=0.8,
        min_gap_s=2.0,
        max_gap_s=6.0,
        young=5000,
        clock=clock,
        collect=lambda: passes.append(clock.now),
        get_threshold=lambda: thresholds[-1],
        set_threshold=set_threshold,
    )


def test_streaming_turns_full_passes_off_and_the_end_gives_them_back() -> None:
    clock, passes, thresholds = Clock(), [], [(700, 10, 10)]
    p = pacer(clock, passes, thresholds)
    p.tick(streaming=False)
    assert thresholds == [(700, 10, 10)] and not passes  # nothing streams: untouched
    p.tick(streaming=True)
    assert thresholds[-1] == (5000, 10, NEVER)  # young generations still collected
    clock.now += 0.25
    p.tick(streaming=False)
    assert thresholds[-1] == (700, 10, 10)
    assert passes == [clock.now]  # the garbage kept back is collected at once
    assert not p.paced


def test_a_user_who_keeps_typing_gets_a_pass_only_every_max_gap() -> None:
    clock, passes, thresholds = Clock(), [], [(700, 10, 10)]
    p = pacer(clock, passes, thresholds)
    p.tick(streaming=True)
    start = clock.now
    for _ in range(int(13 / 0.25)):  # 13 s of ticks, a key every tick
        clock.now += 0.25
        p.input()
        p.tick(streaming=True)
    assert passes == [start + 6.0, start + 12.0]


def test_quiet_moments_get_the_passes_but_not_more_often_than_min_gap() -> None:
    clock, passes, thresholds = Clock(), [], [(700, 10, 10)]
    p = pacer(clock, passes, thresholds)
    p.input()
    p.tick(streaming=True)
    start = clock.now
    for _ in range(int(5 / 0.25)):  # 5 s of streaming, nobody typing
        clock.now += 0.25
        p.tick(streaming=True)
    assert passes == [start + 2.0, start + 4.0]


def test_a_key_defers_the_pass_until_the_user_pauses() -> None:
    clock, passes, thresholds = Clock(), [], [(700, 10, 10)]
    p = pacer(clock, passes, thresholds)
    p.tick(streaming=True)
    clock.now += 2.5
    p.input()
    p.tick(streaming=True)
    assert not passes  # due, but a key was just pressed
    clock.now += 0.5
    p.tick(streaming=True)
    assert not passes
    clock.now += 0.5
    p.tick(streaming=True)
    assert len(passes) == 1


@pytest.mark.skipif(not honours_old_threshold(), reason="incremental GC: nothing to pace")
def test_the_real_collector_is_restored() -> None:
    before = gc.get_threshold()
    p = GcPacer()
    p.tick(streaming=True)
    try:
        assert gc.get_threshold() == (p.young, before[1], NEVER)
    finally:
        p.resume()
    assert gc.get_threshold() == before
    assert p.full_passes == 1


def test_two_overlapping_pacers_do_not_leave_full_passes_off() -> None:
    clock, passes, thresholds = Clock(), [], [(700, 10, 10)]
    first, second = pacer(clock, passes, thresholds), pacer(clock, passes, thresholds)
    first.tick(streaming=True)
    second.tick(streaming=True)  # saves the first one's (young, 10, NEVER)
    first.tick(streaming=False)
    second.tick(streaming=False)
    assert thresholds[-1] == (700, 10, 10)


def test_an_interpreter_that_ignores_the_old_threshold_is_left_alone() -> None:
    """CPython's incremental collector (3.14+) reads back 0 for the third threshold."""
    clock, passes, thresholds = Clock(), [], [(2000, 10, 0)]

    def set_threshold(a: int, b: int, c: int) -> None:
        thresholds.append((a, b, 0))

    p = GcPacer(
        clock=clock,
        collect=lambda: passes.append(clock.now),
        get_threshold=lambda: thresholds[-1],
        set_threshold=set_threshold,
    )
    p.tick(streaming=True)
    assert thresholds[-1] == (2000, 10, 0) and not p.paced and not p.works
    clock.now += 10
    p.tick(streaming=True)
    p.tick(streaming=False)
    assert not passes and thresholds[-1] == (2000, 10, 0)
