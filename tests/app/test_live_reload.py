"""Live reload: real files written into a temp root, the real watcher, no sleeps (poll until a
condition holds or a deadline passes)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from textual.message import Message

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.app.app import RosterApp
from tui.core.roots import Root
from tui.screens.messages import CatalogChanged
from tui.widgets.preview import PreviewInfo


async def _ready(pilot: object, app: RosterApp) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: app.watcher_ready, what="watcher")  # type: ignore[arg-type]


def _preview_hash(app: RosterApp) -> str | None:
    shown = app.main_screen.preview.shown
    return shown[1] if shown else None


async def test_edit_updates_tree_and_preview_in_place(tmp_root: Root) -> None:
    a = write_agent(tmp_root.path, "alpha", body="# Alpha\n\n## Workflows\n\n### One\n\n1. first\n")
    b = write_agent(tmp_root.path, "beta")
    notes: list[str] = []
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree
        assert tree.highlighted_path == a
        node_before = tree.agent_node(a)
        a.write_text(a.read_text().replace("1. first", "1. first\n2. second"))
        await wait_for(
            pilot,
            lambda: app.catalog.get(a) is not None and "second" in app.catalog.get(a).body,
            what="catalog",
        )  # type: ignore[union-attr]
        await wait_for(
            pilot,
            lambda: _preview_hash(app) == app.catalog.get(a).content_hash,  # type: ignore[union-attr]
            what="preview",
        )
        # incremental: the same node object, still highlighted
        assert tree.agent_node(a) is node_before
        assert tree.highlighted_path == a
        assert tree.agent_node(b) is not None
        await wait_for(pilot, lambda: any("alpha changed" in n for n in notes), what="note")


async def test_add_delete_highlighted_moves_to_neighbour(tmp_root: Root) -> None:
    paths = [write_agent(tmp_root.path, name) for name in ("a1", "a2", "a3")]
    messages: list[Message] = []
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree
        tree.reveal(paths[1])
        await settle(pilot)
        assert tree.highlighted_path == paths[1]
        added = write_agent(tmp_root.path, "a0")
        await wait_for(pilot, lambda: tree.agent_node(added) is not None, what="added node")
        assert tree.highlighted_path == paths[1]
        paths[1].unlink()
        await wait_for(pilot, lambda: tree.agent_node(paths[1]) is None, what="removed node")
        await settle(pilot)
        assert tree.highlighted_path == paths[2]  # the next neighbour
        info = app.main_screen.preview.info
        assert isinstance(info, PreviewInfo) and info.row.path == paths[2]
        assert any(isinstance(m, CatalogChanged) and m.diff is not None for m in messages)


async def test_atomic_save_and_rename(tmp_root: Root) -> None:
    a = write_agent(tmp_root.path, "atomic", description="before")
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree
        # an editor's save: write a temp file beside it, then rename over it
        tmp = tmp_root.path / ".atomic.md.tmp123"
        tmp.write_text(a.read_text().replace("before", "after"))
        os.replace(tmp, a)
        await wait_for(
            pilot,
            lambda: (d := app.catalog.get(a)) is not None and d.description == "after",
            what="atomic save",
        )
        await settle(pilot)
        assert tree.highlighted_path == a
        assert len(tree.visible_paths()) == 1
        # a rename: old path gone, new path shown and highlighted
        b = tmp_root.path / "renamed.md"
        os.rename(a, b)
        await wait_for(
            pilot,
            lambda: tree.agent_node(b) is not None and tree.agent_node(a) is None,
            what="rename",
        )
        await settle(pilot)
        assert tree.highlighted_path == b


async def test_folder_moved_in_and_out(tmp_root: Root, tmp_path: Path) -> None:
    write_agent(tmp_root.path, "stay")
    outside = tmp_path / "outside" / "team"
    for i in range(5):
        write_agent(outside, f"team-{i}")
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree
        inside = tmp_root.path / "team"
        os.rename(outside, inside)
        await wait_for(pilot, lambda: len(tree.visible_paths()) == 6, what="folder in")
        os.rename(inside, tmp_path / "gone")
        await wait_for(pilot, lambda: len(tree.visible_paths()) == 1, what="folder out")


async def test_root_deleted_and_recreated(tmp_root: Root) -> None:
    write_agent(tmp_root.path, "one")
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree
        shutil.rmtree(tmp_root.path)
        await wait_for(pilot, lambda: not tree.visible_paths(), what="root gone")
        tmp_root.path.mkdir()
        write_agent(tmp_root.path, "two")
        await wait_for(
            pilot, lambda: {p.stem for p in tree.visible_paths()} == {"two"}, what="root back"
        )
        # and the new root is watched again
        await wait_for(pilot, lambda: app.watcher_ready, what="re-armed")
        write_agent(tmp_root.path, "three")
        await wait_for(pilot, lambda: len(tree.visible_paths()) == 2, what="watched again")


async def test_burst_of_500_files_is_one_update(tmp_root: Root) -> None:
    write_agent(tmp_root.path, "seed")
    notes: list[str] = []
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree
        before = tree.updates
        staging = tmp_root.path.parent / "staging"
        for i in range(500):
            write_agent(staging, f"bulk-{i:03d}")
        # a `git checkout`-style burst: 500 files land in the root at once
        for p in sorted(staging.iterdir()):
            os.replace(p, tmp_root.path / p.name)
        await wait_for(pilot, lambda: len(tree.visible_paths()) == 501, what="500 files")
        await settle(pilot)
        assert tree.updates - before <= 3, tree.updates - before
        await wait_for(pilot, lambda: any("500 agents added" in n for n in notes), what="note")
        assert len([n for n in notes if "agents added" in n]) == 1  # one per burst
        # a catalog this size starts groups collapsed, but the cursor survived
        assert tree.highlighted_path is not None


async def test_bad_files_never_crash(tmp_root: Root) -> None:
    write_agent(tmp_root.path, "ok")
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree
        (tmp_root.path / "binary.md").write_bytes(b"\x00\xff\xfe garbage \x00")
        (tmp_root.path / "utf16.md").write_bytes("---\nname: u\n---\n".encode("utf-16"))
        (tmp_root.path / "yaml.md").write_text("---\nname: [unclosed\ndescription: x: y\n---\n")
        (tmp_root.path / "dir.md").mkdir()
        await wait_for(pilot, lambda: len(tree.visible_paths()) >= 4, what="bad files shown")
        await pilot.press("down", "down", "down", "right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert app.is_running
