"""A tiny host app around one EditorScreen (not the main app), for the editor's Pilot tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from tests.helpers.app import wait_for
from tui.screens.editor import EditorScreen

AGENT = (
    "---\n"
    "name: code-reviewer\n"
    "# the description is what Claude reads to pick this agent\n"
    "description: Reviews code for bugs\n"
    "tools:\n"
    "  - Read\n"
    "  - Grep\n"
    "model: sonnet\n"
    "x-team: platform\n"
    "---\n"
    "\n"
    "# Code Reviewer\n"
    "\n"
    "Review the diff.\n"
)


class Host(App[None]):
    """Pushes one EditorScreen; records what it reports to the app."""

    def __init__(self, path: Path, root: Path) -> None:
        super().__init__()
        self.path = path
        self.root = root
        self.saved: list[EditorScreen.EditorSaved] = []

    def on_mount(self) -> None:
        self.push_screen(EditorScreen(self.path, self.root))

    def on_editor_screen_editor_saved(self, message: EditorScreen.EditorSaved) -> None:
        self.saved.append(message)

    @property
    def editor(self) -> EditorScreen:
        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                return screen
        raise LookupError("no editor")


def until(pilot: Pilot[None], cond: Callable[[], object], timeout: float = 5.0) -> Awaitable[None]:
    return wait_for(pilot, cond, timeout=timeout, delay=0.01)


async def loaded(pilot: Pilot[None], app: Host) -> EditorScreen:
    await until(pilot, lambda: any(isinstance(s, EditorScreen) for s in app.screen_stack))
    editor = app.editor
    await until(pilot, lambda: editor.loaded or "cannot open" in str(editor.sub_title))
    return editor
