"""Every permission mode x tool kind, protected paths, and once/session/deny answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import allow_all, deny_all, drain, make_definition, of_type
from tui.core.session.events import Decision, PermissionDecided, PermissionNeeded, ToolResult

CALLS = {
    "read": ("Read", {"file_path": "seed.txt"}),
    "edit": ("Write", {"file_path": "out.txt", "content": "written"}),
    "exec": ("Bash", {"command": "echo ran > ran.txt"}),
}
EXPECTED = {  # mode -> kind -> allow | ask | deny
    "default": {"read": "allow", "edit": "ask", "exec": "ask"},
    "manual": {"read": "allow", "edit": "ask", "exec": "ask"},
    "auto": {"read": "allow", "edit": "ask", "exec": "ask"},
    "acceptEdits": {"read": "allow", "edit": "allow", "exec": "ask"},
    "plan": {"read": "allow", "edit": "deny", "exec": "deny"},
    "dontAsk": {"read": "allow", "edit": "deny", "exec": "deny"},
    "bypassPermissions": {"read": "allow", "edit": "allow", "exec": "allow"},
}
CASES = [(m, k, v) for m, kinds in EXPECTED.items() for k, v in kinds.items()]


@pytest.mark.parametrize(("mode", "kind", "expected"), CASES)
async def test_mode_by_tool_kind(
    api: FakeAPI, make_session, workdir: Path, mode: str, kind: str, expected: str
) -> None:
    (workdir / "seed.txt").write_text("seed\n")
    name, args = CALLS[kind]
    api.script(reply(tool_use("t1", name, args)), reply(text("done")))
    session = make_session(make_definition(mode=mode))
    events = await drain(session.send("go"), deny_all)
    asked = of_type(events, PermissionNeeded)
    result = of_type(events, ToolResult)[0]
    if expected == "ask":
        assert len(asked) == 1 and result.is_error and "denied" in result.output
        assert "not today" in result.output  # the deny reason reaches the model
    else:
        assert asked == []
        assert result.is_error == (expected == "deny"), result.output
    effect = {"read": None, "edit": workdir / "out.txt", "exec": workdir / "ran.txt"}[kind]
    if effect is not None:
        assert effect.exists() == (expected == "allow")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("default", "ask"),
        ("acceptEdits", "ask"),
        ("dontAsk", "deny"),
        ("plan", "deny"),
        ("bypassPermissions", "allow"),
    ],
)
async def test_protected_paths(
    api: FakeAPI, make_session, workdir: Path, mode: str, expected: str
) -> None:
    (workdir / ".git").mkdir()
    (workdir / ".git" / "config").write_text("[core]\n")
    api.script(
        reply(
            tool_use("r1", "Read", {"file_path": ".git/config"}),
            tool_use("w1", "Write", {"file_path": ".git/config", "content": "evil"}),
            tool_use("w2", "Write", {"file_path": ".bashrc", "content": "evil"}),
            tool_use("w3", "Write", {"file_path": ".claude/settings.json", "content": "{}"}),
        ),
        reply(text("done")),
    )
    events = await drain(make_session(make_definition(mode=mode)).send("go"), deny_all)
    results = {r.tool_use_id: r for r in of_type(events, ToolResult)}
    assert not results["r1"].is_error  # reading inside the folder is fine
    asked = {e.tool_use_id for e in of_type(events, PermissionNeeded)}
    assert asked == ({"w1", "w2", "w3"} if expected == "ask" else set())
    assert (workdir / ".git" / "config").read_text() == (
        "evil" if expected == "allow" else "[core]\n"
    )
    assert (workdir / ".bashrc").exists() == (expected == "allow")


async def test_allow_for_session_covers_later_edits(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "a.txt", "content": "a"})),
        reply(tool_use("w2", "Edit", {"file_path": "a.txt", "old_string": "a", "new_string": "b"})),
        reply(tool_use("b1", "Bash", {"command": "echo hi"})),
        reply(text("done")),
    )
    answers = iter([Decision("allow_session"), Decision("allow_once")])
    events = await drain(make_session().send("go"), lambda _: next(answers))
    asked = [e.tool_use_id for e in of_type(events, PermissionNeeded)]
    assert asked == ["w1", "b1"]  # the Edit ran on the session allowance
    decided = {e.tool_use_id: (e.decision, e.automatic) for e in of_type(events, PermissionDecided)}
    assert decided["w1"] == ("allow_session", False)
    assert decided["w2"] == ("allow_once", True)
    assert (workdir / "a.txt").read_text() == "b"


async def test_permission_prompt_carries_a_diff_and_the_command(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "app.py").write_text("print('old')\n")
    api.script(
        reply(
            tool_use("r1", "Read", {"file_path": "app.py"}),  # (Edit needs a Read first)
            tool_use(
                "e1",
                "Edit",
                {"file_path": str(workdir / "app.py"), "old_string": "old", "new_string": "new"},
            ),
            tool_use("b1", "Bash", {"command": "pytest -q"}),
        ),
        reply(text("done")),
    )
    events = await drain(make_session().send("go"), deny_all)
    edit, bash = of_type(events, PermissionNeeded)
    assert "-print('old')" in edit.preview and "+print('new')" in edit.preview
    assert edit.summary == "app.py"
    assert bash.preview == "pytest -q" and bash.summary == "pytest -q"


async def test_definition_rules_pre_allow_in_dont_ask(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    api.script(
        reply(
            tool_use("b1", "Bash", {"command": "git status"}),
            tool_use("b2", "Bash", {"command": "rm -rf x"}),
        ),
        reply(text("done")),
    )
    definition = make_definition(tools=("Read", "Bash(git *)"), mode="dontAsk")
    events = await drain(make_session(definition).send("go"), allow_all)
    results = {r.tool_use_id: r for r in of_type(events, ToolResult)}
    assert "Permission denied" not in results["b1"].output
    assert results["b2"].is_error and "dontAsk" in results["b2"].output
    assert of_type(events, PermissionNeeded) == []


async def test_confinement_refuses_before_asking(api: FakeAPI, make_session) -> None:
    api.script(
        reply(
            tool_use("w1", "Write", {"file_path": "../escape.txt", "content": "x"}),
            tool_use("r1", "Read", {"file_path": "/etc/passwd"}),
        ),
        reply(text("done")),
    )
    session = make_session(make_definition(mode="bypassPermissions"))
    events = await drain(session.send("go"))
    assert of_type(events, PermissionNeeded) == []
    assert all(r.is_error and "Access denied" in r.output for r in of_type(events, ToolResult))
