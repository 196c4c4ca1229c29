"""The completion-report grammar (DESIGN §6) -> `CompletionReport`, and artifact checks.

Pure, stdlib only, and total: the parsers never raise on any `str`.

Grammar, line based (``\\r`` before ``\\n`` is ignored):

* Head: ``KIND: id`` where KIND is ``[A-Z][A-Z0-9_]*_(COMPLETE|BLOCKED|FAILED|RESULT)``.
  Leading whitespace, an ATX ``#`` prefix and ``**``/``__`` bold around the kind, or around the
  whole line, are allowed. ``id`` may be empty.
* Then ``KEY: value`` lines, KEY = ``[A-Z][A-Z0-9_]*`` (bold allowed as for the head). Keys are
  kept as written, in order; a repeated key keeps its first position and its last value.
* A head-like line *inside* a block whose value is a flag (true/false/yes/no), e.g.
  ``SYNC_COMPLETE: true`` in an ``L3_RESULT``, is a field; any other head-like line starts a new
  report.
* Values:
  - keys in `STRING_KEYS` (SUMMARY, STATUS, ERROR, BLOCKER, SUGGESTED_ACTION, TEST_RESULTS, ...)
    are always strings, even with commas or brackets;
  - otherwise a value written ``[a, b]`` is a tuple (quotes and backticks around items stripped);
  - keys in `COMMA_KEYS` (ARTIFACTS, VERIFIED, ATTEMPTED, FILES_CHANGED/CREATED/MODIFIED) split
    on top-level commas (commas inside ``()[]{}`` do not split); an empty value is ``()``;
  - following ``- item`` / ``* item`` lines (any indentation, nested items flattened) extend the
    current key: an empty value becomes a tuple of the items, a tuple is extended, a non-empty
    scalar becomes ``(value, *items)``; for `STRING_KEYS` the items are joined into the string
    with newlines instead;
  - anything else is the stripped string.
* A blank line, a line matching none of the above, or a ``- item`` line before any key ends the
  block. Fence lines (```) are just non-matching lines, so fenced and bare reports read the same.
* `parse_report` returns the block of the LAST head in the text; `parse_template` the FIRST (a
  definition's "Completion Report" section lists its main format first).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "COMMA_KEYS",
    "STRING_KEYS",
    "ArtifactCheck",
    "CompletionReport",
    "FieldValue",
    "check_artifacts",
    "parse_report",
    "parse_template",
    "report_blocks",
]

FieldValue = str | tuple[str, ...]

STRING_KEYS: frozenset[str] = frozenset(
    {
        "SUMMARY",
        "STATUS",
        "ERROR",
        "BLOCKER",
        "SUGGESTED_ACTION",
        "REASON",
        "DESCRIPTION",
        "TEST_RESULTS",
        "DEPLOYMENT_URL",
        "DURATION",
    }
)
COMMA_KEYS: frozenset[str] = frozenset(
    {"ARTIFACTS", "VERIFIED", "ATTEMPTED", "FILES_CHANGED", "FILES_CREATED", "FILES_MODIFIED"}
)

_B = r"(?:\*\*|__)?"
_KIND = r"[A-Z][A-Z0-9_]*_(?:COMPLETE|BLOCKED|FAILED|RESULT)"
_HEAD = re.compile(rf"^[ \t]*(?:#{{1,6}}[ \t]+)?(\*\*|__)?({_KIND}){_B}[ \t]*:{_B}(.*)$")
_KEY = re.compile(rf"^[ \t]*(\*\*|__)?([A-Z][A-Z0-9_]*){_B}[ \t]*:{_B}(.*)$")
_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
_FLAGS = frozenset({"true", "false", "yes", "no"})
_OPTIONAL_HINT = re.compile(r"\bif applicable\b|\boptional\b", re.IGNORECASE)
_STATUS_SYNONYMS: Mapping[str, str] = {
    "complete": "completed",
    "completed": "completed",
    "done": "completed",
    "success": "completed",
    "successful": "completed",
    "succeeded": "completed",
    "ok": "completed",
    "pass": "completed",
    "passed": "completed",
    "fail": "failed",
    "failed": "failed",
    "failure": "failed",
    "error": "failed",
    "errored": "failed",
    "block": "blocked",
    "blocked": "blocked",
}
_PLACEHOLDERS = frozenset({"", "...", "…", "etc", "etc.", "none", "n/a", "na", "-", "--"})
_LINE_SUFFIX = re.compile(r":\d+(?::\d+)?$")


@dataclass(frozen=True, slots=True)
class CompletionReport:
    """One parsed report block. `line` is the 1-based line of the head in the parsed text."""

    kind: str
    ident: str
    fields: Mapping[str, FieldValue]
    line: int
    raw: str

    @property
    def status(self) -> str:
        """Normalised: "completed", "blocked", "failed", another STATUS lowercased, or "unknown"."""
        if self.kind.endswith("_BLOCKED"):
            return "blocked"
        if self.kind.endswith("_FAILED"):
            return "failed"
        value = self.fields.get("STATUS")
        text = (value[0] if value else "") if isinstance(value, tuple) else (value or "")
        text = text.strip().strip("*_`.").strip().lower()
        if text:
            return _STATUS_SYNONYMS.get(text, text)
        if self.kind.endswith("_COMPLETE"):
            return "completed"
        return "unknown"

    @property
    def summary(self) -> str | None:
        value = self.fields.get("SUMMARY")
        if value is None:
            return None
        return "\n".join(value) if isinstance(value, tuple) else value

    @property
    def artifacts(self) -> tuple[str, ...]:
        return _as_items(self.fields.get("ARTIFACTS"))

    @property
    def verified(self) -> tuple[str, ...]:
        return _as_items(self.fields.get("VERIFIED"))

    def missing_keys(self, template: CompletionReport | None) -> tuple[str, ...]:
        """Template keys this report lacks.

        Only a template of the same kind is compared (a TASK_BLOCKED report is not expected to
        carry a TASK_COMPLETE template's ARTIFACTS). Template keys whose value says
        "if applicable" or "optional" are not required.
        """
        if template is None or template.kind != self.kind:
            return ()
        missing: list[str] = []
        for key, value in template.fields.items():
            if key in self.fields:
                continue
            text = " ".join(value) if isinstance(value, tuple) else value
            if _OPTIONAL_HINT.search(text):
                continue
            missing.append(key)
        return tuple(missing)


@dataclass(frozen=True, slots=True)
class ArtifactCheck:
    """`path` as written in the report; `modified_since` is None when unknown or not existing."""

    path: str
    exists: bool
    modified_since: bool | None


def _as_items(value: FieldValue | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    return tuple(_split_top(value))


def _unquote(text: str) -> str:
    text = text.strip()
    for _ in range(3):
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
            text = text[1:-1].strip()
        else:
            break
    return text


def _split_top(text: str) -> list[str]:
    """Split on commas outside ()[]{} and quotes; items unquoted, empty items dropped."""
    items: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in '"`':
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(ch)
    items.append("".join(current))
    return [item for item in (_unquote(i) for i in items) if item]


def _strip_bold_tail(value: str, bold: str | None) -> str:
    value = value.strip()
    if bold and value.endswith(bold):
        value = value[: -len(bold)].rstrip()
    return value


def _parse_value(key: str, value: str) -> FieldValue:
    if key in STRING_KEYS:
        return value
    if len(value) >= 2 and value[0] == "[" and value[-1] == "]":
        return tuple(_split_top(value[1:-1]))
    if key in COMMA_KEYS:
        return tuple(_split_top(value))
    return value


def _add_items(key: str, value: FieldValue, items: list[str]) -> FieldValue:
    if key in STRING_KEYS:
        base = "\n".join(value) if isinstance(value, tuple) else value
        return "\n".join([base, *items]) if base else "\n".join(items)
    if isinstance(value, tuple):
        return (*value, *items)
    return (value, *items) if value else tuple(items)


def _split_lines(text: str) -> list[str]:
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _parse_block(lines: list[str], start: int) -> tuple[CompletionReport, int]:
    """Parse the block whose head is lines[start]; return it and the index after its last line."""
    head = _HEAD.match(lines[start])
    assert head is not None
    kind = head.group(2)
    ident = _unquote(_strip_bold_tail(head.group(3), head.group(1)))

    fields: dict[str, FieldValue] = {}
    pending: dict[str, list[str]] = {}
    current: str | None = None
    j = start + 1
    while j < len(lines):
        line = lines[j]
        if not line.strip():
            break
        item = _ITEM.match(line)
        if item is not None:
            if current is None:
                break
            text = _unquote(item.group(1))
            if text:
                pending.setdefault(current, []).append(text)
            j += 1
            continue
        inner = _HEAD.match(line)
        if inner is not None:
            flag = _strip_bold_tail(inner.group(3), inner.group(1)).lower()
            if flag not in _FLAGS:
                break
        m = _KEY.match(line)
        if m is None:
            break
        key = m.group(2)
        if current is not None and current in pending:
            fields[current] = _add_items(current, fields[current], pending.pop(current))
        fields[key] = _parse_value(key, _strip_bold_tail(m.group(3), m.group(1)))
        pending.pop(key, None)
        current = key
        j += 1
    if current is not None and current in pending:
        fields[current] = _add_items(current, fields[current], pending.pop(current))

    report = CompletionReport(
        kind=kind,
        ident=ident,
        fields=MappingProxyType(fields),
        line=start + 1,
        raw="\n".join(lines[start:j]),
    )
    return report, j


def _blocks(text: str) -> list[CompletionReport]:
    if not isinstance(text, str):
        return []
    lines = _split_lines(text)
    out: list[CompletionReport] = []
    i = 0
    while i < len(lines):
        if _HEAD.match(lines[i]) is None:
            i += 1
            continue
        report, end = _parse_block(lines, i)
        out.append(report)
        i = max(end, i + 1)
    return out


def report_blocks(text: str) -> list[CompletionReport]:
    """Every report block in `text`, in order (`line` tells where each starts)."""
    return _blocks(text)


def parse_report(text: str) -> CompletionReport | None:
    """The last report block in `text` (fenced or bare), or None. Never raises on a `str`."""
    blocks = _blocks(text)
    return blocks[-1] if blocks else None


def parse_template(template: str) -> CompletionReport | None:
    """A definition's expected report: the first block of `template`, placeholders kept."""
    blocks = _blocks(template)
    return blocks[0] if blocks else None


def _is_placeholder(item: str) -> bool:
    low = item.strip().lower()
    if low in _PLACEHOLDERS or not low.strip(".…"):
        return True
    if "{" in low and "}" in low:
        return True
    return low.startswith("<") and low.endswith(">")


def _strip_annotation(item: str) -> str:
    """`src/a.py (new)` -> `src/a.py`; `src/a.py - added` -> `src/a.py` (linear time)."""
    if item.endswith(")"):
        k = item.rfind(" (")
        if k > 0:
            return item[:k].rstrip()
    for sep in (" - ", " – ", " — "):
        k = item.find(sep)
        if k > 0:
            return item[:k].rstrip()
    return item


def _stat_mtime(cwd: Path, item: str) -> float | None:
    """mtime of `item` resolved against `cwd`, or None if it does not exist or is unusable."""
    try:
        path = Path(item)
        if item.startswith("~"):
            path = path.expanduser()
        if not path.is_absolute():
            path = Path(cwd) / path
        return os.stat(path).st_mtime
    except (OSError, ValueError, RuntimeError, TypeError):
        return None


def check_artifacts(
    report: CompletionReport, cwd: Path, since: float | None
) -> tuple[ArtifactCheck, ...]:
    """Check each artifact: exists under `cwd` (absolute paths kept)? modified at or after `since`?

    Placeholders ("...", "{file}", "<path>", "none") are skipped. When the item as written does
    not exist, a copy without a trailing ``:line[:col]`` or annotation (`` (new)``, `` - note``)
    is tried. Never raises.
    """
    checks: list[ArtifactCheck] = []
    seen: set[str] = set()
    for raw in report.artifacts:
        item = _unquote(raw)
        if _is_placeholder(item) or item in seen:
            continue
        seen.add(item)
        mtime = _stat_mtime(cwd, item)
        if mtime is None:
            for alt in (_strip_annotation(item), _LINE_SUFFIX.sub("", item)):
                alt = _unquote(alt)
                if alt and alt != item:
                    mtime = _stat_mtime(cwd, alt)
                    if mtime is not None:
                        break
        exists = mtime is not None
        modified = None if since is None or mtime is None else mtime >= since
        checks.append(ArtifactCheck(item, exists, modified))
    return tuple(checks)
