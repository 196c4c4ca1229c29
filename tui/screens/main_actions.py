"""The main screen's writing flows: new, duplicate, rename, delete. Each asks in a dialog, lets
`tui.core` do the writing, folds the result into the catalog through the services (so the
watcher's echo is not news) and says what happened. The screen runs them inside its workers
(`push_screen_wait` needs one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.catalog import Catalog
    from tui.core.definition import AgentDefinition
    from tui.core.roots import Root
    from tui.screens.services import Roster


def new_agent_folders(roster: Roster, current: AgentDefinition | None) -> list[Root]:
    """Where a new agent may go: the highlighted agent's root first, the bundled folder
    (inside the installed package) last."""
    from tui.core.roots import RootKind

    roots = sorted(roster.roots, key=lambda r: r.kind is RootKind.BUNDLED)
    if current is not None:
        roots.sort(key=lambda r: r.path != current.root)
    return roots


async def new_agent(
    app: App[Any], roster: Roster, current: AgentDefinition | None, taken: frozenset[str]
) -> None:
    from tui.screens.editor import EditorScreen
    from tui.screens.new_agent import NewAgentScreen, create_agent

    roots = new_agent_folders(roster, current)
    if not roots:
        app.notify("No agent folder to create in; pass --agents-dir.", severity="error")
        return
    level = current.level if current is not None and not current.level_inferred else None
    domain = current.domain if current is not None and not current.domain_inferred else None
    request = await app.push_screen_wait(
        NewAgentScreen(
            [r.path for r in roots],
            taken=taken,
            level=level,
            domain=domain,
            write=create_agent,  # errors stay in the form, with what was typed
        )
    )
    if request is None:
        return
    path = request.path
    roster.apply_own_changes([path], reveal=path)
    app.notify(f"Created {path.name} in {request.folder}", title="New agent", timeout=3)
    app.push_screen(EditorScreen(path, request.folder))


async def duplicate(
    app: App[Any], roster: Roster, d: AgentDefinition | None, taken: frozenset[str]
) -> None:
    from tui.core.editing import duplicate_agent
    from tui.core.storage import StorageError
    from tui.screens.rename import NameScreen

    if d is None:
        app.notify("Highlight an agent to duplicate first.", severity="warning")
        return
    current = d.name or d.path.stem
    choice = await app.push_screen_wait(NameScreen("duplicate", d.path, current, taken=taken))
    if choice is None:
        return
    try:
        copy = duplicate_agent(d.path, choice.name)
    except StorageError as exc:
        app.notify(str(exc), title="Not duplicated", severity="error", timeout=10)
        return
    roster.apply_own_changes([copy], reveal=copy)
    app.notify(f"Duplicated {current} as {choice.name} ({copy.name})", timeout=3)


async def rename(
    app: App[Any], roster: Roster, d: AgentDefinition | None, taken: frozenset[str]
) -> None:
    from tui.core.editing import rename_agent
    from tui.core.storage import StorageError
    from tui.screens.rename import NameScreen

    if d is None:
        app.notify("Highlight an agent to rename first.", severity="warning")
        return
    current = d.name or d.path.stem
    choice = await app.push_screen_wait(NameScreen("rename", d.path, current, taken=taken))
    if choice is None:
        return
    try:
        moved = rename_agent(d.path, choice.name, rename_file=choice.rename_file)
    except StorageError as exc:
        app.notify(str(exc), title="Not renamed", severity="error", timeout=10)
        return
    roster.apply_own_changes([d.path, moved], reveal=moved)
    where = f" ({d.path.name} → {moved.name})" if moved != d.path else ""
    app.notify(f"Renamed {current} to {choice.name}{where}", timeout=3)


async def delete(app: App[Any], roster: Roster, d: AgentDefinition | None) -> None:
    from tui.config import data_dir
    from tui.core.storage import StorageError, move_to_trash
    from tui.screens.confirm import ConfirmScreen

    if d is None:
        app.notify("Highlight an agent to delete first.", severity="warning")
        return
    confirm = ConfirmScreen(
        f"Move {d.display_name} ({d.path}) to the trash?\n"
        "You can restore it from the palette (ctrl+p, “Restore from trash”).",
        title="Delete agent",
        yes="Move to trash",
        no="Keep it",
        danger=True,
    )
    if not await app.push_screen_wait(confirm):
        return
    try:
        move_to_trash(d.path, data_dir())
    except StorageError as exc:
        app.notify(str(exc), title="Not deleted", severity="error", timeout=10)
        return
    roster.apply_own_changes([d.path])
    app.notify(
        f"Moved {d.display_name} to the trash. To restore it: ctrl+p, "
        f"“Restore from trash: {d.display_name}”.",
        title="Deleted",
        timeout=6,
    )


async def install(
    app: App[Any],
    roster: Roster,
    catalog: Catalog | None,
    d: AgentDefinition | None,
    *,
    copy: bool = False,
) -> None:
    """`i`: copy `d` into the project's or the user's `.claude/agents` (a dialog shows both,
    and the diff when it would overwrite). `copy`: the same for a file you cannot edit in
    place (the library, a read-only file), then the copy opens in the editor."""
    import asyncio
    from pathlib import Path

    from tui.core.install import (
        InstallError,
        Scope,
        overwrite_diff,
        plan_for,
        target_folder,
    )
    from tui.core.install import install as copy_file
    from tui.core.roots import Root, RootKind
    from tui.core.storage import StorageError
    from tui.screens.install import InstallScreen

    if d is None or catalog is None:
        app.notify("Highlight an agent to install first.", severity="warning")
        return

    def plans() -> tuple[dict[Scope, Any], dict[Scope, str]]:
        out = {s: plan_for(catalog, d, target_folder(s, Path.cwd(), Path.home())) for s in Scope}
        return out, {s: overwrite_diff(p) for s, p in out.items()}

    try:
        found, diffs = await asyncio.to_thread(plans)
    except (InstallError, OSError) as exc:
        app.notify(str(exc), title="Cannot install", severity="error", timeout=10)
        return
    scope = await app.push_screen_wait(InstallScreen(found, diffs, copy=copy))
    if scope is None:
        return
    plan = found[scope]
    try:
        copied = await asyncio.to_thread(copy_file, plan, force=True)
    except (InstallError, StorageError, OSError) as exc:
        app.notify(str(exc), title="Not installed", severity="error", timeout=10)
        return
    folder = plan.target.parent
    if any(r.path == folder for r in roster.roots):
        roster.apply_own_changes([plan.target], reveal=plan.target)
    else:  # a project folder created just now: a new root, read at once
        kind = RootKind.PROJECT if scope is Scope.PROJECT else RootKind.USER
        rank = min((r.rank for r in roster.roots), default=0) - 1
        roster.add_root(Root(folder, kind, rank), reveal=plan.target)
    if copied:
        app.notify(f"Installed {d.display_name} → {plan.target}", title="Installed", timeout=4)
    if copy:
        from tui.screens.editor import EditorScreen

        await app.push_screen(EditorScreen(plan.target, folder))


def hand_off(app: App[Any], d: AgentDefinition | None, *, claude_reads: bool) -> None:
    """`c`: suspend Roster, run the user's own `claude` with `d` as the main-thread agent in
    this folder, and come back when it exits."""
    import subprocess
    from pathlib import Path

    from textual.app import SuspendNotSupported

    from tui.core.handoff import HandoffError, claude_argv, find_claude

    claude = find_claude()
    if d is None or claude is None:
        app.notify("Highlight an agent (and have `claude` on PATH) first.", severity="warning")
        return
    try:
        argv = claude_argv(claude, d, claude_reads=claude_reads)
    except HandoffError as exc:
        app.notify(str(exc), title="Not handed off", severity="warning", timeout=8)
        return
    try:
        with app.suspend():
            code = subprocess.call(argv, cwd=Path.cwd())
    except SuspendNotSupported:  # no terminal to give away (headless): run it anyway
        code = subprocess.call(argv, cwd=Path.cwd(), stdin=subprocess.DEVNULL)
    except OSError as exc:
        app.notify(f"Could not run {claude}: {exc}", severity="error", timeout=8)
        return
    where = "" if code == 0 else f" (exit status {code})"
    app.notify(f"Back from Claude Code{where}.", timeout=3)
