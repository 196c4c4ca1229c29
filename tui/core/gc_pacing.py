"""When to run the garbage collector's full passes while a session streams.

Streaming text through a terminal UI makes cyclic garbage at a steady rate (Textual's line
strips cache themselves; each new Markdown block builds and drops style nodes). CPython then
starts a full collection every second or so, and each one stops the event loop for 40 to 250
ms: a keypress landing in one waits that long. While anything streams, the pacer turns the
automatic full passes off (young generations are still collected, less often, see `young`) and
runs a full pass itself when the user has not touched the keyboard or mouse for a moment,
or, if they keep typing, every `max_gap_s` at the latest, so memory stays bounded. When
streaming stops, the automatic thresholds come back and one full pass runs at once.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field

NEVER = 1_000_000_000  # gen-1 passes before a full pass is considered: i.e. never
DEFAULT_THRESHOLDS = (700, 10, 10)  # CPython's


@dataclass
class GcPacer:
    quiet_s: float = 0.8  # no input for this long: a full pass will not be felt
    min_gap_s: float = 2.0  # and not more often than this
    max_gap_s: float = 6.0  # at the latest, typing or not
    # allocations between young collections while paced (CPython's default is 700): most of
    # a repaint's cyclic garbage then dies young instead of waiting in the old generation
    # for a full pass. Measured (bench_session_ui.py, 20k tokens, five runs each): keypress
    # p95 36-51 ms with 700, 2.5-5.4 ms with 5,000; young passes then take up to ~25 ms.
    young: int = 5000
    clock: Callable[[], float] = time.monotonic
    collect: Callable[[], object] = gc.collect
    get_threshold: Callable[[], tuple[int, int, int]] = gc.get_threshold
    set_threshold: Callable[[int, int, int], None] = gc.set_threshold
    paced: bool = False
    works: bool = True  # False once the interpreter turned out not to honour the thresholds
    full_passes: int = 0
    _saved: tuple[int, int, int] | None = field(default=None, repr=False)
    _last_input: float = field(default=float("-inf"), repr=False)
    _last_full: float = field(default=0.0, repr=False)

    def input(self) -> None:
        """The user pressed a key or used the mouse."""
        self._last_input = self.clock()

    def tick(self, streaming: bool) -> None:
        """Called a few times a second with whether any session is streaming."""
        now = self.clock()
        if streaming and not self.paced:
            if not self.works:
                return
            saved = self.get_threshold()
            if saved[2] == NEVER:  # another pacer (another app in this process) is on
                saved = DEFAULT_THRESHOLDS
            self._saved = saved
            self.set_threshold(self.young, saved[1], NEVER)
            if self.get_threshold()[2] != NEVER:
                # an incremental collector (CPython 3.14+) ignores the old generation's
                # threshold and has no long full-heap pauses to pace: leave it alone
                self.set_threshold(*saved)
                self.works = False
                return
            self.paced = True
            self._last_full = now
            return
        if not self.paced:
            return
        if not streaming:
            self.resume()
            return
        since_full = now - self._last_full
        quiet = now - self._last_input >= self.quiet_s
        if since_full >= self.max_gap_s or (quiet and since_full >= self.min_gap_s):
            self._full(now)

    def resume(self) -> None:
        """Give full passes back to the interpreter (and run one now)."""
        if not self.paced:
            return
        if self._saved is not None:
            self.set_threshold(*self._saved)
        self.paced = False
        self._full(self.clock())

    def _full(self, now: float) -> None:
        self.collect()
        self.full_passes += 1
        self._last_full = now
