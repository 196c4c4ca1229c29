"""Every dialog at 80×24 (issue 16 point 6): buttons inside the screen, errors in sight, and a
snapshot of each. Fixed paths (the dialogs print them). Update the pictures with
`pytest tests/app/test_dialogs_small.py --snapshot-update` when a change is intended."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from tests.helpers.app import snapshots_match_textual, wait_for
from tui.core.catalog import Catalog
from tui.core.install import Scope, overwrite_diff, plan_for
from tui.core.root_rows import root_rows
from tui.core.roots import Root, RootKind
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import ConflictScreen
from tui.screens.install import InstallScreen
from tui.screens.merge_view import MergeViewScreen
from tui.screens.new_agent import NewAgentScreen
from tui.screens.rename import NameScreen
from tui.screens.roots import RootsScreen
from tui.screens.unsaved import UnsavedScreen

SMALL = (80, 24)
BASE = Path("/tmp/roster-snapshots/dialogs")
AGENT = "---\nname: code-reviewer\ndescription: Reviews diffs for bugs\ntools: Read, Grep\n---\nX\n"


def fixed_tree() -> tuple[Path, Path, Path]:
    """A library folder, a project's .claude/agents (with a different copy) and a home."""
    if BASE.exists():
        shutil.rmtree(BASE)
    lib = BASE / "library"
    project = BASE / "project" / ".claude" / "agents"
    home = BASE / "home" / ".claude" / "agents"
    for folder in (lib, project, home):
        folder.mkdir(parents=True)
    (lib / "code-reviewer.md").write_text(AGENT, encoding="utf-8")
    (project / "code-reviewer.md").write_text(AGENT.replace("bugs", "style"), encoding="utf-8")
    return lib, project, home


def install_screen() -> InstallScreen:
    lib, project, home = fixed_tree()
    catalog = Catalog([Root(lib, RootKind.BUNDLED, 2)])
    catalog.scan(workers=1)
    source = catalog.definitions()[0]
    plans = {
        Scope.PROJECT: plan_for(catalog, source, project),
        Scope.USER: plan_for(catalog, source, home),
    }
    return InstallScreen(plans, {s: overwrite_diff(p) for s, p in plans.items()})


def roots_screen() -> RootsScreen:
    lib, project, home = fixed_tree()
    roots = [
        Root(project, RootKind.PROJECT, 0),
        Root(home, RootKind.USER, 1),
        Root(BASE / "typo", RootKind.EXTRA, 2),
        Root(lib, RootKind.BUNDLED, 3),
    ]
    return RootsScreen(root_rows(roots, [project, lib, lib]))


DIALOGS: dict[str, Callable[[], Screen[Any]]] = {
    "confirm": lambda: ConfirmScreen(
        "Move code-reviewer (/tmp/roster-snapshots/dialogs/project/.claude/agents/"
        "code-reviewer.md) to the trash? You can restore it from the palette.",
        title="Delete agent",
        yes="Move to trash",
        no="Keep it",
        danger=True,
    ),
    "rename": lambda: NameScreen(
        "rename", BASE / "project" / "code-reviewer.md", "code-reviewer", taken=frozenset({"x"})
    ),
    "new-agent": lambda: NewAgentScreen([BASE / "project", BASE / "home"], taken=frozenset()),
    "conflict": lambda: ConflictScreen(
        BASE / "project" / "code-reviewer.md", AGENT.encode(), AGENT.replace("bugs", "typos")
    ),
    "install": install_screen,
    "roots": roots_screen,
    "conflict-merge": lambda: ConflictScreen(
        BASE / "project" / "code-reviewer.md",
        AGENT.replace("X\n", "X\nY\nZ\n").encode(),
        AGENT.replace("bugs", "typos") + "Y\n",
        base=AGENT + "Y\n",
    ),
    "merge": lambda: MergeViewScreen(BASE / "code-reviewer.md", AGENT, AGENT + "Y\n"),
    "unsaved": lambda: UnsavedScreen(
        "code-reviewer.md has unsaved changes. Save before quitting?",
        save="Save and quit",
        discard="Quit without saving",
        stay="Stay",
    ),
}


class Host(App[None]):
    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


def inside(region: Any) -> bool:
    return region.width > 0 and region.right <= SMALL[0] and region.bottom <= SMALL[1]


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_button_is_on_screen_at_80x24(name: str) -> None:
    app = Host(DIALOGS[name])
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1, what="dialog")
        await pilot.pause()
        buttons = list(app.screen.query(Button))
        assert buttons, name
        for button in buttons:
            assert inside(button.region), (name, button.id, button.region)


async def test_new_agent_error_and_create_stay_in_sight_at_80x24() -> None:
    app = Host(DIALOGS["new-agent"])
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1, what="dialog")
        app.screen.query_one("#new-name", Input).value = "Bad Name!"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#new-error", Static)
        assert str(error.render()).startswith(("Name:", "Description:"))
        assert inside(error.region), error.region
        assert inside(app.screen.query_one("#new-create", Button).region)


async def _steady(pilot: Pilot[None]) -> None:
    await wait_for(pilot, lambda: len(pilot.app.screen_stack) > 1, what="dialog")
    for inp in pilot.app.screen.query(Input):
        inp.cursor_blink = False
    await pilot.pause()


@snapshots_match_textual
@pytest.mark.parametrize("name", list(DIALOGS))
def test_snapshot_dialog_at_80x24(name: str, snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(Host(DIALOGS[name]), terminal_size=SMALL, run_before=_steady)
