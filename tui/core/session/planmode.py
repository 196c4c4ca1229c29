"""Plan mode as Claude Code has it, and the mode changing during a session.

In `plan` the model is told it is planning (a note after the cached system block), is offered
only the read tools plus `ExitPlanMode {plan}`, and ends by calling ExitPlanMode. That call is a
question to the user, asked like a permission (PermissionNeeded named ExitPlanMode, the plan as
its preview): "allow once" approves and continues in `default`, "allow for the session" approves
and continues in `acceptEdits`, "deny" (with a comment) keeps planning and tells the model why.
`set_mode` changes the mode at any time (Shift+Tab in the app): the policy follows at once, the
next request offers the tools of the new mode, and the change is a `mode` notice in the history.
Mixed into AgentSession.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from .delegation import child_mode
from .events import Decision, Event, Notice, PermissionDecided, PermissionNeeded, Record
from .permissions import PermissionPolicy, normalize_mode
from .tools import BASH_COMPANIONS, Tool, api_tool_params
from .tools.base import ToolContext, ToolKind

EXIT_PLAN = "ExitPlanMode"
CYCLE = ("default", "acceptEdits", "plan")  # what Shift+Tab steps through
PLAN_NOTE = (
    "<plan-mode>\nPlan mode is active. The user wants a plan before anything changes: you "
    "MUST NOT edit files, run commands or change anything; only Read, Glob and Grep are "
    "available. Investigate, then present your plan by calling the ExitPlanMode tool with the "
    "plan (Markdown). The user approves it (then you carry it out) or sends it back with a "
    "comment.\n</plan-mode>"
)
APPROVED = (
    "The user approved your plan. Plan mode is over (permission mode: {mode}): carry out the "
    "plan now."
)
SENT_BACK = (
    "The user did not approve the plan; plan mode stays on. Their comment: {why} Revise the "
    "plan accordingly and present it again with ExitPlanMode."
)
NOT_APPROVED = (
    "The user did not approve the plan; plan mode stays on. Do not call ExitPlanMode again: "
    "end your turn and wait for the user's instructions."
)


class ExitPlanModeTool:
    name = EXIT_PLAN
    kind: ToolKind = "read"
    description = (
        "Use this tool when you are in plan mode and have finished planning: it presents the "
        "plan to the user for approval. Only for tasks that need changes; the plan is Markdown."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"plan": {"type": "string", "description": "The plan, in Markdown"}},
        "required": ["plan"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> None:
        return None

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        return str(args.get("plan", ""))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:  # pragma: no cover
        raise RuntimeError("ExitPlanMode is answered by the user, not run")


EXIT_PLAN_TOOL = ExitPlanModeTool()


def next_mode(mode: str) -> str:
    """Shift+Tab: default → acceptEdits → plan → default (any other mode → default)."""
    mode = normalize_mode(mode)
    return CYCLE[(CYCLE.index(mode) + 1) % len(CYCLE)] if mode in CYCLE else "default"


def offered(tools: list[Tool], mode: str) -> list[Tool]:
    """The tools a request offers in `mode`: in plan, the read tools and ExitPlanMode."""
    if mode != "plan":
        return tools
    reads = [t for t in tools if t.kind == "read" and t.name not in BASH_COMPANIONS]
    return [*reads, EXIT_PLAN_TOOL]


class PlanMode:
    mode: str
    policy: PermissionPolicy
    tools: list[Tool]
    _system: Any
    _task: asyncio.Task[None] | None
    _unshown: list[Event]
    running_children: set[Any]  # the child sessions running now (delegation.run_child)

    def _emit(self, event: Event) -> None:
        raise NotImplementedError

    def _record(self, record: Record) -> None:
        raise NotImplementedError

    def _store_mode(self, mode: str) -> None:
        raise NotImplementedError

    def request_tools(self) -> list[dict[str, object]]:
        return api_tool_params(offered(self.tools, self.mode))

    def request_system(self) -> Any:
        if self.mode != "plan":
            return self._system
        return [*self._system, {"type": "text", "text": PLAN_NOTE}]

    def set_mode(self, mode: str, why: str = "", *, show_later: bool = True) -> Notice | None:
        """Change the permission mode now; None when it is already `mode`. The notice is
        recorded, and shown: at once during a turn, else when the next one starts (unless
        `show_later` is False: the caller shows it)."""
        mode = normalize_mode(mode)
        if mode == self.mode:
            return None
        before, self.mode = self.mode, mode
        self.policy.mode = mode
        self._store_mode(mode)
        for child in list(self.running_children):  # never more permissive than its parent
            if (narrowed := child_mode(mode, child.mode)) != child.mode:
                child.set_mode(narrowed, " (its parent's mode changed)")
        notice = Notice("mode", f"Permission mode: {before} → {mode}{why}", mode)
        if self._task is not None and not self._task.done():  # a turn is running
            self._emit(notice)
        else:
            self._record(notice)
            if show_later:
                self._unshown.append(notice)
        return notice

    async def _exit_plan(self, tool_id: str, args: dict[str, Any]) -> tuple[str, bool]:
        plan = args.get("plan")
        if not isinstance(plan, str) or not plan.strip():
            return "Invalid input: `plan` is required and must be a non-empty string.", True
        if self.mode != "plan":
            return f"Not in plan mode (permission mode: {self.mode}); nothing to approve.", True
        future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        self._emit(
            PermissionNeeded(
                tool_id,
                EXIT_PLAN,
                args,
                "the plan",
                plan,
                "plan mode: approve the plan to start work",
                future,
                "approve and accept edits (acceptEdits mode)",
            )
        )
        decision = await future
        self._emit(PermissionDecided(tool_id, EXIT_PLAN, decision.kind, decision.reason, False))
        if not decision.allowed:
            comment = decision.reason.strip()
            return (SENT_BACK.format(why=comment) if comment else NOT_APPROVED), True
        mode = "acceptEdits" if decision.kind == "allow_session" else "default"
        self.set_mode(mode, " (plan approved)")
        return APPROVED.format(mode=mode), False
