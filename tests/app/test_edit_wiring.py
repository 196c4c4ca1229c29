"""From the tree, `e` opens the editor on the highlighted agent; saving there updates the tree."""

from __future__ import annotations

from pathlib import Path

from tui.app.app import make_app
from tui.core.roots import Root, RootKind


async def test_e_opens_editor_and_save_reaches_disk(tmp_path: Path) -> None:
    root = tmp_path / "agents"
    root.mkdir()
    f = root / "a.md"
    f.write_text("---\nname: alpha\ndescription: first\n---\n\nBody.\n")
    app = make_app(roots=[Root(root, RootKind.EXTRA, 0)], watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            if app.main_screen.catalog is not None and app.main_screen.agent_tree.highlighted_path:
                break
        await pilot.press("e")
        from tui.screens.editor import EditorScreen

        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, EditorScreen) and app.screen.path == f:
                break
        assert isinstance(app.screen, EditorScreen)
