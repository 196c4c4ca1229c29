"""What a Bash command would run, read with a real shell grammar (tree-sitter-bash).

    analysis = analyze("git status && npm test > out.txt", root)
    analysis.commands  # (SimpleCommand(("git", "status")), SimpleCommand(("npm", "test")))
    analysis.risks     # () ; `$(...)`, eval, a write outside root ... would be listed here

Every simple command is listed, nested ones (inside `$(...)`, subshells, `if`, loops,
`bash -c '...'`) included, so a deny rule sees them all. `risks` names what makes the command
opaque or dangerous regardless of rules: command or process substitution, eval/source,
a computed program name, redirections outside the folder or into a protected path, and
anything the grammar does not understand. A command with risks always asks.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .protected import is_protected_rel
from .shell_words import brace_variants, expand_tilde, literal, names_variable, opens, text

# Structure that only groups other nodes: walked through.
_STRUCTURE = frozenset(
    {
        "program", "list", "pipeline", "subshell", "compound_statement", "redirected_statement",
        "negated_command", "if_statement", "elif_clause", "else_clause", "while_statement",
        "for_statement", "c_style_for_statement", "do_group", "case_statement", "case_item",
        "test_command", "comment", "heredoc_redirect", "herestring_redirect", "heredoc_body",
        "heredoc_start", "heredoc_end", "heredoc_content", "word", "string", "string_content",
        "raw_string", "ansi_c_string", "translated_string", "concatenation", "simple_expansion",
        "expansion", "arithmetic_expansion", "number", "variable_name", "special_variable_name",
        "test_operator", "unary_expression", "binary_expression", "ternary_expression",
        "postfix_expression", "parenthesized_expression", "regex", "extglob_pattern",
        "file_descriptor", "subscript", "brace_expression", "array", "expansion_flags",
        "variable_assignment", "variable_assignments",
    }
)  # fmt: skip
_SUBSTITUTIONS = {
    "command_substitution": "command substitution `$(...)` or backticks",
    "process_substitution": "process substitution `<(...)`/`>(...)`",
}
# Programs that run code they are handed as text, or change how the next word is run.
_EVAL = frozenset({"eval", "source", ".", "exec", "trap", "alias", "enable", "builtin", "let"})
SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh", "fish", "csh", "tcsh"})
# Variables whose value changes what later programs run or load.
_RISKY_VARS = ("PATH", "LD_", "DYLD_", "BASH_ENV", "ENV", "IFS", "PS4", "PROMPT_COMMAND",
               "SHELLOPTS", "BASHOPTS", "PYTHON", "NODE_OPTIONS", "PERL5", "RUBYOPT", "GIT_",
               "HOME", "EDITOR", "PAGER", "CDPATH", "GLOBIGNORE", "XDG_",
               "NPM_CONFIG_")  # fmt: skip
# Variables a command may be handed (`NODE_ENV=test npm test`) without changing what it runs;
# any other `VAR=x cmd` asks (`XDG_CONFIG_HOME=. git status` runs ./git/config's fsmonitor).
SAFE_VARS = frozenset(
    {
        "NODE_ENV", "RUST_LOG", "RUST_BACKTRACE", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE",
        "GOOS", "GOARCH", "CGO_ENABLED", "GO111MODULE", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE",
        "LC_TIME", "LC_MESSAGES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "CI", "TZ",
        "COLUMNS", "LINES", "DEBUG",
    }
)  # fmt: skip
# Test operators whose operands bash evaluates as arithmetic (`[[ x -eq 0 ]]` reads x's value
# as an expression, and `a[$(cmd)]` in it runs cmd), and those that evaluate an array name.
_ARITH_TESTS = frozenset({"-eq", "-ne", "-lt", "-le", "-gt", "-ge"})
_NAME_TESTS = frozenset({"-v", "-R"})
_JOINS_WORD = re.compile(r"(?<=\S)\\\n(?=\S)")
_SAFE_DEVICES = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"})
_MAX_DEPTH = 4
MAX_COMMAND = 10_000  # tree-sitter's error recovery is quadratic: `a=(` x 6,666 took 3 s
# Programs that run the command in their arguments: option letters that take a value.
_WRAPPERS: dict[str, frozenset[str]] = {
    name: frozenset(opts.split())
    for name, opts in {
        "sudo": "-u -g -C -D -h -p -r -t -U --user --group --close-from --chdir --host --prompt"
        " --role --type --other-user --command-timeout",
        "doas": "-u -C",
        "env": "-u -C -S --unset --chdir",
        "xargs": "-n -L -P -I -d -E -s -a -i -l --max-args --max-lines --max-procs --delimiter"
        " --arg-file --max-chars --process-slot-var",
        "timeout": "-s -k --signal --kill-after",
        "nice": "-n --adjustment",
        "ionice": "-c -n -p -P -u --class --classdata --pid --pgid --uid",
        "stdbuf": "-i -o -e --input --output --error",
        "nohup": "",
        "coproc": "",
        "setsid": "",
        "command": "",
        "busybox": "",
        "time": "-f -o --format --output",
        "chroot": "--userspec --groups",
        "watch": "-n -d --interval",
        "flock": "-w -E --timeout --wait --conflict-exit-code",
        "strace": "-e -o -p -s",
    }.items()
}  # nested `bash -c` scripts looked into
# Programs whose inner command is read (by `nested`): a deny rule sees what they run.
UNWRAPPED = frozenset({*_WRAPPERS, "find"})
# Wrappers whose first plain words are not the command: `chroot DIR cmd`, `flock FILE cmd`.
_LEADING_OPERANDS = {"chroot": 1, "flock": 1}


@dataclass(frozen=True, slots=True)
class SimpleCommand:
    words: tuple[str, ...]  # literal words, program first; variable prefixes dropped

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class ShellAnalysis:
    commands: tuple[SimpleCommand, ...]
    risks: tuple[str, ...]


@cache
def _parser() -> Any:
    import tree_sitter_bash
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bash.language()))


def analyze(command: str, root: Path) -> ShellAnalysis:
    walker = _Walker(root)
    try:
        walker.script(command, 0)
    except RecursionError:  # thousands of nested parentheses: too deep to check, so it asks
        walker.risks.append("the command is nested too deeply to check")
    return ShellAnalysis(tuple(walker.commands), tuple(dict.fromkeys(walker.risks)))


class _Walker:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cwd: Path | None = root  # after `cd x` (None: a folder Roster cannot tell)
        self.commands: list[SimpleCommand] = []
        self.risks: list[str] = []

    def script(self, source: str, depth: int) -> None:
        if "\x00" in source:
            self.risks.append("the command contains a NUL byte")
            return
        if len(source) > MAX_COMMAND:  # reading it would hold up the session: it asks
            self.risks.append(f"the command is over {MAX_COMMAND:,} characters, too long to check")
            return
        try:
            tree = _parser().parse(source.encode("utf-8", errors="surrogateescape"))
        except Exception:  # the grammar failed: opaque, so it asks
            self.risks.append("the shell grammar could not read this command")
            return
        if tree.root_node.has_error:
            self.risks.append("the shell grammar could not read this command")
        if _JOINS_WORD.search(source):  # the grammar splits `r\<newline>m`; bash runs `rm`
            self.risks.append("a `\\` line continuation inside a word")
        self.node(tree.root_node, depth)

    def node(self, node: Any, depth: int) -> None:
        kind = node.type
        if node.is_missing or kind == "ERROR":
            self.risks.append("the shell grammar could not read this command")
        elif not node.is_named:
            if kind == "&" and node.parent is not None and node.parent.type != "file_redirect":
                self.risks.append("starts a background job (`&`)")
            return
        elif kind == "command":
            self.command(node, depth)
            return
        elif kind in _SUBSTITUTIONS:
            self.risks.append(_SUBSTITUTIONS[kind])
        elif kind == "file_redirect":
            self.redirect(node)
        elif kind == "function_definition":
            self.risks.append("defines a shell function")
        elif kind == "variable_assignment":
            self.assignment(node)
        elif kind in _EVALUATES or (kind == "compound_statement" and opens(node, "((")):
            self.evaluated(node)
        elif kind not in _STRUCTURE:
            self.risks.append(f"shell syntax Roster does not check (`{kind}`)")
        for child in node.children:
            self.node(child, depth)

    def command(self, node: Any, depth: int) -> None:
        words: list[str] = []
        for child in node.children:
            if child.type == "variable_assignment":
                self.assignment(child, for_command=True)
                self.node_children(child, depth)
            elif child.type == "command_name":
                name = literal(child.children[0]) if child.children else None
                if name is None:
                    self.risks.append(f"the program name `{text(child)}` is computed")
                    name = text(child)
                words.append(name)
                self.node_children(child, depth)
            elif child.type == "file_redirect":
                self.node(child, depth)
            elif child.is_named:
                value = literal(child)
                words.append(value if value is not None else text(child))
                self.node(child, depth)
        if not words:
            return
        self.commands.append(SimpleCommand(tuple(words)))
        for word in words[1:]:
            self.protected_argument(word)
        if words[0] in {"cd", "pushd", "popd"}:
            self.change_dir(words)
        self.nested(words, depth)

    def protected_argument(self, word: str) -> None:
        """`cp evil .git/hooks/pre-commit`: an argument naming a protected path asks."""
        for value in (*brace_variants(word), word.partition("=")[2]):
            if not value or ("/" not in value and not value.startswith(".")):
                continue
            expanded = expand_tilde(value, self.cwd)
            if expanded is None:
                self.risks.append(f"names `{value}`, a folder Roster cannot tell")
                return
            path = Path(os.path.normpath((self.cwd or self.root) / expanded))
            with contextlib.suppress(OSError, RuntimeError):
                path = path.resolve(strict=False)  # `lnk/hooks` with lnk -> .git
            try:
                parts = path.relative_to(self.root).parts
            except ValueError:
                parts = path.parts
            if is_protected_rel(parts):
                self.risks.append(f"names `{value}`, a protected path")
                return

    def change_dir(self, words: list[str]) -> None:
        """`cd x; echo > y` writes x/y: later relative paths are read from the new folder."""
        args = [w for w in words[1:] if not (w.startswith("-") and len(w) > 1)]
        if words[0] == "popd" or (args and (args[0] == "-" or any(c in args[0] for c in "$`*?["))):
            self.cwd = None
        elif self.cwd is not None:
            target = expand_tilde(args[0] if args else "~", self.cwd)
            self.cwd = None if target is None else Path(os.path.normpath(self.cwd / target))
            if self.cwd is not None and len(self.cwd.parts) > 64:  # `cd a;` x 50,000
                self.cwd = None

    def nested(self, words: list[str], depth: int) -> None:
        """Commands run by this one: `sudo rm`, `xargs rm`, `find -exec rm`, `bash -c '...'`."""
        program = os.path.basename(words[0])
        if program in _NAMES_VALUE_PROGRAMS and any(w in _NAME_TESTS for w in words[1:]):
            self.risks.append(f"`{program} -v` evaluates an array subscript as code")
        if any(ch in words[0] for ch in "*?[{"):
            self.risks.append(f"the program name `{words[0]}` is a pattern the shell expands")
        elif program in _EVAL:
            self.risks.append(f"`{program}` runs code built at run time")
        elif program in SHELLS:
            self.inline_script(words, depth)
        elif program == "find":
            for i, word in enumerate(words):
                if word in {"-exec", "-execdir", "-ok", "-okdir"}:
                    inner = []
                    for w in words[i + 1 :]:
                        if w in {";", "+"}:
                            break
                        inner.append(w)
                    if inner:
                        self.commands.append(SimpleCommand(tuple(inner)))
        elif program == "flock" and any(w in {"-c", "--command"} for w in words):
            at = next(i for i, w in enumerate(words) if w in {"-c", "--command"})
            self.inline_script(["sh", "-c", *words[at + 1 : at + 2]], depth)
        elif program == "env" and any(w.startswith(("-S", "--split-string")) for w in words):
            self.risks.append("`env -S` runs a command line given as text")
        elif program in _WRAPPERS and depth < _MAX_DEPTH:
            inner = _unwrap(words, _WRAPPERS[program])
            if inner:
                self.commands.append(SimpleCommand(tuple(inner)))
                self.nested(inner, depth + 1)

    def node_children(self, node: Any, depth: int) -> None:
        for child in node.children:
            self.node(child, depth)

    def inline_script(self, words: list[str], depth: int) -> None:
        """`bash -c 'rm -rf x'`: its inner commands are checked too (deny rules see them)."""
        if "-c" in words[1:]:
            self.risks.append(f"`{words[0]}` runs an inline script")
            at = words.index("-c", 1)
            if at + 1 < len(words) and depth < _MAX_DEPTH:
                self.script(words[at + 1], depth + 1)

    def assignment(self, node: Any, *, for_command: bool = False) -> None:
        """`VAR=x cmd` hands VAR to cmd: only SAFE_VARS pass. A plain `x=1` is a shell
        variable unless the name looks like an environment variable."""
        name = node.children[0] if node.children else None
        var = text(name) if name is not None else ""
        if var in SAFE_VARS:
            return
        if for_command or var.upper().startswith(_RISKY_VARS) or var != var.lower():
            self.risks.append(f"sets `{var}`, which changes what programs run")

    def evaluated(self, node: Any) -> None:
        """Places where bash reads a variable's VALUE as code: arithmetic (`$((x))`, `((x))`,
        `[[ x -eq 0 ]]`, `${a[x]}`, `${v:x}`), indirection `${!x}`, `${x@P}`, `[[ -v x ]]`.
        A value like `a[$(cmd)]` runs cmd there, so any variable in them asks."""
        kind = node.type
        risky = False
        if kind == "expansion":
            anon = [c.type for c in node.children if not c.is_named]
            risky = (len(anon) > 1 and anon[1] == "!") or any(
                c.type == "@" and c.next_sibling is not None and text(c.next_sibling) == "P"
                for c in node.children
            )
            risky = risky or any(
                c.type == ":" and c.next_sibling is not None and c.next_sibling.type != "number"
                for c in node.children
            )
        elif kind == "subscript":
            index = [c for c in node.children[1:] if c.is_named]
            risky = any(names_variable(c) for c in index if text(c) not in {"@", "*"})
        elif kind == "unary_expression":
            risky = any(text(c) in _NAME_TESTS for c in node.children if c.type == "test_operator")
        elif kind == "binary_expression":
            ops = {text(c) for c in node.children if c.type == "test_operator"}
            risky = bool(ops & _ARITH_TESTS) and any(
                c.type != "number"
                for c in node.children
                if c.is_named and c.type != "test_operator"
            )
        else:  # arithmetic: `$((...))`, `$[...]`, `((...))`, `for ((...))` headers
            header = node.children
            if kind == "c_style_for_statement":
                header = [c for c in node.children if c.type != "do_group"]
            risky = any(names_variable(c) for c in header)
        if risky:
            self.risks.append(f"bash evaluates a variable's value as code in `{text(node)[:60]}`")

    def redirect(self, node: Any) -> None:
        ops = [c.type for c in node.children if not c.is_named]
        if not any(">" in op for op in ops):
            return
        dest = node.children[-1]
        if dest.type in {"number", "file_descriptor"} or (">&" in ops and text(dest) == "-"):
            return
        value = literal(dest)
        if value is None:
            self.risks.append(f"writes to a computed file name `{text(dest)}`")
            return
        if value in _SAFE_DEVICES:
            return
        expanded = expand_tilde(value, self.cwd)
        if expanded is None:
            self.risks.append(f"writes to `{value}`, in a folder Roster cannot tell")
            return
        path = Path(expanded)
        if not path.is_absolute():
            if self.cwd is None:
                self.risks.append(f"writes to `{value}` after changing to a computed folder")
                return
            path = self.cwd / path
        real = Path(os.path.normpath(path))
        with contextlib.suppress(OSError, RuntimeError):
            real = real.resolve(strict=False)
        if real != self.root and not real.is_relative_to(self.root):
            self.risks.append(f"writes to `{value}`, outside the working folder")
        elif is_protected_rel(real.relative_to(self.root).parts):
            self.risks.append(f"writes to `{value}`, a protected path")


def _unwrap(words: list[str], takes_value: frozenset[str]) -> list[str]:
    """The command a wrapper runs: `sudo -u x rm y` -> `rm y`; `timeout 5 ls` -> `ls`."""
    i, program = 1, os.path.basename(words[0])
    while i < len(words):
        word = words[i]
        if word == "--":
            i += 1
            break
        if word in takes_value:
            i += 2
        elif word.startswith("-") or (program == "env" and "=" in word):
            i += 1
        elif program == "timeout" and word[:1].isdigit():
            i += 1
            break
        else:
            break
    return words[i + _LEADING_OPERANDS.get(program, 0) :]


_EVALUATES = frozenset(
    {"arithmetic_expansion", "c_style_for_statement", "expansion", "subscript",
     "unary_expression", "binary_expression"}
)  # fmt: skip
_NAMES_VALUE_PROGRAMS = frozenset({"test", "[", "printf"})
