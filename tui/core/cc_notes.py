"""What Claude Code will really see when a file loads in a surprising way (DESIGN §2): an early
closing `---`, dashes left at the start of the prompt, a description cut to its first line by the
retry, a file without a recognisable opening fence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tui.core.cc_loader import Fence, yaml_quote
from tui.core.definition import Severity
from tui.core.sanitize import quote_value
from tui.core.validate import Findings, looks_like_example_line
from tui.core.yaml_fm import KeyLine, LoadedYaml, scan_keys

UTF8_BOM = b"\xef\xbb\xbf"
_CLEAN_CLOSER = re.compile(r"---[ \t]*(?:\r?\n|\Z)")
_DASH_LINE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


def claude_code_text(data: bytes, encoding: str, text: str) -> str:
    """The file as Claude Code reads it: one BOM dropped, UTF-8 with replacement characters,
    line endings untouched. Reuses Roster's decoded text when the two are the same."""
    if b"\r" not in data and encoding in ("utf-8", "utf-8-sig", "latin-1"):
        return text
    raw = data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data
    # Latin-1 bytes are one character each, like Claude Code's U+FFFD: the same structure,
    # and the text the author meant
    return raw.decode("latin-1" if encoding == "latin-1" else "utf-8", errors="replace")


def no_fence_reason(text: str) -> str:
    if not text.strip():
        return "empty file"
    first = text.split("\n", 1)[0]
    if first.strip() == "---":
        return "no frontmatter: the first line must start with `---` (no space or tab before it)"
    if first.startswith("----"):
        return "no frontmatter: the first line has more than three dashes"
    if first.startswith("---"):
        return "no frontmatter: the opening `---` must be alone on the first line"
    if not first.strip() and text.lstrip().startswith("---"):
        return "no frontmatter: a blank line comes before the opening `---`"
    return "no frontmatter (first line is not `---`)"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def closer_notes(f: Findings, text: str, fence: Fence, keys: Sequence[KeyLine]) -> None:
    """Say so when the `---` that closes the frontmatter is not a plain `---` line."""
    closer = fence.closer
    line = _line_of(text, closer)
    at_line_start = closer == 0 or text[closer - 1] == "\n"
    if at_line_start and _CLEAN_CLOSER.match(text, closer):
        return
    line_end = text.find("\n", closer)
    line_end = len(text) if line_end < 0 else line_end
    if not at_line_start:
        # a `---` inside a line: the intended frontmatter went on to the next `---` line
        nxt = _DASH_LINE.search(text, line_end)
        region = text[line_end + 1 : nxt.start()] if nxt else ""
        lost = list(dict.fromkeys(k.key for k in scan_keys(region, line + 1)))
        start = text.rfind("\n", 0, closer) + 1
        head = text[start:closer]
        key = head.split(":", 1)[0].strip() if ":" in head else ""
        what = f"`{key}` is cut at the dashes" if key else "the line is cut at the dashes"
        cut = quote_value(head.split(":", 1)[1].strip()) if key else ""
        lost_text = (
            ": "
            + quote_value(", ".join(f"`{k}`" for k in lost), 80)
            + " below it are ignored and become part of the prompt"
            if lost
            else ""
        )
        f.add(
            "R025",
            Severity.WARNING,
            line,
            closer - start + 1,
            f"the `---` on line {line} ends the frontmatter (Claude Code closes at the first "
            "`---`, "
            f"even inside a line){lost_text}; {what}" + (f" (read as `{cut}`)" if cut else ""),
            "write no `---` inside a value, not even quoted (use `—`)",
        )
        return
    rest = text[closer + 3 : line_end].strip()
    if rest:
        dashes = len(rest) - len(rest.lstrip("-"))
        shown = f"{dashes} dashes" if dashes == len(rest) else f"`{quote_value(rest, 40)}`"
        f.add(
            "R026",
            Severity.WARNING,
            line,
            4,
            f"the first three dashes on line {line} close the frontmatter; the prompt starts "
            f"with {shown}",
            "make the closing line exactly `---`",
        )


def retry_notes(f: Findings, loaded: LoadedYaml, lines: dict[str, int]) -> None:
    """After Claude Code's retry each column-0 `key:` line is a key of its own: a multi-line
    description keeps only its first physical line."""
    desc_line = lines.get("description")
    if desc_line is None:
        return
    after = [k for k in loaded.keys if k.line > desc_line]
    taken = []
    for k in after:
        if not looks_like_example_line(k.key):
            break
        taken.append(k)
    if taken:
        names = ", ".join(dict.fromkeys(f"`{k.key}:`" for k in taken))
        f.add(
            "R027",
            Severity.WARNING,
            desc_line,
            1,
            f"Claude Code keeps only the first line of this description (line {desc_line}): the "
            f"YAML does not parse, and its retry reads lines {taken[0].line}–{taken[-1].line} "
            f"({quote_value(names, 80)}) as separate keys",
            "make the description a block scalar: `description: |` with every line indented",
        )


def quote_fix(key: str, raw: str) -> str:
    line = f"{key}: {yaml_quote(raw)}"
    if len(line) <= 100:
        return f"quote the whole value: `{line}`"
    return (
        f'wrap the whole `{key}` value in double quotes, with `\\` and `"` escaped '
        "(`roster validate --fix` does it)"
    )


def _yaml_error_fix(loaded: LoadedYaml) -> str:
    if "\t" in loaded.error_source:
        return "indent with spaces, not tabs"
    desc = next((k.line for k in loaded.keys if k.key == "description"), None)
    after = [k.line for k in loaded.keys if desc is not None and k.line > desc]
    if desc is not None and desc == loaded.error_line and (not after or min(after) == desc + 1):
        return quote_fix("description", loaded.error_source.split(":", 1)[1].strip())
    if (
        desc is not None
        and desc <= loaded.error_line
        and (not after or loaded.error_line <= min(after) or loaded.retry_error_line > desc)
    ):
        return (
            "make the description a block scalar: `description: |-` with its lines indented "
            "by two spaces (`roster validate --fix` does it)"
        )
    return 'quote values containing ": " or " #": `description: "…"`'


def yaml_error_note(f: Findings, loaded: LoadedYaml) -> None:
    """R003 / R085: the YAML error, and whether Claude Code's retry reads the file."""
    error = quote_value(loaded.error or "", 160)
    if loaded.too_large or loaded.bomb:
        f.error(
            "R085",
            loaded.error_line,
            f"{error}; not read"
            + ("" if loaded.too_large else " (Claude Code would hang or run out of memory)"),
            "remove the YAML aliases (`&name` / `*name`)"
            if loaded.bomb
            else "shorten the frontmatter: keep the long text in the body",
            skips=True,
        )
        return
    fix = _yaml_error_fix(loaded)
    if loaded.retried:
        f.add(
            "R003",
            Severity.WARNING,
            loaded.error_line,
            loaded.error_column,
            f"YAML error: {error}; Claude Code then retries with the `key: value` values "
            "quoted, and that reads",
            fix,
        )
        return
    f.add(
        "R003",
        Severity.ERROR,
        loaded.error_line,
        loaded.error_column,
        f"YAML error on line {loaded.error_line}: {error}; Claude Code's retry (quoting "
        f"`key: value` values) fails too"
        + (f" on line {loaded.retry_error_line}" if loaded.retry_error_line else "")
        + ", so Claude Code skips this file",
        fix,
        skips=True,
    )
