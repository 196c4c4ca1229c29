"""Glob and Grep honour .gitignore (core/ignore.py's GitIgnore, as git does); Grep skips hidden
files like ripgrep; Grep's `type` (ripgrep file types) and `multiline`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.events import ToolResult
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError

FILES = {
    ".gitignore": "build/\n*.log\n!keep.log\n",
    "src/app.py": "TOKEN = 'needle'\n",
    "src/web/app.ts": "const t = 'needle'\n",
    "src/web/app.js": "var t = 'needle'\n",
    "src/.gitignore": "generated.py\n",
    "src/generated.py": "needle = 1\n",
    "build/out.py": "needle = 2\n",
    "debug.log": "needle in a log\n",
    "keep.log": "needle kept\n",
    ".github/workflows/ci.yml": "run: needle\n",
    ".env": "NEEDLE=1\n",
    "docs/guide.md": "find the needle\n",
}


@pytest.fixture
def repo(workdir: Path) -> Path:
    for rel, body in FILES.items():
        path = workdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    (workdir / ".git").mkdir()
    return workdir


async def run(name: str, ctx: ToolContext, **args: object) -> str:
    out = await ALL_TOOLS[name].run(dict(args), ctx)
    assert isinstance(out, str)
    return out


def names(out: str, root: Path) -> set[str]:
    return {
        Path(line.split(":")[0]).relative_to(root).as_posix()
        for line in out.splitlines()
        if line.startswith(str(root))
    }


async def test_glob_leaves_out_what_git_ignores(repo: Path) -> None:
    ctx = ToolContext.for_dir(repo)
    found = names(await run("Glob", ctx, pattern="**/*"), repo)
    assert "src/generated.py" not in found and "build/out.py" not in found
    assert "debug.log" not in found
    assert {"src/app.py", "keep.log", ".github/workflows/ci.yml", ".env"} <= found
    # asked for by name, an ignored folder is listed
    assert names(await run("Glob", ctx, pattern="*.py", path="build"), repo) == {"build/out.py"}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
async def test_glob_agrees_with_git(repo: Path) -> None:
    shutil.rmtree(repo / ".git")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = names(await run("Glob", ToolContext.for_dir(repo), pattern="**/*"), repo)
    assert found == set(listed)


async def test_grep_skips_ignored_and_hidden_files_like_ripgrep(repo: Path) -> None:
    ctx = ToolContext.for_dir(repo)
    found = names(await run("Grep", ctx, pattern="needle"), repo)
    assert found == {
        "src/app.py",
        "src/web/app.ts",
        "src/web/app.js",
        "keep.log",
        "docs/guide.md",
    }
    # a hidden folder or an ignored file named as path is searched
    assert names(await run("Grep", ctx, pattern="needle", path=".github"), repo) == {
        ".github/workflows/ci.yml"
    }
    assert names(await run("Grep", ctx, pattern="needle", path="src/generated.py"), repo) == {
        "src/generated.py"
    }
    (repo / ".gitignore").write_text("")  # no longer ignored: found
    (repo / "src" / ".gitignore").unlink()
    found = names(await run("Grep", ToolContext.for_dir(repo), pattern="needle"), repo)
    assert {"src/generated.py", "build/out.py", "debug.log"} <= found
    assert ".env" not in found and ".github/workflows/ci.yml" not in found  # still hidden


async def test_grep_type_selects_ripgrep_file_types(repo: Path) -> None:
    ctx = ToolContext.for_dir(repo)
    assert names(await run("Grep", ctx, pattern="needle", type="ts"), repo) == {"src/web/app.ts"}
    assert names(await run("Grep", ctx, pattern="needle", type="js"), repo) == {"src/web/app.js"}
    assert names(await run("Grep", ctx, pattern="needle", type="md"), repo) == {"docs/guide.md"}
    out = await run("Grep", ctx, pattern="needle", type="py", glob="src/**", output_mode="count")
    assert out == f"{repo / 'src' / 'app.py'}:1"
    with pytest.raises(ToolError, match=r"Unknown file type 'cobol'.*py, .*rust"):
        await run("Grep", ctx, pattern="needle", type="cobol")


async def test_grep_multiline_spans_lines(workdir: Path) -> None:
    (workdir / "m.py").write_text("def f(\n    a,\n    b,\n):\n    return a\n\nx = 1\n")
    ctx = ToolContext.for_dir(workdir)
    pattern = r"def f\(.*?\):"
    assert await run("Grep", ctx, pattern=pattern, output_mode="content") == "No matches found"
    out = await run("Grep", ctx, pattern=pattern, output_mode="content", multiline=True)
    path = workdir / "m.py"
    assert out.splitlines() == [
        f"{path}:1:def f(",
        f"{path}:2:    a,",
        f"{path}:3:    b,",
        f"{path}:4:):",
    ]
    out = await run("Grep", ctx, pattern=r"b,\n\):", multiline=True, output_mode="count")
    assert out == f"{path}:2"


async def test_the_model_greps_with_type_and_ignores(
    api: FakeAPI, make_session, repo: Path
) -> None:
    api.script(
        reply(tool_use("g1", "Grep", {"pattern": "needle", "type": "py"})),
        reply(text("found it")),
    )
    session = make_session(make_definition(mode="default"))
    events = await drain(session.send("where is the needle"))
    result = of_type(events, ToolResult)[0]
    assert not result.is_error
    assert result.output.splitlines() == ["Found 1 file", str(repo / "src" / "app.py")]
    tools = {t["name"]: t for t in api.requests[0].body["tools"]}
    grep = tools["Grep"]
    assert {"type", "multiline"} <= set(grep["input_schema"]["properties"])
    assert ".gitignore" in grep["description"] and "hidden" in grep["description"]
    assert ".gitignore" in tools["Glob"]["description"]
