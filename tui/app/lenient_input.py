"""Bytes from the terminal that are not UTF-8 (a Latin-1 terminal's "é", a binary paste)
become U+FFFD instead of ending Roster. Textual's input thread decodes them strictly: one bad
byte made the app panic, an editor's unsaved edits lost with it (Textualize/textual#6456,
open). Its drivers call `getincrementaldecoder("utf-8")()` from their module's namespace:
that name is replaced there by one whose decoders replace what they cannot decode."""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable


def _replacing(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
    factory = codecs.getincrementaldecoder(encoding)

    def make(errors: str = "strict") -> codecs.IncrementalDecoder:
        return factory("replace" if errors == "strict" else errors)

    return make


def make_lenient(driver_class: type) -> None:
    """Make the input decoding of `driver_class` (a Textual driver) replace, not raise.
    Idempotent; a driver that decodes another way is left alone."""
    module = sys.modules.get(driver_class.__module__)
    if getattr(module, "getincrementaldecoder", None) is codecs.getincrementaldecoder:
        setattr(module, "getincrementaldecoder", _replacing)  # noqa: B010 (a module global)
