"""Read deny (and ask) rules hide files from Grep and Glob: a search never shows a denied
file's name or text, and says how many files it left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.events import Decision, PermissionNeeded, ToolResult
from tui.core.session.permissions import PermissionPolicy
from tui.core.session.tools import ALL_TOOLS, ToolContext

SECRET = "sk-live-5ecret"
# `app.env`, not `.env`: Grep skips hidden files (as ripgrep does); a dotfile tests nothing
RULES = ("Read(app.env)", "Read(*.pem)")


@pytest.fixture
def folder(workdir: Path) -> Path:
    (workdir / "app.env").write_text(f"API_KEY={SECRET}\n")
    (workdir / "src").mkdir()
    (workdir / "src" / "a.py").write_text("import os\nkey = os.environ['API_KEY']\n")
    (workdir / "keys").mkdir()
    (workdir / "keys" / "x.pem").write_text(f"-----BEGIN KEY-----\nAPI_KEY {SECRET}\n")
    return workdir


async def run(name: str, ctx: ToolContext, **args: object) -> str:
    return await ALL_TOOLS[name].run(dict(args), ctx)


def leaks(out: str) -> list[str]:
    return [bad for bad in ("/app.env", "x.pem", SECRET) if bad in out]


@pytest.mark.parametrize("mode", ["content", "files_with_matches", "count"])
async def test_grep_hides_files_denied_for_read(folder: Path, mode: str) -> None:
    ctx = ToolContext.for_dir(folder, read_rules=RULES)
    out = await run("Grep", ctx, pattern="API_KEY", path=".", output_mode=mode)
    assert leaks(out) == [] and "a.py" in out
    assert out.splitlines()[-1] == "(2 files hidden by your Read deny rules)"
    plain = await run("Grep", ToolContext.for_dir(folder), pattern="API_KEY", output_mode=mode)
    assert "/app.env" in plain and "x.pem" in plain and "hidden" not in plain


async def test_grep_with_only_hidden_matches_says_so(folder: Path) -> None:
    ctx = ToolContext.for_dir(folder, read_rules=RULES)
    out = await run("Grep", ctx, pattern=SECRET, output_mode="content")
    assert out.splitlines() == ["No matches found", "(2 files hidden by your Read deny rules)"]
    out = await run("Grep", ctx, pattern="API", glob="*.env")
    assert out.splitlines() == ["No files found", "(1 file hidden by your Read deny rules)"]


async def test_glob_hides_files_denied_for_read(folder: Path) -> None:
    ctx = ToolContext.for_dir(folder, read_rules=RULES)
    out = await run("Glob", ctx, pattern="**/*")
    assert leaks(out) == [] and str(folder / "src" / "a.py") in out
    assert out.splitlines()[-1] == "(2 files hidden by your Read deny rules)"
    assert (await run("Glob", ctx, pattern="*.pem", path="keys")).splitlines() == [
        "No files found",
        "(1 file hidden by your Read deny rules)",
    ]
    plain = await run("Glob", ToolContext.for_dir(folder), pattern="**/*")
    assert "/app.env" in plain and "x.pem" in plain and "hidden" not in plain


async def test_ask_rules_hide_too_and_case_and_symlinks_do_not_help(folder: Path) -> None:
    (folder / "SERVER.PEM").write_text(f"API_KEY {SECRET}\n")
    (folder / "src" / "innocent.txt").symlink_to(folder / "app.env")
    ctx = ToolContext.for_dir(folder, read_rules=("Read(*.pem)", "Read(app.env)", "Bash(rm *)"))
    out = await run("Grep", ctx, pattern="API_KEY", output_mode="content")
    assert SECRET not in out and "innocent" not in out and "SERVER" not in out
    assert out.splitlines()[-1] == "(4 files hidden by your Read deny rules)"


async def test_home_rules_reach_the_grep_worker(tmp_path: Path, workdir: Path) -> None:
    (workdir / "secrets").mkdir()
    (workdir / "secrets" / "token.txt").write_text(f"{SECRET}\n")
    (workdir / "notes.txt").write_text(f"not {SECRET[:7]}\n")
    ctx = ToolContext(workdir, hidden=(f"~/{workdir.name}/secrets/**",), home=str(tmp_path))
    out = await run("Grep", ctx, pattern="sk-live", output_mode="content")
    assert "token" not in out and "notes.txt" in out
    assert out.endswith("(1 file hidden by your Read deny rules)")


def test_a_search_of_a_denied_path_and_a_read_through_a_symlink_are_denied(
    folder: Path,
) -> None:
    ctx = ToolContext.for_dir(folder)
    policy = PermissionPolicy(
        "bypassPermissions", ctx, deny=("Read(app.env)", "Read(keys/**)", "Read(*.pem)")
    )
    (folder / "src" / "alias").symlink_to(folder / "app.env")

    def verdict(name: str, **args: object) -> str:
        tool = ALL_TOOLS[name]
        return policy.check(tool, dict(args), tool.target(dict(args), ctx)).action

    assert verdict("Grep", pattern="API", path="app.env") == "deny"
    assert verdict("Grep", pattern="API", path="keys") == "deny"
    assert verdict("Glob", pattern="*", path="keys") == "deny"
    assert verdict("Read", file_path="src/alias") == "deny"
    assert verdict("Read", file_path="keys/../APP.ENV") == "deny"
    assert verdict("Read", file_path="src/a.py") == "allow"
    (folder / "prod.pem").symlink_to(folder / "src" / "a.py")  # a denied name, linked
    assert verdict("Read", file_path="prod.pem") == "deny"
    assert verdict("Grep", pattern="API", path="prod.pem") == "deny"
    assert verdict("Grep", pattern="API", path="src") == "allow"


# an ask rule cannot ask per file inside a search: its files are hidden as well
@pytest.mark.parametrize("kind", ["deny_rules", "ask_rules"])
async def test_session_under_bypass_never_sends_denied_text(
    api: FakeAPI, make_session, folder: Path, kind: str
) -> None:
    api.script(
        reply(
            tool_use("g1", "Grep", {"pattern": "API_KEY", "path": ".", "output_mode": "content"}),
            tool_use("g2", "Grep", {"pattern": "API_KEY"}),
            tool_use("gl", "Glob", {"pattern": "**/*"}),
            tool_use("rd", "Read", {"file_path": "app.env"}),
        ),
        reply(text("done")),
    )
    session = make_session(make_definition(mode="bypassPermissions"), **{kind: RULES})
    events = await drain(session.send("go"), lambda _: Decision("deny", "no"))
    by_id = {r.tool_use_id: r for r in of_type(events, ToolResult)}
    for key in ("g1", "g2", "gl"):
        assert not by_id[key].is_error and leaks(by_id[key].output) == []
        assert "hidden by your Read deny rules" in by_id[key].output
    assert "a.py" in by_id["g1"].output
    assert by_id["rd"].is_error and SECRET not in by_id["rd"].output
    assert all(SECRET not in str(r.body) for r in api.requests)
    asked = [a.tool_use_id for a in of_type(events, PermissionNeeded)]
    assert asked == ([] if kind == "deny_rules" else ["rd"])
