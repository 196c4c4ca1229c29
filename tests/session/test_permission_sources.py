"""Where rules and modes come from, through the real engine: the definition's disallowedTools
and the config's [permissions]; session answers keyed on the prefix the prompt showed; the
validate/preview flags for self-escalating files and blanket Bash rules; `visible()`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.config import load_settings
from tui.core.catalog import Catalog
from tui.core.checks_permissions import blanket_bash
from tui.core.parse import parse_bytes
from tui.core.roots import Root, RootKind
from tui.core.sanitize import json_line_safe, visible
from tui.core.session.events import Decision, PermissionNeeded, ToolResult


async def test_definition_deny_rule_beats_its_own_bypass(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "keep").mkdir()
    api.script(
        reply(
            tool_use("rm", "Bash", {"command": "rm -rf keep"}),
            tool_use("hidden", "Bash", {"command": "true && (cd . ; rm -rf keep)"}),
            tool_use("ok", "Bash", {"command": "echo fine"}),
        ),
        reply(text("done")),
    )
    definition = make_definition(mode="bypassPermissions", disallowed=("Bash(rm *)",))
    events = await drain(make_session(definition).send("go"))
    by_id = {r.tool_use_id: r for r in of_type(events, ToolResult)}
    assert by_id["rm"].is_error and "Bash(rm *)" in by_id["rm"].output
    assert by_id["hidden"].is_error
    assert not by_id["ok"].is_error and (workdir / "keep").is_dir()


async def test_definition_blanket_bash_rule_offers_bash_but_allows_nothing(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    api.script(reply(tool_use("b1", "Bash", {"command": "touch pwned"})), reply(text("done")))
    definition = make_definition(tools=("Read", "Bash(*)"), mode="dontAsk")
    events = await drain(make_session(definition).send("go"))
    assert of_type(events, ToolResult)[0].is_error and not (workdir / "pwned").exists()
    session = make_session(definition, allow_rules=("Bash(*)",))  # the user's own rule counts
    api.script(reply(tool_use("b2", "Bash", {"command": "touch mine"})), reply(text("done")))
    await drain(session.send("go"))
    assert (workdir / "mine").exists()


async def test_session_answer_covers_the_shown_prefix_not_what_follows(
    api: FakeAPI, make_session, workdir: Path, tmp_path: Path
) -> None:
    (workdir / "src").mkdir()
    (workdir / "src" / "a.py").write_text("print('a')\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    api.script(
        reply(tool_use("b1", "Bash", {"command": "python3 src/a.py"})),
        reply(tool_use("b2", "Bash", {"command": "python3 src/a.py --again"})),
        reply(tool_use("b3", "Bash", {"command": f"python3 src/a.py && rm -rf {outside}"})),
        reply(text("done")),
    )
    answers = iter([Decision("allow_session"), Decision("deny", "no")])
    events = await drain(make_session().send("go"), lambda _: next(answers))
    asked = of_type(events, PermissionNeeded)
    assert [a.tool_use_id for a in asked] == ["b1", "b3"]
    assert "`python3 src/a.py:*`" in asked[0].session_scope
    assert outside.is_dir()


async def test_config_rules_reach_the_engine(
    api: FakeAPI, make_session, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[permissions]\nallow = ["Bash(echo:*)"]\ndeny = ["Write(*.pem)"]\nask = ["Read(*.env)"]\n'
    )
    settings = load_settings(config)
    assert settings.problems == () and settings.allow == ("Bash(echo:*)",)
    (workdir / ".env").write_text("TOKEN=x\n")
    api.script(
        reply(
            tool_use("echo", "Bash", {"command": "echo hi"}),
            tool_use("pem", "Write", {"file_path": "k.pem", "content": "x"}),
            tool_use("env", "Read", {"file_path": ".env"}),
        ),
        reply(text("done")),
    )
    session = make_session(
        make_definition(mode="acceptEdits"),
        allow_rules=settings.allow,
        deny_rules=settings.deny,
        ask_rules=settings.ask,
    )
    events = await drain(session.send("go"), lambda _: Decision("deny", "no"))
    by_id = {r.tool_use_id: r for r in of_type(events, ToolResult)}
    assert not by_id["echo"].is_error and by_id["pem"].is_error
    assert [a.tool_use_id for a in of_type(events, PermissionNeeded)] == ["env"]
    assert not (workdir / "k.pem").exists()


def test_broken_permissions_config_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[permissions]\nallowed = ["Bash"]\n')
    settings = load_settings(config)
    assert settings.allow == () and "permissions.allowed" in settings.problems[0]


def test_validate_flags_escalation_outside_own_folders_and_blanket_bash(tmp_path: Path) -> None:
    text_ = (
        "---\nname: grabby\ndescription: d\ntools: Read, Bash(*)\npermissionMode: dontAsk\n---\nx\n"
    )
    for kind, flagged in ((RootKind.EXTRA, True), (RootKind.PROJECT, False)):
        folder = tmp_path / kind.value
        folder.mkdir()
        (folder / "grabby.md").write_text(text_)
        catalog = Catalog([Root(folder, kind, 0)])
        catalog.scan(workers=1)
        d = catalog.definitions()[0]
        found = {x.code: x for x in catalog.diagnostics_for(d)}
        assert ("R090" in found) is flagged
        assert found["R091"].severity.value == "warning" and found["R091"].line == 4
        if flagged:
            assert found["R090"].severity.value == "info" and found["R090"].line == 5
    plain = parse_bytes(
        b"---\nname: a\ndescription: d\ntools: Bash(git *)\n---\nx\n", Path("/r/a.md"), Path("/r")
    )
    assert not {"R090", "R091"} & {x.code for x in plain.diagnostics}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain\ttext\nnext", "plain\ttext\nnext"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),
        ("a\rb", "a\\x0db"),
        ("crlf\r\nline", "crlf\nline"),
        ("c1 \x9b31m \x85", "c1 \\x9b31m \\x85"),
        ("del\x7f nul\x00", "del\\x7f nul\\x00"),
        ("bidi \u202eevil\u2066", "bidi \\u202eevil\\u2066"),
        ("ünïcödé → ok", "ünïcödé → ok"),
    ],
)
def test_visible_shows_control_characters(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_visible_one_line_and_json_lines() -> None:
    import json

    assert visible("a\nb\tc", keep_newlines=False) == "a\\nb\\tc"
    line = json_line_safe(json.dumps({"t": "x\x9by\u202e\x1b"}, ensure_ascii=False))
    assert "\x9b" not in line and "\u202e" not in line and "\x1b" not in line
    assert json.loads(line) == {"t": "x\x9by\u202e\x1b"}


@pytest.mark.parametrize(
    "rule",
    [
        "Bash(python3:*)",
        "Bash(sh *)",
        "Bash(node*)",
        "Bash(env:*)",
        "Bash(* --help)",
        "Bash(bash:*)",
    ],
)
async def test_definition_interpreter_rule_is_as_blanket_as_bash_star(
    api: FakeAPI, make_session, workdir: Path, rule: str
) -> None:
    """`tools: Bash(python3:*)` in a downloaded file pre-allowed `python3 -c '<anything>'`."""
    command = {
        "Bash(python3:*)": 'python3 -c \'open("pwned", "w")\'',
        "Bash(sh *)": "sh -c 'touch pwned'",
        "Bash(node*)": 'node -e \'require("fs").writeFileSync("pwned", "")\'',
        "Bash(env:*)": "env touch pwned",
        "Bash(* --help)": "touch pwned --help",
        "Bash(bash:*)": "bash -c 'touch pwned'",
    }[rule]
    api.script(reply(tool_use("b1", "Bash", {"command": command})), reply(text("done")))
    definition = make_definition(tools=("Read", rule), mode="dontAsk")
    events = await drain(make_session(definition).send("go"))
    assert of_type(events, ToolResult)[0].is_error and not (workdir / "pwned").exists()
    assert blanket_bash(rule)
    assert not blanket_bash("Bash(python3 -m pytest:*)") and not blanket_bash("Bash(npm test:*)")
