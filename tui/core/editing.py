"""The UI-free half of live editing: what an editor loaded, how its text maps to bytes, and the
save / reload / rename / duplicate decisions. The editor screen is a thin shell over this.

Text given to and taken from the editor keeps the file's line endings (the TextArea keeps the
newline style it detected), so saving an unchanged document writes the same bytes.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from tui.core.authoring import duplicate_text, file_stem_for, name_problem
from tui.core.decode import UTF8_BOM, UTF16_BE_BOM, UTF16_LE_BOM
from tui.core.definition import AgentDefinition, Diagnostic, Severity
from tui.core.fm_edit import set_key
from tui.core.parse import parse_bytes
from tui.core.storage import StorageError, atomic_write, digest, read_snapshot

# Diagnostics that mean "the frontmatter no longer parses": saving such text needs a yes.
BROKEN_FRONTMATTER = frozenset({"R001", "R002", "R004"})
# Encodings the editor reads but does not write back: saving converts to UTF-8 (after a yes).
CONVERTED_ENCODINGS = frozenset({"latin-1", "utf-16"})


@dataclass(frozen=True, slots=True)
class EditableText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "latin-1"


def decode_for_editing(data: bytes) -> EditableText:
    """Bytes -> text for the editor, keeping line endings (unlike decode.decode_bytes)."""
    if data.startswith(UTF8_BOM):
        try:
            return EditableText(data[len(UTF8_BOM) :].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            return EditableText(data[len(UTF8_BOM) :].decode("latin-1"), "latin-1")
    if data.startswith((UTF16_LE_BOM, UTF16_BE_BOM)):
        return EditableText(data.decode("utf-16", errors="replace"), "utf-16")
    try:
        return EditableText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return EditableText(data.decode("latin-1"), "latin-1")


def encode_for_saving(text: str, encoding: str) -> bytes:
    """Text -> bytes. Always UTF-8; a UTF-8 BOM the file had is kept."""
    data = text.encode("utf-8")
    return UTF8_BOM + data if encoding == "utf-8-sig" else data


def needs_conversion(encoding: str) -> bool:
    return encoding in CONVERTED_ENCODINGS


def encoding_notice(encoding: str) -> str | None:
    if encoding == "latin-1":
        return "This file is not valid UTF-8 and was read as Latin-1. Saving converts it to UTF-8."
    if encoding == "utf-16":
        return "This file is UTF-16, which Claude Code does not read. Saving converts it to UTF-8."
    return None


def frontmatter_problem(defn: AgentDefinition) -> Diagnostic | None:
    """The diagnostic saying the frontmatter does not parse, if any."""
    for d in defn.diagnostics:
        if d.code in BROKEN_FRONTMATTER or (d.code == "R003" and d.severity is Severity.ERROR):
            return d
    return None


def analyse(text: str, encoding: str, path: Path, root: Path) -> AgentDefinition:
    """Parse editor text the way the file would parse once saved."""
    return parse_bytes(encode_for_saving(text, encoding), path, root)


def unified_diff(
    disk: str, mine: str, path: Path, *, max_lines: int = 4000, label: str = "your edits"
) -> str:
    """`disk` -> `mine` as a unified diff (what saving mine would change)."""
    lines = list(
        difflib.unified_diff(
            disk.splitlines(),
            mine.splitlines(),
            fromfile=f"{path.name} (on disk)",
            tofile=f"{path.name} ({label})",
            lineterm="",
            n=3,
        )
    )
    if not lines:
        return "(no differences in the text)"
    if len(lines) > max_lines:
        hidden = len(lines) - max_lines
        lines = [*lines[:max_lines], f"... {hidden} more diff lines not shown"]
    return "\n".join(lines)


def changed_span(old: list[str], new: list[str]) -> tuple[int, int, int]:
    """The smallest line range that differs: (first, old_end, new_end), half-open.

    Replacing old[first:old_end] with new[first:new_end] turns old into new. Used to apply a
    reload or a form change as one small edit, so the cursor and the undo history survive.
    """
    first = 0
    limit = min(len(old), len(new))
    while first < limit and old[first] == new[first]:
        first += 1
    old_end, new_end = len(old), len(new)
    while old_end > first and new_end > first and old[old_end - 1] == new[new_end - 1]:
        old_end -= 1
        new_end -= 1
    return first, old_end, new_end


@dataclass(slots=True)
class EditSession:
    """One file open in the editor: the baseline it was loaded (or last saved) from.

    `hash` is the digest of the bytes on disk the baseline corresponds to, or None when the
    file does not exist on disk (a save then creates it and fails if something is there).
    """

    path: Path
    root: Path
    saved_text: str
    encoding: str
    hash: str | None

    @classmethod
    def open(cls, path: Path, root: Path) -> tuple[EditSession, bytes]:
        """Read the file (raises StorageError with a user-facing message)."""
        snap = read_snapshot(path)
        decoded = decode_for_editing(snap.data)
        return cls(path, root, decoded.text, decoded.encoding, snap.hash), snap.data

    def is_dirty(self, text: str) -> bool:
        return text != self.saved_text

    @property
    def needs_conversion(self) -> bool:
        return needs_conversion(self.encoding)

    def is_own_write(self, data: bytes | None) -> bool:
        """True when `data` is what this session last loaded or saved (e.g. our save's echo)."""
        return data is not None and self.hash is not None and digest(data) == self.hash

    def save(self, text: str, *, over: bytes | None = None, create: bool = False) -> str:
        """Write `text` atomically. Raises ConflictError when the disk is not the baseline.

        over: the disk bytes the user saw in the conflict view and chose to overwrite; the save
        still fails if the disk changed again since. create: the file must not exist (save as
        new after it was deleted).
        """
        encoding = "utf-8-sig" if self.encoding == "utf-8-sig" else "utf-8"
        data = encode_for_saving(text, encoding)
        if create:
            new_hash = atomic_write(self.path, data, create=True)
        else:
            expected = digest(over) if over is not None else self.hash
            if expected is None:
                new_hash = atomic_write(self.path, data, create=True)
            else:
                new_hash = atomic_write(self.path, data, expected_hash=expected)
        self.saved_text = text
        self.encoding = encoding
        self.hash = new_hash
        return new_hash

    def adopt_disk(self, data: bytes) -> str:
        """Make the disk's bytes the new baseline; returns the text to show."""
        decoded = decode_for_editing(data)
        self.saved_text = decoded.text
        self.encoding = decoded.encoding
        self.hash = digest(data)
        return decoded.text


# ---- rename / duplicate ------------------------------------------------------------------------


def _read_utf8(path: Path) -> tuple[str, str, str]:
    """(text, encoding, hash) of a definition that can be rewritten in place."""
    snap = read_snapshot(path)
    decoded = decode_for_editing(snap.data)
    if needs_conversion(decoded.encoding):
        raise StorageError(
            f"{path.name} is not UTF-8; open it in the editor (e) and save it as UTF-8 first."
        )
    return decoded.text, decoded.encoding, snap.hash


def rename_agent(path: Path, new_name: str, *, rename_file: bool) -> Path:
    """Set `name:` to `new_name`; with rename_file, also move the file to `<slug>.md` beside it.
    Returns the file's (possibly new) path. Raises StorageError with a user-facing message."""
    problem = name_problem(new_name)
    if problem is not None:
        raise StorageError(f"cannot rename to {new_name!r}: {problem}")
    text, encoding, old_hash = _read_utf8(path)
    try:
        data = encode_for_saving(set_key(text, "name", new_name), encoding)
    except ValueError as exc:
        raise StorageError(f"cannot rename {path.name}: {exc}") from None
    if not rename_file:
        atomic_write(path, data, expected_hash=old_hash)
        return path
    target = path.with_name(f"{file_stem_for(new_name)}.md")
    if target == path:
        atomic_write(path, data, expected_hash=old_hash)
        return path
    if os.path.lexists(target):
        raise StorageError(f"{target.name} already exists in {target.parent}; choose another name.")
    atomic_write(target, data, create=True)
    try:
        if digest(path.read_bytes()) != old_hash:
            raise StorageError(f"{path.name} changed while renaming; both files were kept.")
        path.unlink()
    except OSError as exc:
        raise StorageError(
            f"wrote {target.name} but could not remove {path.name}: {exc.strerror or exc}"
        ) from None
    return target


def duplicate_agent(path: Path, new_name: str) -> Path:
    """Copy a definition beside itself as `<slug>.md` with `name: new_name`."""
    problem = name_problem(new_name)
    if problem is not None:
        raise StorageError(f"cannot duplicate as {new_name!r}: {problem}")
    text, encoding, _ = _read_utf8(path)
    target = path.with_name(f"{file_stem_for(new_name)}.md")
    if os.path.lexists(target):
        raise StorageError(f"{target.name} already exists in {target.parent}; choose another name.")
    try:
        data = encode_for_saving(duplicate_text(text, new_name), encoding)
    except ValueError as exc:
        raise StorageError(f"cannot duplicate {path.name}: {exc}") from None
    atomic_write(target, data, create=True)
    return target
