"""EditorScreen, driven with Pilot on real files inside a tiny host app (not the main app)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList

from tests.helpers.editor import AGENT, Host, loaded, until
from tui.core.storage import digest
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import ConflictScreen
from tui.screens.editor import EditorScreen
from tui.screens.unsaved import UnsavedScreen


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


@pytest.fixture
def agent(tmp_path: Path) -> Path:
    root = tmp_path / "agents"
    root.mkdir()
    path = root / "code-reviewer.md"
    write(path, AGENT)
    return path


def problems_text(editor: EditorScreen) -> str:
    ol = editor.problems
    return "\n".join(str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count))


async def test_type_diagnostics_update_then_save_keeps_mode(agent: Path) -> None:
    agent.chmod(0o640)
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        assert not editor.dirty and "saved" in str(editor.sub_title)
        area = editor.area
        area.move_cursor((1, 0))
        await pilot.press(*"color: mauve", "enter")
        assert editor.dirty and "modified" in str(editor.sub_title)
        await until(pilot, lambda: "mauve" in problems_text(editor))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.saved))
        on_disk = agent.read_bytes()
        assert on_disk == AGENT.replace("---\n", "---\ncolor: mauve\n", 1).encode()
        assert app.saved[0].hash == digest(on_disk) and app.saved[0].path == agent
        assert stat.S_IMODE(agent.stat().st_mode) == 0o640
        assert not editor.dirty


async def test_selecting_a_diagnostic_moves_the_cursor(agent: Path) -> None:
    write(agent, AGENT.replace("model: sonnet", "model: sonet"))
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        await until(pilot, lambda: "sonet" in problems_text(editor))
        index = next(i for i, d in enumerate(editor.definition.diagnostics) if "sonet" in d.message)  # type: ignore[union-attr]
        editor.problems.focus()
        editor.problems.highlighted = index
        await pilot.press("enter")
        diag = editor.definition.diagnostics[index]  # type: ignore[union-attr]
        assert editor.area.cursor_location == (diag.line - 1, diag.column - 1)
        assert editor.area.has_focus
        assert editor.area.cursor_location[0] == 7  # the model line


async def test_form_change_touches_only_that_key(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 50)) as pilot:
        editor = await loaded(pilot, app)
        await pilot.press("f2")
        await until(pilot, lambda: editor.query_one("#md-model", Select).value == "sonnet")
        editor.query_one("#md-model", Select).value = "opus"
        await until(pilot, lambda: "model: opus" in editor.area.text)
        tools: SelectionList[str] = editor.query_one("#md-tools", SelectionList)
        tools.select("Glob")
        await until(pilot, lambda: "  - Glob" in editor.area.text)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.saved))
        before = AGENT.splitlines(keepends=True)
        after = agent.read_text().splitlines(keepends=True)
        changed = [(b, a) for b, a in zip(before, after, strict=False) if b != a]
        # Only the model line changed in place, and one block-list item was appended to tools.
        expected = AGENT.replace("model: sonnet", "model: opus").replace(
            "  - Grep\n", "  - Grep\n  - Glob\n"
        )
        assert agent.read_text() == expected
        assert ("model: sonnet\n", "  - Glob\n") in changed or len(after) == len(before) + 1
        # Undo survives a form change: ctrl+z in the text brings the previous value back.
        editor.area.focus()
        await pilot.press("ctrl+z")
        await until(pilot, lambda: "  - Glob" not in editor.area.text)
        assert editor.dirty


async def test_form_edit_keeps_crlf_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "w.md"
    path.write_bytes(AGENT.replace("\n", "\r\n").encode())
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        editor = await loaded(pilot, app)
        await pilot.press("f2")
        desc = editor.query_one("#md-description", Input)
        await until(pilot, lambda: desc.value == "Reviews code for bugs")
        desc.focus()
        await pilot.press("end", *" and style")
        await until(pilot, lambda: "bugs and style" in editor.area.text)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.saved))
        expected = AGENT.replace("bugs", "bugs and style").replace("\n", "\r\n")
        assert path.read_bytes() == expected.encode()


async def test_external_write_while_clean_reloads_quietly(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.move_cursor((11, 3))
        new = AGENT.replace("Review the diff.", "Review the whole diff.")
        write(agent, new)
        editor.external_change(agent.read_bytes())
        await pilot.pause()
        assert editor.area.text == new and not editor.dirty
        assert editor.area.cursor_location == (11, 3)
        assert not editor.query_one("#editor-banner").has_class("-visible")
        # Our own save's echo is ignored.
        editor.area.insert("x", (13, 0))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.saved))
        text_before = editor.area.text
        editor.external_change(agent.read_bytes())
        await pilot.pause()
        assert editor.area.text == text_before and not editor.disk_changed


async def _dirty_then_external(pilot: Pilot[None], app: Host, agent: Path) -> EditorScreen:
    editor = await loaded(pilot, app)
    editor.area.insert("MINE ", (13, 0))
    await pilot.pause()
    write(agent, AGENT + "THEIRS\n")
    editor.external_change(agent.read_bytes())
    await pilot.pause()
    assert editor.query_one("#editor-banner").has_class("-visible")
    assert editor.disk_changed and "MINE" in editor.area.text
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
    return editor


async def test_external_write_while_dirty_then_keep_mine(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await _dirty_then_external(pilot, app, agent)
        assert isinstance(app.screen, ConflictScreen)
        diff = app.screen.diff_text
        assert "THEIRS" in diff and "MINE" in diff
        await pilot.press("m")
        await until(pilot, lambda: bool(app.saved))
        assert agent.read_text() == AGENT.replace("Review the diff.", "MINE Review the diff.")
        assert not editor.dirty and not editor.disk_changed


async def test_external_write_while_dirty_then_take_disk_and_back(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await _dirty_then_external(pilot, app, agent)
        await pilot.press("b")
        await until(pilot, lambda: app.screen is editor)
        assert "MINE" in editor.area.text and agent.read_text() == AGENT + "THEIRS\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("t")
        await until(pilot, lambda: app.screen is editor)
        assert editor.area.text == AGENT + "THEIRS\n" and not editor.dirty
        assert agent.read_text() == AGENT + "THEIRS\n" and not app.saved
        editor.area.focus()
        await pilot.press("ctrl+z")  # the user's version is still one undo away
        await until(pilot, lambda: "MINE" in editor.area.text)


async def test_failing_write_leaves_original(agent: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import tui.core.storage as storage

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.insert("EDIT ", (13, 0))
        monkeypatch.setattr(storage.os, "fsync", full)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("disk is full" in n.message for n in app._notifications))
        assert agent.read_text() == AGENT and "EDIT" in editor.area.text and editor.dirty
        assert [p.name for p in agent.parent.iterdir()] == [agent.name]


async def test_deleted_while_open_offers_save_as_new(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.insert("KEEP ", (13, 0))
        agent.unlink()
        editor.external_change(None)
        await pilot.pause()
        assert editor.disk_deleted and "deleted" in str(editor.sub_title)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        assert app.screen.deleted  # type: ignore[attr-defined]
        await pilot.press("s")
        await until(pilot, lambda: bool(app.saved))
        assert "KEEP Review" in agent.read_text()
        assert not editor.disk_deleted


async def test_clean_file_deleted_can_be_saved_again(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        agent.unlink()
        editor.external_change(None)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("s")
        await until(pilot, lambda: bool(app.saved))
        assert agent.read_text() == AGENT


async def test_path_is_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "dir.md"
    folder.mkdir()
    app = Host(folder, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        assert not editor.loaded and editor.session is None
        banner = editor.query_one("#editor-banner")
        assert banner.has_class("-visible") and "folder" in str(banner.render())
        await pilot.press("ctrl+s", "escape")
        await until(pilot, lambda: not isinstance(app.screen, EditorScreen))


async def test_file_replaced_by_directory_while_open(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.insert("KEEP ", (13, 0))
        agent.unlink()
        agent.mkdir()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("folder" in n.message for n in app._notifications))
        assert "KEEP" in editor.area.text and editor.dirty and agent.is_dir()


async def test_latin1_file_converts_only_after_confirmation(tmp_path: Path) -> None:
    path = tmp_path / "old.md"
    raw = AGENT.replace("Review the diff.", "Revue du café.").encode("latin-1")
    path.write_bytes(raw)
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        banner = editor.query_one("#editor-banner")
        assert "Latin-1" in str(banner.render())
        assert "café" in editor.area.text
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is editor)
        assert path.read_bytes() == raw
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: bool(app.saved))
        assert path.read_bytes() == raw.decode("latin-1").encode("utf-8")
        assert "café".encode() in path.read_bytes()


async def test_broken_frontmatter_needs_confirmation(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.delete((0, 0), (1, 0))  # remove the opening ---
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "frontmatter" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("n")
        await until(pilot, lambda: app.screen is editor)
        assert agent.read_text() == AGENT and editor.dirty
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: bool(app.saved))
        assert agent.read_text() == AGENT[4:]


async def test_leaving_with_unsaved_changes_asks(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.insert("x", (13, 0))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is editor)
        assert editor.area.text.startswith(AGENT[:10]) and editor.dirty
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("y")
        await until(pilot, lambda: editor not in app.screen_stack)
        assert agent.read_text() == AGENT


async def test_clean_editor_closes_without_asking(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        await pilot.press("escape")
        await until(pilot, lambda: editor not in app.screen_stack)


async def test_five_megabyte_file_opens_and_edits(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    line = "Some *markdown* body text that goes on for a while, like a long prompt does.\n"
    text = "---\nname: big\ndescription: A big one\n---\n" + line * (5 * 1024 * 1024 // len(line))
    write(path, text)
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        started = time.monotonic()
        editor = await loaded(pilot, app)
        assert time.monotonic() - started < 10
        assert editor.area.language is None  # highlighting off for huge files
        started = time.monotonic()
        editor.area.move_cursor((4, 0))
        await pilot.press(*"hello")
        assert time.monotonic() - started < 5
        await until(pilot, lambda: "R083" in problems_text(editor))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.saved), timeout=10)
        assert path.read_bytes().startswith(b"---\nname: big\ndescription: A big one\n---\nhello")


class WatchingHost(Host):
    """Host that polls the file like the app's watcher and reports changes to the editor."""

    def on_mount(self) -> None:  # Host.on_mount also runs (Textual calls each class's handler)
        self._last: str | None = digest(self.path.read_bytes())
        self.set_interval(0.03, self._poll)

    def _poll(self) -> None:
        try:
            data: bytes | None = self.path.read_bytes()
        except OSError:
            data = None
        h = digest(data) if data is not None else None
        if h != self._last:
            self._last = h
            for screen in self.screen_stack:
                if isinstance(screen, EditorScreen):
                    screen.external_change(data)


async def test_concurrent_writer_never_loses_anything_silently(
    agent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random
    import tempfile
    import threading

    import tui.core.editing as editing

    real_write = editing.atomic_write
    writes: list[tuple[str | None, bytes, str]] = []  # (expected hash, data, new hash)

    def recording_write(
        path: Path, data: bytes, *, expected_hash: str | None = None, create: bool = False
    ) -> str:
        new_hash = real_write(path, data, expected_hash=expected_hash, create=create)
        writes.append((expected_hash, data, new_hash))
        return new_hash

    monkeypatch.setattr(editing, "atomic_write", recording_write)
    seen: set[str] = {digest(agent.read_bytes())}  # versions the user was shown
    real_adopt = editing.EditSession.adopt_disk

    markers: list[str] = []  # typed since the editor last took the disk's text

    def recording_adopt(self: editing.EditSession, data: bytes) -> str:
        seen.add(digest(data))
        markers.clear()  # a reload (clean) or "take disk's" (chosen) replaced the text
        return real_adopt(self, data)

    monkeypatch.setattr(editing.EditSession, "adopt_disk", recording_adopt)

    stop = threading.Event()
    written: list[bytes] = []

    def replace_file(text: str) -> None:
        """What another program saving atomically does."""
        data = text.encode()
        fd, tmp = tempfile.mkstemp(dir=agent.parent, prefix=".other-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, agent)
        written.append(data)

    def other_writer() -> None:
        rng = random.Random(7)
        i = 0
        while not stop.is_set():
            replace_file(AGENT + f"writer {i}\n")
            i += 1
            stop.wait(rng.choice((0.02, 0.05, 0.3, 0.5)))

    counts = {"conflicts": 0}

    def conflicts_seen() -> int:
        return counts["conflicts"]

    async def save_round(marker: str | None, *, keep: bool) -> None:
        """Type `marker` (if any), ctrl+s, answer every conflict view; check what landed."""
        if marker is not None:
            editor.area.focus()
            editor.area.move_cursor((13, 0))
            await pilot.press(*marker, "space")
            markers.append(marker)
        saves_before = len(app.saved)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: editor.saving or not editor.dirty)
        deadline = time.monotonic() + 10
        shown = 0
        while editor.saving:
            assert time.monotonic() < deadline, f"save stuck on {app.screen}"
            screen = app.screen
            if isinstance(screen, ConflictScreen):
                counts["conflicts"] += 1
                assert screen.disk is not None
                seen.add(digest(screen.disk))
                shown += 1
                if shown > 3:  # the writer keeps winning the race: give up this round
                    await pilot.press("b")
                else:
                    await pilot.press("m" if keep else "t")
                await until(pilot, lambda s=screen: app.screen is not s)
            await pilot.pause(0.01)
        if len(app.saved) > saves_before:
            # Landed: everything typed since the editor last took the disk's text is there.
            landed = app.saved[-1]
            data = next(d for _, d, h in reversed(writes) if h == landed.hash)
            assert all(m.encode() in data for m in markers)

    app = WatchingHost(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        thread = threading.Thread(target=other_writer, daemon=True)
        thread.start()
        try:
            for round_ in range(4):
                await save_round(f"u{round_}", keep=round_ % 2 == 0)
        finally:
            stop.set()
            thread.join()
        # Last round with the writer stopped: one more foreign write while the user has
        # unsaved edits must produce a conflict, and keeping mine must then land.
        before = (conflicts_seen(), len(app.saved))
        editor.area.move_cursor((13, 0))
        await pilot.press(*"final", "space")
        markers.append("final")
        replace_file(AGENT + "writer last\n")
        await until(pilot, lambda: editor.disk_changed)
        await save_round(None, keep=True)
        assert conflicts_seen() > before[0] and len(app.saved) > before[1]
        assert b"final" in agent.read_bytes()
    own = {h for _, _, h in writes}
    for expected, _, _ in writes:
        # Each save replaced only a version the user had seen (or our own earlier save).
        assert expected in seen | own
    assert written  # the other writer really ran
