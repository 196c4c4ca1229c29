"""The garbage collector's part in how fast the first frame shows.

Starting Roster allocates ~60,000 objects (Textual, Rich, the screens, the first rows) and
none of them is garbage yet; CPython still runs its collector over them as they pile up,
including one full pass, ~30 ms of the ~330 ms until the agents are on screen (measured in
tmux, `tests/bench/bench_first_frame.py`). `roster` pauses the collector before Textual is
imported and the app resumes it as soon as the first frame is up: what is alive then is
moved out of the collector's sight (`gc.freeze`, the catalog service's `freeze_heap` runs a
full pass later), so the first automatic pass does not land on the second frame either.
The pause is bounded by the first frame; `resume` is also called when the app ends.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Turn automatic collection off until `resume` (a no-op when it is off already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo `pause`: freeze what lives now, collect automatically again. Idempotent; does
    nothing when `pause` did not turn the collector off (tests, an embedding program)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def paused() -> bool:
    return _paused
