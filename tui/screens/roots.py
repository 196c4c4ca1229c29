"""The roots panel: every folder searched for definitions, in precedence order, with its kind,
how many files it holds, whether it exists, and whether Claude Code reads it."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.root_rows import RootRow
from tui.core.sanitize import visible_line


def roots_table(rows: list[RootRow]) -> Table:
    table = Table(expand=True, box=None, padding=(0, 1))
    table.add_column("Kind", no_wrap=True)
    table.add_column("Path", overflow="fold", ratio=1)
    table.add_column("Files", justify="right", no_wrap=True)
    table.add_column("Claude Code", no_wrap=True)
    for r in rows:
        path = Text(visible_line(str(r.path)))
        if not r.exists:
            path.append("  (does not exist)", "yellow")
        table.add_row(
            r.kind.value,
            path,
            str(r.count),
            Text("reads it", "green") if r.claude_reads else Text("does not read it", "dim"),
        )
    return table


class RootsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="roots.close", tooltip="Close the panel"),
    ]
    DEFAULT_CSS = """
    RootsScreen { align: center middle; }
    RootsScreen #roots-buttons { height: auto; align-horizontal: right; }
    RootsScreen > VerticalScroll {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, rows: list[RootRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = f"Roots searched ({len(self.rows)}, first wins)"
            box.border_subtitle = "Esc closes"
            yield Static(roots_table(self.rows), id="roots-table")
            yield Static(
                Text(
                    "Claude Code reads only the project and user folders; `i` on an agent "
                    "installs it into one of them.",
                    "dim",
                ),
            )
            with Horizontal(id="roots-buttons"):
                yield Button("Close", id="roots-close", variant="primary")

    @on(Button.Pressed, "#roots-close")
    def _close(self) -> None:
        self.dismiss(None)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
