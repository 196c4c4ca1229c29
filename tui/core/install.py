"""`roster install`: copy a definition into the folder Claude Code reads (DESIGN §3), the
project's `.claude/agents/` or `~/.claude/agents/`, never overwriting without being asked."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from tui.core.catalog import Catalog
from tui.core.definition import AgentDefinition
from tui.core.roots import project_agent_dirs
from tui.core.storage import atomic_write, digest, read_snapshot


class Scope(StrEnum):
    PROJECT = "project"
    USER = "user"


class InstallError(Exception):
    """A user-facing reason the install did not happen."""


@dataclass(frozen=True, slots=True)
class InstallPlan:
    source: AgentDefinition
    target: Path
    exists: bool  # something is at target already
    identical: bool  # ... with the same bytes
    other_same_name: tuple[Path, ...]  # other files in the target folder declaring the name
    seen_hash: str | None = None  # what was at target when planned: only that is overwritten


def repository_root(cwd: Path) -> Path | None:
    here = cwd.resolve()
    return next((p for p in (here, *here.parents) if (p / ".git").exists()), None)


def target_folder(scope: Scope, cwd: Path, home: Path) -> Path:
    """User: `~/.claude/agents`. Project: the nearest existing `.claude/agents` from cwd up to
    the repository root, else the repository root's (cwd's outside a repository)."""
    if scope is Scope.USER:
        return home / ".claude" / "agents"
    user = (home / ".claude" / "agents").resolve()
    existing = [p for p in project_agent_dirs(cwd) if p.resolve() != user]
    if existing:
        return existing[0]
    top = repository_root(cwd) or cwd.resolve()
    return top / ".claude" / "agents"


def choose_source(catalog: Catalog, name: str, exclude: Path) -> AgentDefinition | None:
    """The highest-precedence definition named `name` (or with that file stem) that is not in
    the target folder already; loadable ones first."""
    exclude = exclude.resolve()
    found = [
        d
        for d in catalog.definitions()
        if (d.name == name or d.path.stem == name) and exclude not in d.path.resolve().parents
    ]
    ranks = {r.path: r.rank for r in catalog.roots}
    found.sort(key=lambda d: (not d.loads_in_claude_code, d.name != name, ranks.get(d.root, 99)))
    return found[0] if found else None


def plan_install(catalog: Catalog, name: str, folder: Path) -> InstallPlan:
    source = choose_source(catalog, name, folder)
    if source is None:
        raise InstallError(f"no agent named {name!r} outside {folder}")
    return plan_for(catalog, source, folder)


def plan_for(catalog: Catalog, source: AgentDefinition, folder: Path) -> InstallPlan:
    """Copying this very definition into `folder` (the browser's `i`)."""
    target = folder / source.path.name
    exists = target.exists() or target.is_symlink()
    identical = False
    seen: str | None = None
    if exists:
        try:
            seen = read_snapshot(target).hash
            identical = seen == digest(read_snapshot(source.path).data)
        except OSError as exc:
            raise InstallError(f"cannot read {target}: {exc}") from exc
    others = tuple(
        d.path
        for d in catalog.definitions()
        if d.name == source.name
        and d.path.parent.resolve() == folder.resolve()
        and d.path.resolve() != target.resolve()
    )
    return InstallPlan(source, target, exists, identical, others, seen)


def check(plan: InstallPlan, *, force: bool) -> None:
    """Raise InstallError when the install must not happen without `force`."""
    if not plan.source.loads_in_claude_code and not force:
        raise InstallError(
            f"{plan.source.path} would be skipped by Claude Code ({plan.source.skip_reason}); "
            "use --force to install it anyway"
        )
    if plan.exists and not plan.identical and not force:
        raise InstallError(
            f"{plan.target} already exists and differs from {plan.source.path}; "
            "use --force to overwrite it"
        )
    if plan.other_same_name and not force:
        listed = ", ".join(str(p) for p in plan.other_same_name[:3])
        raise InstallError(
            f"{listed} already declares the name `{plan.source.name}`; Claude Code would load "
            "only one: use --force to install anyway"
        )


def install(plan: InstallPlan, *, force: bool) -> bool:
    """Copy the source's bytes to the target atomically; False when it was there already.
    Refuses (InstallError) to overwrite a different file without `force`, and to install a
    file Claude Code would skip."""
    check(plan, force=force)
    if plan.identical:
        return False
    data = read_snapshot(plan.source.path).data
    plan.target.parent.mkdir(parents=True, exist_ok=True)
    if plan.exists:
        seen = plan.seen_hash or read_snapshot(plan.target).hash
        atomic_write(plan.target, data, expected_hash=seen)
    else:
        atomic_write(plan.target, data, create=True)
    return True


def overwrite_diff(plan: InstallPlan, *, max_lines: int = 400) -> str:
    """What installing would change in the existing target, as a unified diff ("" when the
    target is new or identical)."""
    import difflib

    from tui.core.decode import decode_bytes

    if not plan.exists or plan.identical:
        return ""
    try:
        old = decode_bytes(read_snapshot(plan.target).data).text
        new = decode_bytes(read_snapshot(plan.source.path).data).text
    except OSError as exc:
        return f"(cannot read: {exc})"
    lines = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            fromfile=f"{plan.target} (installed)",
            tofile=f"{plan.source.path}",
            lineterm="",
        )
    )
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], f"... {len(lines) - max_lines} more lines"]
    return "\n".join(lines)
