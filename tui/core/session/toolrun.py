"""The tool side of the engine: each tool call of a response checked by the permission policy
(asking the caller when it must), run, and answered with a tool_result. Mixed into
AgentSession."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import result_content
from .conversation import tool_result
from .delegation import AGENT_NAMES
from .events import (
    Decision,
    DecisionKind,
    Event,
    PermissionDecided,
    PermissionNeeded,
    ToolResult,
)
from .history import HistoryError
from .permissions import PermissionPolicy, Verdict, session_label
from .planmode import EXIT_PLAN
from .progress import CURRENT, ProgressBoard
from .secrets import Redactor
from .stream import BlockState, MessageAssembler
from .tools import Tool, ToolContext, ToolError
from .tools.base import ToolOutput
from .tools.paths import display


@dataclass
class _ToolPhase:
    blocks: list[BlockState]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)


class ToolRunner:
    ctx: ToolContext
    policy: PermissionPolicy
    _redactor: Redactor
    progress: ProgressBoard
    _tools_by_name: dict[str, Tool]
    _phase: MessageAssembler | _ToolPhase | None

    def _emit(self, event: Event) -> None:
        raise NotImplementedError

    def _append(self, role: str, content: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    async def _exit_plan(self, tool_id: str, args: dict[str, Any]) -> tuple[str, bool]:
        raise NotImplementedError  # (planmode.PlanMode)

    async def _run_tools(self, blocks: list[BlockState]) -> None:
        phase = _ToolPhase(blocks)
        self._phase = phase
        # the Agent calls of a response run at the same time; results still in call order
        children = {
            b.data["id"]: asyncio.create_task(self._delegate(b))
            for b in blocks
            if b.data["name"] in AGENT_NAMES and b.input_error is None
        }
        try:
            for block in blocks:
                tool_id, name = block.data["id"], block.data["name"]
                child = children.get(tool_id)
                output, is_error = await (child if child else self._run_tool(block))
                # secrets out before it is stored, shown or sent; blocks shown as a summary
                output = result_content.redact(output, self._redactor.redact)
                self.progress.take(tool_id)  # (the live output, replaced by the result)
                phase.results[tool_id] = tool_result(tool_id, output, is_error)
                self._emit(ToolResult(tool_id, name, result_content.summary(output), is_error))
        finally:  # cancelled (or failed): the whole subtree stops with it
            running = [t for t in children.values() if not t.done()]
            for task in running:
                task.cancel()
            if running:
                await asyncio.wait(running)
        self._phase = None
        self._append("user", [phase.results[b.data["id"]] for b in blocks])

    async def _delegate(self, block: BlockState) -> tuple[str, bool]:
        from .delegation import run_child

        try:
            return await run_child(self, block.data["id"], block.input)  # type: ignore[arg-type]
        except (asyncio.CancelledError, HistoryError):
            raise
        except Exception as exc:  # (a locked or unreadable history, a bug): the parent goes on
            return f"The agent could not run: {type(exc).__name__}: {exc}", True

    async def _run_tool(self, block: BlockState) -> tuple[ToolOutput, bool]:
        tool_id, name, args = block.data["id"], block.data["name"], block.input
        if block.input_error is not None:
            return (
                f"Invalid tool input: the JSON did not parse ({block.input_error}). "
                "Send the call again with valid JSON."
            ), True
        if name == EXIT_PLAN:
            return await self._exit_plan(tool_id, args)
        tool = self._tools_by_name.get(name)
        if tool is None:
            offered = ", ".join(self._tools_by_name) or "none"
            return f"No such tool available to this agent: {name} (available: {offered}).", True
        try:
            target = tool.target(args, self.ctx)
            verdict = self.policy.check(tool, args, target)
            if verdict.action == "ask":
                decision = await self._ask(tool, tool_id, args, target, verdict)
                if not decision.allowed:
                    why = f" Reason: {decision.reason}" if decision.reason else ""
                    return f"The user denied this {name} call.{why}", True
            else:
                kind: DecisionKind = "allow_once" if verdict.action == "allow" else "deny"
                self._emit(PermissionDecided(tool_id, name, kind, verdict.reason, True))
                if verdict.action == "deny":
                    return f"Permission denied: {verdict.reason}.", True
            live = CURRENT.set(self.progress.for_call(tool_id))  # output so far, screen only
            try:
                return await tool.run(args, self.ctx), False
            finally:
                CURRENT.reset(live)
        except ToolError as exc:
            return str(exc), True
        except OSError as exc:
            return f"{name} failed: {exc.strerror or exc}", True
        except Exception as exc:  # a tool's bug on odd input ends this call, not the session
            return f"{name} failed unexpectedly ({type(exc).__name__}: {exc}).", True

    async def _ask(
        self, tool: Tool, tool_id: str, args: dict[str, Any], target: Path | None, verdict: Verdict
    ) -> Decision:
        preview = self._redactor.redact(tool.preview(args, self.ctx))  # a diff shows file text
        if tool.kind == "exec":
            summary = str(args.get("command", ""))
        elif target is not None:
            summary = display(target, self.ctx)
        else:
            summary = preview.splitlines()[0] if preview else ""
        future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        scope = session_label(verdict.session)
        # in a delegation tree (a child, or a session that started one) the same scope may be
        # approved for the whole run
        whole_run = bool(scope) and self.policy.run.shared
        self._emit(
            PermissionNeeded(
                tool_id, tool.name, args, summary, preview, verdict.reason, future, scope, whole_run
            )
        )
        decision = await future
        if decision.kind == "allow_session":
            self.policy.grant(verdict.session)  # nothing when only "once" was offered
        elif decision.kind == "allow_run" and whole_run:
            self.policy.grant_run(verdict.session)
        self._emit(PermissionDecided(tool_id, tool.name, decision.kind, decision.reason, False))
        return decision
