"""What one burst of outside changes is called, in one line: "l2-foo changed", "renamed a → b",
"12 agents changed". A burst is everything the watcher reports within a moment (a bulk `sed`
arrives in several batches); `Burst` folds the batches so the user gets one notification."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.core.browse_rows import plural

BULK = 3  # this many changed files or more: one count instead of names


@dataclass(slots=True)
class Burst:
    added: dict[Path, str] = field(default_factory=dict)  # path -> agent name
    modified: dict[Path, str] = field(default_factory=dict)
    removed: dict[Path, str] = field(default_factory=dict)

    def fold(
        self,
        added: dict[Path, str],
        modified: dict[Path, str],
        removed: dict[Path, str],
    ) -> None:
        for p, name in removed.items():
            if self.added.pop(p, None) is None:
                self.modified.pop(p, None)
                self.removed[p] = name
        for p, name in added.items():
            if self.removed.pop(p, None) is not None:
                self.modified[p] = name  # deleted and written again: an atomic save
            else:
                self.added[p] = name
        for p, name in modified.items():
            if p not in self.added:
                self.modified[p] = name

    @property
    def empty(self) -> bool:
        return not (self.added or self.modified or self.removed)

    def describe(self) -> str:
        return describe(self.added, self.modified, self.removed)


def describe(added: dict[Path, str], modified: dict[Path, str], removed: dict[Path, str]) -> str:
    added, removed = dict(added), dict(removed)
    renames: list[str] = []
    for r, old in list(removed.items()):
        same = [a for a, new in added.items() if new == old]
        if not same and len(removed) == 1 and len(added) == 1:
            same = list(added)  # the one file went and another came: a rename
        if same:
            a = same[0]
            new = added.pop(a)
            del removed[r]
            if new != old:
                renames.append(f"renamed {old} → {new}")
            else:
                renames.append(f"renamed {r.name} → {a.name}")
    total = len(renames) + len(added) + len(modified) + len(removed)
    if total >= BULK:
        kinds = [w for w, n in (("added", added), ("removed", removed)) if n]
        one_kind = len(kinds) == 1 and not renames and not modified
        return f"{plural(total, 'agent')} {kinds[0] if one_kind else 'changed'}"
    parts = list(renames)
    for items, word in ((modified, "changed"), (added, "added"), (removed, "removed")):
        if items:
            parts.append(f"{', '.join(items.values())} {word}")
    return "; ".join(parts)
