"""Jupyter notebooks for Read: every cell with its type, source and text outputs (images in
outputs are named with their size, not sent), like Claude Code's Read of a `.ipynb`."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from .base import ToolError
from .media import human

MAX_OUTPUT_CHARS = 4000  # of one output
MAX_NOTEBOOK_CHARS = 120_000  # of the whole rendering
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _text(value: Any) -> str:
    """A notebook string field: a string or a list of lines."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return value if isinstance(value, str) else ""


def _clip(text: str) -> str:
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    return text[:MAX_OUTPUT_CHARS] + f"\n… [{len(text) - MAX_OUTPUT_CHARS} more characters]"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _output(out: Any) -> list[str]:
    if not isinstance(out, dict):
        return []
    kind = out.get("output_type")
    if kind == "stream":
        return [_clip(_text(out.get("text")))]
    if kind == "error":
        trace = "\n".join(_text(line) for line in _list(out.get("traceback")))
        head = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"
        return [_clip(_ANSI.sub("", trace) or head)]
    data = out.get("data")
    if not isinstance(data, dict):
        return []
    lines: list[str] = []
    for mime, value in data.items():
        if mime.startswith("image/"):
            raw = _text(value)
            try:
                size = len(base64.b64decode(raw, validate=False)) if mime != "image/svg+xml" else 0
            except ValueError:
                size = 0
            shown = f", {human(size)}" if size else ""
            lines.append(f"[{mime} output{shown}: not shown; read an exported image file]")
    if "text/plain" in data:
        lines.insert(0, _clip(_text(data["text/plain"])))
    elif "text/markdown" in data:
        lines.insert(0, _clip(_text(data["text/markdown"])))
    elif "text/html" in data and not lines:
        lines.append("[text/html output not shown]")
    return lines


def render(raw: bytes, label: str) -> str:
    """The notebook as text; ToolError naming line and column for JSON that does not parse."""
    try:
        doc = json.loads(raw.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise ToolError(
            f"{label} is not a valid notebook: its JSON does not parse at line {exc.lineno}, "
            f"column {exc.colno} ({exc.msg}). Fix the file, or read it as text with Bash "
            "`cat`."
        ) from None
    except RecursionError:  # `[[[[...` nested deeper than the parser goes
        raise ToolError(
            f"{label} is not a valid notebook: its JSON is nested too deeply to parse. Read it "
            "as text with Bash (e.g. `head -c 2000`)."
        ) from None
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if not isinstance(cells, list):
        raise ToolError(f"{label} is JSON but not a Jupyter notebook (no `cells` list).")
    meta = _dict(doc.get("metadata"))  # any field may be any JSON type in a hostile file
    language = _dict(meta.get("kernelspec")).get("language") or _dict(
        meta.get("language_info")
    ).get("name")
    head = f"Notebook {label}: {len(cells)} cell{'s' if len(cells) != 1 else ''}"
    parts = [head + (f" ({language})" if isinstance(language, str) else "")]
    size = len(parts[0])
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        tags = [f"Cell {number}", str(cell.get("cell_type", "?"))[:40]]
        if isinstance(cell.get("id"), str | int) and cell["id"]:
            tags.append(f"id {str(cell['id'])[:100]}")
        if isinstance(cell.get("execution_count"), int):
            tags.append(f"[{cell['execution_count']}]")
        block = [f"\n## {' · '.join(tags)}", _text(cell.get("source")).rstrip("\n")]
        outputs = [line for out in _list(cell.get("outputs")) for line in _output(out)]
        if outputs:
            block += ["### Output", *(o.rstrip("\n") for o in outputs)]
        text = "\n".join(block)
        if size + len(text) > MAX_NOTEBOOK_CHARS:
            rest = number
            if len(parts) == 1:  # a huge first cell: show what fits of it rather than nothing
                room = MAX_NOTEBOOK_CHARS - size
                cut = len(text) - room
                parts.append(f"{text[:room]}\n… [cell {number} cut: {cut} more characters]")
                rest += 1
            if rest <= len(cells):
                parts.append(
                    f"\n… cells {rest}–{len(cells)} not shown (the notebook is too long to "
                    "read at once); read them with Bash, e.g. `jq '.cells[40:60]'`."
                )
            break
        parts.append(text)
        size += len(text)
    return "\n".join(parts)
