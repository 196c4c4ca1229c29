"""Keeping the conversation a log the API accepts: every `tool_use` answered.

The API refuses (400) a conversation where an assistant `tool_use` has no `tool_result` at
the start of the next user message. A process killed while a tool was waiting for permission
or running leaves exactly that in the history; without repair every later request of that
session fails. `repair` answers each such call with an error result, in place, and puts the
results of a user message before its other blocks, as the API requires. The engine runs it on
load, on resume and before every request.
"""

from __future__ import annotations

from typing import Any

INTERRUPTED_TOOL = "interrupted: Roster stopped before this tool finished"
INTERRUPTED_RESULT = "Interrupted by the user before this tool finished."


def tool_result(tool_id: str, output: str | list[dict[str, Any]], is_error: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_id, "content": output}
    if is_error:
        result["is_error"] = True
    return result


def repair(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Answer every unanswered tool_use in `messages` (changed in place) with an error
    result INTERRUPTED_TOOL; returns (tool_use_id, tool name) of each call answered."""
    added: list[tuple[str, str]] = []
    i = 0
    while i < len(messages):
        message = messages[i]
        calls = [
            b
            for b in message.get("content") or []
            if message.get("role") == "assistant"
            and isinstance(b, dict)
            and b.get("type") == "tool_use"
        ]
        if calls:
            if i + 1 == len(messages) or messages[i + 1].get("role") != "user":
                messages.insert(i + 1, {"role": "user", "content": []})
            after = messages[i + 1]
            content = [b for b in after.get("content") or [] if isinstance(b, dict)]
            results = {b.get("tool_use_id"): b for b in content if b.get("type") == "tool_result"}
            leading = []
            for call in calls:
                result = results.pop(call.get("id"), None)
                if result is None:
                    result = tool_result(str(call.get("id")), INTERRUPTED_TOOL, True)
                    added.append((str(call.get("id")), str(call.get("name", ""))))
                leading.append(result)
            # results answering nothing in the message before would be refused too
            rest = [b for b in content if b.get("type") != "tool_result"]
            after["content"] = leading + rest
        i += 1
    return added
