"""The YAML half of the frontmatter: load it (C loader), fix YAML 1.1 surprises, and fall back to
a line-based reading when it does not parse, as Claude Code does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import YAMLHandler

_HANDLER = YAMLHandler()
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
    coerced: list[str] = field(default_factory=list)  # keys whose YAML 1.1 bool became a string


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


def _yaml12_fix(data: dict[Any, Any], keys: list[KeyLine]) -> list[str]:
    coerced: list[str] = []
    raw_by_key = {k.key: k.raw for k in keys}
    for key, value in list(data.items()):
        if isinstance(value, bool) and isinstance(key, str):
            raw = _unquote(raw_by_key.get(key, "")).strip()
            if raw.lower() in _YAML11_ONLY_BOOLS:
                data[key] = raw
                coerced.append(key)
    return coerced


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


def load_frontmatter(fm: str, first_line: int) -> LoadedYaml:
    fast = fast_load(fm, first_line)
    if fast is not None:
        return LoadedYaml(data=fast[0], keys=fast[1], plain=True)
    keys = scan_keys(fm, first_line)
    try:
        data = _HANDLER.load(fm) if fm.strip() else {}
    except yaml.YAMLError as exc:
        line, col = first_line, 1
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        if mark is not None:
            line, col = first_line + int(mark.line), int(mark.column) + 1
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        fm_lines = fm.split("\n")
        index = line - first_line
        return LoadedYaml(
            error_source=fm_lines[index] if 0 <= index < len(fm_lines) else "",
            data=fallback_parse(fm),
            keys=keys,
            error=str(problem),
            error_line=line,
            error_column=col,
            used_fallback=True,
        )
    except (ValueError, RecursionError, OverflowError) as exc:  # pathological input
        return LoadedYaml(
            data=fallback_parse(fm),
            keys=keys,
            error=f"{type(exc).__name__}: {exc}",
            error_line=first_line,
            error_column=1,
            used_fallback=True,
        )
    if data is None:
        data = {}
    coerced = _yaml12_fix(data, keys) if isinstance(data, dict) else []
    return LoadedYaml(data=data, keys=keys, coerced=coerced)
