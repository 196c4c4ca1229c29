"""Fixes that fix: each one an exact rewrite of whole lines, that parses and that Claude Code loads
with the values the author meant (a test applies every one and re-reads the file).

Safe fixes keep what the file means and only change how it is written (quoting, a block scalar,
dropping a key line Claude Code overrides anyway); `roster validate --fix` applies those. Others
(a tool name, a level) need the author's decision: listed, never applied on their own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tui.core.cc_loader import find_fence, yaml_quote
from tui.core.definition import AgentDefinition
from tui.core.sanitize import quote_value
from tui.core.storage import atomic_write, read_snapshot
from tui.core.tool_list import suggest_tool
from tui.core.validate import looks_like_example_line

UTF8_BOM = b"\xef\xbb\xbf"
_KEY_AT_COL0 = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)")
_BLOCK_INDICATOR = re.compile(r"^[|>][+-]?[0-9]?$")


@dataclass(frozen=True, slots=True)
class Fix:
    code: str  # the diagnostic it answers
    line: int  # 1-based first line replaced
    end: int  # 1-based line after the last one replaced
    new_lines: tuple[str, ...]
    title: str
    safe: bool


def _frontmatter_lines(text: str) -> tuple[list[str], int] | None:
    """All lines, and the 0-based index of the closing `---` line (a clean closer only)."""
    fence = find_fence(text)
    if fence is None:
        return None
    lines = text.split("\n")
    closer = text.count("\n", 0, fence.closer)
    if not lines[closer].startswith("---") or lines[closer].strip() != "---":
        return None
    return lines, closer


def description_extent(lines: Sequence[str], start: int, closer: int) -> int:
    """0-based index after the description's last line: up to the next column-0 line that is
    a frontmatter key (`tools:`, `model:`, `meta:`); `<example>` lines, plain text and example
    lines (`user:`, `assistant:`, `Context:`) are the description's own text."""
    end = start + 1
    for i in range(start + 1, closer):
        m = _KEY_AT_COL0.match(lines[i])
        if m and not looks_like_example_line(m.group(1)):
            break
        end = i + 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _description_block(lines: list[str], closer: int, d: AgentDefinition) -> Fix | None:
    line = d.key_lines.get("description")
    if line is None:
        return None
    start = line - 1
    m = re.match(r"^description[ \t]*:[ \t]*(.*)$", lines[start])
    if m is None:
        return None
    first = m.group(1).rstrip()
    if first[:1] in ("'", '"') or _BLOCK_INDICATOR.match(first):
        return None  # quoted or already a block: not this shape
    end = description_extent(lines, start, closer)
    body = [first] + [ln.rstrip() for ln in lines[start + 1 : end]]
    if any("---" in ln for ln in body):
        return None  # any `---` closes the frontmatter, even inside a block scalar
    indent = [ln.strip() for ln in body[1:] if ln.strip()]
    base = min((len(ln) - len(ln.lstrip(" ")) for ln in body[1:] if ln.strip()), default=0)
    if any("\t" in ln[: len(ln) - len(ln.lstrip())] for ln in body[1:]) and indent:
        return None  # tab indentation: the author's layout cannot be kept exactly
    kept = [first] + [ln[base:] if ln.strip() else "" for ln in body[1:]]
    if len(kept) == 1:
        new = (f"description: {yaml_quote(first)}",)
        return Fix("R003", line, end + 1, new, "quote the description", True)
    block = ["description: |-"] + [f"  {ln}" if ln else "" for ln in kept]
    return Fix(
        "R003",
        line,
        end + 1,
        tuple(block),
        f"make the description a block scalar (`description: |-`), keeping all {len(kept)} "
        "of its lines",
        True,
    )


def _quote_line(lines: list[str], key: str, line: int, code: str) -> Fix | None:
    m = re.match(rf"^{re.escape(key)}[ \t]*:[ \t]*(.*)$", lines[line - 1])
    if m is None or not m.group(1).strip():
        return None
    raw = m.group(1).strip()
    return Fix(
        code, line, line + 1, (f"{key}: {yaml_quote(raw)}",), f"quote the whole `{key}`", True
    )


def fixes_for(text: str, d: AgentDefinition) -> list[Fix]:
    """The fixes for this file's diagnostics that check out: applied alone, each one leaves
    no YAML error Claude Code would skip the file for (text: the file, LF line endings)."""
    from tui.core.parse import parse_bytes  # parse imports this module's neighbours

    out = []
    was_broken = _yaml_broken(d)
    for fix in _candidates(text, d):
        after = parse_bytes(apply_fixes(text, [fix]).encode("utf-8"), d.path, d.root)
        broken = _yaml_broken(after)
        if broken and (fix.code == "R003" or not was_broken):
            continue  # the fix must not break the YAML, and the YAML fix must mend it
        if d.loads_in_claude_code and not after.loads_in_claude_code:
            continue
        if fix.code != "R051" and d.loads_in_claude_code and after.name != d.name:
            continue  # e.g. `name: x #1` is read differently once the YAML parses
        if fix.code == "R050" and dict(after.frontmatter) != dict(d.frontmatter):
            continue  # dropping an earlier duplicate must change nothing Claude Code reads
        out.append(fix)
    return out


def _yaml_broken(d: AgentDefinition) -> bool:
    return any(x.code in ("R003", "R085") and x.severity == "error" for x in d.diagnostics)


@dataclass(frozen=True, slots=True)
class FileFix:
    path: Path
    diff: str
    applied: tuple[Fix, ...]
    needs_decision: tuple[Fix, ...]


def fix_file(d: AgentDefinition, *, dry_run: bool) -> FileFix | None:
    """Apply the safe fixes to the file on disk in one atomic write (None: nothing to fix).
    Keeps the file's BOM and CRLF line endings; refuses when the file changed meanwhile."""
    snap = read_snapshot(d.path)
    bom = snap.data.startswith(UTF8_BOM)
    try:
        raw = snap.data[len(UTF8_BOM) if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        return None
    crlf = "\r\n" in raw
    text = raw.replace("\r\n", "\n") if crlf else raw
    found = fixes_for(text, d)
    if not found:
        return None
    safe = tuple(f for f in found if f.safe)
    new = apply_fixes(text, safe)
    diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=str(d.path),
            tofile=f"{d.path} (fixed)",
        )
    )
    if safe and not dry_run:
        # on the raw lines: each line not replaced keeps its own ending (CRLF or LF)
        out = apply_fixes(raw, safe, keep_cr=crlf).encode("utf-8")
        atomic_write(d.path, (UTF8_BOM if bom else b"") + out, expected_hash=snap.hash)
    return FileFix(d.path, diff, safe, tuple(f for f in found if not f.safe))


def _candidates(text: str, d: AgentDefinition) -> list[Fix]:
    found = _frontmatter_lines(text)
    if found is None:
        return []
    lines, closer = found
    out: list[Fix] = []
    block = _description_block(lines, closer, d)
    if block is not None and _description_at_fault(d, block):
        out.append(block)
    for x in d.diagnostics:
        if x.code == "R051":
            key = "name" if x.line == d.key_lines.get("name") else "description"
            fix = _quote_line(lines, key, x.line, "R051")
            if fix is not None and key == "name":  # renames the agent: the user decides
                fix = replace(fix, safe=False)
            if fix is not None and not _overlaps(fix, out):
                out.append(fix)
        elif x.code == "R050" and x.message.startswith("key `"):
            key = x.message.split("`")[1]
            for ln in _earlier_lines(lines, closer, key):
                fix = Fix("R050", ln, ln + 1, (), f"delete line {ln} (an earlier `{key}`)", True)
                if not _overlaps(fix, out):
                    out.append(fix)
        elif x.code == "R031":
            bad = x.message.split("`")[3]
            guess = suggest_tool(bad)
            fix = _replace_word(lines, x.line, bad, guess) if guess else None
            if fix is not None and not _overlaps(fix, out):
                out.append(fix)
        elif x.code == "R070" and d.level is not None and d.level_inferred:
            new = (f"level: {d.level}",)
            out.append(Fix("R070", x.line, x.line + 1, new, f"write `level: {d.level}`", False))
    return out


def _description_at_fault(d: AgentDefinition, block: Fix) -> bool:
    """The description's shape is the problem: the YAML error is inside it, the retry cut it
    to one line, or its example lines repeat as keys."""
    for x in d.diagnostics:
        if x.code == "R027" or (x.code == "R050" and "lines of the description" in x.message):
            return True
        if x.code == "R003" and block.line <= x.line < block.end:
            return True
    return False


def _earlier_lines(lines: list[str], closer: int, key: str) -> list[int]:
    """1-based lines of every one-line `key:` but the last (which Claude Code keeps)."""
    hits = [i for i in range(1, closer) if re.match(rf"^{re.escape(key)}[ \t]*:", lines[i])]
    return [
        i + 1 for i in hits[:-1] if not (lines[i + 1][:1] in (" ", "\t") and lines[i + 1].strip())
    ]


def _replace_word(lines: list[str], line: int, bad: str, good: str) -> Fix | None:
    pattern = re.compile(rf"(?<![\w]){re.escape(bad)}(?![\w])")
    if not pattern.search(lines[line - 1]):
        return None
    new = pattern.sub(good, lines[line - 1])
    return Fix("R031", line, line + 1, (new,), f"write `{good}` for `{quote_value(bad)}`", False)


def _overlaps(fix: Fix, others: Sequence[Fix]) -> bool:
    return any(fix.line < o.end and o.line < fix.end for o in others)


def apply_fixes(text: str, fixes: Sequence[Fix], *, keep_cr: bool = False) -> str:
    """The text with every fix applied (bottom-up, so line numbers stay right). `keep_cr`: the
    text has `\r\n` endings; new lines take the ending of the first line they replace."""
    lines = text.split("\n")
    for fix in sorted(fixes, key=lambda f: f.line, reverse=True):
        cr = "\r" if keep_cr and lines[fix.line - 1].endswith("\r") else ""
        lines[fix.line - 1 : fix.end - 1] = [ln + cr for ln in fix.new_lines]
    return "\n".join(lines)
