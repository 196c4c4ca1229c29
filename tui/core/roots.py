"""Where definitions live and in which order they win (DESIGN §3)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class RootKind(StrEnum):
    PROJECT = "project"
    USER = "user"
    EXTRA = "extra"
    BUNDLED = "bundled"


@dataclass(frozen=True, slots=True)
class Root:
    path: Path
    kind: RootKind
    rank: int  # lower wins

    @property
    def label(self) -> str:
        return f"{self.kind.value}: {self.path}"


def bundled_agents_dir() -> Path | None:
    """The bundled `agents/`: inside the installed wheel, or beside the package in a checkout."""
    pkg = Path(__file__).resolve().parent.parent
    for candidate in (pkg / "_bundled_agents", pkg.parent / "agents"):
        if candidate.is_dir():
            return candidate
    return None


def project_agent_dirs(cwd: Path) -> list[Path]:
    """`.claude/agents` in cwd and each parent up to the repository root, nearest first.

    Without a repository only the working directory itself is looked at.
    """
    found: list[Path] = []
    here = cwd.resolve()
    chain = [here, *here.parents]
    repo_top = next((p for p in chain if (p / ".git").exists()), None)
    for directory in chain:
        candidate = directory / ".claude" / "agents"
        if candidate.is_dir():
            found.append(candidate)
        if repo_top is None or directory == repo_top:
            break
    return found


def discover_roots(
    cwd: Path,
    *,
    extra_dirs: list[Path] | tuple[Path, ...] = (),
    config_dirs: list[Path] | tuple[Path, ...] = (),
    include_project: bool = True,
    include_user: bool = True,
    include_bundled: bool | None = None,
    home: Path | None = None,
) -> list[Root]:
    """All roots, highest precedence first. Bundled agents are included unless extra
    directories were given on the command line (then you see just what you asked for)."""
    roots: list[Root] = []
    seen: set[Path] = set()

    def add(path: Path, kind: RootKind) -> None:
        key = Path(os.path.abspath(path.expanduser()))
        if key in seen:
            return
        seen.add(key)
        roots.append(Root(key, kind, len(roots)))

    user_dir = (home or Path.home()) / ".claude" / "agents"
    if include_project:
        for p in project_agent_dirs(cwd):
            if p.resolve() != user_dir.resolve():
                add(p, RootKind.PROJECT)
    if include_user:
        add(user_dir, RootKind.USER)
    for p in extra_dirs:
        add(Path(p), RootKind.EXTRA)
    for p in config_dirs:
        add(Path(p), RootKind.EXTRA)
    if include_bundled is None:
        include_bundled = not extra_dirs
    bundled = bundled_agents_dir()
    if include_bundled and bundled is not None:
        add(bundled, RootKind.BUNDLED)
    return roots


def root_problems(
    extra_dirs: list[Path] | tuple[Path, ...], config_dirs: list[Path] | tuple[Path, ...]
) -> list[str]:
    """One message per root the user named that is not a folder: a typo in `--agents-dir` or in
    the config's `roots` must not look like an empty folder (a CI job would pass on nothing)."""
    problems: list[str] = []
    for label, paths in (("--agents-dir", extra_dirs), ("config `roots` entry", config_dirs)):
        for p in paths:
            path = Path(os.path.abspath(Path(p).expanduser()))
            if not path.exists():
                problems.append(f"{label} {path} does not exist")
            elif not path.is_dir():
                problems.append(f"{label} {path} is not a folder")
    return problems


def missing_roots(roots: list[Root] | tuple[Root, ...]) -> list[str]:
    """One line per root the user named (`--agents-dir`, config `roots`) that is not a folder
    now; project and user folders that do not exist yet are normal."""
    return [
        f"{r.path} does not exist" if not r.path.exists() else f"{r.path} is not a folder"
        for r in roots
        if r.kind is RootKind.EXTRA and not r.path.is_dir()
    ]


CLAUDE_READS = (RootKind.PROJECT, RootKind.USER)
KIND_NOTES = {
    RootKind.PROJECT: "project: loaded by Claude Code",
    RootKind.USER: "user: loaded by Claude Code",
    RootKind.EXTRA: "extra folder: not read by Claude Code",
    RootKind.BUNDLED: "Roster's library: not read by Claude Code",
}
