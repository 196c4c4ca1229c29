"""Bash commands that looked allowed but ran something else (found by a hostile review).

Each case was run through real bash first: the `a[$(...)]` forms execute the substitution when
bash evaluates the variable's value as arithmetic, an array name or a prompt string, and
`XDG_CONFIG_HOME=. git status` runs a `core.fsmonitor` command from `./git/config`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tui.cli.run import run_command
from tui.cli.run_args import add_run_commands
from tui.core.parse import parse_file
from tui.core.session.permissions import PermissionPolicy
from tui.core.session.prefixes import session_prefix
from tui.core.session.shell import analyze
from tui.core.session.tools import ALL_TOOLS, ToolContext

ROOT = Path("/work/proj")


def bash(p: PermissionPolicy, command: str) -> str:
    return p.check(ALL_TOOLS["Bash"], {"command": command}, None).action


ALLOWED = ("Bash(echo:*)", "Bash(git status:*)", "Bash(npm test:*)", "Bash(test:*)")


@pytest.mark.parametrize(
    "command",
    [
        "x='a[$(touch p)]'; echo $((x))",
        "x='a[$(touch p)]'; echo $[x]",
        "x='a[$(touch p)]'; ((x)); echo hi",
        "[[ -v 'a[$(touch p)]' ]]; echo hi",
        "x='a[$(touch p)]'; [[ x -eq 0 ]]; echo hi",
        "for x in 'a[$(touch p)]'; do echo ${a[x]}; done",
        "x='a[$(touch p)]'; echo ${a[$x]}",
        "x='a[$(touch p)]'; v=1; echo ${v:x}",
        "x='a[$(touch p)]'; echo ${!x}",
        "x='$(touch p)'; echo ${x@P}",
        "test -v 'a[$(touch p)]'",
        "x=$'a[\\x24(touch p)]'; echo $((x))",
    ],
)
def test_values_bash_evaluates_as_code_ask(command: str) -> None:
    p = PermissionPolicy("default", ToolContext(ROOT), ALLOWED)
    assert bash(p, command) == "ask", analyze(command, ROOT)


@pytest.mark.parametrize(
    "command",
    [
        "XDG_CONFIG_HOME=. git status",
        "npm_config_script_shell=./evil npm test",
        "NPM_CONFIG_SCRIPT_SHELL=./evil npm test",
        "GIT_DIR=x git status",
        "XDG_CONFIG_HOME=.; git status",
    ],
)
def test_environment_that_changes_what_runs_asks(command: str) -> None:
    p = PermissionPolicy("default", ToolContext(ROOT), ALLOWED)
    assert bash(p, command) == "ask", analyze(command, ROOT)


@pytest.mark.parametrize(
    "command",
    ["NODE_ENV=test npm test", "LANG=C git status", "NO_COLOR=1 npm test", "echo $((1 + 2))"],
)
def test_harmless_forms_still_run(command: str) -> None:
    p = PermissionPolicy("default", ToolContext(ROOT), ALLOWED)
    assert bash(p, command) == "allow", analyze(command, ROOT)


@pytest.mark.parametrize(
    "command",
    [
        "xargs --max-args 1 rm",
        "echo x | xargs --max-procs 4 rm",
        "sudo --user root rm x",
        "flock /tmp/lock rm x",
        "flock -w 5 /tmp/lock rm x",
        "flock /tmp/lock -c 'rm x'",
        "busybox rm -rf x",
        "watch --interval 1 rm x",
        "ionice --class 2 rm x",
        "stdbuf --output L rm x",
        "chroot --userspec=me / rm x",
    ],
)
def test_deny_rule_sees_through_wrapper_options(command: str) -> None:
    p = PermissionPolicy("bypassPermissions", ToolContext(ROOT), deny=("Bash(rm:*)",))
    assert bash(p, command) in {"deny", "ask"}, analyze(command, ROOT)
    assert bash(p, "ls") == "allow"


@pytest.mark.parametrize(
    "command", ["sed -n 1p x", "tar -czf out.tgz src", "rsync -a src dst", "less README"]
)
def test_programs_that_run_commands_are_not_granted_by_bare_name(command: str) -> None:
    program = command.split()[0]
    assert session_prefix(tuple(command.split())) != f"{program}:*"


@pytest.mark.parametrize(
    "command",
    [
        "echo x >> .gi?/config",  # bash globs it to .git/config: fsmonitor runs on `git status`
        "echo x >> .g*/config",
        "echo x > .[g]it/hooks/pre-commit",
        "cp pre-commit .gi?/hooks/",
        "cp x .bash[r]c",
        "cp x .{g,}it/hooks/pre-commit",
        "cp x {.git,y}/hooks/pre-commit",
        "echo x > lnk/hooks/pre-commit",
        "cp x lnk/hooks/pre-commit",
    ],
)
def test_protected_paths_behind_globs_braces_and_links_ask(tmp_path: Path, command: str) -> None:
    (tmp_path / ".git" / "hooks").mkdir(parents=True)
    (tmp_path / "lnk").symlink_to(".git")
    p = PermissionPolicy("default", ToolContext.for_dir(tmp_path), ("Bash(echo:*)", "Bash(cp:*)"))
    assert bash(p, command) == "ask", analyze(command, tmp_path)
    assert bash(p, "cp a src/*") == "allow"  # `*` does not match a dot file


def test_roster_run_with_echo_allowed_runs_no_hidden_command(
    api: FakeAPI,
    workdir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """End to end, headless: what used to run unasked under `Bash(echo:*)` is now denied."""
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    subprocess.run(["git", "init", "-q", str(workdir)], check=True)
    (workdir / "git").mkdir()
    (workdir / "git" / "config").write_text('[core]\n\tfsmonitor = "touch FSMON; false"\n')
    hostile = {
        "arith": "x='a[$(touch ARITH)]'; echo $((x))",
        "test_v": "[[ -v 'a[$(touch TESTV)]' ]]; echo hi",
        "glob": "echo '[core]' >> .gi?/config",
        "xdg": "XDG_CONFIG_HOME=. git status",
    }
    api.script(
        reply(
            tool_use("ok", "Bash", {"command": "echo fine"}),
            *(tool_use(key, "Bash", {"command": c}) for key, c in hostile.items()),
        ),
        reply(text("done")),
    )
    agents = tmp_path / "agents"
    agents.mkdir()
    path = agents / "helper.md"
    path.write_text("---\nname: helper\ndescription: d\ntools: Bash\n---\nYou help.\n")
    definition = parse_file(path, agents)
    parser = argparse.ArgumentParser(prog="roster")  # (the shared helper moves on main)
    add_run_commands(parser.add_subparsers(dest="command"))
    rules = "Bash(echo:*) Bash(git status:*)"
    argv = parser.parse_args(
        ["run", "helper", "go", "--cwd", str(workdir), "--json", "--allowedTools", rules]
    )
    run_command(argv, lambda name: definition)  # exit code: 0 here, 4 (no report) on main
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_id = {e["tool_use_id"]: e for e in lines if e["type"] == "tool_result"}
    assert by_id["ok"]["is_error"] is False
    for key in hostile:
        assert by_id[key]["is_error"] is True, by_id[key]
    assert not {"ARITH", "TESTV", "FSMON"} & {p.name for p in workdir.iterdir()}
    assert not (workdir / ".git" / "config").read_text().endswith("[core]\n")


@pytest.mark.parametrize("command", ["r\\\nm -rf build", "ls; r\\\nm x", "sudo r\\\nm x"])
def test_line_continuation_inside_a_word_is_not_split(command: str) -> None:
    """bash deletes `\\<newline>` first: `r\\<newline>m` is `rm`; the grammar saw `r` and `m`."""
    p = PermissionPolicy("bypassPermissions", ToolContext(ROOT), deny=("Bash(rm:*)",))
    assert bash(p, command) == "ask", analyze(command, ROOT)
    allowed = PermissionPolicy("default", ToolContext(ROOT), ("Bash(r:*)", "Bash(ls:*)"))
    assert bash(allowed, command) == "ask"
    assert bash(allowed, "ls \\\n-la") == "allow"


@pytest.mark.parametrize(
    "command",
    [
        "cd /etc; echo x > passwd",
        "cd .. && echo x > y",
        "pushd /tmp; echo x > y",
        "cd; echo x >> .ssh/authorized_keys",
        "cd src/../..; echo x > y",
        'cd "$D" && echo x > y',
        "cd sub && cd .. && cd .. && echo x > y",
    ],
)
def test_a_redirect_after_cd_is_read_from_the_new_folder(command: str) -> None:
    p = PermissionPolicy("default", ToolContext(ROOT), ("Bash(cd:*)", "Bash(echo:*)"))
    assert bash(p, command) == "ask", analyze(command, ROOT)
    assert bash(p, "cd src && echo x > out.txt") == "allow"


@pytest.mark.parametrize(
    "command",
    [
        "echo hi > ~+/../x",
        "echo hi > ~-/x",
        "cd ~+/..; echo x > y",
        "cp x ~-/.bashrc",
        "cd ~2; echo > y",
    ],
)
def test_tilde_plus_and_minus_are_folders_not_user_names(command: str) -> None:
    """bash reads `~+` as $PWD and `~-` as $OLDPWD; `expanduser` left them as names."""
    p = PermissionPolicy("default", ToolContext(ROOT), ("Bash(cd:*)", "Bash(echo:*)", "Bash(cp:*)"))
    assert bash(p, command) == "ask", analyze(command, ROOT)
    assert bash(p, "echo hi > ~+/ok.txt") == "allow"


@pytest.mark.parametrize(
    "rel",
    [
        ".github/actions/build/action.yml",  # run by a workflow with the repository's secrets
        ".devcontainer/devcontainer.json",  # postCreateCommand runs when the folder is opened
        ".cargo/config.toml",  # runner / rustc-wrapper for every cargo command
        ".yarnrc.yml",  # yarnPath: the program every `yarn` runs
        ".gitlab-ci.yml",
        "Jenkinsfile",
        ".circleci/config.yml",
    ],
)
def test_files_that_run_code_later_are_protected(rel: str) -> None:
    p = PermissionPolicy("acceptEdits", ToolContext(ROOT), ("Edit",))
    assert p.check(ALL_TOOLS["Write"], {"file_path": rel}, ROOT / rel).action == "ask"
    assert (
        p.check(ALL_TOOLS["Write"], {"file_path": "src/a.py"}, ROOT / "src/a.py").action == "allow"
    )


@pytest.mark.parametrize(
    "command",
    ["a=(" * 4000, "echo a |" * 12000, "echo " + "a" * 500_000, "cd a;" * 50_000 + "echo x > y"],
    ids=["arrays", "pipes", "word", "cds"],
)
def test_a_command_too_long_to_read_asks_without_being_read(command: str) -> None:
    """Each of these held the session for seconds to minutes (quadratic error recovery in the
    grammar, quadratic shlex on one long word, a 50,000-folder cd chain)."""
    bypass = PermissionPolicy("bypassPermissions", ToolContext(ROOT), deny=("Bash(rm:*)",))
    assert bash(bypass, command) == "ask"
    assert bash(PermissionPolicy("bypassPermissions", ToolContext(ROOT)), command) == "allow"
    assert "too long to check" in " ".join(analyze(command, ROOT).risks)


def test_escaped_words_read_as_bash_reads_them() -> None:
    assert [c.words for c in analyze("e\\cho a\\ b \\$x", ROOT).commands] == [("echo", "a b", "$x")]


@pytest.mark.parametrize(
    "command",
    [
        "echo rm -rf build | sh",
        "sh ./cleanup.sh",
        "python3 -c 'import shutil; shutil.rmtree(\"build\")'",
        "perl -e 'system(\"rm -rf build\")'",
        "awk 'BEGIN { system(\"rm -rf build\") }'",
        "make clean",
    ],
)
def test_bypass_does_not_run_code_a_deny_rule_cannot_see_into(command: str) -> None:
    """Under bypassPermissions with `Bash(rm:*)` denied, an interpreter ran `rm` unseen."""
    p = PermissionPolicy("bypassPermissions", ToolContext(ROOT), deny=("Bash(rm:*)",))
    assert bash(p, command) == "ask", analyze(command, ROOT)
    assert bash(PermissionPolicy("bypassPermissions", ToolContext(ROOT)), command) == "allow"
    allowed = PermissionPolicy(
        "bypassPermissions", ToolContext(ROOT), ("Bash(make clean)",), deny=("Bash(rm:*)",)
    )
    assert bash(allowed, "make clean") == "allow"  # the user's own rule still decides


@pytest.mark.parametrize(
    "command", ["echo $((0x1F))", "echo $((2#101))", "echo ${arr[-1]}", "echo ${arr[2]}"]
)
def test_arithmetic_on_numbers_alone_runs(command: str) -> None:
    assert analyze(command, ROOT).risks == ()
