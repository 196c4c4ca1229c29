"""Outside changes, told once per burst (issue 16 point 6): a rename says "renamed a → b"; a
bulk edit of many files says how many, once. Real watcher, real files."""

from __future__ import annotations

import os

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.core.roots import Root


async def test_a_rename_and_a_bulk_edit_are_one_notification_each(tmp_root: Root) -> None:
    a = write_agent(tmp_root.path, "alpha")
    others = [write_agent(tmp_root.path, f"bulk-{i:02d}") for i in range(12)]
    notes: list[str] = []
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await settle(pilot)
        await wait_for(pilot, lambda: app.watcher_ready, what="watcher")
        os.rename(a, tmp_root.path / "alpha-renamed.md")
        await wait_for(pilot, lambda: any("renamed" in n for n in notes), what="rename note")
        assert notes == ["renamed alpha.md → alpha-renamed.md"], notes
        notes.clear()
        for i, path in enumerate(others):  # like `sed -i` over a folder
            path.write_text(path.read_text().replace("Do the work.", "Do it well."))
            if i % 4 == 3:
                await pilot.pause(0.05)  # the watcher sees it in several batches
        await wait_for(pilot, lambda: bool(notes), what="bulk note")
        await pilot.pause(0.6)
        assert notes == ["12 agents changed"], notes
