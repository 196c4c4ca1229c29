"""Untrusted text made safe to print: control characters become visible escapes, quoted values
are bounded in length. Definition files, model output and tool output pass through here before
they reach a terminal.
"""

from __future__ import annotations

import re

# C0 (except \t and \n), DEL, C1: a terminal acts on these (ESC[2J clears the screen, OSC 52
# writes the clipboard, OSC 8 hides links).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group(0)):02x}"


def visible(text: str) -> str:
    """`text` with every C0/C1 control character and DEL shown as `\\x1b`-style escapes; `\\n`
    and `\\t` are kept. Cheap when there is nothing to escape."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_escape, text)


def visible_line(text: str) -> str:
    """Like `visible`, and also `\\n`/`\\t` escaped: for one-line fields (names, paths)."""
    return visible(text).replace("\n", "\\n").replace("\t", "\\t")


def quote_value(value: object, limit: int = 120) -> str:
    """A value quoted inside a message: one line, visible, at most `limit` characters."""
    text = visible_line(value if isinstance(value, str) else repr(value))
    if len(text) > limit:
        return text[: limit - 1] + "…"
    return text
