"""The text of transcript blocks for finding and copying.

Search runs over what the screen shows (`visible`: control characters escaped), so what the
user types finds what they read. Copying takes the real text of the block — the model's and
the tools' own characters — minus terminal escape sequences and other control characters,
so a paste can never retitle, recolour or drive the terminal it lands in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..sanitize import visible
from .blocks import (
    Block,
    ErrorBlock,
    NoticeBlock,
    ReportBlock,
    TextBlock,
    ThinkingBlock,
    ToolBlock,
    UserBlock,
)

MAX_MATCHES = 10_000  # a one-letter query over a long session stops counting here

# ESC sequences: CSI, OSC / DCS / SOS / PM / APC strings (ended by BEL or ST), two-byte ones;
# then the 8-bit CSI, and any control character left (not newline or tab)
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n(.*?)^ {0,3}\1[`~]*[ \t]*$", re.M | re.S)


def strip_escapes(text: str) -> str:
    """`text` without terminal escape sequences or control characters (newlines and tabs
    kept, CRLF as a newline)."""
    return _ESCAPES.sub("", text.replace("\r\n", "\n"))


def clean_paste(text: str) -> str:
    """Pasted text less escapes and control characters; a line break stays one, whether the
    terminal sent it as CRLF, LF or a lone CR (as some do)."""
    return strip_escapes(text.replace("\r\n", "\n").replace("\r", "\n"))


def block_text(block: Block) -> str:
    """A block's own text, raw: a prompt, an answer, thinking, a tool's call and output."""
    if isinstance(block, UserBlock | TextBlock | ThinkingBlock | NoticeBlock):
        return block.text
    if isinstance(block, ToolBlock):
        return "\n".join(filter(None, (_call_text(block), _tool_output(block))))
    if isinstance(block, ErrorBlock):
        return f"{block.kind}: {block.message}"
    if isinstance(block, ReportBlock):
        lines = [f"{block.kind} {block.report_id}", f"STATUS: {block.status}"]
        lines += [f"{key}: {value}" for key, value in block.data.items()]
        return "\n".join(lines)
    return ""


def _tool_output(block: ToolBlock) -> str:
    text = block.output if block.output is not None else block.live
    return as_terminal_shows(text) if block.name == "Bash" else text


def as_terminal_shows(text: str) -> str:
    """Command output with each line's carriage-return rewrites settled (a `10%\r50%\r`
    progress bar is the last state a terminal would show, `50%`), CRLF as a newline."""
    if "\r" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        if "\r" in line:
            parts = [part for part in line.split("\r") if part]
            line = parts[-1] if parts else ""
        lines.append(line)
    return "\n".join(lines)


def _call_text(block: ToolBlock) -> str:
    args = block.input or {}
    for key in ("command", "plan", "content", "file_path", "pattern"):
        if isinstance(args.get(key), str):
            return str(args[key])
    return json.dumps(args, indent=2, ensure_ascii=False) if args else ""


def searchable(block: Block) -> str:
    """What search reads: the block's text as the screen shows it."""
    return visible(block_text(block))


@dataclass(frozen=True, slots=True)
class Match:
    index: int  # the block
    start: int  # offset in `searchable(block)`
    end: int


def find_all(blocks: list[Block], query: str, limit: int = MAX_MATCHES) -> list[Match]:
    """Every case-insensitive occurrence of `query`, in transcript order (at most `limit`)."""
    needle = query.casefold()
    if not needle:
        return []
    found: list[Match] = []
    for index, block in enumerate(blocks):
        hay = searchable(block).casefold()
        at = hay.find(needle)
        while at >= 0:
            found.append(Match(index, at, at + len(needle)))
            if len(found) >= limit:
                return found
            at = hay.find(needle, at + len(needle))
    return found


def copy_text(block: Block) -> str:
    """A block as it goes to the clipboard: its real text, minus escape sequences."""
    if isinstance(block, ToolBlock):
        return strip_escapes(_tool_output(block) or _call_text(block))
    return strip_escapes(block_text(block))


def _run(blocks: list[Block], index: int) -> tuple[int, int]:
    """The run of text blocks around `index` (a long answer is split into several)."""
    start, end = index, index + 1
    while start > 0 and isinstance(blocks[start - 1], TextBlock):
        start -= 1
    while end < len(blocks) and isinstance(blocks[end], TextBlock):
        end += 1
    return start, end


def _run_text(blocks: list[Block], start: int, end: int) -> str:
    return "".join(b.text for b in blocks[start:end] if isinstance(b, TextBlock))


def last_answer(blocks: list[Block]) -> str | None:
    """The model's latest run of text (one answer may span several blocks)."""
    last = next((i for i in range(len(blocks) - 1, -1, -1) if isinstance(blocks[i], TextBlock)), -1)
    if last < 0:
        return None
    return strip_escapes(_run_text(blocks, *_run(blocks, last)))


def code_blocks(text: str) -> list[str]:
    """The fenced code blocks of Markdown text, in order, without their fences."""
    return [m.group(2).removesuffix("\n") for m in _FENCE.finditer(text)]


def last_code(blocks: list[Block], prefer: int | None = None) -> str | None:
    """The last code block of block `prefer` (a Bash call's command counts), else of the
    latest answer that has one."""
    order = list(range(len(blocks) - 1, -1, -1))
    if prefer is not None and 0 <= prefer < len(blocks):
        order.insert(0, prefer)
    for index in order:
        block = blocks[index]
        if isinstance(block, ToolBlock) and index == prefer and block.name == "Bash":
            return strip_escapes(_call_text(block))
        if isinstance(block, TextBlock):
            text = _run_text(blocks, *_run(blocks, index))
        elif isinstance(block, UserBlock):
            text = block.text
        else:
            continue
        found = code_blocks(text)
        if found:
            return strip_escapes(found[-1])
    return None
