"""Which paths git would ignore: every `.gitignore` from the repository top down (each one
relative to its own folder, deeper files winning), `.git/info/exclude`, and `.git` itself.

The patterns are read by pathspec's `GitIgnoreSpec` (the maintained gitignore matcher), not by
a hand-written list. Used by Glob/Grep walks and by `@path` completion. Pure: no UI imports.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pathspec import GitIgnoreSpec

MAX_IGNORE_FILE = 1_000_000  # bytes of one .gitignore read; a bigger file is read up to this
MAX_PATTERNS = 5_000  # patterns kept from one file: each costs every path a regex match
MAX_PATTERN_CHARS = 4_096  # a longer line is no real pattern (a binary or generated file)


def repo_top(folder: Path) -> Path:
    """The nearest folder at or above `folder` holding `.git`, else `folder` itself."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _read_lines(path: Path) -> list[str]:
    """The lines of a regular file, never following a symlink (as git does for in-tree
    .gitignore files) and never opening a FIFO or device, which could block forever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return []
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return []
            data = handle.read(MAX_IGNORE_FILE)
        except OSError:
            return []
    if b"\x00" in data[:8192]:
        return []  # a binary file is not a list of patterns
    return data.decode("utf-8", errors="replace").splitlines()


class GitIgnore:
    """Answers `ignored(path)` for paths under one folder (`root`), honouring the `.gitignore`
    files of the repository that holds it. Results for folders are cached: build one per walk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()
        self.top = repo_top(self.root)
        self._specs: dict[Path, GitIgnoreSpec | None] = {}
        self._dirs: dict[Path, bool] = {}

    def _spec(self, folder: Path) -> GitIgnoreSpec | None:
        if folder in self._specs:
            return self._specs[folder]
        lines = _read_lines(folder / ".gitignore")
        if folder == self.top:
            lines = _read_lines(folder / ".git" / "info" / "exclude") + lines
        patterns = [
            line
            for line in lines
            if line.strip() and not line.startswith("#") and len(line) <= MAX_PATTERN_CHARS
        ][:MAX_PATTERNS]
        spec = GitIgnoreSpec.from_lines(patterns) if patterns else None
        self._specs[folder] = spec
        return spec

    def _matched(self, path: Path, is_dir: bool) -> bool:
        """Whether the patterns of the folders above `path` (up to the top) ignore it."""
        verdict = False
        folder = path.parent
        chain: list[Path] = []
        while True:
            chain.append(folder)
            if folder == self.top or folder == folder.parent:
                break
            folder = folder.parent
        for folder in reversed(chain):  # top first; a deeper .gitignore has the last word
            spec = self._spec(folder)
            if spec is None:
                continue
            rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = bool(result.include)
        return verdict

    def ignored(self, path: Path, is_dir: bool = False) -> bool:
        """True when git would ignore `path` (or it lies inside an ignored folder or `.git`)."""
        path = Path(path).absolute()
        try:
            rel = path.relative_to(self.top)
        except ValueError:
            return False
        if ".git" in rel.parts:
            return True
        if not rel.parts:
            return False
        parent = path.parent
        if parent != self.top and self._dir_ignored(parent):
            return True  # git never looks inside an ignored folder: no `!` can bring it back
        return self._matched(path, is_dir)

    def _dir_ignored(self, folder: Path) -> bool:
        if folder in self._dirs:
            return self._dirs[folder]
        parent = folder.parent
        verdict = (parent != self.top and self._dir_ignored(parent)) or self._matched(folder, True)
        self._dirs[folder] = verdict
        return verdict
