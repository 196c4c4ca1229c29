"""The launch dialog: task, working folder (with completion), permission mode, model (any id,
aliases and known ids complete), max turns, rules, and the tools the session will offer.

Mode and model default to the definition's (but a definition outside the user's own folders
that asks for acceptEdits/dontAsk/bypassPermissions starts at default, with a red line: picking
its mode is the user's yes); the model line shows the id an alias resolves to
through the config. Returns a LaunchRequest, or None on Esc. When sessions cannot run (no
API key and not --demo), it says what to do (`c` hands the agent to Claude Code when `claude`
is on PATH) and launching is refused. The fields scroll; the buttons stay in sight.
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
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker

from tui.core.checks_permissions import untrusted_escalation
from tui.core.dir_complete import complete_dir
from tui.core.handoff import find_claude
from tui.core.sanitize import quote_value, visible, visible_line
from tui.core.session.models import known_models, resolve_model
from tui.core.session.offer import offered_tools
from tui.core.session.options import positive_int
from tui.core.session.permissions import AUTO_UNSUPPORTED, MODES, normalize_mode
from tui.core.session.rules import parse_rule, split_rule_list
from tui.core.session.tools import unsupported
from tui.widgets.message_box import MessageBox
from tui.widgets.plain_title import plain_title
from tui.widgets.worker_errors import forward_failure

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.core.definition import AgentDefinition

MAX_TURNS_LIMIT = 10_000
HANDOFF_HINT = (
    "Or hand this agent to your own Claude Code: Esc, then c on the agent (claude is on PATH)."
)


@dataclass(frozen=True)
class LaunchRequest:
    """What the dialog returns: the session service starts a session from it."""

    definition: AgentDefinition
    prompt: str
    cwd: Path
    model: str | None = None  # alias or id; None: the definition's
    max_turns: int | None = None  # None: the definition's maxTurns; 0: no limit
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
        border: round $primary; background: $surface; padding: 0 2;
    }
    LaunchScreen #launch-fields { height: auto; max-height: 50vh; }
    LaunchScreen.-problem #launch-fields { max-height: 30vh; }
    LaunchScreen Label { margin-top: 1; color: $text-muted; }
    LaunchScreen #mode-model, LaunchScreen #rules {
        height: auto; margin-top: 0; align-horizontal: left;
    }
    LaunchScreen #mode-model Vertical, LaunchScreen #rules Vertical { width: 1fr; height: auto; }
    LaunchScreen #mode-model Vertical#turns-box { width: 14; }
    LaunchScreen #launch-about { color: $text-muted; }
    LaunchScreen #launch-tools { color: $text-muted; margin-top: 1; }
    LaunchScreen #launch-unsupported { color: $warning; }
    LaunchScreen #launch-escalation { color: $error; margin-top: 1; }
    LaunchScreen #launch-problem { color: $error; border-top: hkey $error 40%; }
    LaunchScreen #launch-handoff { color: $warning; }
    LaunchScreen #model-resolved { color: $text-muted; height: 1; }
    LaunchScreen #launch-buttons { height: auto; align-horizontal: right; margin-top: 1; }
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
        self.set_class(bool(problem), "-problem")  # the fields give way to what to do

    def compose(self) -> ComposeResult:
        d = self.definition
        with Vertical() as box:
            box.border_title = plain_title(f"Launch {d.display_name}")
            box.border_subtitle = "ctrl+s launches · Esc cancels"
            with VerticalScroll(id="launch-fields"):
                yield from self._fields()
            if self.problem:
                yield Static(self.problem, id="launch-problem", markup=False)
                if find_claude() is not None:
                    yield Static(HANDOFF_HINT, id="launch-handoff", markup=False)
            with Horizontal(id="launch-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(
                    "Launch (ctrl+s)", id="launch", variant="primary", disabled=bool(self.problem)
                )

    def _fields(self) -> ComposeResult:
        d = self.definition
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
        own_turns = positive_int(d.frontmatter.get("maxTurns"))
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
                yield Label("Model (any id; → completes)")
                suggest = SuggestFromList(known_models(self.settings.models or None))
                yield Input(model, id="model", suggester=suggest, compact=True)
                yield Static(id="model-resolved")
            with Vertical(id="turns-box"):
                yield Label("Max turns")
                yield Input(
                    str(own_turns or ""),
                    id="max-turns",
                    type="integer",
                    placeholder="no limit",
                    compact=True,
                )
        with Horizontal(id="rules"):
            with Vertical():
                yield Label("Allow without asking (rules)")
                yield Input(
                    placeholder="Bash(npm test:*) Edit(src/**)", id="allow-rules", compact=True
                )
            with Vertical():
                yield Label("Always deny (rules)")
                yield Input(placeholder="Bash(rm *) Read(.env)", id="deny-rules", compact=True)
        yield Static(id="launch-tools", markup=False)
        missing = unsupported(d.tools)  # named before launch, never dropped silently
        if missing:  # names from the file: escapes shown, the list bounded
            named = ", ".join(quote_value(m, 60) for m in missing[:8])
            more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
            yield Static(
                f"Roster cannot provide {named}{more}: the session runs without it.",
                id="launch-unsupported",
                markup=False,
            )
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

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(self, event)  # to the App's error funnel (StateChanged does not bubble)

    def on_mount(self) -> None:
        self._show_model()
        self._show_tools()
        self.query_one("#task", MessageBox).focus()
        self._warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import the SDK while the user types: the first request would otherwise freeze the
        screen for the second `anthropic` takes to import."""
        import anthropic  # noqa: F401

        if self._sdk_loaded is not None:  # keep full GC passes off the SDK's objects
            self.app.call_from_thread(self._sdk_loaded)

    @on(Input.Changed, "#model")
    def _show_model(self) -> None:
        name = self.query_one("#model", Input).value.strip() or None
        resolved = resolve_model(
            name, overrides=self.settings.models or None, default=self.settings.default_model
        )
        self.query_one("#model-resolved", Static).update(Text(f"→ {visible_line(resolved)}"))

    @on(Input.Changed, "#deny-rules")
    def _show_tools(self) -> None:
        """The tools the session will offer, as the deny rules typed so far narrow them."""
        d = self.definition
        typed = split_rule_list([self.query_one("#deny-rules", Input).value])
        denied = [*(d.disallowed_tools or ()), *self.settings.deny, *typed]
        names = offered_tools(d.tools, denied, web=self.settings.web_tools)
        shown = ", ".join(names) if names else "none (the agent can only answer)"
        self.query_one("#launch-tools", Static).update(f"Tools offered: {shown}")

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
        model, turns = self._model(), self._max_turns()
        if model is None or turns is None:
            return
        mode = self.query_one("#mode", Select).value
        self.dismiss(
            LaunchRequest(
                definition=self.definition,
                prompt=task,
                cwd=folder.resolve(),
                model=model or None,
                max_turns=turns,
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

    def _model(self) -> str | None:
        """The model field ("" for the definition's); None (field marked) when it cannot be an
        id. Whether the API knows it is the API's to say: a rejected id is an error message
        in the session."""
        box = self.query_one("#model", Input)
        value = box.value.strip()
        bad = any(c.isspace() for c in value) or visible_line(value) != value
        box.set_class(bad, "-invalid")
        if bad:
            self.notify(
                f"Not a model id: {quote_value(value)}. Type an alias (sonnet, opus, haiku, "
                "inherit) or an id such as claude-sonnet-4-5, without spaces.",
                severity="error",
            )
            box.focus()
            return None
        return value

    def _max_turns(self) -> int | None:
        """The max turns field: a number from 1 to MAX_TURNS_LIMIT, or 0 when empty (no
        limit); None (field marked) otherwise."""
        box = self.query_one("#max-turns", Input)
        value = box.value.strip()
        number = int(value) if value.lstrip("-").isdigit() else None
        bad = bool(value) and (number is None or not 1 <= number <= MAX_TURNS_LIMIT)
        box.set_class(bad, "-invalid")
        if bad:
            self.notify(
                f"Max turns is a number from 1 to {MAX_TURNS_LIMIT:,} (empty: no limit), "
                f"not {quote_value(value)}.",
                severity="error",
            )
            box.focus()
            return None
        return number or 0
