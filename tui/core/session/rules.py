"""Permission rules in Claude Code's syntax, and what they match. Pure: no I/O.

    Bash                 every Bash call
    Bash(npm test)       exactly `npm test`
    Bash(npm test:*)     `npm test` and `npm test ...` (word prefix: not `npm tests`)
    Bash(npm test *)     the same
    Bash(git * main)     `*` anywhere else matches any text
    Edit(src/**)         Write/Edit of files under src/ (relative to the working folder)
    Read(~/secrets/**)   Read/Grep/Glob under ~/secrets; `//abs/path` is an absolute path
    Read(*.env)          a pattern without `/` matches the file name at any depth

A Bash rule is matched against each simple command of a compound one (see shell.py); the
caller decides what "every" and "any" mean. Rule lists come as flags (`--allowedTools
"Bash(git status:*) Edit"`, comma or space separated), frontmatter lists, or config lists.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .tools.globbing import glob_regex

if TYPE_CHECKING:  # the Grep worker imports this module: keep it light
    from .shell import SimpleCommand

ALIASES = {"Task": "Agent", "MultiEdit": "Edit"}
# A rule naming the first tool also covers these (Claude Code: Edit rules cover every tool
# that edits files; Read rules cover every tool that reads them).
COVERS = {"Edit": frozenset({"Edit", "Write"}), "Read": frozenset({"Read", "Grep", "Glob"})}


@dataclass(frozen=True, slots=True)
class Rule:
    tool: str
    spec: str | None  # None: every call of the tool
    text: str  # as written

    def covers(self, tool: str) -> bool:
        return tool == self.tool or tool in COVERS.get(self.tool, ())

    @property
    def is_blanket_bash(self) -> bool:
        """`Bash(*)`, `Bash(:*)`, `Bash( *)`: every command, written as if it were a rule."""
        return self.tool == "Bash" and self.spec is not None and not self.spec.strip(" *:")


def parse_rule(text: str) -> Rule | None:
    """`Bash(npm test:*)` -> Rule("Bash", "npm test:*"); None for an empty or broken entry.

    A broken entry (`Bash(rm`) names its tool: callers that deny keep it as a whole-tool rule.
    """
    entry = text.strip().strip(",")
    if not entry:
        return None
    if "(" not in entry:
        name = entry.strip()
        return Rule(ALIASES.get(name, name), None, entry) if _NAME.fullmatch(name) else None
    head, _, rest = entry.partition("(")
    name = ALIASES.get(head.strip(), head.strip())
    if not _NAME.fullmatch(name) or not rest.endswith(")"):
        return None
    spec = rest[:-1].strip()
    return Rule(name, spec or None, entry)


def broken_rule_tool(text: str) -> str | None:
    """The tool a broken entry like `Bash(rm` names, so a deny list can still deny it."""
    head = text.strip().partition("(")[0].strip()
    return ALIASES.get(head, head) if _NAME.fullmatch(head) else None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def split_rule_list(values: Iterable[str]) -> list[str]:
    """Flag values -> rule texts: comma or space separated, parentheses kept together.

    `["Bash(git status:*) Edit", "Read,Grep"]` -> `["Bash(git status:*)", "Edit", "Read", "Grep"]`
    """
    out: list[str] = []
    for value in values:
        depth, current = 0, list[str]()
        for ch in value:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth = max(0, depth - 1)
            if depth == 0 and (ch == "," or ch.isspace()):
                if "".join(current).strip():
                    out.append("".join(current).strip())
                current = []
                continue
            current.append(ch)
        if "".join(current).strip():
            out.append("".join(current).strip())
    return out


@dataclass(frozen=True)
class RuleSet:
    """Rules of one kind (allow, ask or deny)."""

    rules: tuple[Rule, ...]

    @classmethod
    def parse(cls, texts: Iterable[str], *, strict_broken: bool = False) -> RuleSet:
        """`strict_broken`: a broken entry becomes a rule for its whole tool (deny lists)."""
        rules: list[Rule] = []
        for text in texts:
            rule = parse_rule(text)
            if rule is None and strict_broken:
                tool = broken_rule_tool(text)
                rule = Rule(tool, None, text) if tool else None
            if rule is not None:
                rules.append(rule)
        return cls(tuple(rules))

    @cached_property
    def bash(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.tool == "Bash")

    def first_for_tool(self, tool: str) -> Rule | None:
        """A rule covering every call of `tool` (no specifier)."""
        return next((r for r in self.rules if r.spec is None and r.covers(tool)), None)

    def first_command(self, command: SimpleCommand, *, loose: bool = False) -> Rule | None:
        """The first Bash rule matching this simple command. `loose` (for deny rules) also
        tries the program's base name (`/bin/rm` as `rm`)."""
        variants = [command.words]
        if loose and command.words and "/" in command.words[0]:
            variants.append((os.path.basename(command.words[0]), *command.words[1:]))
        for rule in self.bash:
            if rule.spec is None or any(bash_matches(rule.spec, w) for w in variants):
                return rule
        return None

    def first_path(
        self, tool: str, target: Path | None, root: Path, *, loose: bool = False
    ) -> Rule | None:
        """The first rule for `tool` without specifier, or whose path pattern matches
        (`loose`, for deny rules: ignoring case)."""
        for rule in self.rules:
            if not rule.covers(tool) or rule.tool == "Bash":
                continue
            if rule.spec is None:
                return rule
            if target is not None and path_matches(rule.spec, target, root, loose):
                return rule
        return None


def read_path_specs(texts: Iterable[str]) -> tuple[str, ...]:
    """The path patterns of the `Read(...)` rules among `texts` (deny and ask rules): the files
    Grep and Glob leave out of their walks, since no one can be asked per file in a search."""
    rules = RuleSet.parse(texts).rules
    return tuple(dict.fromkeys(r.spec for r in rules if r.tool == "Read" and r.spec))


@dataclass(frozen=True, slots=True)
class HiddenPaths:
    """Files a search must not show: a walked path, or the file its symlink points to,
    matching one of `specs` (case ignored, as for deny rules)."""

    specs: tuple[str, ...]
    root: Path
    home: str | None = None

    def hides(self, path: Path) -> bool:
        if not self.specs:
            return False
        candidates = [path]
        if path.is_symlink():
            try:
                candidates.append(path.resolve())
            except (OSError, RuntimeError):
                return True  # a link that cannot be followed cannot be proven clear
        return any(
            path_matches(spec, c, self.root, True, self.home)
            for spec in self.specs
            for c in candidates
        )


def bash_matches(spec: str, words: tuple[str, ...]) -> bool:
    """Does `Bash(spec)` match the simple command made of `words`?"""
    spec = spec.strip()
    if spec.endswith(":*"):
        return _words(spec[:-2]) == list(words[: len(_words(spec[:-2]))]) and bool(words)
    if spec.endswith(" *") and "*" not in spec[:-2]:
        prefix = _words(spec[:-2])
        return bool(prefix) and list(words[: len(prefix)]) == prefix
    if "*" in spec:
        pattern = ".*".join(re.escape(part) for part in spec.split("*"))
        return re.fullmatch(pattern, " ".join(words), re.DOTALL) is not None
    return _words(spec) == list(words)


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def path_matches(
    spec: str, target: Path, root: Path, fold: bool = False, home: str | None = None
) -> bool:
    """gitignore-like: `src/**`, `./src/*.py`, `/src` (from the folder), `//etc/x`, `~/x`,
    and `*.env` (a name at any depth). `fold`: ignore case (deny rules). `home`: what `~`
    means (default: this process's home)."""
    spec = spec.strip()
    if spec.startswith("//"):
        base, pattern = Path("/"), spec[2:]
    elif spec.startswith("~"):
        if home is not None and (spec == "~" or spec.startswith("~/")):
            expanded = home.rstrip("/") + spec[1:]
        else:
            expanded = os.path.expanduser(spec)
        base, pattern = Path("/"), expanded.lstrip("/")
    elif "/" not in spec.rstrip("/"):
        try:
            parts = target.relative_to(root).parts
        except ValueError:
            parts = target.parts
        return any(_glob(spec.rstrip("/"), part, fold) for part in parts)
    else:
        base, pattern = root, spec.removeprefix("./").lstrip("/")
    try:
        rel = target.relative_to(base).as_posix()
    except ValueError:
        return False
    return _glob(pattern, rel, fold)


def _glob(pattern: str, path: str, fold: bool = False) -> bool:
    """`**` crosses folders, `*` and `?` do not; `dir/**` also matches `dir` itself."""
    if fold:
        pattern, path = pattern.casefold(), path.casefold()
    if pattern.endswith("/**") and path == pattern[:-3]:
        return True
    return glob_regex(pattern, classes=False, dotall=True).fullmatch(path) is not None
