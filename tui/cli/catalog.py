"""`roster list`, `roster validate`, `roster show`: Rich for people, `--json` for scripts."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from tui.core.browse_rows import plural
from tui.core.catalog import Catalog
from tui.core.definition import AgentDefinition, Diagnostic, Severity
from tui.core.roots import Root, RootKind
from tui.core.sanitize import json_line_safe, visible, visible_line
from tui.core.tree_model import GroupBy, build_groups
from tui.core.workflow import parse_body

if TYPE_CHECKING:
    from tui.config import Settings


def _esc(text: str) -> str:
    """Untrusted text for Rich: markup escaped, control characters shown as `\\x1b`."""
    return escape(visible(text))


SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _console(*, soft_wrap: bool = False) -> Console:
    return Console(highlight=False, soft_wrap=soft_wrap)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def agent_json(catalog: Catalog, d: AgentDefinition) -> dict[str, Any]:
    shadow = catalog.shadowed_by(d)
    diags = catalog.diagnostics_for(d)
    conflicts = catalog.conflicts(d)
    return {
        "name": d.name,
        "description": d.description,
        "level": d.level,
        "level_inferred": d.level_inferred,
        "domain": d.domain,
        "domain_inferred": d.domain_inferred,
        "level_source": d.level_source or None,
        "domain_source": d.domain_source or None,
        "path": str(d.path),
        "root": str(d.root),
        "tools": None if d.tools is None else list(d.tools),
        "disallowedTools": None if d.disallowed_tools is None else list(d.disallowed_tools),
        "model": d.model,
        "permissionMode": d.permission_mode,
        "frameworks": list(d.frameworks),
        "color": d.color,
        "shadowed_by": str(shadow) if shadow else None,
        "conflicts": [str(p) for p in conflicts[:10]],  # bounded: output stays linear
        "conflict_count": len(conflicts),
        "loads_in_claude_code": d.loads_in_claude_code,
        "skip_reason": d.skip_reason,
        "errors": sum(1 for x in diags if x.severity is Severity.ERROR),
        "warnings": sum(1 for x in diags if x.severity is Severity.WARNING),
        "extra": _json_safe(dict(d.extra)),
    }


def _tools_text(d: AgentDefinition) -> str:
    if d.tools is None:
        return "[dim]all tools[/]"
    if not d.tools:
        return "[dim]no tools[/]"
    return _esc(", ".join(d.tools))


def _status(catalog: Catalog, d: AgentDefinition) -> str:
    if not d.loads_in_claude_code:
        return "[bold red]✗ skipped by Claude Code[/]"
    diags = catalog.diagnostics_for(d)
    if catalog.shadowed_by(d):
        return "[dim]shadowed[/]"
    if any(x.severity is Severity.ERROR for x in diags):
        return "[red]errors[/]"
    if any(x.severity is Severity.WARNING for x in diags):
        return "[yellow]warnings[/]"
    return "[green]ok[/]"


def _mark(value: str | None, inferred: bool) -> str:
    if value is None:
        return "[dim]—[/]"
    return f"[italic]{_esc(value)}~[/]" if inferred else _esc(value)


def cmd_roots(catalog: Catalog, args: argparse.Namespace) -> int:
    """`roster list --roots`: every root searched, in precedence order."""
    from tui.core.root_rows import root_rows

    rows = root_rows(catalog.roots, (d.root for d in catalog.definitions()))
    if args.json:
        out = [
            {
                "path": str(r.path),
                "kind": r.kind.value,
                "files": r.count,
                "exists": r.exists,
                "claude_code_reads": r.claude_reads,
            }
            for r in rows
        ]
        print(json_line_safe(json.dumps(out, indent=2, ensure_ascii=False)))
        return 0
    table = Table(title=f"{len(rows)} roots, first wins", expand=False)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Path", overflow="fold", ratio=1)
    table.add_column("Files", justify="right", no_wrap=True)
    table.add_column("Claude Code", no_wrap=True)
    for r in rows:
        table.add_row(
            r.kind.value,
            _esc(str(r.path)) + ("" if r.exists else "  [yellow](does not exist)[/]"),
            str(r.count),
            "[green]reads it[/]" if r.claude_reads else "[dim]does not read it[/]",
        )
    _console().print(table)
    return 0


def cmd_list(catalog: Catalog, args: argparse.Namespace) -> int:
    if getattr(args, "roots", False):
        return cmd_roots(catalog, args)
    agents = catalog.agents()
    if args.json:
        print(json.dumps([agent_json(catalog, d) for d in agents], indent=2))
        return 0
    console = _console()
    if not agents:
        console.print("No agents found. Roots searched:")
        for r in catalog.roots:
            console.print(f"  {_esc(r.label)}")
        return 0
    groups = build_groups(agents, GroupBy.LEVEL)
    if args.tree:
        tree = Tree(f"[b]Agents[/] ({len(agents)})")
        for g in groups:
            branch = tree.add(f"[b]{_esc(g.title)}[/] ({g.count})")
            for sub in g.children:
                leaf = branch.add(f"{_esc(sub.title)} ({sub.count})")
                for d in sub.agents:
                    color = d.color or "default"
                    leaf.add(f"[{_esc(color)}]●[/] {_esc(d.display_name)}  {_status(catalog, d)}")
        console.print(tree)
    else:
        # Narrow terminals (80 columns): no Mode column, lighter borders, and Tools keeps
        # room to wrap instead of being squeezed to nothing.
        narrow = console.width < 110
        table = Table(
            title=plural(len(agents), "agent"),
            expand=narrow,
            box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
            pad_edge=not narrow,
        )
        table.add_column("Level", no_wrap=True, min_width=5)
        table.add_column(
            "Domain", no_wrap=True, overflow="ellipsis", max_width=10 if narrow else 18
        )
        table.add_column(
            "Name", no_wrap=True, overflow="ellipsis", min_width=12, max_width=22 if narrow else 30
        )
        table.add_column("Model", no_wrap=True, max_width=10, overflow="ellipsis")
        table.add_column("Tools", overflow="fold", ratio=1, min_width=14)
        if not narrow:
            table.add_column("Mode", no_wrap=True, max_width=12, overflow="ellipsis")
        table.add_column("Status", no_wrap=True, min_width=6)
        for g in groups:
            for sub in g.children:
                for d in sub.agents:
                    cells = [
                        _mark(d.level, d.level_inferred),
                        _mark(d.domain, d.domain_inferred),
                        _esc(d.display_name),
                        _esc(d.model or "inherit"),
                        _tools_text(d),
                    ]
                    if not narrow:
                        cells.append(_esc(d.permission_mode or "default"))
                    cells.append(_status(catalog, d))
                    table.add_row(*cells)
            table.add_section()
        console.print(table)
        console.print("[dim]~ = inferred (`roster show NAME` says from what)[/]")
    skipped = [d for d in catalog.definitions() if not d.is_agent]
    if skipped:
        console.print(
            f"[yellow]{len(skipped)} file(s) are not agents; run `roster validate` for why.[/]"
        )
    return 0


def _validation_catalog(args: argparse.Namespace, default_roots: list[Root]) -> Catalog:
    """Explicit paths make their own catalog (each folder a root; a file's folder its root)."""
    if not args.paths:
        return Catalog(default_roots)
    roots: list[Root] = []
    for i, p in enumerate(args.paths):
        p = Path(os.path.abspath(p.expanduser()))
        roots.append(Root(p if p.is_dir() else p.parent, RootKind.EXTRA, i))
    return Catalog(roots)


def _selected(catalog: Catalog, args: argparse.Namespace) -> list[AgentDefinition]:
    defs = catalog.definitions()
    if not args.paths:
        return defs
    files = {Path(os.path.abspath(p.expanduser())) for p in args.paths if not p.is_dir()}
    dirs = [Path(os.path.abspath(p.expanduser())) for p in args.paths if p.is_dir()]
    return [
        d
        for d in defs
        if d.path in files or any(x == d.path.parent or x in d.path.parents for x in dirs)
    ]


def diagnostic_line(path: Path, x: Diagnostic) -> str:
    return visible_line(f"{path}:{x.line}:{x.column}: {x.severity.value} {x.code} {x.message}")


def cmd_validate(args: argparse.Namespace, settings: Settings, roots: list[Root]) -> int:
    missing = [p for p in args.paths if not p.exists()]
    catalog = _validation_catalog(args, roots)
    catalog.scan()
    selected = _selected(catalog, args)
    fix = getattr(args, "fix", False)
    if fix and _apply_fixes(selected, dry_run=args.dry_run) and not args.dry_run:
        catalog = _validation_catalog(args, roots)  # report on the files as now written
        catalog.scan()
        selected = _selected(catalog, args)
    results = [(d, catalog.diagnostics_for(d)) for d in selected]
    errors = sum(1 for _, ds in results for x in ds if x.severity is Severity.ERROR)
    warnings = sum(1 for _, ds in results for x in ds if x.severity is Severity.WARNING)
    if args.json:
        out = [
            {
                "path": str(d.path),
                "name": d.name,
                "loads_in_claude_code": d.loads_in_claude_code,
                "skip_reason": d.skip_reason,
                "diagnostics": [x.to_json() for x in ds],
            }
            for d, ds in results
        ]
        out.extend(
            {
                "path": str(p),
                "name": None,
                "loads_in_claude_code": False,
                "skip_reason": "path does not exist",
                "diagnostics": [
                    {
                        "code": "R080",
                        "severity": "error",
                        "line": 1,
                        "column": 1,
                        "message": "path does not exist",
                        "fix": "check the path",
                    }
                ],
            }
            for p in missing
        )
        print(json.dumps(out, indent=2))
    else:
        console = _console(soft_wrap=True)  # one diagnostic per line, never broken: tools parse it
        for p in missing:
            console.print(f"[bold red]{_esc(str(p))}: error R080 path does not exist[/]")
        for d, ds in results:
            for x in ds:
                style = SEVERITY_STYLE[x.severity]
                console.print(
                    f"{_esc(str(d.path))}:{x.line}:{x.column}: [{style}]{x.severity.value}[/] "
                    f"[dim]{x.code}[/] {_esc(x.message)}"
                )
                if x.fix:
                    console.print(f"    [dim]fix:[/] {_esc(x.fix)}")
        skipped = sum(1 for d, _ in results if not d.loads_in_claude_code)
        console.print(
            f"\n{len(results)} file(s): [bold red]{errors} error(s)[/], "
            f"[yellow]{warnings} warning(s)[/]; Claude Code would skip {skipped}."
        )
    if missing or errors or (args.strict and warnings):
        return 1
    return 0


def _apply_fixes(defs: list[AgentDefinition], *, dry_run: bool) -> int:
    """`validate --fix`: the safe fixes of each file in one atomic write, the diff printed
    before the report. Returns how many files changed (or would)."""
    from tui.core.fixes import fix_file
    from tui.core.storage import StorageError

    changed = 0
    err = _console(soft_wrap=True)
    for d in defs:
        try:
            result = fix_file(d, dry_run=dry_run)
        except (StorageError, OSError) as exc:
            err.print(f"[red]{_esc(str(d.path))}: not fixed: {_esc(str(exc))}[/]")
            continue
        if result is None:
            continue
        if result.applied:
            changed += 1
            err.print(_esc(result.diff), end="")
            verb = "would apply" if dry_run else "applied"
            titles = "; ".join(f.title for f in result.applied)
            err.print(f"[green]{verb} {len(result.applied)} fix(es)[/]: {_esc(titles)}")
        for f in result.needs_decision:
            err.print(
                f"[yellow]{_esc(str(d.path))}:{f.line}: not applied, needs your decision:[/] "
                f"{_esc(f.title)}"
            )
    return changed


def cmd_show(catalog: Catalog, args: argparse.Namespace) -> int:
    d = catalog.find(args.name)
    if d is None:
        names = sorted({x.name for x in catalog.agents() if x.name})
        close = [n for n in names if args.name.lower() in n.lower()][:5]
        hint = f" Did you mean: {visible_line(', '.join(close))}?" if close else ""
        print(f"roster: no agent named {args.name!r}.{hint}", file=sys.stderr)
        return 1
    sections = parse_body(d.body, d.body_line - 1)
    if args.json:
        data = agent_json(catalog, d)
        data["workflows"] = [
            {"title": w.title, "line": w.line, "steps": list(w.steps)} for w in sections.workflows
        ]
        data["quality_checks"] = list(sections.quality_checks)
        data["report_template"] = sections.report_template
        data["diagnostics"] = [x.to_json() for x in catalog.diagnostics_for(d)]
        print(json.dumps(data, indent=2))
        return 0
    console = _console()
    console.print(f"[b]{_esc(d.display_name)}[/]  {_status(catalog, d)}")
    if d.description:
        console.print(_esc(d.description))
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="dim")
    meta.add_column()
    for key, value, note in (
        ("level", d.level, d.level_note),
        ("domain", d.domain, d.domain_note),
    ):
        meta.add_row(key, _mark(value, bool(note)) + (f"  [dim]{_esc(note)}[/]" if note else ""))
    meta.add_row("model", _esc(d.model or "inherit"))
    meta.add_row("permissionMode", _esc(d.permission_mode or "default"))
    meta.add_row("tools", _tools_text(d))
    if d.frameworks:
        meta.add_row("frameworks", _esc(", ".join(d.frameworks)))
    meta.add_row("file", _esc(str(d.path)))
    meta.add_row("root", _esc(str(d.root)))
    shadow = catalog.shadowed_by(d)
    if shadow:
        meta.add_row("shadowed by", _esc(str(shadow)))
    console.print(meta)
    if sections.workflows:
        console.print("\n[b]Workflows[/]")
        for w in sections.workflows:
            console.print(f"  [b]{_esc(w.title)}[/] [dim](line {w.line})[/]")
            for i, step in enumerate(w.steps, 1):
                console.print(f"    {i}. {_esc(step)}")
    if sections.quality_checks:
        console.print("\n[b]Quality checks[/]")
        for c in sections.quality_checks:
            console.print(f"  • {_esc(c)}")
    if sections.report_template:
        console.print("\n[b]Completion report template[/]")
        console.print(_esc(sections.report_template))
    diags = catalog.diagnostics_for(d)
    if diags:
        console.print("\n[b]Diagnostics[/]")
        for x in diags:
            console.print(
                f"  {x.line}:{x.column} [{SEVERITY_STYLE[x.severity]}]{x.severity.value}[/] "
                f"[dim]{x.code}[/] {_esc(x.message)}"
            )
    return 0


def cmd_install(catalog: Catalog, args: argparse.Namespace) -> int:
    from tui.core.install import InstallError, Scope, check, install, plan_install, target_folder
    from tui.core.storage import StorageError

    scope = Scope.USER if args.user else Scope.PROJECT
    folder = target_folder(scope, Path.cwd(), Path.home())
    console = _console(soft_wrap=True)
    try:
        plan = plan_install(catalog, args.name, folder)
        if args.dry_run:
            check(plan, force=args.force)
            state = "identical, nothing to do" if plan.identical else "would copy"
            console.print(f"{state}: {_esc(str(plan.source.path))} -> {_esc(str(plan.target))}")
            return 0
        copied = install(plan, force=args.force)
    except (InstallError, StorageError, OSError) as exc:
        print(f"roster: {visible_line(str(exc))}", file=sys.stderr)
        return 1
    if not copied:
        console.print(f"{_esc(str(plan.target))} is already this definition; nothing to do")
    else:
        console.print(f"installed {_esc(str(plan.source.path))} -> {_esc(str(plan.target))}")
    return 0
