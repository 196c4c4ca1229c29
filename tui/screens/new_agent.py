"""New agent: a small form that returns what to write and where. `create_agent` writes it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.core.authoring import NewAgent, new_agent_path, write_new_agent
from tui.core.grouping import LEVELS
from tui.core.storage import StorageError
from tui.core.tool_list import KNOWN_TOOLS, parse_tool_value
from tui.core.validate import MODEL_ALIASES
from tui.widgets.name_note import NameNote


@dataclass(frozen=True, slots=True)
class NewAgentRequest:
    spec: NewAgent
    folder: Path  # the chosen root (or a folder inside it)

    @property
    def path(self) -> Path:
        return new_agent_path(self.spec, self.folder)


def create_agent(request: NewAgentRequest) -> Path:
    """Write the template; raises StorageError (e.g. the file exists) with a clear message."""
    return write_new_agent(request.spec, request.folder)


class NewAgentScreen(ModalScreen[NewAgentRequest | None]):
    """roots: the folders the agent may go to (first is the default). taken: agent names that
    already exist (refused). write: when given, called with the request before the dialog
    closes; a StorageError it raises is shown in the form (which stays open, nothing lost)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new.cancel", tooltip="Create nothing"),
        Binding("ctrl+s", "create", "Create", id="new.create", tooltip="Write the file"),
        Binding("f9", "use_suggestion", "Fix name", id="new.fix", tooltip="Use the suggested name"),
    ]
    DEFAULT_CSS = """
    NewAgentScreen { align: center middle; }
    NewAgentScreen > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    NewAgentScreen #new-fields { height: auto; max-height: 60vh; }
    NewAgentScreen Label { margin-top: 1; color: $text-muted; }
    NewAgentScreen #new-error { color: $error; height: auto; max-height: 3; }
    NewAgentScreen #new-error.-empty { display: none; }
    NewAgentScreen Horizontal { height: auto; align-horizontal: right; }
    NewAgentScreen Button { margin-left: 2; }
    """

    def __init__(
        self,
        roots: Sequence[Path],
        *,
        taken: frozenset[str] = frozenset(),
        level: str | None = None,
        domain: str | None = None,
        write: Callable[[NewAgentRequest], object] | None = None,
    ) -> None:
        super().__init__()
        self._write = write
        self._roots = list(roots)
        self._taken = taken
        self._level = level
        self._domain = domain

    def compose(self) -> ComposeResult:
        # The fields scroll; the error and the buttons stay in sight below them.
        with Vertical() as box:
            box.border_title = "New agent"
            box.border_subtitle = "ctrl+s creates · Esc cancels"
            with VerticalScroll(id="new-fields"):
                yield from self._fields()
            yield Static("", id="new-error", classes="-empty", markup=False)
            with Horizontal():
                yield Button("Cancel", id="new-cancel")
                yield Button("Create", id="new-create", variant="primary")

    def _fields(self) -> ComposeResult:
        yield Label("name")
        yield Input(id="new-name", placeholder="e.g. api-reviewer")
        yield NameNote(id="new-name-note")
        yield Label("description  (when Claude should use it)")
        yield Input(id="new-description")
        yield Label("level")
        yield Select[str](
            [(lv, lv) for lv in LEVELS],
            id="new-level",
            prompt="(not set)",
            value=self._level if self._level in LEVELS else Select.NULL,
        )
        yield Label("domain")
        yield Input(self._domain or "", id="new-domain", placeholder="e.g. backend")
        yield Label("tools  (comma separated; empty = all tools)")
        yield Input(id="new-tools", placeholder="Read, Grep, Glob")
        yield Label("model")
        yield Select[str](
            [(m, m) for m in sorted(MODEL_ALIASES)], id="new-model", prompt="(inherit)"
        )
        yield Label("folder")
        yield Select[str](
            [(str(r), str(r)) for r in self._roots],
            id="new-root",
            allow_blank=False,
            value=str(self._roots[0]),
        )

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()

    def _value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def _select(self, wid: str) -> str | None:
        value = self.query_one(f"#{wid}", Select).value
        return value if isinstance(value, str) else None

    def _error(self, message: str) -> None:
        error = self.query_one("#new-error", Static)
        error.update(message)
        error.set_class(not message, "-empty")

    def build(self) -> NewAgentRequest | None:
        """The request, or None after showing why the form is not acceptable."""
        name = self.query_one("#new-name", Input).value
        verdict = self.query_one("#new-name-note", NameNote).check(name)
        problem = verdict.sentence() if verdict is not None and verdict.is_error else None
        if problem is None and name in self._taken:
            problem = f"an agent named {name!r} already exists; choose another name."
        if problem:
            self._error(f"Name: {problem}")
            self.query_one("#new-name", Input).focus()
            return None
        description = self._value("new-description")
        if not description:
            self._error("Description: say when Claude should use this agent.")
            self.query_one("#new-description", Input).focus()
            return None
        tools_text = self._value("new-tools")
        tools = list(parse_tool_value(tools_text)[0]) if tools_text else None
        unknown = [t for t in tools or () if t.split("(")[0] not in KNOWN_TOOLS and "__" not in t]
        if unknown:
            self._error(f"Tools: unknown {', '.join(unknown)} (use the exact tool names).")
            return None
        spec = NewAgent(
            name=name,
            description=description,
            level=self._select("new-level"),
            domain=self._value("new-domain") or None,
            tools=tools,
            model=self._select("new-model"),
        )
        root = self._select("new-root")
        assert root is not None
        request = NewAgentRequest(spec, Path(root))
        if request.path.exists():
            self._error(f"{request.path.name} already exists in {root}; choose another name.")
            return None
        return request

    def action_create(self) -> None:
        request = self.build()
        if request is None:
            return
        if self._write is not None:
            try:
                self._write(request)
            except StorageError as exc:
                self._error(str(exc))
                return
        self.dismiss(request)

    def action_use_suggestion(self) -> None:
        field = self.query_one("#new-name", Input)
        self.query_one("#new-name-note", NameNote).use_suggestion(field)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#new-create")
    def _create(self) -> None:
        self.action_create()

    @on(Button.Pressed, "#new-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#new-name")
    def _name_changed(self, event: Input.Changed) -> None:
        self.query_one("#new-name-note", NameNote).check(event.value)
        self._error("")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_create()
