"""Keys remapped from config.toml's [keys] table: the new key works, the old one does not, bad
entries are reported, never fatal."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from tests.helpers.app import SIZE, settle, wait_for
from tui.app.app import RosterApp, make_app
from tui.app.keymap import binding_classes, binding_ids, own_bindings, unknown_ids
from tui.config import load_settings
from tui.core.roots import Root
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.main import MainScreen


def test_keys_table_is_read_and_bad_entries_are_reported(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"main.history" = "ctrl+h, f9"\n"main.group" = 3\n')
    settings = load_settings(config)
    assert settings.keys == {"main.history": "ctrl+h,f9"}
    assert any("keys.main.group" in p for p in settings.problems)
    config.write_text('keys = "nonsense"\n')
    settings = load_settings(config)
    assert settings.keys == {} and any("`keys` should be dict" in p for p in settings.problems)


async def test_a_remapped_key_opens_history_and_unknown_ids_are_named(
    tmp_path: Path, tmp_root: Root
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"main.history" = "f9"\n"main.nope" = "f8"\n')
    settings = replace(load_settings(config))
    app = make_app(roots=[tmp_root], settings=settings, watch=False, scan_workers=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(
            pilot,
            lambda: any("main.nope" in str(n.message) for n in app._notifications),
            what="warning",
        )
        await pilot.press("H")  # the old key no longer opens history
        await pilot.pause()
        assert app.screen is app.main_screen
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")


def test_every_binding_has_a_unique_id_and_all_ids_are_known() -> None:
    classes = binding_classes()
    names = {c.__qualname__ for c in classes}
    assert {"RosterApp", "MainScreen", "NewAgentScreen", "NameScreen"} <= names
    seen: dict[str, str] = {}
    for cls in classes:
        for binding in own_bindings(cls):
            where = f"{cls.__qualname__} {binding.key!r}"
            assert binding.id, f"{where} has no id"
            assert binding.id not in seen, f"{where}: id {binding.id} is {seen[binding.id]}'s too"
            assert binding.description, f"{where} has no description (help would skip it)"
            seen[binding.id] = where
    # ids the old hand-kept list did not know
    assert unknown_ids(dict.fromkeys(seen, "f12")) == set()
    assert "new.create" in binding_ids()
    assert unknown_ids({"main.nope": "f8"}) == {"main.nope"}


async def test_help_lists_every_binding_of_the_screen_and_the_app(tmp_root: Root) -> None:
    app = make_app(roots=[tmp_root], watch=False, scan_workers=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys", Static).content)
        shown = console.export_text()
        for cls in (MainScreen, RosterApp):
            for binding in own_bindings(cls):
                assert binding.id in shown, f"help does not list {binding.id}"
