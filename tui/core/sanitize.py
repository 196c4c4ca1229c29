"""Untrusted text made safe to print: control characters shown, never interpreted; quoted values
bounded in length. Definition files, model output and tool output pass through here before they
reach a terminal.

    visible("\x1b]0;pwned\x07red\x1b[31m") == "\\x1b]0;pwned\\x07red\\x1b[31m"

Model output, tool output, names and descriptions can carry escape sequences that retitle
the terminal, move the cursor, clear the screen, write the clipboard (OSC 52), hide links
(OSC 8) or fake a permission panel. `visible` keeps newlines and tabs (a CRLF becomes a newline)
and turns every other C0/C1 control character (and DEL, and the Unicode bidirectional overrides
that reorder what is shown) into a visible `\\xNN`/`\\uNNNN` escape.
"""

from __future__ import annotations

import re

# C0 except \t and \n, DEL, C1, bidi embeddings/overrides/isolates, line/paragraph separators,
# and lone surrogates (a file or folder name that is not UTF-8): a strict UTF-8 terminal
# stream cannot even write those
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with control characters made visible; `keep_newlines=False` escapes \\n and \\t
    too (for one-line places such as titles). Cheap when there is nothing to escape."""
    if _CONTROL.search(text) is None:
        out = text
    else:
        out = _CONTROL.sub(_escape, text.replace("\r\n", "\n"))
    if not keep_newlines:
        out = out.replace("\n", "\\n").replace("\t", "\\t")
    return out


def visible_line(text: str) -> str:
    """Like `visible`, and also `\\n`/`\\t` escaped: for one-line fields (names, paths)."""
    return visible(text, keep_newlines=False)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (Unicode control pictures)
    return "\u2421" if code == 0x7F else "\ufffd"  # ␡, or � for C1 and bidi controls


def pictures(text: str) -> str:
    """`text` with each control character replaced by ONE visible character (␛ for ESC): for
    places where positions must not move, such as the editor's rendered lines."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_picture, text)


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def quote_value(value: object, limit: int = 120) -> str:
    """A value quoted inside a message: one line, visible, at most `limit` characters."""
    text = visible_line(value if isinstance(value, str) else repr(value))
    if len(text) > limit:
        return text[: limit - 1] + "…"
    return text


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_line_safe(line: str) -> str:
    """A `json.dumps(..., ensure_ascii=False)` line with DEL, C1 and bidi characters written as
    `\\uXXXX` (json.dumps already escapes C0): same JSON value, nothing a terminal acts on."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
