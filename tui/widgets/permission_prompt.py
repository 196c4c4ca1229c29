"""The inline permission question under a tool call: allow once, allow for the session, deny.

Keyboard first: `a`/`y` allows once, `s` allows for the session (the line above the buttons
says what that covers, e.g. commands starting `git status:*`; risky calls offer "once" only),
`r` allows the same for the whole run (offered in a delegation tree: the root session and
every agent below it, this run only), `d`/`n` asks for an optional reason (Enter denies, Esc
goes back). The answer is posted as
`Answered`; the session view hands it to the engine. The diff or command itself is shown by
the tool block above.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from tui.core.sanitize import visible
from tui.core.session.events import Decision, DecisionKind
from tui.core.session.transcript import ToolBlock


class PermissionPrompt(Vertical, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a,y",
            "answer('allow_once')",
            "Allow once",
            id="permission.allow_once",
            tooltip="Run this call once",
        ),
        Binding(
            "s",
            "answer('allow_session')",
            "Allow for session",
            id="permission.allow_session",
            tooltip="Allow calls like this until the end",
        ),
        Binding(
            "r",
            "answer('allow_run')",
            "Allow for whole run",
            id="permission.allow_run",
            tooltip="Allow calls like this for every agent of this run",
        ),
        Binding("d,n", "deny", "Deny", id="permission.deny", tooltip="Refuse, with a reason"),
    ]

    class Answered(Message):
        def __init__(self, tool_use_id: str, decision: Decision) -> None:
            super().__init__()
            self.tool_use_id = tool_use_id
            self.decision = decision

    class Shown(Message):
        """Posted once mounted, so the session view can move the keyboard here."""

    def __init__(self, block: ToolBlock) -> None:
        super().__init__(classes="permission-prompt")
        self.block = block
        self.answered = False
        self.scope = ""
        self.whole_run = False

    def compose(self) -> ComposeResult:
        ask = self.block.ask
        why = visible(ask.reason) if ask is not None else ""
        self.scope = visible(ask.session_scope) if ask is not None else ""
        self.whole_run = bool(self.scope) and ask is not None and ask.whole_run
        if self.block.name == "ExitPlanMode":  # the plan above: approve it or send it back
            yield from self._plan_question()
            return
        yield Static(
            Text.assemble(("Allow this call? ", "bold"), (why, "dim")),
            classes="permission-question",
        )
        if self.scope:
            run = (" · for this whole run (r): the same for every agent of this run", "dim")
            yield Static(
                Text.assemble(
                    ("For this session (s) allows ", "dim"),
                    self.scope,
                    run if self.whole_run else "",
                ),
                classes="permission-scope",
            )
        with Horizontal(classes="permission-buttons"):
            yield Button("Allow once (a)", id="allow_once", variant="success", compact=True)
            if self.scope:
                yield Button(
                    "Allow for session (s)", id="allow_session", variant="primary", compact=True
                )
            if self.whole_run:
                yield Button("Whole run (r)", id="allow_run", variant="primary", compact=True)
            yield Button("Deny (d)", id="deny", variant="error", compact=True)
        reason = Input(placeholder="Why not? (Enter denies, Esc goes back)", id="deny-reason")
        reason.display = False
        yield reason

    def _plan_question(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                ("Approve this plan? ", "bold"),
                (
                    "a: yes, then default mode (asks before changes) · s: yes, and accept edits · "
                    "d: no, send it back with a comment",
                    "dim",
                ),
            ),
            classes="permission-question",
        )
        with Horizontal(classes="permission-buttons"):
            yield Button("Approve (a)", id="allow_once", variant="success", compact=True)
            yield Button(
                "Approve, accept edits (s)", id="allow_session", variant="primary", compact=True
            )
            yield Button("Send back (d)", id="deny", variant="error", compact=True)
        comment = Input(placeholder="What should change? (Enter sends it back)", id="deny-reason")
        comment.display = False
        yield comment

    def on_mount(self) -> None:
        self.post_message(self.Shown())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "deny":
            self.action_deny()
        elif event.button.id == "allow_once":
            self.action_answer("allow_once")
        elif event.button.id == "allow_session":
            self.action_answer("allow_session")
        elif event.button.id == "allow_run":
            self.action_answer("allow_run")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == ("allow_run",):  # in the footer only if offered
            return self.whole_run and self.block.name != "ExitPlanMode"
        return True

    def action_answer(self, kind: DecisionKind) -> None:
        if kind == "allow_session" and not self.scope:
            return  # only "once" is offered for this call (risky or protected)
        if kind == "allow_run" and (not self.whole_run or self.block.name == "ExitPlanMode"):
            return  # not in a delegation tree (or a plan: approved for this session only)
        self._send(Decision(kind))

    def action_deny(self) -> None:
        reason = self.query_one("#deny-reason", Input)
        reason.display = True
        reason.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._send(Decision("deny", event.value.strip()))

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            reason = self.query_one("#deny-reason", Input)
            if reason.display:
                event.stop()
                event.prevent_default()
                reason.value = ""
                reason.display = False
                self.focus()

    def _send(self, decision: Decision) -> None:
        if self.answered:
            return
        self.answered = True
        self.post_message(self.Answered(self.block.tool_use_id, decision))
