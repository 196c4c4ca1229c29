"""The line under a name field that says what Claude Code will make of the name (the one set of
rules in tui.core.names): an error it skips the file for, or a note on its convention with the
suggested slug. The New-agent, Duplicate and Rename dialogs all show it."""

from __future__ import annotations

from textual.widgets import Input, Static

from tui.core.names import NameVerdict, name_verdict


class NameNote(Static):
    DEFAULT_CSS = """
    NameNote { height: auto; color: $text-muted; }
    NameNote.-error { color: $error; }
    NameNote.-info { color: $text-warning; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.verdict: NameVerdict | None = None
        self.checked = False  # a name was checked at least once
        self.display = False  # takes no room until there is something to say

    def check(self, name: str) -> NameVerdict | None:
        """Show the verdict on `name` and return it (None: a conventional name)."""
        self.verdict = verdict = name_verdict(name)
        self.checked = True
        self.set_class(verdict is not None and verdict.is_error, "-error")
        self.set_class(verdict is not None and not verdict.is_error, "-info")
        text = verdict.sentence() if verdict is not None else ""
        if verdict is not None and verdict.slug and f"`{verdict.slug}`" in verdict.fix:
            text += " F9 puts it in."
        self.update(text)
        self.display = verdict is not None
        return verdict

    def use_suggestion(self, field: Input) -> bool:
        """Put the suggested name into `field` (F9); False when there is none."""
        verdict = self.verdict
        if verdict is None or not verdict.slug or f"`{verdict.slug}`" not in verdict.fix:
            return False
        field.value = verdict.slug
        field.cursor_position = len(verdict.slug)
        field.focus()
        return True
