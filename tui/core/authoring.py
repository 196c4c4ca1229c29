"""Creating, duplicating and renaming definitions: names, templates, file placement."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.fm_edit import set_key, yaml_scalar
from tui.core.names import name_verdict, slug
from tui.core.storage import StorageError, atomic_write


def name_problem(name: str) -> str | None:
    """Why Claude Code would refuse this name (tui.core.names' hard rules), or None."""
    verdict = name_verdict(name)
    return verdict.sentence() if verdict is not None and verdict.is_error else None


def file_stem_for(name: str) -> str:
    """A file name for an agent name: lowercase, dashes."""
    return slug(name)


@dataclass(frozen=True, slots=True)
class NewAgent:
    name: str
    description: str
    level: str | None = None
    domain: str | None = None
    tools: Sequence[str] | None = None  # None: all tools (key omitted)
    model: str | None = None
    permission_mode: str | None = None


def render_new_agent(spec: NewAgent) -> str:
    fm = [f"name: {yaml_scalar(spec.name)}", f"description: {yaml_scalar(spec.description)}"]
    if spec.tools is not None:
        fm.append(f"tools: {', '.join(spec.tools)}" if spec.tools else "tools:")
    if spec.model:
        fm.append(f"model: {spec.model}")
    if spec.permission_mode:
        fm.append(f"permissionMode: {spec.permission_mode}")
    if spec.level:
        fm.append(f"level: {spec.level}")
    if spec.domain:
        fm.append(f"domain: {yaml_scalar(spec.domain)}")
    title = spec.name.replace("-", " ").title()
    return (
        "---\n" + "\n".join(fm) + "\n---\n\n"
        f"# {title}\n\n"
        f"You are **{title}**. {spec.description}\n\n"
        "## Workflows\n\n"
        "### Main Task\n\n"
        "1. Read the task and the files it names\n"
        "2. Look for existing patterns to follow\n"
        "3. Make the change\n"
        "4. Run the checks below\n\n"
        "## Quality Checks\n\n"
        "1. **Lint**: run the project's linter\n"
        "2. **Tests**: run the related tests\n\n"
        "## Completion Report\n\n"
        "```\n"
        "TASK_COMPLETE: {taskId}\n"
        "STATUS: completed\n"
        "ARTIFACTS: [file1, file2]\n"
        "SUMMARY: What was done\n"
        "VERIFIED: lint-pass, tests-pass\n"
        "```\n\n"
        "If blocked, report `TASK_BLOCKED: {taskId}` with `BLOCKER:` and `SUGGESTED_ACTION:`.\n"
    )


def duplicate_text(text: str, new_name: str) -> str:
    return set_key(text, "name", new_name)


def new_agent_path(spec: NewAgent, folder: Path) -> Path:
    return folder / f"{file_stem_for(spec.name)}.md"


def write_new_agent(spec: NewAgent, folder: Path) -> Path:
    """Write the template for `spec` into `folder` (created if missing) and return the path.
    Raises StorageError naming the file and the fix: bad name, taken file, read-only folder."""
    path = new_agent_path(spec, folder)
    problem = name_problem(spec.name)
    if problem is not None:
        raise StorageError(f"cannot create {path.name}: {problem}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the folder {folder}: {exc.strerror or exc}. Pick another folder."
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(
            f"cannot create {path}: the folder is read-only. "
            "Pick another folder, or make this one writable."
        )
    atomic_write(path, render_new_agent(spec).encode("utf-8"), create=True)
    return path
