"""The catalog: every definition file under every root, who wins a name, and incremental updates.

`scan()` reads everything (on every core for big catalogs; `scan_batches()` does the same and
says how far it got); `apply(changes)` takes the paths a watcher reported and re-reads only
those, returning what changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from tui.core.checks_permissions import escalation_diagnostic
from tui.core.definition import AgentDefinition, Diagnostic, Severity
from tui.core.discover import is_definition_name, walk_definitions
from tui.core.ordering import natural_key
from tui.core.roots import Root, RootKind
from tui.core.sanitize import quote_value, visible_line

PARALLEL_THRESHOLD = 1500  # fewer files are read in this process alone


class ChangeKind(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    added: tuple[Path, ...] = ()
    modified: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    # other files whose shadowing/conflict state changed because a name moved
    restated: tuple[Path, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.modified or self.removed or self.restated)

    def summary(self) -> str:
        parts = []
        for count, word in (
            (len(self.added), "added"),
            (len(self.modified), "changed"),
            (len(self.removed), "removed"),
        ):
            if count:
                parts.append(f"{count} {'agent' if count == 1 else 'agents'} {word}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ScanBatch:
    """Progress of `Catalog.scan_batches`: what was read since the last batch."""

    definitions: tuple[AgentDefinition, ...]
    done: int  # files read so far
    total: int  # files found


@dataclass(slots=True)
class _Group:
    """What the catalog knows about one name, computed once per change (2,000 files with one
    name must not cost 2,000 x 2,000 comparisons)."""

    winner: AgentDefinition | None
    by_root: dict[Path, list[Path]]  # loadable files per root
    position: dict[Path, int]  # index of each loadable file in its root's list


@dataclass(slots=True)
class _NameIndex:
    paths: dict[str, dict[Path, None]] = field(default_factory=dict)  # ordered sets
    groups: dict[str, _Group] = field(default_factory=dict)

    def add(self, name: str, path: Path) -> None:
        self.paths.setdefault(name, {})[path] = None
        self.groups.pop(name, None)

    def remove(self, name: str, path: Path) -> None:
        self.groups.pop(name, None)
        bucket = self.paths.get(name)
        if bucket is not None:
            bucket.pop(path, None)
            if not bucket:
                del self.paths[name]


class Catalog:
    def __init__(self, roots: Iterable[Root]) -> None:
        self.roots: list[Root] = sorted(roots, key=lambda r: r.rank)
        self._defs: dict[Path, AgentDefinition] = {}
        self._names = _NameIndex()

    # ---- reading -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._defs)

    def __contains__(self, path: object) -> bool:
        return path in self._defs

    def get(self, path: Path) -> AgentDefinition | None:
        return self._defs.get(path)

    def definitions(self) -> list[AgentDefinition]:
        """Every file, in root precedence then path order."""
        rank = {r.path: r.rank for r in self.roots}
        return sorted(
            self._defs.values(), key=lambda d: (rank.get(d.root, 99), natural_key(str(d.path)))
        )

    def agents(self) -> list[AgentDefinition]:
        """Files that read as agents (have a name), valid or not."""
        return [d for d in self.definitions() if d.is_agent]

    def root_of(self, path: Path) -> Root | None:
        best: Root | None = None
        for root in self.roots:
            inside = path == root.path or root.path in path.parents
            if inside and (best is None or len(root.path.parts) > len(best.path.parts)):
                best = root
        return best

    def _rank(self, d: AgentDefinition) -> int:
        for r in self.roots:
            if r.path == d.root:
                return r.rank
        return 99

    def same_name(self, name: str) -> list[AgentDefinition]:
        return [self._defs[p] for p in self._names.paths.get(name, []) if p in self._defs]

    def _group(self, name: str) -> _Group:
        group = self._names.groups.get(name)
        if group is None:
            loadable = [d for d in self.same_name(name) if d.loads_in_claude_code]
            by_root: dict[Path, list[Path]] = {}
            for d in loadable:
                by_root.setdefault(d.root, []).append(d.path)
            position = {p: i for paths in by_root.values() for i, p in enumerate(paths)}
            win = min(loadable, key=lambda d: (self._rank(d), str(d.path))) if loadable else None
            group = self._names.groups[name] = _Group(win, by_root, position)
        return group

    def winner(self, name: str) -> AgentDefinition | None:
        """The definition Claude Code-style precedence picks for `name`."""
        return self._group(name).winner

    def find(self, name: str) -> AgentDefinition | None:
        """The winner for a name, or any file declaring it, or a file with that stem."""
        found = self.winner(name)
        if found is not None:
            return found
        same = self.same_name(name)
        if same:
            return same[0]
        for d in self.definitions():
            if d.path.stem == name:
                return d
        return None

    def shadowed_by(self, d: AgentDefinition) -> Path | None:
        """The path of the definition from a higher root that wins this name, if any."""
        if d.name is None:
            return None
        win = self.winner(d.name)
        if win is None or win.path == d.path or win.root == d.root:
            return None
        return win.path

    def conflicts(self, d: AgentDefinition) -> list[Path]:
        """Other files in the same root declaring the same name."""
        if d.name is None or not d.loads_in_claude_code:
            return []
        group = self._group(d.name)
        paths = group.by_root.get(d.root, [])
        at = group.position.get(d.path)
        return paths[:at] + paths[at + 1 :] if at is not None else list(paths)

    def diagnostics_for(self, d: AgentDefinition) -> tuple[Diagnostic, ...]:
        """The file's own diagnostics plus what only the whole catalog knows."""
        extra: list[Diagnostic] = []
        line = d.line_of("name")
        others = self.conflicts(d)
        if others:
            # one diagnostic naming a few others: 2,000 files with one name must not print
            # 2,000 x 1,999 lines
            shown = visible_line(", ".join(str(o) for o in others[:3]))
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            extra.append(
                Diagnostic(
                    "R060",
                    Severity.WARNING,
                    line,
                    1,
                    f"name `{quote_value(d.name)}` is also declared by {shown}{more}; Claude "
                    "Code loads only one",
                    "rename all but one of them" if more else "rename one of them",
                )
            )
        shadow = self.shadowed_by(d)
        if shadow is not None:
            extra.append(
                Diagnostic(
                    "R061",
                    Severity.INFO,
                    line,
                    1,
                    f"shadowed by {visible_line(str(shadow))} (a higher-precedence root); this "
                    "file is not used",
                    "rename it if both should exist",
                )
            )
        root = self.root_of(d.path)
        own = root is not None and root.kind in {RootKind.PROJECT, RootKind.USER, RootKind.BUNDLED}
        escalation = escalation_diagnostic(d, own)
        if escalation is not None:
            extra.append(escalation)
        return d.diagnostics + tuple(extra)

    # ---- writing ---------------------------------------------------------------------------
    def _put(self, d: AgentDefinition) -> None:
        old = self._defs.get(d.path)
        if old is not None and old.name is not None:
            self._names.remove(old.name, old.path)
        self._defs[d.path] = d
        if d.name is not None:
            self._names.add(d.name, d.path)

    def _drop(self, path: Path) -> AgentDefinition | None:
        old = self._defs.pop(path, None)
        if old is not None and old.name is not None:
            self._names.remove(old.name, path)
        return old

    def paths(self) -> list[Path]:
        """Every file, in the order it was read."""
        return list(self._defs)

    def adopt(self, definitions: Iterable[AgentDefinition], order: Iterable[Path] = ()) -> None:
        """Take definitions read elsewhere (the early scan's child); `order`, once every file
        is in, puts them in the order `scan` would have read them."""
        for d in definitions:
            self._put(d)
        order = list(order)
        if order and set(order) == set(self._defs):
            defs = self._defs
            self._defs = {}
            self._names = _NameIndex()
            for path in order:
                self._put(defs[path])

    def files(self) -> Iterator[tuple[Path, Root]]:
        for root in self.roots:
            for path in walk_definitions(root.path):
                yield path, root

    def _discover(self) -> list[tuple[Path, Root]]:
        """Every file once, in root precedence then walk order, with the root that claims it."""
        items = list(self.files())
        nested = any(
            a is not b and a.path in b.path.parents for a in self.roots for b in self.roots
        )
        if not nested:
            return items
        seen: set[Path] = set()  # nested roots: the deeper root claims the file, once
        unique: list[tuple[Path, Root]] = []
        for p, r in items:
            if p not in seen:
                seen.add(p)
                unique.append((p, self.root_of(p) or r))
        return unique

    def scan(
        self,
        *,
        workers: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Read every root from scratch. Big catalogs are parsed on every core."""
        for batch in self.scan_batches(batch=500, workers=workers):
            if progress is not None:
                progress(batch.done)

    def scan_batches(
        self, *, batch: int = 500, workers: int | None = None
    ) -> Generator[ScanBatch, None, None]:
        """Read every root from scratch, yielding what was read every `batch` files or so (in no
        particular order). The catalog grows as batches arrive; by the last batch (`done ==
        total`) it is exactly what `scan()` builds. Files are found before the first batch, so
        every batch knows the total. `workers`: processes to parse in (None: every core when
        there are at least PARALLEL_THRESHOLD files, else this process alone)."""
        from tui.core.scan_fork import chunk_size, parse_chunks  # the parser: only when reading

        unique = self._discover()
        self._defs.clear()
        self._names = _NameIndex()
        total = len(unique)
        if workers is None:  # automatic: every core, for catalogs worth forking for
            workers = (os.cpu_count() or 1) if total >= PARALLEL_THRESHOLD else 1
        n_workers = max(workers, 1)
        size = chunk_size(total, n_workers) if n_workers > 1 else max(1, min(batch, 128))
        items = [(p, r.path) for p, r in unique]
        chunks: dict[int, list[AgentDefinition]] = {}
        in_order = True
        pending: list[AgentDefinition] = []
        done = 0
        for c, defs in parse_chunks(items, n_workers, size):
            in_order = in_order and c == len(chunks)
            chunks[c] = defs
            for d in defs:
                self._put(d)
            pending.extend(defs)
            done += len(defs)
            if len(pending) >= batch and done < total:
                yield ScanBatch(tuple(pending), done, total)
                pending = []
        if not in_order:  # the same order as one process reading them one by one
            self._defs = {}
            self._names = _NameIndex()
            for c in sorted(chunks):
                for d in chunks[c]:
                    self._put(d)
        yield ScanBatch(tuple(pending), done, total)

    def apply(self, changes: Iterable[tuple[ChangeKind, Path]]) -> CatalogDiff:
        """Fold watcher changes in, re-reading only what they name. Folders count too: a folder
        moved in is walked, a folder removed drops everything under it."""
        added: dict[Path, None] = {}
        modified: dict[Path, None] = {}
        removed: dict[Path, None] = {}
        touched_names: set[str] = set()

        def forget(path: Path) -> None:
            old = self._drop(path)
            if old is not None:
                removed[path] = None
                added.pop(path, None)
                modified.pop(path, None)
                if old.name:
                    touched_names.add(old.name)

        def read(path: Path) -> None:
            root = self.root_of(path)
            if root is None:
                return
            old = self._defs.get(path)
            from tui.core.parse import parse_file

            new = parse_file(path, root.path)
            if (
                new.skip_reason is not None
                and any(x.code == "R080" for x in new.diagnostics)
                and not os.path.lexists(path)
            ):
                forget(path)
                return
            if old is not None and old.content_hash == new.content_hash and old.root == new.root:
                return  # e.g. our own save, or a touch: nothing a user would see changed
            self._put(new)
            if old is None:
                if path in removed:
                    removed.pop(path)
                    modified[path] = None
                else:
                    added[path] = None
            else:
                modified[path] = None
                if old.name:
                    touched_names.add(old.name)
            if new.name:
                touched_names.add(new.name)

        for kind, raw in changes:
            path = Path(raw)
            if kind is ChangeKind.DELETED or not os.path.lexists(path):
                if path in self._defs:
                    forget(path)
                else:
                    prefix = path.parts
                    for known in [k for k in self._defs if k.parts[: len(prefix)] == prefix]:
                        forget(known)
                continue
            if os.path.isdir(path):
                under = set(walk_definitions(path))
                prefix = path.parts
                for known in [k for k in self._defs if k.parts[: len(prefix)] == prefix]:
                    if known not in under:
                        forget(known)
                for p in sorted(under):
                    read(p)
            elif is_definition_name(path.name):
                read(path)
        restated: list[Path] = []
        changed = set(added) | set(modified) | set(removed)
        for name in touched_names:
            for p in self._names.paths.get(name, []):
                if p not in changed:
                    restated.append(p)
        return CatalogDiff(
            added=tuple(added),
            modified=tuple(modified),
            removed=tuple(removed),
            restated=tuple(sorted(set(restated))),
        )
