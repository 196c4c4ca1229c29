"""`@path` mentions in a user message: the files they name, attached to the message.

`@notes.md`, `@src/`, `@"my notes.md"` (quotes for spaces) name a path relative to the
session's working folder; an `@` inside a word (`me@example.com`) is not a mention, and a path
that does not exist stays plain text. On send each mention becomes a content block after the
message's text: a text file a `document` block (plain-text source, the path as its title), a
PNG/JPEG/GIF/WebP image an `image` block (base64), a folder a document holding its listing
(.gitignore and the Read rules' hidden paths left out). Refused, with a note naming the file:
paths outside the folder or through a symlink out of it, FIFOs/devices, binary files that are
not images, files over the size caps, images past the session's budget (the Read tool's: every
request resends them, and one request holds 32 MB), and files a Read deny or ask rule covers
(the same checks as the Read tool: a mention never overrides a rule).
"""

from __future__ import annotations

import base64
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ignore import GitIgnore
from .tools.base import ToolContext, ToolError
from .tools.fileio import decode, read_bytes
from .tools.media import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, image_media_type
from .tools.paths import confine, display, lexical_path

MAX_TEXT_BYTES = 256 * 1024  # per text file
MAX_MENTIONS = 20  # per message; later ones stay plain text (and are named)
MAX_LISTING = 200  # entries of a mentioned folder
_MENTION = re.compile(r'(?:(?<=\s)|^)@(?:"([^"\n]+)"|([^\s"]+))')
_TRAILING = ".,;:!?)]}'"

# (the path as typed, its resolved target) -> why a Read of it is refused, or None
ReadCheck = Callable[[str, Path], str | None]


@dataclass(frozen=True)
class Attached:
    path: str  # relative to the working folder, as shown
    kind: str  # text | image | folder
    size: int  # bytes (folder: entries listed)

    @property
    def chip(self) -> str:
        if self.kind == "folder":
            return f"@{self.path} · folder, {self.size} entries"
        return f"@{self.path} · {self.kind}, {human_size(self.size)}"


@dataclass(frozen=True)
class Refused:
    path: str
    why: str

    @property
    def note(self) -> str:
        return f"@{self.path} not attached: {self.why}"


@dataclass
class Mentions:
    blocks: list[dict[str, Any]] = field(default_factory=list)
    attached: list[Attached] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def find(text: str) -> list[str]:
    """The paths `text` mentions, in order, each once (trailing punctuation not included
    when the path without it is the one that exists: checked in `resolve`)."""
    found: list[str] = []
    for match in _MENTION.finditer(text):
        raw = match.group(1) or match.group(2) or ""
        if raw and raw not in found:
            found.append(raw)
    return found


def resolve(
    text: str,
    ctx: ToolContext,
    read_check: ReadCheck,
    redact: Callable[[str], str] = lambda s: s,
) -> Mentions:
    """The blocks, chips and refusals for the mentions in `text` (reads the disk: call it
    off the event loop)."""
    out = Mentions()
    seen: set[Path] = set()  # files attached: `@a.md @./a.md @link-to-a.md` attach it once
    for typed in find(text):
        raw = _existing(typed, ctx.root)
        if raw is None:
            continue  # not a path here: plain text
        if len(out.attached) + len(out.refused) >= MAX_MENTIONS:
            out.refused.append(Refused(raw, f"at most {MAX_MENTIONS} mentions per message"))
            continue
        try:
            if _same_as_before(raw, ctx, seen):
                continue
            attached, block = _attach(raw, ctx, read_check, redact)
        except ToolError as exc:
            out.refused.append(Refused(raw, str(exc)))
            continue
        out.attached.append(attached)
        out.blocks.append(block)
    return out


def _same_as_before(raw: str, ctx: ToolContext, seen: set[Path]) -> bool:
    """True when `raw` names a file already attached (by another spelling, or a link)."""
    target = confine(raw, ctx)
    if target in seen:
        return True
    seen.add(target)
    return False


def _existing(raw: str, root: Path) -> str | None:
    """`raw`, or `raw` less trailing punctuation, whichever names something (None: neither)."""
    candidates = [raw]
    trimmed = raw.rstrip(_TRAILING)
    if trimmed and trimmed != raw:
        candidates.append(trimmed)
    for candidate in candidates:
        if os.path.lexists(lexical_path(candidate, root)):
            return candidate
    return None


def _attach(
    raw: str, ctx: ToolContext, read_check: ReadCheck, redact: Callable[[str], str]
) -> tuple[Attached, dict[str, Any]]:
    target = confine(raw, ctx)  # outside, or through a symlink out of it: ToolError
    shown = display(target, ctx)
    why = read_check(raw, target)
    if why is not None:
        raise ToolError(f"{why} (a mention never overrides a rule)")
    try:
        info = os.stat(target)
    except OSError as exc:
        raise ToolError(f"cannot read it ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(info.st_mode):
        listing, count = _listing(target, ctx)
        block = _document(listing, shown.rstrip("/") + "/")
        return Attached(shown.rstrip("/") + "/", "folder", count), block
    if not stat.S_ISREG(info.st_mode):
        raise ToolError("not a regular file (a FIFO, socket or device is never opened)")
    looks_image = target.suffix.lower() in IMAGE_SUFFIXES
    if info.st_size > (MAX_IMAGE_BYTES if looks_image else MAX_TEXT_BYTES):
        cap = MAX_IMAGE_BYTES if looks_image else MAX_TEXT_BYTES
        raise ToolError(_too_big(info.st_size, cap, "image " if looks_image else "text "))
    data = read_bytes(target, ctx.root, limit=MAX_IMAGE_BYTES)
    media = image_media_type(data)
    if media is not None:
        encoded = base64.b64encode(data).decode()
        ctx.reads.add_media(len(encoded), shown)  # every later request resends it (32 MB cap)
        source = {"type": "base64", "media_type": media, "data": encoded}
        return Attached(shown, "image", len(data)), {"type": "image", "source": source}
    if len(data) > MAX_TEXT_BYTES:
        raise ToolError(_too_big(len(data), MAX_TEXT_BYTES, "text "))
    try:
        content, _codec = decode(data, shown)
    except ToolError as exc:
        raise ToolError("a binary file that is not a PNG, JPEG, GIF or WebP image") from exc
    return Attached(shown, "text", len(data)), _document(redact(content), shown)


def _too_big(size: int, cap: int, what: str = "") -> str:
    return (
        f"{human_size(size)} is over the {human_size(cap)} cap for {what}mentions; ask the agent "
        "to Read the part you need"
    )


def _document(data: str, title: str) -> dict[str, Any]:
    return {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": data},
        "title": title,
    }


def _listing(folder: Path, ctx: ToolContext) -> tuple[str, int]:
    """One level of `folder`: at most MAX_LISTING entries (a huge folder is cut, and says
    so), folders first, ignored and rule-hidden entries left out."""
    ignore, hidden = GitIgnore(ctx.root), ctx.hidden_paths()
    entries: list[tuple[bool, str, int]] = []
    more = False
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if len(entries) >= MAX_LISTING:
                    more = True
                    break
                path = Path(entry.path)
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    size = 0 if is_dir else entry.stat(follow_symlinks=False).st_size
                except OSError:
                    continue
                if ignore.ignored(path, is_dir) or hidden.hides(path):
                    continue
                entries.append((not is_dir, entry.name, size))
    except OSError as exc:
        raise ToolError(f"cannot list it ({exc.strerror or exc})") from exc
    entries.sort()
    lines = [
        f"{name}  ({human_size(size)})" if is_file else f"{name}/"
        for is_file, name, size in entries
    ]
    if more:
        lines.append(f"… more entries not listed (first {MAX_LISTING} read)")
    if not lines:
        lines.append("(empty, or only ignored entries)")
    return "\n".join(lines), len(entries)
