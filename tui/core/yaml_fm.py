"""The YAML half of the frontmatter as Claude Code reads it: YAML 1.2 on the C parser, the one
retry after an error, and a line-based reading to show what a skipped file says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from tui.core.cc_loader import (
    MAX_FRONTMATTER_CHARS,
    AliasBomb,
    retry_text,
    yaml12_load,
)

_KEY_RE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$")
_ITEM_RE = re.compile(r"^[ \t]+-[ \t]*(.*)$")
# YAML 1.1 booleans that YAML 1.2 (what Claude Code reads) keeps as strings.
_YAML11_ONLY_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})


class KeyLine(NamedTuple):  # a tuple: built five times per file on a cold scan
    key: str
    line: int  # 1-based line in the file
    raw: str  # the text after `key:` on that line, stripped


@dataclass(slots=True)
class LoadedYaml:
    data: Any  # what the YAML said (a mapping in good files); fallback result on error
    keys: list[KeyLine]
    error: str | None = None  # YAML error message when the loader rejected the text
    error_line: int = 0
    error_column: int = 0
    used_fallback: bool = False
    error_source: str = ""  # the frontmatter line the error points at
    plain: bool = False  # read by the fast path: only plain one-line scalars
    coerced: list[str] = field(default_factory=list)  # keys whose YAML 1.1 bool is text in 1.2
    retried: bool = False  # the first parse failed, Claude Code's retry read it
    quoted_lines: list[int] = field(default_factory=list)  # file lines the retry quoted
    retry_error: str | None = None  # the retry failed too: Claude Code skips the file
    retry_error_line: int = 0
    bomb: bool = False  # aliases expand without bound
    too_large: bool = False  # not parsed at all


_KEY_LINE_RE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+([^\n]*)|[ \t]*)$", re.MULTILINE)


def scan_keys(fm: str, first_line: int) -> list[KeyLine]:
    """Top-level keys with their file line (one regex pass, no per-line Python loop)."""
    keys: list[KeyLine] = []
    line = first_line
    last = 0
    for m in _KEY_LINE_RE.finditer(fm):
        line += fm.count("\n", last, m.start())
        last = m.start()
        keys.append(KeyLine(m.group(1), line, (m.group(2) or "").strip()))
    return keys


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def fallback_parse(fm: str) -> dict[str, Any]:
    """Read top-level `key: value` lines without YAML: quoted or not, lists in brackets or as
    `- item` lines, folded continuation lines. An unclosed `[a, b` reads as an empty list, which
    is what Claude Code does."""
    out: dict[str, Any] = {}
    lines = fm.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _KEY_RE.match(line) if line and line[0] not in " \t#-" else None
        i += 1
        if not m:
            continue
        key, raw = m.group(1), (m.group(2) or "").strip()
        if raw.startswith("[") and raw.endswith("]"):
            out[key] = [_unquote(p.strip()) for p in raw[1:-1].split(",") if p.strip()]
        elif raw.startswith("["):
            out[key] = []
        elif raw in ("", "|", ">", "|-", ">-"):
            items: list[str] = []
            texts: list[str] = []
            while i < len(lines) and lines[i][:1] in (" ", "\t"):
                item = _ITEM_RE.match(lines[i])
                if item:
                    items.append(_unquote(item.group(1).strip()))
                elif lines[i].strip():
                    texts.append(lines[i].strip())
                i += 1
            if items:
                out[key] = items
            elif texts:
                out[key] = ("\n" if raw.startswith("|") else " ").join(texts)
            else:
                out[key] = None
        else:
            out[key] = _unquote(raw)
    return out


def _yaml11_bools(data: dict[Any, Any], keys: list[KeyLine]) -> list[str]:
    """Keys whose unquoted value is a YAML 1.1 boolean word (`yes`, `on`): text in YAML 1.2."""
    raw_by_key = {k.key: k.raw for k in keys}
    return [
        key
        for key, value in data.items()
        if isinstance(key, str)
        and isinstance(value, str)
        and raw_by_key.get(key, "").lower() in _YAML11_ONLY_BOOLS
    ]


# `key: value` where value is a plain scalar YAML reads as exactly this string: no indicator
# first, no `: ` or ` #` inside, no tabs, and nothing the resolvers turn into a number, date or
# merge key (bool and null words are checked separately).
_FAST_LINE_RE = re.compile(
    r"([A-Za-z_][\w.-]*) *: +"
    r"((?![-?:,\[\]{}#&*!|>'\"%@`0-9+.~=<])"  # no indicator, digit or sign first
    r"(?:[^:#\n\t\r\x85\u2028\u2029]|:(?=[^\s])|(?<=[^\s])#)*"  # no `: `, ` #`, breaks
    r"(?<![\s:])) *"
)
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_RESOLVED_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "y", "n", "null", ""})


def fast_load(fm: str, first_line: int = 1) -> tuple[dict[str, Any], list[KeyLine]] | None:
    """The common frontmatter (`key: plain text` lines only) without running the YAML
    constructor, which is pure Python and dominates a cold scan. Returns None whenever the
    text is anything else; then YAML reads it. A property test checks it agrees with YAML."""
    if _NON_PRINTABLE.search(fm):
        return None
    out: dict[str, Any] = {}
    keys: list[KeyLine] = []
    match = _FAST_LINE_RE.fullmatch
    for i, line in enumerate(fm.split("\n")):
        if not line:
            continue
        m = match(line)
        if m is None:
            return None
        key, value = m.group(1, 2)
        if value.lower() in _RESOLVED_WORDS:
            return None
        out[key] = value
        keys.append(KeyLine(key, first_line + i, value))
    return out, keys


def _error_facts(exc: BaseException, fm: str, first_line: int) -> tuple[str, int, int, str]:
    """(message, file line, column, source line) of a YAML error."""
    if isinstance(exc, AliasBomb):
        return str(exc), first_line, 1, ""
    if not isinstance(exc, yaml.YAMLError):
        return f"{type(exc).__name__}: {str(exc)[:120]}", first_line, 1, ""
    line, col = first_line, 1
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line, col = first_line + int(mark.line), int(mark.column) + 1
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    fm_lines = fm.split("\n")
    index = line - first_line
    source = fm_lines[index] if 0 <= index < len(fm_lines) else ""
    return str(problem), line, col, source


_PARSE_ERRORS = (yaml.YAMLError, AliasBomb, RecursionError, ValueError, OverflowError)


def load_frontmatter(fm: str, first_line: int) -> LoadedYaml:
    """Claude Code's reading of the frontmatter text (raw: CRLF kept): YAML 1.2; on an error,
    ONE retry on the text with `key: value` values quoted; both failing skips the file (Roster
    then reads `key: value` lines anyway, to show what it can)."""
    if len(fm) > MAX_FRONTMATTER_CHARS:
        return LoadedYaml(
            data={},
            keys=[],
            error=f"the frontmatter is {len(fm) // 1024} KB; Roster does not parse frontmatter "
            f"over {MAX_FRONTMATTER_CHARS // 1024} KB",
            error_line=first_line,
            too_large=True,
        )
    fast = fast_load(fm, first_line) if "\r" not in fm else None
    if fast is not None:
        return LoadedYaml(data=fast[0], keys=fast[1], plain=True)
    normal = fm.replace("\r\n", "\n") if "\r" in fm else fm
    keys = scan_keys(normal, first_line)
    # Bun ends a block scalar cut by the closer with a newline; libyaml needs it in the text
    text = fm if not fm or fm.endswith("\n") else fm + "\n"
    try:
        data = yaml12_load(text) if fm.strip() else {}
    except _PARSE_ERRORS as exc:
        error, line, col, source = _error_facts(exc, normal, first_line)
        bomb = isinstance(exc, AliasBomb)
        retried, quoted = retry_text(text)
        try:
            if bomb:
                raise exc
            data = yaml12_load(retried)
        except _PARSE_ERRORS as exc2:
            error2, line2, _, _ = _error_facts(exc2, retried, first_line)
            return LoadedYaml(
                data=fallback_parse(normal),
                keys=keys,
                error=error,
                error_line=line,
                error_column=col,
                error_source=source,
                used_fallback=True,
                retry_error=error2,
                retry_error_line=line2,
                bomb=bomb or isinstance(exc2, AliasBomb),
            )
        return LoadedYaml(
            data={} if data is None else data,
            keys=keys,
            error=error,
            error_line=line,
            error_column=col,
            error_source=source,
            retried=True,
            quoted_lines=[first_line + i for i in quoted],
        )
    if data is None:
        data = {}
    coerced = _yaml11_bools(data, keys) if isinstance(data, dict) else []
    return LoadedYaml(data=data, keys=keys, coerced=coerced)
