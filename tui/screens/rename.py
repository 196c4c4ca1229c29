"""Ask for a new name: rename (optionally renaming the file too) or duplicate. The dialog only
validates and returns; `tui.core.editing.rename_agent` / `duplicate_agent` do the writing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from tui.core.authoring import file_stem_for
from tui.widgets.name_note import NameNote
from tui.widgets.plain_title import plain_title

Mode = Literal["rename", "duplicate"]


@dataclass(frozen=True, slots=True)
class NameChoice:
    name: str
    rename_file: bool  # rename: also move the file to <slug>.md; duplicate: always a new file


class NameScreen(ModalScreen[NameChoice | None]):
    """`path`: the definition; `current`: its name; `taken`: names that already exist."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="name.cancel", tooltip="Change nothing"),
        Binding(
            "f9", "use_suggestion", "Fix name", id="name.fix", tooltip="Use the suggested name"
        ),
    ]
    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 0 2;
    }
    NameScreen Label { margin-top: 1; color: $text-muted; }
    NameScreen #name-error { color: $error; height: auto; }
    NameScreen #name-file { height: auto; color: $text-muted; }
    NameScreen Horizontal { height: auto; align-horizontal: right; margin: 1 0; }
    NameScreen Button { margin-left: 2; }
    """

    def __init__(
        self, mode: Mode, path: Path, current: str, *, taken: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.mode = mode
        self.path = path
        self.current = current
        self.taken = taken - {current} if mode == "rename" else taken

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain_title(
                f"Rename {self.current}" if self.mode == "rename" else f"Duplicate {self.current}"
            )
            yield Label("new name")
            initial = self.current if self.mode == "rename" else f"{self.current}-copy"
            yield Input(initial, id="name-input")
            if self.mode == "rename":
                yield Checkbox("Rename the file too", value=True, id="name-rename-file")
            yield NameNote(id="name-note")
            yield Static("", id="name-file", markup=False)
            yield Static("", id="name-error", markup=False)
            with Horizontal():
                yield Button("Cancel", id="name-cancel")
                yield Button(self.mode.capitalize(), id="name-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#name-input", Input).focus()
        self._update_file()

    def _rename_file(self) -> bool:
        if self.mode == "duplicate":
            return True
        return self.query_one("#name-rename-file", Checkbox).value

    def _target(self, name: str) -> Path:
        return self.path.with_name(f"{file_stem_for(name)}.md")

    @on(Input.Changed, "#name-input")
    @on(Checkbox.Changed)
    def _update_file(self) -> None:
        name = self.query_one("#name-input", Input).value
        self.query_one("#name-note", NameNote).check(name)
        if self._rename_file():
            text = f"file: {self._target(name).name}" if name.strip() else ""
        else:
            text = f"file stays {self.path.name}"
        self.query_one("#name-file", Static).update(text)
        self.query_one("#name-error", Static).update("")

    def choice(self) -> NameChoice | None:
        name = self.query_one("#name-input", Input).value
        verdict = self.query_one("#name-note", NameNote).check(name)
        error = verdict.sentence().rstrip(".") if verdict is not None and verdict.is_error else None
        if error is None and name in self.taken:
            error = f"an agent named {name!r} already exists"
        if error is None and self.mode == "rename" and name == self.current:
            error = "that is already its name"
        target = self._target(name)
        if error is None and self._rename_file() and target != self.path and target.exists():
            error = f"{target.name} already exists here; choose another name"
        if error is not None:
            self.query_one("#name-error", Static).update(f"{error}.")
            return None
        return NameChoice(name, self._rename_file())

    def action_ok(self) -> None:
        choice = self.choice()
        if choice is not None:
            self.dismiss(choice)

    def action_use_suggestion(self) -> None:
        field = self.query_one("#name-input", Input)
        self.query_one("#name-note", NameNote).use_suggestion(field)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#name-ok")
    @on(Input.Submitted, "#name-input")
    def _ok(self) -> None:
        self.action_ok()

    @on(Button.Pressed, "#name-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
