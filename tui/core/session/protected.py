"""Paths whose change can run code later or leak keys: editing them always asks (DESIGN §5).

Compared case-insensitively (`.GIT/hooks` is `.git/hooks` on macOS and Windows file systems).
"""

from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

# Any path with one of these folders in it.
# (`.devcontainer`: the editor runs its postCreateCommand; `.cargo/config.toml`: runners and
# wrappers for every cargo command; `.circleci`, `.buildkite`: CI with the repository's secrets)
PROTECTED_DIRS = frozenset(
    {".git", ".claude", ".husky", ".vscode", ".ssh", ".idea", ".gnupg", ".devcontainer",
     ".cargo", ".circleci", ".buildkite"}
)  # fmt: skip
# Folder pairs: `.github/workflows/...`, and the local actions they run (CI runs them with
# the repository's secrets).
PROTECTED_PAIRS = frozenset({(".github", "workflows"), (".github", "actions")})
# Files that a shell, direnv, git, a package manager or CI runs or reads on their own
# (`.yarnrc.yml` names the yarn binary every `yarn` runs).
PROTECTED_FILES = frozenset(
    {
        ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".bash_aliases",
        ".profile", ".zshrc", ".zshenv", ".zprofile", ".zlogin", ".zlogout", ".cshrc",
        ".tcshrc", ".kshrc", ".inputrc", ".envrc", ".gitconfig", ".gitmodules",
        ".gitattributes", "config.fish", ".netrc", ".npmrc", ".pypirc", ".pre-commit-config.yaml",
        ".yarnrc", ".yarnrc.yml", ".pnpmfile.cjs", ".gitlab-ci.yml", ".travis.yml",
        "jenkinsfile", "azure-pipelines.yml", "bitbucket-pipelines.yml",
    }
)  # fmt: skip
DESCRIPTION = (
    "a protected path (.git, .claude, .husky, .vscode, .devcontainer, .ssh, CI configuration, "
    ".envrc, a package manager's or a shell's rc file)"
)


def is_protected_rel(parts: Sequence[str]) -> bool:
    """True when the path made of `parts` (relative or absolute) is protected. A part that is
    a shell pattern counts when it could match a protected name (`.gi?` is `.git` to bash)."""
    folded = [p.casefold() for p in parts]
    if any(_hits(p, PROTECTED_DIRS) for p in folded):
        return True
    if any(_hits(a, {x}) and _hits(b, {y}) for a, b in itertools.pairwise(folded)
           for x, y in PROTECTED_PAIRS):  # fmt: skip
        return True
    return bool(folded) and _hits(folded[-1], PROTECTED_FILES)


def _hits(part: str, names: Iterable[str]) -> bool:
    if part in names:
        return True
    if not any(ch in part for ch in "*?["):
        return False
    # as bash globs: a leading dot is never matched by a wildcard; a bare `*` is taken as
    # meaning the folder's ordinary files, not `config.fish` or `workflows`
    literal = any(ch.isalnum() for ch in part)
    return any(
        fnmatch.fnmatchcase(name, part)
        and (part[:1] == ".") == (name[:1] == ".")
        and (literal or name[:1] == ".")
        for name in names
    )


def is_protected(path: Path, root: Path) -> bool:
    """The same, for a path the tools resolved: its parts below `root` (all of them outside)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
    return is_protected_rel(parts)
