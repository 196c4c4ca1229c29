"""Dialog titles that carry an agent's name or a file name show it as written: `x[/]y` crashed
the Rename and Duplicate dialogs (Textual read the title as markup), and `[@click=…]` in a
name made a clickable action in the title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen

from tests.helpers.dialog_host import DialogHost, until
from tui.screens.confirm import ConfirmScreen
from tui.screens.rename import NameScreen

NAMES = ["x[/]y", "[@click=app.quit]quit[/]", "[b]bold", "ev\x1b[31mil"]


def _title(screen: Screen[Any]) -> str:
    """The title as shown (the property gives it back as markup)."""
    title = screen.query_one(Vertical).border_title
    assert title is not None
    return Content.from_markup(title).plain


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("mode", ["rename", "duplicate"])
async def test_the_name_dialogs_show_a_markup_like_name_as_written(
    tmp_path: Path, mode: str, name: str
) -> None:
    agent = tmp_path / "a.md"
    agent.write_text("---\nname: a\ndescription: x\n---\nbody\n", encoding="utf-8")
    screen = NameScreen(mode, agent, name)
    app = DialogHost(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        title = _title(screen)
        shown = name.replace("\x1b", "\\x1b")  # control characters made visible
        assert shown in title, title
        assert "\x1b" not in title


async def test_a_confirm_title_from_a_file_name_is_not_markup(tmp_path: Path) -> None:
    screen = ConfirmScreen("Delete it?", title="Delete x[/]y.md")
    app = DialogHost(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        assert "Delete x[/]y.md" in _title(screen)


async def test_a_notification_naming_a_markup_like_agent_does_not_crash(tmp_path: Path) -> None:
    """Renaming an agent to `p[/]q` (Claude Code loads it) ended Roster with a MarkupError in
    the "Renamed …" toast."""
    from textual.widgets._toast import Toast

    from tests.helpers.app import settle, wait_for
    from tui.app.app import make_app
    from tui.config import Settings
    from tui.core.roots import Root, RootKind

    root = Root(tmp_path / "agents", RootKind.PROJECT, 0)
    root.path.mkdir()
    app = make_app(roots=[root], settings=Settings(), watch=False)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        app.notify("Renamed a to p[/]q", title="[@click=app.quit]x[/]", timeout=30)
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)), what="the toast")
        await pilot.pause(0.2)
        assert app.is_running
        toast = app.screen.query_one(Toast)
        assert "p[/]q" in str(toast.render())


async def test_the_install_dialog_shows_a_bracketed_file_name_as_written(tmp_path: Path) -> None:
    """`a[b].md` was shown as `a.md` (with `.md` in bold) in the install targets: the user saw
    a different file than the one that would be written."""
    from textual.widgets import RadioButton

    from tui.core.catalog import Catalog
    from tui.core.install import Scope, overwrite_diff, plan_for
    from tui.core.roots import Root, RootKind
    from tui.screens.install import InstallScreen

    lib, project, home = (tmp_path / n for n in ("lib", "project", "home"))
    for folder in (lib, project, home):
        folder.mkdir()
    (lib / "a[b].md").write_text("---\nname: a-b\ndescription: d\n---\nbody\n", encoding="utf-8")
    catalog = Catalog([Root(lib, RootKind.BUNDLED, 2)])
    catalog.scan(workers=1)
    source = catalog.definitions()[0]
    plans = {Scope.PROJECT: plan_for(catalog, source, project)}
    plans[Scope.USER] = plan_for(catalog, source, home)
    screen = InstallScreen(plans, {s: overwrite_diff(p) for s, p in plans.items()})
    app = DialogHost(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        labels = [Content.from_markup(b.label.markup).plain for b in screen.query(RadioButton)]
        assert any(label.endswith("a[b].md") for label in labels), labels


def _palette_lines(app: Any) -> list[str]:
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return []
    options = found.first()
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pytest.mark.parametrize("query", ["", "q"])
async def test_the_palette_lists_a_markup_like_agent_as_written(tmp_path: Path, query: str) -> None:
    """Ctrl+P ended Roster with a MarkupError as soon as one agent was named `q[/]r` (the
    palette lists agents by name, with their description as help)."""
    from textual.command import CommandPalette

    from tests.helpers.app import settle, wait_for
    from tui.app.app import make_app
    from tui.config import Settings
    from tui.core.roots import Root, RootKind

    root = Root(tmp_path / "agents", RootKind.PROJECT, 0)
    root.path.mkdir()
    (root.path / "q.md").write_text(
        '---\nname: "q[/]r"\ndescription: "use [red]x[/red] \\e]0;T\\a"\n---\nbody\n',
        encoding="utf-8",
    )
    app = make_app(roots=[root], settings=Settings(), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        if query:
            await pilot.press(*query)
        await wait_for(
            pilot, lambda: any("q[/]r" in line for line in _palette_lines(app)), what="the agent"
        )
        line = next(line for line in _palette_lines(app) if "q[/]r" in line)
        assert "[red]x[/red]" in line and "\x1b" not in line and "\\x1b" in line
        assert app.is_running


async def test_a_filter_that_looks_like_markup_does_not_crash(tmp_path: Path) -> None:
    """Typing `zz[/` in the filter (nothing matches) ended Roster: the status line quoting the
    filter was read as markup."""
    from textual.widgets import Static

    from tests.helpers.app import settle, wait_for
    from tui.app.app import make_app
    from tui.config import Settings
    from tui.core.roots import Root, RootKind

    root = Root(tmp_path / "agents", RootKind.PROJECT, 0)
    root.path.mkdir()
    (root.path / "a.md").write_text("---\nname: a\ndescription: d\n---\nbody\n", encoding="utf-8")
    app = make_app(roots=[root], settings=Settings(), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("/", *"zz[/")
        status = app.main_screen.query_one("#status", Static)
        await wait_for(pilot, lambda: "zz[/" in str(status.render()), what="the status line")
        assert app.is_running
