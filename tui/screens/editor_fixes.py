"""The editor's problems list and its quick fixes: a diagnostic that has a fix says so on its
row ("F9 fix: quote the whole `description`"), and F9 applies it to the text as one edit (undo
brings the old text back). The fixes are `tui.core.fixes`: each one checked to parse and load."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.definition import AgentDefinition, Diagnostic, Severity
from tui.core.fixes import Fix, apply_fixes, fixes_for
from tui.core.sanitize import visible_line
from tui.widgets.editor_area import EditorArea

MARKS = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}
FIX_KEY = "F9"


def quick_fixes(text: str, newline: str, d: AgentDefinition) -> list[Fix]:
    """The fixes for the editor's text (`newline`: the document's line ending)."""
    if not d.diagnostics:
        return []
    return fixes_for(text.replace(newline, "\n") if newline != "\n" else text, d)


def fix_for(diagnostic: Diagnostic, fixes: list[Fix]) -> Fix | None:
    """The fix that answers `diagnostic`: its own code on its line, else its own code (R050
    deletes the earlier duplicate line), else a fix over its line (the block-scalar fix
    answers the description's YAML error and the cut-description note)."""
    line = diagnostic.line
    same = [f for f in fixes if f.code == diagnostic.code]
    here = [f for f in fixes if f.line <= line < max(f.end, f.line + 1)]
    for fix in (*[f for f in same if f in here], *same, *here):
        return fix
    return None


class QuickFixes(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f9",
            "quick_fix",
            "Fix",
            id="editor.quick-fix",
            tooltip="Apply the fix shown on the highlighted problem (or the one at the cursor)",
        ),
    ]
    definition: AgentDefinition | None
    fixes: list[Fix]

    @property
    def area(self) -> EditorArea:
        return self.query_one("#editor-text", EditorArea)

    @property
    def problems(self) -> OptionList:
        return self.query_one("#editor-problems", OptionList)

    def show_problems(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        problems = self.problems
        highlighted = problems.highlighted
        problems.clear_options()
        options = []
        for i, d in enumerate(diagnostics):
            text = f"{MARKS[d.severity]} {d.line}:{d.column} {d.code} {visible_line(d.message)}"
            fix = fix_for(d, self.fixes)
            if fix is not None:
                text += f"  [{FIX_KEY} fix: {visible_line(fix.title)}]"
            options.append(Option(Content(text), id=str(i)))  # `x[/]y` in a name: not markup
        problems.add_options(options)
        problems.set_class(not diagnostics, "-empty")
        problems.border_title = f"Problems ({len(diagnostics)})"
        if diagnostics and highlighted is not None:
            problems.highlighted = min(highlighted, len(diagnostics) - 1)
        self.refresh_bindings()

    def _chosen_fix(self) -> Fix | None:
        d = self.definition
        if d is None or not self.fixes:
            return None
        at = self.problems.highlighted
        if self.problems.has_focus and at is not None and at < len(d.diagnostics):
            return fix_for(d.diagnostics[at], self.fixes)
        row = self.area.cursor_location[0] + 1
        here = [x for x in d.diagnostics if x.line == row]
        for x in here or list(d.diagnostics):
            fix = fix_for(x, self.fixes)
            if fix is not None:
                return fix
        return None

    def action_quick_fix(self) -> None:
        fix = self._chosen_fix()
        if fix is None:
            self.notify("No fix for this problem.", timeout=2)
            return
        area = self.area
        newline = area.document.newline
        text = area.text.replace(newline, "\n") if newline != "\n" else area.text
        fixed = apply_fixes(text, [fix])
        area.replace_text(fixed.replace("\n", newline) if newline != "\n" else fixed)
        self.fixes = []
        self.notify(f"Fixed: {fix.title} (ctrl+z undoes it)", timeout=3)
        area.focus()
