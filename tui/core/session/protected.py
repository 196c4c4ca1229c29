"""Paths whose change can run code later or leak keys: editing them always asks (DESIGN §5).

Compared case-insensitively (`.GIT/hooks` is `.git/hooks` on macOS and Windows file systems).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

# Any path with one of these folders in it.
PROTECTED_DIRS = frozenset({".git", ".claude", ".husky", ".vscode", ".ssh", ".idea", ".gnupg"})
# Folder pairs: `.github/workflows/...` (CI runs it with the repository's secrets).
PROTECTED_PAIRS = frozenset({(".github", "workflows")})
# Files that a shell, direnv or git runs or reads on their own.
PROTECTED_FILES = frozenset(
    {
        ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".bash_aliases",
        ".profile", ".zshrc", ".zshenv", ".zprofile", ".zlogin", ".zlogout", ".cshrc",
        ".tcshrc", ".kshrc", ".inputrc", ".envrc", ".gitconfig", ".gitmodules",
        ".gitattributes", "config.fish", ".netrc", ".npmrc", ".pypirc", ".pre-commit-config.yaml",
    }
)  # fmt: skip
DESCRIPTION = (
    "a protected path (.git, .claude, .husky, .vscode, .ssh, .github/workflows, .envrc or a "
    "shell rc file)"
)


def is_protected_rel(parts: Sequence[str]) -> bool:
    """True when the path made of `parts` (relative or absolute) is protected."""
    folded = [p.casefold() for p in parts]
    if any(p in PROTECTED_DIRS for p in folded):
        return True
    if any(pair in PROTECTED_PAIRS for pair in itertools.pairwise(folded)):
        return True
    return bool(folded) and folded[-1] in PROTECTED_FILES


def is_protected(path: Path, root: Path) -> bool:
    """The same, for a path the tools resolved: its parts below `root` (all of them outside)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
    return is_protected_rel(parts)
