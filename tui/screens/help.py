"""Help: every key the screen underneath answers to, Roster's own first (each with the id to
remap it by), then how to move in the tree; Textual's generic bindings come last, without the
ones Roster's keys or its tree keys contradict (Tree's "Select", "Scroll Left"...)."""

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
    ("← →", "Collapse / expand a group (← on an agent: to its group)"),
    ("Shift+← / Shift+↑ ↓", "To the parent group / the previous, next sibling"),
    ("Enter", "Open a group, or launch a session with an agent"),
    ("Space", "Toggle a group"),
    ("Tab / Shift+Tab", "Filter → tree → preview content, one press each"),
    ("Enter / ↓ in the filter", "Back to the tree, keeping the filter"),
)
# Keys the tables here describe for Roster: Textual's generic bindings on them are not listed.
DESCRIBED_KEYS = frozenset(
    {"up", "down", "pageup", "pagedown", "left", "right", "shift+left", "shift+up"}
    | {"shift+down", "enter", "space", "tab", "shift+tab"}
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

    def key_rows(self) -> tuple[list[tuple[str, Text]], list[tuple[str, Text]]]:
        """(Roster's keys, Textual's other keys): what the Keys and Other keys tables list.
        Roster's bindings all carry an id (the `[keys]` name); Textual's do not."""
        ours: list[tuple[str, Text]] = []
        theirs: list[tuple[str, Text]] = []
        taken = set(DESCRIBED_KEYS)
        for _node, binding, _enabled, _tooltip in self._listed.values():
            if binding.id:
                taken.update(k.strip() for k in binding.key.split(","))
        seen: set[tuple[str, str]] = set()
        for _key, (_node, binding, _enabled, tooltip) in self._listed.items():
            if binding.system or not binding.description:
                continue
            what = tooltip or binding.tooltip or binding.description
            if (binding.action, what) in seen:
                continue
            keys = {k.strip() for k in binding.key.split(",")}
            if not binding.id and keys & taken:
                continue  # a generic Textual key that Roster's tables describe otherwise
            seen.add((binding.action, what))
            row = Text(what)
            if binding.id:  # what to write under [keys] in config.toml to remap it
                row.append(f"  {binding.id}", "dim")
            (ours if binding.id else theirs).append((self.app.get_key_display(binding), row))
        return ours, theirs

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=16)
        table.add_column()
        table.add_row(Text("Keys", "bold underline"), "")
        ours, theirs = self.key_rows()
        for key, row in ours:
            table.add_row(key, row)
        table.add_row("", "")
        table.add_row(Text("In the tree", "bold underline"), "")
        for keys, what in NAVIGATION:
            table.add_row(keys, what)
        table.add_row("", "")
        table.add_row(Text("Screens and sessions", "bold underline"), "")
        for keys, what in SCREENS:
            table.add_row(keys, what)
        table.add_row("", "")
        table.add_row(Text("In a session's message box", "bold underline"), "")
        for keys, what in session_commands():
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
        if theirs:
            table.add_row("", "")
            table.add_row(Text("Other keys (Textual's)", "bold underline"), "")
            for key, row in theirs:
                table.add_row(key, row)
        return table
