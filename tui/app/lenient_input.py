"""What the terminal sends, made safe before Textual's input parser reads it.

- Bytes that are not UTF-8 (a Latin-1 terminal's "é", a binary paste) become U+FFFD. Textual
  decodes them strictly: one bad byte made the app panic, an editor's unsaved edits lost with
  it (Textualize/textual#6456, open).
- The text of a bracketed paste loses its escapes and control characters here. Textual's parser
  reissues what follows an ESC inside a paste as key presses: `\\x1bay` in the clipboard, pasted
  on a permission prompt, pressed `a` and `y` there (allow once), past the app's paste guard.

Textual's drivers call `getincrementaldecoder("utf-8")()` from their module's namespace: that
name is replaced there by one that builds the decoder below.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from typing import Any

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def _clean(text: str) -> str:
    from tui.core.session.block_text import clean_paste  # (only when something is pasted)

    return clean_paste(text)


def _partial_end(text: str) -> int:
    """Length of the longest end of `text` that may be the start of PASTE_END (0: none)."""
    for n in range(min(len(text), len(PASTE_END) - 1), 0, -1):
        if PASTE_END.startswith(text[-n:]):
            return n
    return 0


class InputDecoder:
    """An incremental UTF-8 decoder that replaces what it cannot decode and cleans the body of
    every bracketed paste (the markers stay: Textual still sees one paste)."""

    def __init__(self, errors: str = "strict") -> None:
        replace = "replace" if errors == "strict" else errors
        self._utf8 = codecs.getincrementaldecoder("utf-8")(replace)
        self._in_paste = False
        self._held = ""  # a paste's last characters that may begin its end marker

    def decode(self, data: bytes, final: bool = False) -> str:
        text = self._held + self._utf8.decode(data, final)
        self._held = ""
        out: list[str] = []
        at = 0
        while at < len(text):
            if not self._in_paste:
                start = text.find(PASTE_START, at)
                if start < 0:
                    out.append(text[at:])
                    break
                out.append(text[at : start + len(PASTE_START)])
                at = start + len(PASTE_START)
                self._in_paste = True
                continue
            end = text.find(PASTE_END, at)
            if end < 0:
                body = text[at:]
                keep = 0 if final else _partial_end(body)
                self._held = body[len(body) - keep :]
                out.append(_clean(body[: len(body) - keep]))
                break
            out.append(_clean(text[at:end]) + PASTE_END)
            at = end + len(PASTE_END)
            self._in_paste = False
        return "".join(out)


def _decoder_factory(encoding: str) -> Callable[..., Any]:
    if codecs.lookup(encoding).name == "utf-8":
        return InputDecoder
    factory = codecs.getincrementaldecoder(encoding)
    return lambda errors="strict": factory("replace" if errors == "strict" else errors)


def make_lenient(driver_class: type) -> None:
    """Make the input decoding of `driver_class` (a Textual driver) go through InputDecoder.
    Idempotent; a driver that decodes another way is left alone."""
    module = sys.modules.get(driver_class.__module__)
    if getattr(module, "getincrementaldecoder", None) is codecs.getincrementaldecoder:
        setattr(module, "getincrementaldecoder", _decoder_factory)  # noqa: B010 (a module global)
