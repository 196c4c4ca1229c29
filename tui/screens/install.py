"""Install the highlighted agent where Claude Code reads it (`i`, the same as `roster install`),
or, for a library or read-only file you asked to edit, save a copy there and edit that.

The dialog shows both destinations (project, user) with their target file; choosing one says
whether it is new, identical, or would overwrite a different file (then the diff is shown and
the button says "Overwrite"). Returns the chosen `Scope`, or None."""

from __future__ import annotations

from typing import ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, RadioButton, RadioSet, Static

from tui.core.install import InstallPlan, Scope
from tui.core.sanitize import visible, visible_line
from tui.widgets.plain_title import plain_title


def plan_state(plan: InstallPlan, *, copy: bool) -> tuple[str, str, bool]:
    """(what happens, button label, allowed) for one destination."""
    source = plan.source
    if not source.loads_in_claude_code and not copy:
        reason = visible_line(source.skip_reason or "")
        return (f"✗ Claude Code would skip this file ({reason}): fix it first.", "Install", False)
    if plan.identical:
        if copy:
            return ("Already there, identical: the copy there is opened.", "Edit it", True)
        return ("Already installed, identical: nothing to do.", "Install", False)
    notes = []
    if plan.exists:
        notes.append("A different file is there: it is overwritten (diff below).")
    else:
        notes.append("A new file.")
    if plan.other_same_name:
        others = ", ".join(visible_line(p.name) for p in plan.other_same_name[:3])
        notes.append(f"! {others} there already declares `{visible_line(source.display_name)}`.")
    label = "Overwrite" if plan.exists else ("Copy and edit" if copy else "Install")
    return (" ".join(notes), label, True)


class InstallScreen(ModalScreen[Scope | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="install.cancel", tooltip="Close, copy nothing"),
    ]
    DEFAULT_CSS = """
    InstallScreen { align: center middle; }
    InstallScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    InstallScreen #install-intro { height: auto; max-height: 4; }
    InstallScreen RadioSet { width: 1fr; }
    InstallScreen #install-state { height: auto; }
    InstallScreen #install-diff-box { height: auto; max-height: 35vh; border: round $panel; }
    InstallScreen #install-diff-box.-empty { display: none; }
    InstallScreen #install-buttons { height: auto; align-horizontal: right; }
    InstallScreen Button { margin-left: 2; }
    """

    def __init__(
        self, plans: dict[Scope, InstallPlan], diffs: dict[Scope, str], *, copy: bool = False
    ) -> None:
        super().__init__()
        self.plans = plans
        self.diffs = diffs
        self.copy = copy
        self.scope = Scope.PROJECT

    def compose(self) -> ComposeResult:
        source = self.plans[Scope.PROJECT].source
        name = visible_line(source.display_name)
        with Vertical() as box:
            box.border_title = plain_title(
                f"Edit a copy of {name}" if self.copy else f"Install {name}"
            )
            box.border_subtitle = "Esc cancels"
            if self.copy:
                intro = (
                    f"{visible_line(str(source.path))} is not yours to edit (Roster's library or "
                    "a read-only file): edits there are lost or refused. Save a copy where "
                    "Claude Code reads it, and edit that:"
                )
            else:
                intro = f"Copy {visible_line(str(source.path))} where Claude Code reads it:"
            yield Static(intro, id="install-intro", markup=False)
            with RadioSet(id="install-where"):
                for scope in (Scope.PROJECT, Scope.USER):
                    target = str(self.plans[scope].target)  # `a[b].md`: a name, not markup
                    yield RadioButton(
                        plain_title(f"{scope.value}: {target}"),
                        value=scope is Scope.PROJECT,
                        id=f"to-{scope}",
                    )
            yield Static("", id="install-state", markup=False)
            with VerticalScroll(id="install-diff-box"):
                yield Static("", id="install-diff")
            with Horizontal(id="install-buttons"):
                yield Button("Cancel", id="install-cancel")
                yield Button("Install", id="install-go", variant="primary")

    def on_mount(self) -> None:
        self._show()
        self.query_one(RadioSet).focus()

    def _show(self) -> None:
        plan = self.plans[self.scope]
        state, label, allowed = plan_state(plan, copy=self.copy)
        self.query_one("#install-state", Static).update(state)
        go = self.query_one("#install-go", Button)
        go.label = label
        go.disabled = not allowed
        go.variant = "warning" if plan.exists and not plan.identical else "primary"
        diff = self.diffs.get(self.scope, "")
        box = self.query_one("#install-diff-box")
        box.set_class(not diff, "-empty")
        self.query_one("#install-diff", Static).update(
            Syntax(visible(diff), "diff", theme="ansi_dark") if diff else Text("")
        )

    @on(RadioSet.Changed)
    def _where(self, event: RadioSet.Changed) -> None:
        self.scope = Scope.USER if event.index == 1 else Scope.PROJECT
        self._show()

    @on(Button.Pressed, "#install-go")
    def _go(self) -> None:
        self.dismiss(self.scope)

    @on(Button.Pressed, "#install-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
