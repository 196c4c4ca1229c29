"""The launch dialog shows what a definition file says, so what it shows is untrusted: tool
names Roster cannot provide are listed with their control characters as escapes (a
`tools: [Read, "X\\x1b]0;pwn\\x07"]` entry retitled the terminal) and the list is bounded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.geometry import Region
from textual.widgets import Input, Static

from tests.helpers.app import plain, wait_for
from tests.helpers.session import make_definition
from tui.config import Settings
from tui.screens.launch import LaunchScreen

RAW = ("\x1b", "\x07", "\x9b")
TOOLS = ("Read", "X\x1b]0;pwn\x07\x1b[41mRED", *(f"mcp__s__tool{i}" for i in range(40)))


class Host(App[None]):
    def on_mount(self) -> None:
        definition = make_definition("hostile", tools=TOOLS)
        self.push_screen(LaunchScreen(definition, Settings(), cwd=Path("/tmp")))


def rendered(widget: Any) -> str:
    width, height = widget.size
    lines = widget.render_lines(Region(0, 0, width, height))
    return "\n".join("".join(segment.text for segment in strip) for strip in lines)


async def test_unsupported_tool_names_show_escapes_and_are_bounded() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        await pilot.pause()
        line = app.screen.query_one("#launch-unsupported", Static)
        text = plain(line)
        assert not any(ch in text for ch in RAW) and "X\\x1b]0;pwn\\x07" in text
        assert "and 33 more" in text and "mcp__s__tool39" not in text
        assert not any(ch in rendered(line) for ch in RAW)


async def test_a_huge_or_hostile_model_id_is_refused_and_shown_bounded() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        dialog = app.screen
        assert isinstance(dialog, LaunchScreen)
        model = dialog.query_one("#model", Input)
        model.value = "m\x1b]0;pwn\x07" + "x" * 10_000
        await pilot.pause()
        assert not any(ch in rendered(dialog.query_one("#model-resolved")) for ch in RAW)
        assert dialog.query_one("#model-resolved").region.height == 1
        assert dialog._model() is None and model.has_class("-invalid")
