"""TodoWrite: Claude Code's todo list. The model sends the whole list each time; the session
screen and the delegation block show the latest one as a checklist. Nothing touches disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind

STATUSES = ("pending", "in_progress", "completed")
MAX_TODOS = 100


class TodoWriteTool:
    name = "TodoWrite"
    kind: ToolKind = "read"  # (changes nothing outside the conversation: never asks)
    description = (
        "Create and update a structured task list for this session, to track progress on "
        "multi-step work and show it to the user. Send the whole list each time. Each item has "
        "`content` (what to do, imperative), `activeForm` (the same in the present continuous, "
        "shown while it runs) and `status` (pending, in_progress or completed). Keep exactly "
        "one item in_progress while working; mark items completed as soon as they are done."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "todos": {
                "type": "array",
                "description": "The updated todo list",
                "items": {
                    "type": "object",
                    "properties": {
                        "content": {"type": "string", "minLength": 1},
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "activeForm": {"type": "string", "minLength": 1},
                    },
                    "required": ["content", "status", "activeForm"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["todos"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return None

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        return checklist(todos_of(args))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        todos = todos_of(args)
        done = sum(t["status"] == "completed" for t in todos)
        return (
            f"Todo list updated ({done} of {len(todos)} completed). Keep it current as you "
            "work: one item in progress at a time, completed ones marked at once."
        )


def todos_of(args: dict[str, Any]) -> list[dict[str, str]]:
    raw = args.get("todos")
    if not isinstance(raw, list):
        raise ToolError("Invalid input: `todos` must be a list of {content, status, activeForm}.")
    if len(raw) > MAX_TODOS:
        raise ToolError(f"Invalid input: at most {MAX_TODOS} todos.")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ToolError(f"Invalid input: todos[{i}] must be an object.")
        content, status = item.get("content"), item.get("status")
        active = item.get("activeForm", content)
        if not isinstance(content, str) or not content.strip():
            raise ToolError(f"Invalid input: todos[{i}].content must be a non-empty string.")
        if status not in STATUSES:
            raise ToolError(f"Invalid input: todos[{i}].status must be one of {STATUSES}.")
        out.append({"content": content, "status": status, "activeForm": str(active)})
    return out


def checklist(todos: list[dict[str, str]]) -> str:
    marks = {"completed": "[x]", "in_progress": "[~]", "pending": "[ ]"}
    return "\n".join(f"{marks[t['status']]} {t['content']}" for t in todos)
