"""The Grep search itself, run in a worker process that can be killed.

A catastrophic pattern (`(a+)+$` on a long line) backtracks for ages inside one `re` call,
which no thread can interrupt: the search runs in its own process, fed its options as JSON on
stdin, and answers with one JSON object on stdout. The tool kills it at the time budget or on
cancel. The search also stops itself (with partial results, said so) at a soft deadline, and
stops collecting once the output cap is reached.
"""

from __future__ import annotations

import json
import re
import stat
import sys
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_OUTPUT_CHARS = 30_000


@dataclass(frozen=True, slots=True)
class Options:
    pattern: str
    ignore_case: bool
    base: str
    root: str
    mode: str
    globs: list[str]
    numbers: bool
    after: int
    before: int
    head: int
    soft_deadline_s: float
    hidden: list[str]  # path patterns of the Read deny/ask rules: files left out of the walk
    home: str  # what `~` means in them
    types: list[str] = field(default_factory=list)  # file-name globs of the `type` asked for
    multiline: bool = False  # `.` matches newlines, matches may span lines
    dotfiles: bool = False  # search files and folders whose names start with `.`


def search(opt: Options, started: float) -> str:
    from .globbing import hidden_note

    found = _search(opt, started)
    return f"{found[0]}\n{hidden_note(found[1])}" if found[1] else found[0]


def _search(opt: Options, started: float) -> tuple[str, int]:
    """The result text, and how many files the Read rules hid from it."""
    from ..rules import HiddenPaths
    from .globbing import matches, walk_files

    flags = re.MULTILINE | (re.IGNORECASE if opt.ignore_case else 0)
    flags |= re.DOTALL if opt.multiline else 0
    regex = re.compile(opt.pattern, flags)
    base, root = Path(opt.base), Path(opt.root)
    # a file named as `path` passed the permission check itself (it may have been asked)
    hide = HiddenPaths(() if base.is_file() else tuple(opt.hidden), root, opt.home)
    entries: list[str] = []
    size, hidden = 0, 0
    stopped = ""
    for path in walk_files(base, root, gitignore=True, hidden=opt.dotfiles):
        if time.monotonic() - started > opt.soft_deadline_s:
            stopped = f"search stopped after {opt.soft_deadline_s:g}s: results are incomplete"
            break
        if opt.globs and not matches(path, base, opt.globs, any_depth=True):
            continue
        if opt.types and not matches(path, base, opt.types, any_depth=True):
            continue
        if hide.hides(path):
            hidden += 1
            continue
        text = _text_or_none(path)
        if text is None:
            continue
        found = _entries(regex, path, text, opt)
        entries.extend(found)
        size += sum(len(e) + 1 for e in found)
        if opt.head and len(entries) >= opt.head:
            break
        if size > MAX_OUTPUT_CHARS:
            stopped = "results capped: more matches not shown"
            break
    if opt.head:
        entries = entries[: opt.head]
    if not entries:
        empty = "No files found" if opt.mode == "files_with_matches" else "No matches found"
        return (f"{empty} ({stopped})" if stopped else empty), hidden
    out = "\n".join(entries)
    if len(out) > MAX_OUTPUT_CHARS:
        out = out[:MAX_OUTPUT_CHARS]
        stopped = stopped or "results capped: more matches not shown"
    if stopped:
        out += f"\n… ({stopped}. Narrow the pattern, path or glob, or use head_limit.)"
    if opt.mode == "files_with_matches":
        out = f"Found {len(entries)} file{'s' if len(entries) != 1 else ''}\n{out}"
    return out, hidden


def _entries(regex: re.Pattern[str], path: Path, text: str, opt: Options) -> list[str]:
    if opt.mode == "files_with_matches":
        return [str(path)] if regex.search(text) else []
    lines = text.splitlines()
    if opt.multiline:
        hits = _spanned_lines(regex, text)
    else:
        hits = [i for i, line in enumerate(lines) if regex.search(line)]
    if not hits:
        return []
    if opt.mode == "count":
        return [f"{path}:{len(hits)}"]
    return content_lines(str(path), lines, hits, opt.before, opt.after, opt.numbers)


def _spanned_lines(regex: re.Pattern[str], text: str) -> list[int]:
    """Indexes of the lines a match covers, each once, in order (multiline: a match may span
    several lines)."""
    starts: list[int] = []
    at = 0
    for line in text.splitlines(keepends=True):  # the same lines as the output shows
        starts.append(at)
        at += len(line)
    hit: set[int] = set()
    for match in regex.finditer(text) if starts else ():
        first = bisect_right(starts, match.start()) - 1
        last = bisect_right(starts, max(match.start(), match.end() - 1)) - 1
        hit.update(range(first, last + 1))
    return sorted(hit)


def content_lines(
    path: str, lines: list[str], hits: list[int], before: int, after: int, numbers: bool
) -> list[str]:
    """Matching lines with context; each line is emitted once: O(lines + hits)."""
    hit_set = set(hits)
    out: list[str] = []
    shown_to = -1  # index of the last line emitted
    for i in hits:
        start = max(i - before, shown_to + 1, 0)
        end = min(len(lines) - 1, i + after)
        if end < start:
            continue
        if out and start > shown_to + 1:
            out.append("--")
        for j in range(start, end + 1):
            sep = ":" if j in hit_set else "-"
            number = f"{j + 1}{sep}" if numbers else ""
            out.append(f"{path}{sep}{number}{lines[j]}")
        shown_to = end
    return out


def _text_or_none(path: Path) -> str | None:
    """Regular files only (a FIFO or device is skipped unopened); binaries skipped."""
    from .fileio import read_bytes

    try:
        if path.is_symlink():  # walk_files let it through: it points inside the root
            path = path.resolve()
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        data = read_bytes(path, path.parent, limit=MAX_FILE_BYTES)
    except Exception:
        return None
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def main() -> None:
    started = time.monotonic()
    try:
        request = json.loads(sys.stdin.read())
        if "filter" in request:  # BashOutput's filter over a job's output
            regex = re.compile(request["filter"])
            kept = [line for line in request["text"].splitlines() if regex.search(line)]
            reply: dict[str, Any] = {"ok": "\n".join(kept)}
        else:
            reply = {"ok": search(Options(**request), started)}
    except re.error as exc:
        reply = {"error": f"Invalid regular expression: {exc}"}
    except Exception as exc:  # reported as a tool error, never a traceback
        reply = {"error": f"Grep failed: {type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(reply))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
