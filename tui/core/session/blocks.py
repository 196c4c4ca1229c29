"""The blocks a session transcript is made of (see transcript.py), what a view draws."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class UserBlock:
    text: str


@dataclass(eq=False)
class TextBlock:
    text: str = ""


@dataclass(eq=False)
class ThinkingBlock:
    text: str = ""


@dataclass(eq=False)
class PermissionAsk:
    summary: str
    preview: str
    reason: str
    session_scope: str = ""  # what "allow for this session" covers; "" = not offered
    whole_run: bool = False  # "for this whole run" offered too (a delegation tree)


@dataclass(eq=False)
class AgentRun:
    """What an Agent call's block shows of its child session (and the child's own children)."""

    agent: str
    description: str
    session_id: str
    agent_path: tuple[str, ...] = ()
    state: str = "running"  # running | waiting for you | completed | interrupted | error | ...
    latest: str = ""  # the child's latest line of text or tool call
    input_tokens: int = 0
    output_tokens: int = 0
    outcome: str = ""  # the child's report outcome, when it ended with one
    todos: list[dict[str, Any]] | None = None  # its latest TodoWrite list


@dataclass(eq=False)
class ToolBlock:
    tool_use_id: str
    name: str
    input: dict[str, Any] | None = None  # None while the model is still writing it
    input_error: str | None = None
    ask: PermissionAsk | None = None
    decision: str | None = None  # allow_once | allow_session | allow_run | deny
    decision_reason: str = ""
    automatic: bool = False
    output: str | None = None
    is_error: bool = False
    live: str = ""  # while it runs: the output so far (shown, never stored)
    agent: AgentRun | None = None  # an Agent call: the child session it started

    @property
    def waiting(self) -> bool:
        return self.ask is not None and self.decision is None

    @property
    def exit_code(self) -> int | None:
        """Bash only: 0 on success, the code the tool reported on failure, None otherwise."""
        if self.name != "Bash" or self.output is None:
            return None
        if not self.is_error:
            return 0
        last = self.output.rstrip().rsplit("\n", 1)[-1]
        if last.startswith("Exit code "):
            with contextlib.suppress(ValueError):
                return int(last.removeprefix("Exit code "))
        return None

    @property
    def target(self) -> str:
        """The header's second half: the path, the command, the pattern."""
        args = self.input or {}
        for key in ("file_path", "path", "command", "pattern", "url"):
            value = args.get(key)
            if isinstance(value, str) and value:
                return value.splitlines()[0] if key == "command" else value
        return self.ask.summary if self.ask is not None else ""


@dataclass(eq=False)
class ErrorBlock:
    kind: str
    message: str
    retryable: bool


@dataclass(eq=False)
class NoticeBlock:
    text: str


@dataclass(eq=False)
class MentionChip(NoticeBlock):
    """A file an @path mention attached (`@notes.md · text, 1.2 KB`): shown, not its content."""


@dataclass(eq=False)
class ReportBlock:
    kind: str
    report_id: str
    status: str
    outcome: str
    data: dict[str, Any]
    artifacts: list[dict[str, Any]]
    missing_keys: list[str]
    # the sessions this one delegated to: (agent, how it ended, its report outcome or "")
    children: list[tuple[str, str, str]] = field(default_factory=list)


Block = UserBlock | TextBlock | ThinkingBlock | ToolBlock | ErrorBlock | NoticeBlock | ReportBlock
