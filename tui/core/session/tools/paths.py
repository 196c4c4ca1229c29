"""Confinement: every path a tool touches must stay inside the session's working directory."""

from __future__ import annotations

import os
from pathlib import Path

from .base import ToolContext, ToolError

PROTECTED_DIRS = frozenset({".git", ".claude"})
SHELL_RC_FILES = frozenset(
    {
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_logout",
        ".profile",
        ".zshrc",
        ".zshenv",
        ".zprofile",
        ".zlogin",
        ".zlogout",
        ".cshrc",
        ".tcshrc",
        ".kshrc",
        ".inputrc",
        "config.fish",
    }
)


def confine(raw: str, ctx: ToolContext) -> Path:
    """The absolute, symlink-free path for `raw`, or ToolError if it leaves the root.

    Relative paths resolve against the root. `..` is removed lexically, then symlinks are
    followed; the result must lie inside the root (so `../x`, `/etc/passwd` and a symlink
    pointing outside are all refused).
    """
    if not raw or "\x00" in raw:
        raise ToolError("Invalid path.")
    lexical = lexical_path(raw, ctx.root)
    try:
        real = lexical.resolve(strict=False)
    except OSError as exc:  # a link changed while it was being followed
        raise ToolError(f"Cannot resolve {raw}: {exc.strerror or exc}; refused.") from exc
    except RuntimeError as exc:  # a symlink loop (Python 3.11's pathlib)
        raise ToolError(f"Cannot resolve {raw}: {exc}; refused.") from exc
    if _inside(real, ctx.root):
        return real
    if _inside(lexical, ctx.root):
        raise ToolError(
            f"Access denied: {raw} resolves through a symlink to {real}, outside the working "
            f"directory {ctx.root}."
        )
    raise ToolError(
        f"Access denied: {raw} is outside the working directory {ctx.root}. "
        "Tools may only touch files inside it."
    )


def lexical_path(raw: str, root: Path) -> Path:
    """`raw` as written, made absolute against `root`, `..` removed, symlinks NOT followed:
    the name a rule may deny even when it is a link to some other file."""
    candidate = Path(os.path.expanduser(raw)) if raw.startswith("~") else Path(raw)
    if not candidate.is_absolute():
        candidate = root / candidate
    return Path(os.path.normpath(candidate))


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def is_protected(path: Path, ctx: ToolContext) -> bool:
    """True for anything under a .git/ or .claude/ folder, and shell rc files."""
    try:
        parts = path.relative_to(ctx.root).parts
    except ValueError:
        parts = path.parts
    if any(part in PROTECTED_DIRS for part in parts):
        return True
    return path.name in SHELL_RC_FILES


def display(path: Path, ctx: ToolContext) -> str:
    try:
        rel = path.relative_to(ctx.root)
    except ValueError:
        return str(path)
    return str(rel) if str(rel) != "." else "."
