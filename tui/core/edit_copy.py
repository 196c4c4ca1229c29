"""The editor's way out when its file cannot be written in place (Roster's library, a read-only
file or folder): save the editor's text as a copy in the project's or the user's agents folder,
the places Claude Code reads, and go on editing the copy. Same destinations as `roster install`.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

from tui.core.decode import decode_bytes
from tui.core.definition import AgentDefinition
from tui.core.install import InstallPlan, Scope, target_folder
from tui.core.storage import ConflictError, StorageError, atomic_write, digest, read_snapshot


def _read_only_mode(path: Path, access: int) -> bool:
    """No write permission, by the access check or by the mode bits (root passes every access
    check, but Roster still treats a file or folder without its owner's w bit as read-only)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return False
    return not os.access(path, access) or not (mode & stat.S_IWUSR)


def write_problem(path: Path) -> str | None:
    """Why the file cannot be saved in place ("the file is read-only", "its folder ... is
    read-only"), or None. An atomic save writes a new file beside it, so the folder counts."""
    if path.exists() and _read_only_mode(path, os.W_OK):
        return "the file is read-only"
    folder = Path(os.path.realpath(path)).parent  # a symlink's file is saved in its target's
    if folder.is_dir() and _read_only_mode(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only"
    return None


def read_only_notice(path: Path, problem: str) -> str:
    """The editor's banner for a file it cannot save in place."""
    return (
        f"read-only: {path.name} ({problem}) — ctrl+s saves a copy to the project or user "
        "agents folder (where Claude Code reads it), and you go on editing the copy."
    )


def copy_plans(
    source: AgentDefinition, data: bytes, cwd: Path, home: Path
) -> tuple[dict[Scope, InstallPlan], dict[Scope, str]]:
    """For each destination: where the copy goes, whether something is there, and the diff
    that overwriting it would make. `source` is the editor's text parsed, `data` its bytes."""
    plans: dict[Scope, InstallPlan] = {}
    diffs: dict[Scope, str] = {}
    for scope in Scope:
        target = target_folder(scope, cwd, home) / source.path.name
        exists = os.path.lexists(target)
        old = b""
        seen: str | None = None
        if exists:
            try:
                snap = read_snapshot(target)
                old, seen = snap.data, snap.hash
            except StorageError as exc:
                old = str(exc).encode()
        identical = exists and old == data
        plans[scope] = InstallPlan(source, target, exists, identical, (), seen)
        diffs[scope] = ""
        if exists and not identical:
            lines = difflib.unified_diff(
                decode_bytes(old).text.splitlines(),
                decode_bytes(data).text.splitlines(),
                fromfile=f"{target} (there now)",
                tofile=f"{source.path.name} (your text)",
                lineterm="",
            )
            diffs[scope] = "\n".join(list(lines)[:400])
    return plans, diffs


def write_copy(plan: InstallPlan, data: bytes) -> str:
    """Write the copy (creating the folder; overwriting only what the dialog showed) and
    return its hash. StorageError, nothing written, when the target changed since."""
    changed = (
        f"{plan.target} changed after the dialog showed it; nothing was written. "
        "Save again to see what is there now."
    )
    if not plan.exists:
        plan.target.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(plan.target, data, create=True)
    if plan.seen_hash is None:
        raise StorageError(f"{plan.target} could not be read, so it is not overwritten.")
    if plan.identical:  # already there: nothing to write, as long as it still is
        if read_snapshot(plan.target).hash != plan.seen_hash:
            raise StorageError(changed)
        return digest(data)
    try:
        return atomic_write(plan.target, data, expected_hash=plan.seen_hash)
    except ConflictError:
        raise StorageError(changed) from None
