"""Permission rules, the shell reading behind Bash rules, and session prefixes (pure code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.session.permissions import PermissionPolicy, session_label
from tui.core.session.prefixes import session_prefix
from tui.core.session.protected import is_protected
from tui.core.session.rules import (
    RuleSet,
    bash_matches,
    parse_rule,
    path_matches,
    split_rule_list,
)
from tui.core.session.shell import analyze
from tui.core.session.tools import ALL_TOOLS, ToolContext

ROOT = Path("/work/proj")


def words(command: str) -> tuple[str, ...]:
    return tuple(command.split())


# ----------------------------------------------------------------------------- rule syntax


def test_parse_rule_forms() -> None:
    assert parse_rule("Bash") is not None and parse_rule("Bash").spec is None  # type: ignore[union-attr]
    rule = parse_rule(" Bash(npm test:*) ")
    assert rule is not None and (rule.tool, rule.spec) == ("Bash", "npm test:*")
    assert parse_rule("Task(x)").tool == "Agent"  # type: ignore[union-attr]
    assert parse_rule("Bash(rm") is None and parse_rule("") is None


def test_split_rule_list_keeps_parentheses_together() -> None:
    assert split_rule_list(["Bash(git status:*) Edit", "Read,Grep", "  ", "Bash(npm test *)"]) == [
        "Bash(git status:*)",
        "Edit",
        "Read",
        "Grep",
        "Bash(npm test *)",
    ]


@pytest.mark.parametrize(
    ("spec", "command", "expected"),
    [
        ("npm test", "npm test", True),
        ("npm test", "npm test --watch", False),  # exact
        ("npm test:*", "npm test", True),
        ("npm test:*", "npm test --watch", True),
        ("npm test:*", "npm tests", False),  # a word prefix, not a string prefix
        ("npm test *", "npm test -- -k x", True),
        ("npm test *", "npm testing", False),
        ("git * main", "git push origin main", True),
        ("git * main", "git push origin dev", False),
        ("git status*", "git status", True),
        ("*", "anything at all", True),
    ],
)
def test_bash_rule_matching(spec: str, command: str, expected: bool) -> None:
    assert bash_matches(spec, words(command)) is expected


@pytest.mark.parametrize(
    ("spec", "path", "expected"),
    [
        ("src/**", ROOT / "src/a/b.py", True),
        ("src/**", ROOT / "src", True),
        ("src/**", ROOT / "srcx/a.py", False),
        ("./src/*.py", ROOT / "src/a.py", True),
        ("./src/*.py", ROOT / "src/a/b.py", False),
        ("/docs/**", ROOT / "docs/x.md", True),
        ("//etc/**", Path("/etc/passwd"), True),
        ("*.env", ROOT / "deep/down/prod.env", True),
        ("*.env", ROOT / "prod.envx", False),
        ("~/secrets/**", Path("~/secrets/k.pem"), True),
        ("~/secrets/**", ROOT / "secrets/k.pem", False),
    ],
)
def test_path_rule_matching(spec: str, path: Path, expected: bool) -> None:
    assert path_matches(spec, path.expanduser(), ROOT) is expected


# ----------------------------------------------------------------------------- the shell


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("python3 src/a.py && rm -rf /outside", ["python3 src/a.py", "rm -rf /outside"]),
        ("git status; touch X", ["git status", "touch X"]),
        ("git status && touch X", ["git status", "touch X"]),
        ("git status || touch X", ["git status", "touch X"]),
        ("git status | tee X", ["git status", "tee X"]),
        ("git status\ntouch X", ["git status", "touch X"]),
        ("git status\r\ntouch X", ["git status", "touch X"]),
        ("(git status; touch X)", ["git status", "touch X"]),
        ("{ git status; touch X; }", ["git status", "touch X"]),
        ("if git status; then touch X; fi", ["git status", "touch X"]),
        ("for f in a b; do touch $f; done", ["touch $f"]),
        ("echo 'a;b' && echo \"c && d\"", ["echo a;b", "echo c && d"]),  # quotes do not split
        ("FOO=1 npm test", ["npm test"]),
        ("sudo rm -rf x", ["sudo rm -rf x", "rm -rf x"]),
        ("timeout 5 rm x", ["timeout 5 rm x", "rm x"]),
        ("find . -exec rm {} \\;", ["find . -exec rm {} ;", "rm {}"]),
        ("bash -c 'ls; rm -rf x'", ["bash -c ls; rm -rf x", "ls", "rm -rf x"]),
    ],
)
def test_every_simple_command_is_found(command: str, expected: list[str]) -> None:
    assert [c.text for c in analyze(command, ROOT).commands] == expected


@pytest.mark.parametrize(
    ("command", "risk"),
    [
        ("git status $(touch X)", "command substitution"),
        ("git status `touch X`", "command substitution"),
        ('echo "$(touch X)"', "command substitution"),
        ("cat <<EOF\n$(touch X)\nEOF", "command substitution"),
        ("diff <(ls) x", "process substitution"),
        ("eval 'touch X'", "eval"),
        ("source ./x.sh", "source"),
        ("$CMD x", "computed"),
        ("git status > /tmp/out", "outside the working folder"),
        ("git status >> ../out", "outside the working folder"),
        ("echo x > .GIT/hooks/pre-commit", "protected path"),
        ("echo x > $OUT", "computed file name"),
        ('echo "unterminated', "could not read"),
        ("PATH=.:$PATH git status", "PATH"),
        ("bash -c 'ls'", "inline script"),
        ("f() { rm x; }; f", "function"),
        ("r{m,} -rf x", "pattern the shell expands"),
        ("{rm,-rf,x}", "could not read"),
        ("env -S 'rm -rf x'", "env -S"),
        ("cp evil .git/hooks/pre-commit", "protected path"),
        ("cp evil ~/.ssh/authorized_keys", "protected path"),
        ("tar --file=.Husky/x c", "protected path"),
        ("sleep 5 &", "background"),
    ],
)
def test_risky_shell_always_named(command: str, risk: str) -> None:
    risks = analyze(command, ROOT).risks
    assert any(risk in r for r in risks), risks


@pytest.mark.parametrize(
    "command",
    [
        "git status",
        "git status > out.txt 2>&1",
        "ls > /dev/null",
        "cat <<'EOF'\n$(not run)\nEOF",
        "echo 'a;b'",
        "npm test -- --grep 'x y'",
    ],
)
def test_plain_commands_have_no_risk(command: str) -> None:
    assert analyze(command, ROOT).risks == ()


# ----------------------------------------------------------------------------- session prefixes


@pytest.mark.parametrize(
    ("command", "prefix"),
    [
        ("git status -s", "git status:*"),
        ("npm test", "npm test:*"),
        ("npm run build", "npm run build:*"),
        ("ls -la", "ls:*"),
        ("python3 src/a.py --fast", "python3 src/a.py:*"),
        ("python3 -m pytest -q", "python3 -m pytest:*"),
        ("uv run pytest", "uv run pytest:*"),
        ("npx prettier --write .", "npx prettier:*"),
        ("node server.js", "node server.js:*"),
        ("python3 -c print(1)", None),
        ("bash -c ls", None),
        ("perl -e 1", None),
        ("python3", None),
        ("git -C elsewhere status", None),
    ],
)
def test_session_prefix_like_claude_code(command: str, prefix: str | None) -> None:
    assert session_prefix(words(command)) == prefix


@pytest.mark.parametrize(
    "interpreter",
    ["python3", "python", "python3.11", "bash", "sh", "zsh", "node", "npx", "ruby", "perl", "uv"],
)
def test_interpreters_are_never_allowed_by_bare_name(interpreter: str) -> None:
    for args in ((), ("-v",), ("x.py",), ("-m", "x")):
        prefix = session_prefix((interpreter, *args))
        assert prefix != f"{interpreter}:*"


# ----------------------------------------------------------------------------- protected paths


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        (".git/hooks/post-checkout", True),
        (".GIT/hooks/post-checkout", True),
        (".Claude/settings.json", True),
        (".bashrc", True),
        (".ZSHRC", True),
        (".profile", True),
        ("sub/.bash_profile", True),
        (".zprofile", True),
        (".envrc", True),
        (".husky/pre-commit", True),
        (".vscode/tasks.json", True),
        (".github/workflows/ci.yml", True),
        (".GitHub/Workflows/ci.yml", True),
        (".ssh/authorized_keys", True),
        (".github/ISSUE_TEMPLATE.md", False),
        ("src/gitfile.py", False),
        ("docs/bashrc.md", False),
    ],
)
def test_protected_paths(rel: str, expected: bool) -> None:
    assert is_protected(ROOT / rel, ROOT) is expected


# ----------------------------------------------------------------------------- the policy


def policy(mode: str, allow: tuple[str, ...] = (), deny: tuple[str, ...] = (), ask=()):  # type: ignore[no-untyped-def]
    return PermissionPolicy(mode, ToolContext(ROOT), allow, deny=deny, ask=ask)


def bash(p: PermissionPolicy, command: str) -> str:
    return p.check(ALL_TOOLS["Bash"], {"command": command}, None).action


def write(p: PermissionPolicy, rel: str) -> str:
    return p.check(ALL_TOOLS["Write"], {"file_path": rel}, ROOT / rel).action


@pytest.mark.parametrize(
    "command",
    [
        "git status; touch X",
        "git status && touch X",
        "git status || touch X",
        "git status | sh",
        "git status\ntouch X",
        "git status $(touch X)",
        "git status `touch X`",
        "(git status; touch X)",
        "git status > /tmp/outside",
    ],
)
def test_allowed_prefix_does_not_cover_chained_commands(command: str) -> None:
    p = policy("default", allow=("Bash(git status:*)", "Bash(git status*)"))
    assert bash(p, "git status") == "allow"
    assert bash(p, "git status -s") == "allow"
    assert bash(p, command) == "ask"
    assert bash(policy("dontAsk", allow=("Bash(git status:*)",)), command) == "deny"


def test_compound_runs_when_every_part_is_allowed() -> None:
    p = policy("default", allow=("Bash(git status:*)", "Bash(npm test)"))
    assert bash(p, "git status && npm test") == "allow"
    assert bash(p, "git status; echo 'a;b'") == "ask"


@pytest.mark.parametrize("mode", ["default", "acceptEdits", "dontAsk", "bypassPermissions"])
def test_deny_beats_allow_and_bypass(mode: str) -> None:
    p = policy(mode, allow=("Bash", "Edit"), deny=("Bash(rm *)", "Edit(secrets/**)"))
    assert bash(p, "rm -rf build") == "deny"
    assert bash(p, "ls && rm -rf build") == "deny"
    assert bash(p, "ls $(rm -rf build)") == "deny"
    assert bash(p, "sudo rm -rf build") == "deny"
    assert bash(p, "/bin/rm -rf build") == "deny"
    assert bash(p, "bash -c 'rm -rf build'") == "deny"
    assert bash(p, "find . -exec rm {} +") == "deny"
    assert bash(p, "coproc rm -rf build") == "deny"
    assert bash(p, "r'm' -rf build") == "deny"
    assert bash(p, "r{m,} -rf build") == ("deny" if mode == "dontAsk" else "ask")
    assert write(p, "secrets/key.pem") == "deny"
    assert write(p, "SECRETS/key.pem") == "deny"
    # what cannot be read cannot be cleared of the deny rule: asks even in bypass
    assert bash(p, 'eval "$X"') == ("deny" if mode == "dontAsk" else "ask")
    assert bash(p, "ls") == "allow"


@pytest.mark.parametrize("mode", ["default", "acceptEdits", "bypassPermissions"])
def test_ask_beats_allow_and_bypass(mode: str) -> None:
    p = policy(mode, allow=("Bash",), ask=("Bash(git push:*)", "Write(*.lock)"))
    assert bash(p, "git push origin main") == "ask"
    assert bash(p, "git status && git push") == "ask"
    assert write(p, "poetry.lock") == "ask"
    assert bash(p, "git status") == "allow"
    assert bash(policy("dontAsk", allow=("Bash",), ask=("Bash(git push:*)",)), "git push") == "deny"


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("default", "ask"), ("acceptEdits", "ask"), ("dontAsk", "deny"), ("plan", "deny")],
)
def test_protected_paths_ask_even_when_allowed(mode: str, expected: str) -> None:
    p = policy(mode, allow=("Edit",))
    for rel in (".GIT/hooks/x", ".envrc", ".github/workflows/ci.yml", ".husky/pre-push"):
        assert write(p, rel) == expected
    assert write(policy("bypassPermissions"), ".git/hooks/x") == "allow"
    assert write(policy("bypassPermissions", deny=("Edit(.git/**)",)), ".git/hooks/x") == "deny"


def test_session_grant_covers_the_shown_prefix_only() -> None:
    p = policy("default")
    verdict = p.check(ALL_TOOLS["Bash"], {"command": "python3 src/a.py"}, None)
    assert verdict.action == "ask" and verdict.session == ("Bash(python3 src/a.py:*)",)
    assert "`python3 src/a.py:*`" in session_label(verdict.session)
    p.grant(verdict.session)
    assert bash(p, "python3 src/a.py --fast") == "allow"
    assert bash(p, "python3 src/a.py && rm -rf /outside") == "ask"
    assert bash(p, "python3 other.py") == "ask"
    compound = p.check(ALL_TOOLS["Bash"], {"command": "git status && npm test"}, None)
    assert compound.session == ("Bash(git status:*)", "Bash(npm test:*)")
    risky = p.check(ALL_TOOLS["Bash"], {"command": "ls $(id)"}, None)
    assert risky.action == "ask" and risky.session == ()  # allow once only
    edit = p.check(ALL_TOOLS["Write"], {"file_path": "a.txt"}, ROOT / "a.txt")
    p.grant(edit.session)
    assert write(p, "b/c.txt") == "allow" and write(p, ".git/config") == "ask"


def test_absurd_nesting_asks_instead_of_crashing() -> None:
    deep = "(" * 5000 + "ls" + ")" * 5000
    assert analyze(deep, ROOT).risks
    assert bash(policy("default", allow=("Bash(ls:*)",)), deep) == "ask"


def test_ruleset_broken_deny_entry_denies_the_whole_tool() -> None:
    rules = RuleSet.parse(["Bash(rm"], strict_broken=True)
    assert rules.first_for_tool("Bash") is not None
    assert RuleSet.parse(["Bash(rm"]).rules == ()
