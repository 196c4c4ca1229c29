"""A stored session as Markdown (header, then everything its events say: prompts, answers,
thinking folded, every tool call with its full input and result, each permission question and
decision, notices, errors, the report, usage per response) or as its raw events (JSON lines)."""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from ..sanitize import json_line_safe
from .secrets import redact
from .store import SessionRow, SessionStore

MAX_RESULT_CHARS = 2000
MAX_NESTING = 16  # delegated sessions exported below their parent, at most this deep


def _fenced(body: str, lang: str = "") -> list[str]:
    """`body` in a code fence longer than any run of backticks inside it."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + lang, body, fence]


def to_json_lines(store: SessionStore, session_id: str) -> str | None:
    """The session's raw events, one JSON object a line: {"type", "at", ...payload}."""
    row = store.get_session(session_id)
    if row is None:
        return None
    lines = [
        json_line_safe(json.dumps({"type": kind, "at": at, **payload}, ensure_ascii=False))
        for kind, payload, at in store.events(row.id)
    ]
    return redact("\n".join(lines) + ("\n" if lines else ""))


def _when(ts: float | None) -> str:
    if ts is None:
        return "—"
    return _dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def _header(row: SessionRow) -> list[str]:
    title = f"# Session {row.id}" + (" (DEMO)" if row.demo else "")
    return [
        title,
        "",
        f"- Agent: **{row.definition_name}** (`{row.definition_path}`, "
        f"sha256 {row.definition_sha256[:12]})",
        f"- Model: `{row.model}` · mode `{row.mode}` · status **{row.status}**",
        f"- Working directory: `{row.cwd}`",
        f"- Started {_when(row.started_at)} · last activity {_when(row.updated_at)}",
        f"- Usage: {row.totals().line()}",
        "",
    ]


def nest(rows: list[SessionRow]) -> list[tuple[SessionRow, int]]:
    """Rows in their delegation tree: each session, then the ones it started (depth + 1),
    oldest child first. A child whose parent is not among `rows` stands on its own."""
    ids = {r.id for r in rows}
    kids: dict[str, list[SessionRow]] = {}
    for r in rows:
        if r.parent_id in ids:
            kids.setdefault(str(r.parent_id), []).append(r)
    out: list[tuple[SessionRow, int]] = []

    def add(row: SessionRow, depth: int) -> None:
        out.append((row, depth))
        for child in sorted(kids.get(row.id, []), key=lambda c: c.started_at):
            if depth < MAX_NESTING:
                add(child, depth + 1)

    for r in rows:
        if r.parent_id not in ids:
            add(r, 0)
    return out


def to_markdown(store: SessionStore, session_id: str, depth: int = 0) -> str | None:
    """The session, then each session its Agent calls started, as nested sections."""
    row = store.get_session(session_id)
    if row is None or depth > MAX_NESTING:
        return None
    out = _header(row)
    children: list[str] = []
    buffer: list[str] = []
    buffer_kind = ""

    def flush() -> None:
        nonlocal buffer, buffer_kind
        if buffer:
            joined = "".join(buffer)
            if buffer_kind == "thinking":  # folded, as in the app
                out.extend(["<details><summary>Thinking</summary>", "", joined.rstrip()])
                out.extend(["", "</details>", ""])
            else:
                out.extend([joined.rstrip(), ""])
        buffer, buffer_kind = [], ""

    for kind, payload, _ in store.events(row.id):
        if kind in ("text_delta", "thinking_delta"):
            piece_kind = "text" if kind == "text_delta" else "thinking"
            if buffer_kind != piece_kind:
                flush()
                buffer_kind = piece_kind
                if piece_kind == "text":
                    out.append("## Assistant\n")
            buffer.append(payload["text"])
            continue
        flush()
        if kind == "subagent_started":
            children.append(str(payload.get("child_session_id", "")))
        out.extend(_render(kind, payload))
    flush()
    for child in children:
        text = to_markdown(store, child, depth + 1)
        if text is not None:  # one heading level deeper per level of delegation
            out += ["", *("#" + x if x.startswith("#") else x for x in text.splitlines())]
    # stored tool results are redacted already; this also covers sessions stored before that
    return redact("\n".join(out).rstrip() + "\n")


def _render(kind: str, p: dict[str, Any]) -> list[str]:
    if kind == "user_message":
        texts = [b.get("text", "") for b in p["content"] if b.get("type") == "text"]
        return ["## User\n", *texts, ""] if texts else []
    if kind == "tool_input_complete":
        args = json.dumps(p["input"], ensure_ascii=False, indent=2)
        return [
            f"**Tool** `{p['name']}` ({p.get('tool_use_id', '')})",
            "",
            *_fenced(args, "json"),
            "",
        ]
    if kind == "permission_needed":
        return [f"*Permission asked for {p['name']}: {p.get('reason', '')}*", ""]
    if kind == "permission_decided":
        who = "by the mode or a rule" if p["automatic"] else "by the user"
        why = f": {p['reason']}" if p["reason"] else ""
        return [f"*Permission: {p['decision']} ({who}){why}*", ""]
    if kind == "tool_result":
        label = "Error" if p["is_error"] else "Result"
        return [
            f"<details><summary>{label}: {p['name']}</summary>",
            "",
            *_fenced(p["output"]),
            "",
            "</details>",
            "",
        ]
    if kind == "notice":
        return [f"*{p.get('text', '')}*", ""]
    if kind == "usage":
        cost = p.get("cost_usd")
        shown = f" · ${cost:.4f}" if isinstance(cost, int | float) else ""
        return [
            f"*Usage: {p.get('input_tokens', 0)} in · {p.get('output_tokens', 0)} out · "
            f"cache read {p.get('cache_read_input_tokens', 0)} · cache write "
            f"{p.get('cache_creation_input_tokens', 0)}{shown}*",
            "",
        ]
    if kind == "subagent_started":
        return [
            f"**Agent** → `{p['agent']}`: {p['description']} (session {p['child_session_id']})",
            "",
        ]
    if kind == "turn_ended" and p["interrupted"]:
        return ["*— interrupted —*", ""]
    if kind == "session_error":
        return [f"> **Error ({p['kind']})**: {p['message']}", ""]
    if kind == "retrying":
        return [f"*Retrying (attempt {p['attempt']}) in {p['wait_s']:.1f}s: {p['reason']}*", ""]
    if kind == "report_parsed":
        lines = [f"## Report: {p['kind']} {p['report_id']} — {p['status']}", ""]
        for key, value in p["data"].items():
            shown = ", ".join(value) if isinstance(value, list) else value
            lines.append(f"- **{key}**: {shown}")
        for art in p["artifacts"]:
            mark = "✓" if art["exists"] else "✗ missing"
            lines.append(f"- artifact `{art['path']}` {mark}")
        if p["missing_keys"]:
            lines.append(f"- missing template keys: {', '.join(p['missing_keys'])}")
        return [*lines, ""]
    return []
