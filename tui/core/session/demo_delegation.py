"""The DEMO server's delegation run: `roster run l1-phase-orchestrator "..." --demo` (or the
same launch in `roster --demo`) with the bundled library. The L1 orchestrator sends two L2
specialists out in one message (they run in parallel); the backend specialist writes a file
and calls the L3 test runner; each reports back up. Which script answers a request is read
from its system prompt (the bundled bodies' first lines). Everything says DEMO."""

from __future__ import annotations

from typing import Any

DEMO_FILE = "demo_health.py"
DEMO_CONTENT = (
    '"""DEMO: a /health endpoint, written by a specialist in Roster\'s delegation demo."""\n\n\n'
    'def health() -> tuple[int, str]:\n    return 200, "ok"\n'
)
DOCS_FILE = "DEMO_HEALTH.md"
DOCS_CONTENT = "# DEMO: /health\n\n`GET /health` answers `200 ok`. Written by a scripted DEMO.\n"
ROLES = {
    "l1": "**L1 Phase Orchestrator**",
    "backend": "**L2 Backend Specialist**",
    "docs": "**L2 Docs Writer**",
    "runner": "**L3 Test Runner**",
}


def _system(body: dict[str, Any]) -> str:
    system = body.get("system")
    if isinstance(system, list):
        return "\n".join(str(b.get("text", "")) for b in system if isinstance(b, dict))
    return system if isinstance(system, str) else ""


def _results(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The tool results of the conversation so far, by tool_use_id."""
    out: dict[str, dict[str, Any]] = {}
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict) and block.get("type") == "tool_result":
                out[str(block.get("tool_use_id"))] = block
    return out


def _text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def _call(tool_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": args}


def _agent(tool_id: str, who: str, what: str, prompt: str) -> dict[str, Any]:
    return _call(tool_id, "Agent", {"description": what, "prompt": prompt, "subagent_type": who})


def _said(result: dict[str, Any] | None) -> str:
    content = (result or {}).get("content")
    if isinstance(content, list):
        return "".join(str(b.get("text", "")) for b in content if isinstance(b, dict))
    return str(content or "")


def _report(kind: str, ident: str, **fields: str) -> str:
    lines = [f"{kind}: {ident}", *(f"{k}: {v}" for k, v in fields.items())]
    return "```\n" + "\n".join(lines) + "\n```\n"


def delegation_script(body: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The blocks to stream, or None when the request is not part of the delegation run."""
    system = _system(body)
    role = next((r for r, mark in ROLES.items() if mark in system), None)
    if role is None:
        return None
    return {"l1": _l1, "backend": _backend, "docs": _docs, "runner": _runner}[role](_results(body))


def _l1(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    if not results:
        return [
            _text(
                "**[DEMO]** Two independent tasks (no shared files): the endpoint and its docs. "
                "Both specialists go out in one message, so they run in parallel.\n"
            ),
            _agent(
                "toolu_demo_l2_backend",
                "l2-backend-specialist",
                "Add the /health endpoint",
                f"TASK: demo-p1-t1\nGOAL: add a /health endpoint in {DEMO_FILE}\n"
                "DONE_WHEN: the test runner reports green\nREPORT: TASK_COMPLETE block",
            ),
            _agent(
                "toolu_demo_l2_docs",
                "l2-docs-writer",
                "Document /health",
                f"TASK: demo-p1-t2\nGOAL: document GET /health in {DOCS_FILE}\n"
                "REPORT: TASK_COMPLETE block",
            ),
        ]
    done = all("TASK_COMPLETE" in _said(r) for r in results.values())
    if not done:
        return [
            _text(
                "**[DEMO]** A specialist did not complete, so the roadmap stops here.\n\n"
                + _report(
                    "TASK_BLOCKED",
                    "demo-roadmap",
                    BLOCKER="a specialist's write was not allowed",
                    SUGGESTED_ACTION="run the demo again and allow the writes",
                )
            )
        ]
    return [
        _text(
            "**[DEMO]** Both specialists reported completed; the backend one had the test "
            "runner check its work.\n\n"
            + _report(
                "ROADMAP_COMPLETE",
                "demo-roadmap",
                STATUS="completed",
                PHASES="[p1-demo]",
                ARTIFACTS=f"[{DEMO_FILE}, {DOCS_FILE}]",
                SUMMARY="DEMO: a /health endpoint and its docs, by two specialists in parallel",
                TEST_RESULTS="1/1",
                VERIFIED="[DEMO scripted run]",
            )
        )
    ]


def _backend(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    write = results.get("toolu_demo_backend_write")
    if write is None:
        return [
            _text(f"**[DEMO]** Writing the endpoint in `{DEMO_FILE}`.\n"),
            _call(
                "toolu_demo_backend_write",
                "Write",
                {"file_path": DEMO_FILE, "content": DEMO_CONTENT},
            ),
        ]
    if write.get("is_error"):
        return [_text(_report("TASK_BLOCKED", "demo-p1-t1", BLOCKER="the Write was denied"))]
    if "toolu_demo_l3_tests" not in results:
        return [
            _text("**[DEMO]** Written. The L3 test runner checks it.\n"),
            _agent(
                "toolu_demo_l3_tests",
                "l3-test-runner",
                "Run the health test",
                "Run the /health test and report pass/fail counts (DEMO: no command runs).",
            ),
        ]
    return [
        _text(
            "**[DEMO]** The test runner reports green.\n\n"
            + _report(
                "TASK_COMPLETE",
                "demo-p1-t1",
                STATUS="completed",
                ARTIFACTS=f"[{DEMO_FILE}]",
                SUMMARY="DEMO: /health answers 200 ok",
                VERIFIED="[l3-test-runner 1/1]",
            )
        )
    ]


def _docs(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    write = results.get("toolu_demo_docs_write")
    if write is None:
        return [
            _text(f"**[DEMO]** Documenting the endpoint in `{DOCS_FILE}`.\n"),
            _call(
                "toolu_demo_docs_write",
                "Write",
                {"file_path": DOCS_FILE, "content": DOCS_CONTENT},
            ),
        ]
    if write.get("is_error"):
        return [_text(_report("TASK_BLOCKED", "demo-p1-t2", BLOCKER="the Write was denied"))]
    return [
        _text(
            _report(
                "TASK_COMPLETE",
                "demo-p1-t2",
                STATUS="completed",
                ARTIFACTS=f"[{DOCS_FILE}]",
                SUMMARY="DEMO: documented GET /health",
                VERIFIED="[DEMO scripted run]",
            )
        )
    ]


def _runner(_results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        _text(
            "**[DEMO]** No command runs in the demo; this is what a report looks like.\n\n"
            + _report(
                "L3_RESULT",
                "demo-tests",
                STATUS="completed",
                DATA="passed 1, failed 0 (DEMO)",
                TESTS_COMPLETE="true",
            )
        )
    ]
