"""One set of name rules: the New-agent, Duplicate and Rename dialogs (Pilot) and `roster
validate` (a real subprocess) give every name in the table the same verdict: an error (Claude
Code skips the file; the dialog refuses it), a note with the suggested slug (the dialog accepts
it and says so), or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, Static

from tests.helpers.catalog import roster
from tests.helpers.dialog_host import DialogHost, until
from tests.helpers.names import NAME_TABLE
from tui.core.cc_loader import yaml_quote
from tui.core.names import NameLevel
from tui.screens.new_agent import NewAgentScreen
from tui.screens.rename import NameScreen
from tui.widgets.name_note import NameNote

NAMES = [name for name, _level, _slug in NAME_TABLE]
EXPECTED = {name: level for name, level, _slug in NAME_TABLE}
SLUGS = {name: suggested for name, _level, suggested in NAME_TABLE}


def _dialog(kind: str, folder: Path) -> tuple[Screen[Any], str, str]:
    """The dialog, its name field and its note."""
    if kind == "new":
        return NewAgentScreen([folder]), "#new-name", "#new-name-note"
    agent = folder / "old-name.md"
    agent.write_text("---\nname: old-name\ndescription: x\n---\nbody\n", encoding="utf-8")
    mode = "rename" if kind == "rename" else "duplicate"
    return NameScreen(mode, agent, "old-name"), "#name-input", "#name-note"


def _level(note: NameNote) -> NameLevel | None:
    return note.verdict.level if note.verdict is not None else None


@pytest.mark.parametrize("kind", ["new", "duplicate", "rename"])
async def test_each_dialog_gives_the_table_its_verdict(tmp_path: Path, kind: str) -> None:
    screen, field, note_id = _dialog(kind, tmp_path)
    app = DialogHost(screen)
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        if kind == "new":
            screen.query_one("#new-description", Input).value = "Reviews API changes"
        box = screen.query_one(field, Input)
        note = screen.query_one(note_id, NameNote)
        for name in NAMES:
            box.value = "placeholder"  # so that every name in the table is a change
            await pilot.pause()
            note.checked = False
            box.value = name
            await until(pilot, lambda: note.checked)
            assert _level(note) is EXPECTED[name], name
            shown = str(note.render())
            if EXPECTED[name] is NameLevel.INFO:
                assert "convention" in shown and "suggested" in shown, shown
                note.checked = False
                await pilot.press("f9")  # the fix: the suggested slug, which needs no note
                await until(pilot, lambda: note.checked)
                assert box.value == SLUGS[name] and note.verdict is None, box.value
            if EXPECTED[name] is NameLevel.ERROR:  # refused: the dialog stays, with the reason
                box.focus()
                await pilot.press("enter")
                await pilot.pause()
                assert app.screen is screen and not app.results, name
                error = "#new-error" if kind == "new" else "#name-error"
                assert "Claude Code would skip it" in str(screen.query_one(error, Static).render())
        # a name that is only against the convention is accepted, as Claude Code loads it
        box.value = "ApiReviewer"
        box.focus()
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.results))
    result = app.results[0]
    assert (result.spec.name if kind == "new" else result.name) == "ApiReviewer"


def test_validate_gives_the_table_the_same_verdicts(tmp_path: Path) -> None:
    folder = tmp_path / "agents"
    folder.mkdir()
    for i, name in enumerate(NAMES):
        (folder / f"n{i}.md").write_text(
            f"---\nname: {yaml_quote(name)}\ndescription: x\n---\nbody\n", encoding="utf-8"
        )
    out = roster("validate", "--json", str(folder), "--no-user", "--no-project", "--no-bundled")
    found = {Path(f["path"]).name: f for f in json.loads(out.stdout)}
    for i, name in enumerate(NAMES):
        codes = {d["code"]: d for d in found[f"n{i}.md"]["diagnostics"] if d["code"] in NAME_CODES}
        level = EXPECTED[name]
        if level is None:
            assert not codes, name
        else:
            (diag,) = codes.values()
            assert diag["severity"] == level.value, name
            if level is NameLevel.INFO:  # the fix is the same suggested slug the dialog shows
                slug = next(s for n, _lv, s in NAME_TABLE if n == name)
                assert f"`{slug}`" in diag["fix"], name
            assert found[f"n{i}.md"]["loads_in_claude_code"] is (level is NameLevel.INFO)


NAME_CODES = {"R010", "R012", "R015"}  # no name, a hard rule broken, the convention
