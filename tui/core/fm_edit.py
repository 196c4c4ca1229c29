"""Change one frontmatter key in place: only that key's lines change. Comments, key order,
unknown keys, line endings, and the style the file used for lists (comma string, flow list,
block list) are kept. This is what the metadata form writes through."""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from tui.core.cc_loader import AliasBomb, yaml12_load

_KEY_RE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(.*)$")
_NEEDS_QUOTES = re.compile(r"(^[-?:,\[\]{}#&*!|>'\"%@`~=<+.\d\s])|(: )|( #)|(:$)|(\s$)|\t")
# Leading characters only Bun tolerates, tabs, control characters and line breaks: always quoted.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE = re.compile(r"^[,&*!|>%@`]|[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters a double-quoted YAML scalar writes as escapes (line breaks, tabs, controls).
_ESCAPE = re.compile(r"[\\\"\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "y", "n", "null", "~", ""})
Value = str | Sequence[str] | None


class EditError(ValueError):
    """The text has no frontmatter block to edit."""


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _plain_ok(value: str) -> bool:
    """True when `value` written plain reads back as this very string in Claude Code's YAML
    (so the form never adds quotes nobody typed, e.g. to `3d-printer` or `4.x`)."""
    if _UNSAFE.search(value):
        return False  # line breaks and control characters are written as escapes
    if _NEEDS_QUOTES.search(value) is None and value.lower() not in _YAML_WORDS:
        return True  # plain in any YAML
    if value.lower() in _YAML_WORDS or value != value.strip():
        return False
    try:
        data = yaml12_load(f"k: {value}\n")
    except (yaml.YAMLError, AliasBomb, RecursionError):
        return False
    return isinstance(data, dict) and data == {"k": value}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def yaml_scalar(value: str, *, prefer: str = "") -> str:
    """A YAML scalar for `value`: plain when it reads back unchanged, else quoted (keeping the
    file's quote style when it had one). Line breaks and control characters always go in
    double quotes as escapes (a multi-line value written plain broke the frontmatter)."""
    if prefer == "'" and "'" not in value and not _CONTROLS.search(value):
        return f"'{value}'"
    if prefer == '"' or not _plain_ok(value):
        return '"' + _ESCAPE.sub(_escape, value) + '"'
    return value


def _frontmatter_bounds(lines: list[str]) -> tuple[int, int]:
    """Indexes of the opening and closing `---` lines."""
    if not lines or lines[0].rstrip("\r\n").strip() != "---":
        raise EditError("the file has no frontmatter (first line is not ---)")
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() == "---":
            return 0, i
    raise EditError("the frontmatter is never closed with ---")


def _key_span(lines: list[str], start: int, end: int, key: str) -> tuple[int, int] | None:
    """[first, last) lines of `key`: its line and the indented/list lines that follow it."""
    for i in range(start + 1, end):
        m = _KEY_RE.match(lines[i].rstrip("\r\n"))
        if m and m.group(1) == key:
            j = i + 1
            while j < end:
                body = lines[j].rstrip("\r\n")
                if (body and body[0] in " \t") or body.startswith("- "):
                    j += 1
                    continue
                break
            return i, j
    return None


def _style_of(lines: list[str]) -> str:
    """How an existing list value is written: 'comma', 'flow' or 'block'."""
    first = _KEY_RE.match(lines[0].rstrip("\r\n"))
    rest = (first.group(2) if first else "").strip()
    if rest.startswith("["):
        return "flow"
    if not rest and len(lines) > 1:
        return "block"
    return "comma"


def _split_comment(rest: str) -> tuple[str, str]:
    """`sonnet  # fast` -> ("sonnet", "  # fast"), quote-aware."""
    quote = ""
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and i > 0 and rest[i - 1] in " \t":
            j = i
            while j > 0 and rest[j - 1] in " \t":
                j -= 1
            return rest[:j], rest[j:]
    return rest, ""


def _render(key: str, value: Value, style: str, nl: str, old: list[str]) -> list[str]:
    if isinstance(value, str):
        prefer = ""
        comment = ""
        if old:
            m = _KEY_RE.match(old[0].rstrip("\r\n"))
            raw, comment = _split_comment(m.group(2).strip() if m else "")
            prefer = raw[:1] if raw[:1] in ("'", '"') else ""
        return [f"{key}: {yaml_scalar(value, prefer=prefer)}{comment}{nl}"]
    items = list(value or [])
    if style == "block" and items:
        indent = "  "
        if len(old) > 1:
            indent = old[1][: len(old[1]) - len(old[1].lstrip())] or "  "
        return [f"{key}:{nl}", *(f"{indent}- {yaml_scalar(i)}{nl}" for i in items)]
    if style == "flow":
        return [f"{key}: [{', '.join(yaml_scalar(i) for i in items)}]{nl}"]
    if not items:
        return [f"{key}:{nl}"]
    joined = ", ".join(items)
    return [f"{key}: {yaml_scalar(joined)}{nl}"]


def set_key(text: str, key: str, value: Value, *, after: Sequence[str] = ()) -> str:
    """Return `text` with `key` set to `value` (a string, a list, or None to remove the key).

    A new key goes after the last of `after` keys present, else at the end of the frontmatter.
    Lists are written in the style the key already used; new lists use a comma string for
    tools-like keys (what most real files use).
    """
    nl = _newline(text)
    lines = text.splitlines(keepends=True)
    start, end = _frontmatter_bounds(lines)
    span = _key_span(lines, start, end, key)
    if value is None:
        if span is None:
            return text
        return "".join(lines[: span[0]] + lines[span[1] :])
    if span is not None:
        old = lines[span[0] : span[1]]
        new = _render(key, value, _style_of(old), nl, old)
        if new == old:
            return text
        return "".join(lines[: span[0]] + new + lines[span[1] :])
    insert_at = end
    for other in after:
        other_span = _key_span(lines, start, end, other)
        if other_span is not None:
            insert_at = other_span[1]
    style = "flow" if key in ("frameworks", "platforms", "tags", "skills") else "comma"
    new = _render(key, value, style, nl, [])
    return "".join(lines[:insert_at] + new + lines[insert_at:])
