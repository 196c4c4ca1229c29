"""Words of a Bash command as bash would expand them, for the checks in shell.py: quotes
removed (`literal`), braces (`brace_variants`), tildes (`expand_tilde`), and whether an
arithmetic expression reads a variable (`names_variable`)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|[0-9]+#[0-9a-zA-Z@_]+|[0-9]+")
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


def expand_tilde(value: str, cwd: Path | None) -> str | None:
    """`~/x`, `~user/x` as bash expands them; `~+` is the current folder (`cwd`), `~-` the
    previous one and `~N` the directory stack: None, a folder Roster cannot tell."""
    head = value.split("/", 1)[0]
    if re.fullmatch(r"~[+-]?\d*", head) and head not in {"~"}:
        if head != "~+" or cwd is None:
            return None
        return str(cwd) + value[len(head) :]
    return os.path.expanduser(value)


def brace_variants(word: str, limit: int = 64) -> list[str]:
    """What bash's brace expansion makes of `word`: `.{g,}it` -> [`.git`, `.it`] (capped)."""
    out: list[str] = []
    todo = [word]
    while todo and len(out) + len(todo) <= limit:
        current = todo.pop()
        group = re.search(r"\{([^{}]*,[^{}]*)\}", current)
        if group is None:
            out.append(current)
            continue
        head, tail = current[: group.start()], current[group.end() :]
        todo.extend(head + choice + tail for choice in group.group(1).split(","))
    return out + todo


def opens(node: Any, token: str) -> bool:
    return bool(node.children) and node.children[0].type == token


def names_variable(node: Any) -> bool:
    """In arithmetic, any name (`x`, `$x`, `${x}`) is a variable whose value is evaluated."""
    if node.type == "variable_name" and _NUMBER.fullmatch(text(node)):
        return False  # the grammar calls `0x1F` a name
    if node.type in {"variable_name", "simple_expansion", "expansion", "subscript"}:
        return True
    if node.type == "word" and not _NUMBER.fullmatch(text(node)):
        return True
    return any(names_variable(c) for c in node.children)


def text(node: Any) -> str:
    return bytes(node.text or b"").decode("utf-8", errors="replace")


def literal(node: Any) -> str | None:
    """The word's value when it is fixed text (quotes removed), else None (`$X`, `$(...)`)."""
    kind = node.type
    if kind in {"word", "number"}:
        raw = text(node)
        if any(ch in raw for ch in "*?[{"):
            return raw  # a glob: kept as written (it matches rules literally)
        if "'" not in raw and '"' not in raw:  # only backslashes to undo (shlex is quadratic)
            return _ESCAPED.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), raw)
        try:
            parts = shlex.split(raw)
        except ValueError:
            return raw
        return parts[0] if len(parts) == 1 else raw
    if kind == "raw_string":
        return text(node)[1:-1]
    if kind == "string":
        inner = [c for c in node.children if c.is_named]
        if all(c.type == "string_content" for c in inner):
            return "".join(unescape_dq(text(c)) for c in inner)
        return None
    if kind == "concatenation":
        pieces = [literal(c) for c in node.children]
        if any(p is None for p in pieces):
            return None
        return "".join(p for p in pieces if p is not None)
    return None


def unescape_dq(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in '$`"\\\n':
            out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)
