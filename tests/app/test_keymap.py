"""Keys remapped from config.toml's [keys] table: the new key works, the old one does not, bad
entries are reported, never fatal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.app.conftest import SIZE, settle, wait_for
from tui.app.app import make_app
from tui.config import load_settings
from tui.core.roots import Root
from tui.screens.history import HistoryScreen


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
