"""Whether this interpreter honours the old third GC threshold (3.14's incremental collector
does not: then there is nothing to pace)."""

from __future__ import annotations

import gc

from tui.core.gc_pacing import NEVER


def honours_old_threshold() -> bool:
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], NEVER)
    honoured = gc.get_threshold()[2] == NEVER
    gc.set_threshold(*before)
    return honoured
