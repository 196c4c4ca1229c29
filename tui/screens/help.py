"""Help: every key the screen underneath answers to, plus the tree's own keys."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.core.query import FIELDS

NAVIGATION = (
    ("↑ ↓ / PgUp PgDn", "Move through the tree"),
    ("← →  Shift+←", "Collapse / expand a group, go to the parent group"),
    ("Enter", "Open a group, or launch a session with an agent"),
    ("Space", "Toggle a group"),
    ("Tab / Shift+Tab", "Move focus between filter, tree and preview"),
    ("Enter / ↓ in the filter", "Back to the tree, keeping the filter"),
)

# One model for moving between screens: the agents are home; the sessions screen sits right
# above them (however it was opened); history sits above whatever you came from.
SCREENS = (
    ("s", "Agents → the sessions screen (each session keeps streaming)"),
    ("Ctrl+O", "Sessions → back to the agents, always; nothing stops"),
    ("Esc", "Interrupts a running turn; when idle, one screen back (sessions → agents)"),
    ("Alt+↑ / Alt+↓", "Previous / next session (inside the sessions screen)"),
    ("H", "History; r on a past session resumes it in the sessions screen"),
    ("Shift+Tab", "In a session: permission mode default → acceptEdits → plan"),
    ("Enter / Ctrl+J", "In a message box: send / new line; ↑ ↓ recall earlier messages"),
)

MARKS = (
    ("✗", "bold red", "Claude Code skips this file, or it has errors"),
    ("!", "bold yellow", "warnings, or the same name twice in one root"),
    ("●", "green3", "loads fine (coloured by the agent's `color`)"),
    ("dim", "dim", "shadowed: a higher-precedence root defines the same name"),
)


def session_commands() -> list[tuple[str, str]]:
    """The slash commands (never sent to the model) and the mention syntax."""
    from tui.core.session.slash import COMMANDS

    rows = [(f"/{c.name}" + (f" {c.arg}" if c.arg else ""), c.help) for c in COMMANDS]
    return [
        *rows,
        ("/ … Tab", "complete a command; Enter on a whole command runs it; Esc closes the list"),
        ("//text", "send /text as a message (a leading // escapes the command)"),
        ("@path", "attach a file (text, or a PNG/JPEG/GIF/WebP image) or a folder's listing"),
        ("@ … Tab", "complete paths in the working folder (.gitignore'd ones left out)"),
    ]


def with_inactive(active: dict[str, ActiveBinding], *nodes: DOMNode) -> dict[str, ActiveBinding]:
    """`active` plus the bindings of `nodes` that are switched off right now (e.g. Clear
    while nothing is filtered): help lists every key, and every id to remap it by."""
    listed = dict(active)
    ids = {b.binding.id for b in listed.values()}
    for node in nodes:
        for klass in type(node).__mro__:
            for binding in vars(klass).get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id and binding.id not in ids:
                    ids.add(binding.id)
                    listed[f"{binding.id}:{binding.key}"] = ActiveBinding(
                        node, binding, False, binding.tooltip
                    )
    return listed


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="help.close", tooltip="Close help"),
        Binding("f1,question_mark", "dismiss", "Close", id="help.close-f1", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, bindings: dict[str, ActiveBinding]) -> None:
        super().__init__()
        self._listed = bindings

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Roster · keys"
            yield Static(self._table(), id="help-keys")
        yield Footer()

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=16)
        table.add_column()
        table.add_row(Text("Keys", "bold underline"), "")
        seen: set[tuple[str, str]] = set()
        for _key, (_node, binding, _enabled, tooltip) in self._listed.items():
            if binding.system or not binding.description:
                continue
            key = self.app.get_key_display(binding)
            what = tooltip or binding.tooltip or binding.description
            if (binding.action, what) in seen:
                continue
            seen.add((binding.action, what))
            row = Text(what)
            if binding.id:  # what to write under [keys] in config.toml to remap it
                row.append(f"  {binding.id}", "dim")
            table.add_row(key, row)
        table.add_row("", "")
        table.add_row(Text("Screens and sessions", "bold underline"), "")
        for keys, what in SCREENS:
            table.add_row(keys, what)
        table.add_row("", "")
        table.add_row(Text("In a session's message box", "bold underline"), "")
        for keys, what in session_commands():
            table.add_row(keys, what)
        table.add_row("", "")
        table.add_row(Text("In the tree", "bold underline"), "")
        for keys, what in NAVIGATION:
            table.add_row(keys, what)
        table.add_row("", "")
        table.add_row(Text("In the filter (/)", "bold underline"), "")
        table.add_row("words", "fuzzy on the name; also description, domain, tools, model")
        for name, what in FIELDS.items():
            table.add_row(f"{name}:…", what)
        table.add_row("", "Combine them: `level:L2 tool:Bash review`")
        table.add_row("", "")
        table.add_row(Text("Marks", "bold underline"), "")
        for mark, style, what in MARKS:
            table.add_row(Text(mark, style), what)
        return table
