"""The launch dialog: task, working folder (with completion), permission mode, model.

Mode and model default to the definition's (but a definition outside the user's own folders
that asks for acceptEdits/dontAsk/bypassPermissions starts at default, with a red line: picking
its mode is the user's yes); the model line shows the id an alias resolves to
through the config. Returns a LaunchRequest, or None on Esc. When sessions cannot run (no
API key and not --demo), it says what to do and launching is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker

from tui.core.checks_permissions import untrusted_escalation
from tui.core.dir_complete import complete_dir
from tui.core.sanitize import quote_value, visible, visible_line
from tui.core.session.models import resolve_model
from tui.core.session.permissions import AUTO_UNSUPPORTED, MODES, normalize_mode
from tui.core.session.rules import parse_rule, split_rule_list
from tui.core.session.tools import unsupported
from tui.widgets.message_box import MessageBox
from tui.widgets.worker_errors import forward_failure

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.core.definition import AgentDefinition

MODEL_CHOICES = ("inherit", "sonnet", "opus", "haiku")


@dataclass(frozen=True)
class LaunchRequest:
    """What the dialog returns: the session service starts a session from it."""

    definition: AgentDefinition
    prompt: str
    cwd: Path
    model: str | None = None  # alias or id; None: the definition's
    permission_mode: str | None = None  # None: the definition's
    allow_rules: tuple[str, ...] = ()  # Claude Code's rule syntax, added to config's
    deny_rules: tuple[str, ...] = ()


class FolderSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_dir(value)


class LaunchScreen(ModalScreen[LaunchRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="launch.cancel", tooltip="Do not launch"),
        Binding(
            "ctrl+s", "launch", "Launch", id="launch.go", priority=True, tooltip="Start the session"
        ),
    ]
    DEFAULT_CSS = """
    LaunchScreen { align: center middle; }
    LaunchScreen > Vertical {
        width: 90; max-width: 95%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    LaunchScreen Label { margin-top: 1; color: $text-muted; }
    LaunchScreen #mode-model, LaunchScreen #rules {
        height: auto; margin-top: 0; align-horizontal: left;
    }
    LaunchScreen #mode-model Vertical, LaunchScreen #rules Vertical { width: 1fr; height: auto; }
    LaunchScreen #launch-about { color: $text-muted; }
    LaunchScreen #launch-problem, LaunchScreen #launch-escalation { color: $error; margin-top: 1; }
    LaunchScreen #model-resolved { color: $text-muted; height: 1; }
    LaunchScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    LaunchScreen Button { margin-left: 2; }
    LaunchScreen .-invalid { border: tall $error; }
    """

    def __init__(
        self,
        definition: AgentDefinition,
        settings: Settings,
        *,
        cwd: Path | None = None,
        problem: str | None = None,
        sdk_loaded: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._sdk_loaded = sdk_loaded  # called once `anthropic` is imported (see _warm_up)
        self.definition = definition
        self.settings = settings
        self.start_dir = cwd or Path.cwd()
        self.problem = problem

    def compose(self) -> ComposeResult:
        d = self.definition
        with Vertical() as box:
            box.border_title = f"Launch {visible_line(d.display_name)}"
            about = Text(visible(d.description or ""), style="italic")
            yield Static(about, id="launch-about")
            yield Label("Task")
            yield MessageBox(
                placeholder="What should the agent do? (Enter launches, Ctrl+J new line)",
                id="task",
            )
            yield Label("Working folder (→ completes)")
            yield Input(str(self.start_dir), id="cwd", suggester=FolderSuggester(), compact=True)
            mode = normalize_mode(d.permission_mode)
            # a file from outside the user's own folders may not raise its own mode: it starts
            # at default and the user picks the mode it asked for (the yes), warned in red
            escalation = untrusted_escalation(d.permission_mode, d.path, Path.cwd())
            if escalation is not None:
                mode = "default"
            model = (d.model or "inherit").strip() or "inherit"
            choices = list(dict.fromkeys((model, *MODEL_CHOICES, *self.settings.models)))
            with Horizontal(id="mode-model"):
                with Vertical():
                    yield Label("Permission mode")
                    yield Select(
                        [(m, m) for m in MODES if m not in {"auto", "manual"}],
                        value=mode,
                        allow_blank=False,
                        id="mode",
                        compact=True,
                    )
                with Vertical():
                    yield Label("Model")
                    yield Select(
                        [(c, c) for c in choices],
                        value=model,
                        allow_blank=False,
                        id="model",
                        compact=True,
                    )
                    yield Static(id="model-resolved")
            with Horizontal(id="rules"):
                with Vertical():
                    yield Label("Allow without asking (rules)")
                    yield Input(
                        placeholder="Bash(npm test:*) Edit(src/**)", id="allow-rules", compact=True
                    )
                with Vertical():
                    yield Label("Always deny (rules)")
                    yield Input(placeholder="Bash(rm *) Read(.env)", id="deny-rules", compact=True)
            if escalation is not None:
                yield Static(
                    f"This file asks for permissionMode: {escalation}, but it is not in your own "
                    f"agent folders. It runs in default mode unless you pick {escalation} above.",
                    id="launch-escalation",
                    markup=False,
                )
            if (d.permission_mode or "").strip().lower() == "auto":
                yield Static(
                    f"{AUTO_UNSUPPORTED} This file runs in default.", id="launch-auto", markup=False
                )
            missing = unsupported(d.tools)  # named before launch, never dropped silently
            if missing:
                yield Static(
                    f"Roster cannot provide {', '.join(missing)}: the session runs without it.",
                    id="launch-unsupported",
                    markup=False,
                )
            if self.problem:
                yield Static(self.problem, id="launch-problem", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(
                    "Launch (ctrl+s)", id="launch", variant="primary", disabled=bool(self.problem)
                )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(self, event)  # to the App's error funnel (StateChanged does not bubble)

    def on_mount(self) -> None:
        self._show_model()
        self.query_one("#task", MessageBox).focus()
        self._warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import the SDK while the user types: the first request would otherwise freeze the
        screen for the second `anthropic` takes to import."""
        import anthropic  # noqa: F401

        if self._sdk_loaded is not None:  # keep full GC passes off the SDK's objects
            self.app.call_from_thread(self._sdk_loaded)

    @on(Select.Changed, "#model")
    def _show_model(self) -> None:
        value = self.query_one("#model", Select).value
        name = value if isinstance(value, str) else None
        resolved = resolve_model(
            name, overrides=self.settings.models or None, default=self.settings.default_model
        )
        self.query_one("#model-resolved", Static).update(f"→ {resolved}")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#launch")
    @on(Input.Submitted)
    @on(MessageBox.Submitted, "#task")
    def action_launch(self) -> None:
        if self.problem:
            self.notify(self.problem, severity="error")
            return
        task_box = self.query_one("#task", MessageBox)
        cwd_box = self.query_one("#cwd", Input)
        task = task_box.value.strip()
        folder = Path(cwd_box.value.strip() or ".").expanduser()
        task_box.set_class(not task, "-invalid")
        cwd_box.set_class(not folder.is_dir(), "-invalid")
        if not task:
            self.notify("Say what the agent should do.", severity="warning")
            task_box.focus()
            return
        if not folder.is_dir():
            self.notify(f"{folder} is not a folder.", severity="error")
            cwd_box.focus()
            return
        rules = self._rules()
        if rules is None:
            return
        mode = self.query_one("#mode", Select).value
        model = self.query_one("#model", Select).value
        self.dismiss(
            LaunchRequest(
                definition=self.definition,
                prompt=task,
                cwd=folder.resolve(),
                model=model if isinstance(model, str) else None,
                permission_mode=mode if isinstance(mode, str) else None,
                allow_rules=rules[0],
                deny_rules=rules[1],
            )
        )

    def _rules(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(allow, deny) from the two rule fields; None (and the field marked, the entry
        named) when one does not parse."""
        found: list[tuple[str, ...]] = []
        for field_id in ("#allow-rules", "#deny-rules"):
            box = self.query_one(field_id, Input)
            entries = split_rule_list([box.value])
            broken = [e for e in entries if parse_rule(e) is None]
            box.set_class(bool(broken), "-invalid")
            if broken:
                self.notify(
                    f"Not a rule: {quote_value(broken[0])}. Write Tool or Tool(specifier), "
                    "e.g. Bash(npm test:*), Edit(src/**), Read",
                    severity="error",
                )
                box.focus()
                return None
            found.append(tuple(entries))
        return found[0], found[1]
