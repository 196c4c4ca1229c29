"""The session view's side of the slash commands (tui/core/session/slash.py): read a line the
user sent, do what a command asks of this session (/model, /mode, /cost, /help, an unknown
word), and hand what needs the app (/clear, /compact, /export) up as `SlashRequested`.
Nothing here is ever sent to the model."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.widget import Widget

from tui.core.session import slash
from tui.core.session.completion import Sources, candidates, needs_disk
from tui.widgets.message_box import MessageBox
from tui.widgets.slash_message import SlashRequested

if TYPE_CHECKING:
    from tui.core.session.live import LiveSession

APP_COMMANDS = frozenset({"clear", "compact", "export"})
IDLE_ONLY = frozenset({"clear", "compact"})


def run_line(widget: Widget, live: LiveSession, text: str) -> str | None:
    """The text to send for `text`, or None when it was a command (done, or refused with a
    note in the transcript)."""
    parsed = slash.parse(text)
    if isinstance(parsed, str):
        return parsed
    if not parsed.known:
        live.note(slash.unknown_text(parsed.name), "unknown_command")
        return None
    problem = slash.arity_problem(parsed)
    if problem is not None:
        live.note(problem, "command")
        return None
    name, arg = parsed.name, (parsed.args[0] if parsed.args else "")
    if name in IDLE_ONLY and live.running:
        live.note(f"/{name} waits for an idle session: let the turn end, or Esc to interrupt.")
    elif name in APP_COMMANDS:
        widget.post_message(SlashRequested(live, name))
    elif name == "help":
        live.note(slash.help_text(), "help")
    elif name == "cost":
        t = live.transcript
        live.note(slash.cost_text(t.stats.totals(), t.child_stats, demo=t.demo), "cost")
    elif name == "mode":
        _mode(live, arg)
    elif name == "model":
        _model(live, arg)
    return None


def _mode(live: LiveSession, arg: str) -> None:
    session = live.session
    allowed = ", ".join(slash.allowed_modes(session.launch_mode))
    if not arg:
        live.note(f"Permission mode: {session.mode} (this session may use {allowed})", "mode")
        return
    mode, why = slash.check_mode(arg, session.mode, session.launch_mode)
    if mode is None:
        live.note(why, "mode_refused")
        return
    live.set_mode(mode)


def _model(live: LiveSession, arg: str) -> None:
    config = live.session.config
    if not arg:
        choices = ", ".join(f"{n} → {r}" for n, r in slash.model_choices(config.model_aliases))
        live.note(f"Model: {live.session.model}. Aliases: {choices}; any model id works.", "model")
        return
    model, said = slash.check_model(arg, aliases=config.model_aliases, default=config.default_model)
    if model is None:
        live.note(said, "model_refused")
        return
    if model == live.session.model:
        live.note(f"The model is already {model}.", "model")
        return
    live.set_model(model, said)


def message_box(live: LiveSession) -> MessageBox:
    """The session's message box, completing commands and @paths for `live`."""
    session = live.session
    sources = Sources(
        root=session.ctx.root,
        hidden=session.ctx.hidden_paths(),
        modes=slash.allowed_modes(session.launch_mode),
        models=slash.model_choices(session.config.model_aliases),
    )
    return MessageBox(
        placeholder="Message the agent (Enter sends, Ctrl+J new line, ↑ earlier, Esc interrupts)",
        id="prompt",
        classes="session-input",
        completer=partial(candidates, sources=sources),
        needs_disk=needs_disk,
    )
