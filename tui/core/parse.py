"""bytes -> AgentDefinition, always: a bad file becomes a definition with diagnostics, never an
exception. Order of work: decode, split the frontmatter, load YAML (C loader, fallback), read the
keys, validate, place in the tree.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.core.cc_loader import MAX_FILE_BYTES, description_as_loaded, find_fence
from tui.core.cc_notes import (
    claude_code_text,
    closer_notes,
    no_fence_reason,
    quote_fix,
    retry_notes,
    yaml_error_note,
)
from tui.core.decode import decode_bytes, line_col_of_offset
from tui.core.definition import AgentDefinition, Severity
from tui.core.grouping import normalise_level, place
from tui.core.reading import MAX_BYTES, NotRegular, read_definition
from tui.core.sanitize import quote_value
from tui.core.storage import digest as content_hash
from tui.core.validate import (
    COLORS,
    PERMISSION_MODES,
    Findings,
    check_enum,
    check_identity,
    check_model,
    check_other_keys,
    check_tools,
)
from tui.core.yaml_fm import LoadedYaml, load_frontmatter

_HASH_COMMENT = re.compile(r"[ \t]#")
_MAPPED_KEYS = frozenset(
    {
        "name",
        "description",
        "tools",
        "disallowedTools",
        "model",
        "permissionMode",
        "level",
        "domain",
        "frameworks",
        "color",
    }
)


def _as_str_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    return ()


def _empty(path: Path, root: Path, data: bytes, encoding: str, f: Findings) -> AgentDefinition:
    spot = place({}, None, None, None, (), _relative(path, root))
    return AgentDefinition(
        path=path,
        root=root,
        name=None,
        description=None,
        tools=None,
        disallowed_tools=None,
        model=None,
        permission_mode=None,
        level=None,
        level_inferred=False,
        domain=spot.domain,
        domain_inferred=True,
        frameworks=(),
        color=None,
        frontmatter={},
        extra={},
        body="",
        body_line=1,
        key_lines={},
        encoding=encoding,
        content_hash=content_hash(data),
        loads_in_claude_code=False,
        skip_reason=f.skip_reason,
        diagnostics=tuple(f.diagnostics),
    )


def _relative(path: Path, root: Path) -> tuple[str, ...]:
    """Path parts below root (cheap string work: this runs once per file on a cold scan)."""
    p, r = str(path), str(root)
    if p.startswith(r) and len(p) > len(r) and p[len(r)] == os.sep:
        return tuple(p[len(r) + 1 :].split(os.sep))
    return (path.name,)


def unreadable(path: Path, root: Path, reason: str, fix: str) -> AgentDefinition:
    f = Findings()
    f.add("R080", Severity.ERROR, 1, 1, reason, fix, skips=True)
    return _empty(path, root, b"", "unknown", f)


def parse_file(path: Path, root: Path) -> AgentDefinition:
    """Read and parse one file; I/O failures become a definition with an R080 error."""
    try:
        data = read_definition(path)
    except NotRegular as exc:
        return unreadable(
            path,
            root,
            f"not a regular file ({exc}); not opened",
            "move it out of the agents folder",
        )
    except IsADirectoryError:
        return unreadable(path, root, "is a directory, not a file", "rename the folder")
    except PermissionError:
        return unreadable(
            path, root, "cannot be read: permission denied", f"run `chmod u+r {path}`"
        )
    except OSError as exc:
        return unreadable(path, root, f"cannot be read: {exc.strerror or exc}", "check the file")
    if len(data) > MAX_BYTES:
        f = Findings()
        f.error(
            "R082",
            1,
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; not parsed",
            "split it; a system prompt this large cannot be useful",
            skips=True,
        )
        return _empty(path, root, data[:4096], "unknown", f)
    return parse_bytes(data, path, root)


def parse_bytes(data: bytes, path: Path, root: Path) -> AgentDefinition:
    f = Findings()
    dec = decode_bytes(data)
    if dec.binary:
        f.error(
            "R081",
            1,
            "binary data (NUL bytes), not a Markdown file",
            "move it out of the agents folder",
            skips=True,
        )
        return _empty(path, root, data, dec.encoding, f)
    if dec.encoding == "utf-16":
        f.error(
            "R021",
            1,
            "UTF-16 encoded; Claude Code reads UTF-8, sees no frontmatter and skips this file",
            "re-save the file as UTF-8",
            skips=True,
        )
    elif dec.encoding == "latin-1":
        line, col = line_col_of_offset(data, dec.bad_utf8_offset or 0)
        f.add(
            "R020",
            Severity.WARNING,
            line,
            col,
            "not valid UTF-8; read as Latin-1 (Claude Code shows such bytes as �)",
            "re-save the file as UTF-8",
        )
    if dec.newline == "\r":
        f.error(
            "R022",
            1,
            "CR-only line endings (old Mac); Claude Code does not see the frontmatter and skips "
            "this file",
            "convert line endings to LF",
            skips=True,
        )
    text = dec.text
    if len(data) > MAX_FILE_BYTES:
        f.error(
            "R083",
            1,
            f"file is {len(data) // 1024} KB; Claude Code skips files over 1 MiB (1,024 KB)",
            "trim the body: the whole body is sent as the system prompt",
            skips=True,
        )
    cc_text = claude_code_text(data, dec.encoding, text)
    fence = find_fence(cc_text)
    if fence is None:
        return _no_fence(path, root, data, dec.encoding, text, f)
    fm_raw = cc_text[fence.fm_start : fence.closer]
    fm_first_line = cc_text.count("\n", 0, fence.fm_start) + 1
    body = cc_text[fence.body_start :]
    if "\r" in body:
        body = body.replace("\r\n", "\n")
    body_line = cc_text.count("\n", 0, fence.body_start) + 1
    loaded = load_frontmatter(fm_raw, fm_first_line)
    closer_notes(f, cc_text, fence, loaded.keys)
    return _build(path, root, data, dec.encoding, body, body_line, loaded, f)


def _no_fence(
    path: Path, root: Path, data: bytes, encoding: str, text: str, f: Findings
) -> AgentDefinition:
    if text.startswith("---") and "\n" in text and text[: text.find("\n")].strip() == "---":
        if re.search(r"^\.\.\.[ \t]*$", text, re.MULTILINE):
            f.error(
                "R024",
                1,
                "frontmatter closed with `...`; Claude Code only accepts `---` and skips this file",
                "replace `...` with `---`",
                skips=True,
            )
        f.error(
            "R002",
            1,
            "frontmatter opened with `---` is never closed; Claude Code skips this file",
            "add a `---` line after the last frontmatter key",
            skips=True,
        )
    else:
        f.error(
            "R001",
            1,
            f"{no_fence_reason(text)}; Claude Code skips this file",
            "start the file with `---`, then `name:` and `description:`, then `---`",
            skips=True,
        )
    return _with_body(_empty(path, root, data, encoding, f), text, 1)


def _with_body(d: AgentDefinition, body: str, line: int) -> AgentDefinition:
    return replace(d, body=body, body_line=line)


def _build(
    path: Path,
    root: Path,
    data: bytes,
    encoding: str,
    body: str,
    body_line: int,
    loaded: LoadedYaml,
    f: Findings,
) -> AgentDefinition:
    lines: dict[str, int] = {}
    seen: set[str] = set()
    duplicates: list[str] = []
    for k in loaded.keys:
        if k.key in seen and k.key not in duplicates:
            duplicates.append(k.key)
        seen.add(k.key)
        lines[k.key] = k.line
    if loaded.error is not None:
        yaml_error_note(f, loaded)
    fm: Any = loaded.data
    if not isinstance(fm, dict):
        kind = "a list" if isinstance(fm, list) else f"a {type(fm).__name__}"
        f.error(
            "R004",
            max(body_line - 2, 1),
            f"frontmatter is {kind}, not a mapping of keys; Claude Code skips this file",
            "write `key: value` lines between the `---` fences",
            skips=True,
        )
        d = _empty(path, root, data, encoding, f)
        return _with_body(d, body, body_line)
    for key in loaded.coerced:
        f.info(
            "R044",
            lines.get(key, 1),
            f"`{key}: {fm[key]}` is a boolean in YAML 1.1 but text in YAML 1.2; read as text, "
            "like Claude Code",
            f'quote it: `{key}: "{fm[key]}"`',
        )
    if loaded.retried:
        retry_notes(f, loaded, lines)
    hash_keys = () if loaded.plain or loaded.retried else loaded.keys  # plain: never ` #`
    for k in hash_keys:
        value = fm.get(k.key)
        if (
            isinstance(value, str)
            and k.raw
            and k.raw[0] not in "'\"|>[{"
            and _HASH_COMMENT.search(k.raw)
            and k.key in ("name", "description")
        ):
            col = k.raw.find(" #") + len(k.key) + 3
            f.add(
                "R051",
                Severity.WARNING,
                k.line,
                col,
                f"`{k.key}` is cut at ` #` (a YAML comment): read as {quote_value(value)!r}",
                quote_fix(k.key, k.raw),
            )
    name = check_identity(f, fm, lines)
    tools = check_tools(f, "tools", fm.get("tools"), lines.get("tools", 1), "tools" in fm)
    disallowed = check_tools(
        f,
        "disallowedTools",
        fm.get("disallowedTools"),
        lines.get("disallowedTools", 1),
        "disallowedTools" in fm,
    )
    model = check_model(f, fm.get("model"), lines.get("model", 1))
    mode = check_enum(
        f,
        "permissionMode",
        fm.get("permissionMode"),
        PERMISSION_MODES,
        lines.get("permissionMode", 1),
    )
    if mode == "manual":
        mode = "default"
    color_raw = fm.get("color")
    color = check_enum(f, "color", color_raw, COLORS, lines.get("color", 1))
    if color is None and isinstance(color_raw, str):
        color = color_raw  # shown anyway; the warning says Claude Code may not
    description = fm.get("description")
    if isinstance(description, str):
        description = description_as_loaded(description)
    frameworks = _as_str_tuple(fm.get("frameworks"))
    spot = place(
        fm,
        name,
        description if isinstance(description, str) else None,
        tools,
        frameworks,
        _relative(path, root),
    )
    if "level" in fm and normalise_level(fm.get("level")) is None:
        f.warn(
            "R070",
            lines.get("level", 1),
            f"`level: {quote_value(fm.get('level'))}` is not one of L0, L1, L2, L3",
            f"write `level: {spot.level}` ({spot.level_source} suggests it)"
            if spot.level
            else "write the level this agent works at: L0 epic orchestrator, L1 orchestrator, "
            "L2 specialist or L3 worker",
        )
    check_other_keys(f, fm, lines, duplicates)
    if not body.strip():
        f.warn(
            "R071",
            body_line,
            "the body is empty, so the agent has no system prompt",
            "describe the agent's role and workflow below the frontmatter",
        )
    return AgentDefinition(
        path=path,
        root=root,
        name=name,
        description=description if isinstance(description, str) else None,
        tools=tools,
        disallowed_tools=disallowed,
        model=model,
        permission_mode=mode,
        level=spot.level,
        level_inferred=bool(spot.level_source),
        domain=spot.domain,
        domain_inferred=bool(spot.domain_source),
        frameworks=frameworks,
        color=color,
        frontmatter=fm,
        extra={k: v for k, v in fm.items() if k not in _MAPPED_KEYS},
        body=body,
        body_line=body_line,
        key_lines=lines,
        encoding=encoding,
        content_hash=content_hash(data),
        loads_in_claude_code=f.skip_reason is None,
        skip_reason=f.skip_reason,
        diagnostics=tuple(sorted(f.diagnostics, key=lambda d: (d.line, d.column))),
        level_source=spot.level_source,
        domain_source=spot.domain_source,
    )
