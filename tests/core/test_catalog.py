"""Discovery, precedence, shadowing, conflicts, and incremental apply() on real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tui.core.catalog import Catalog, ChangeKind
from tui.core.roots import Root, RootKind, discover_roots


def agent(name: str, description: str = "does things", extra: str = "") -> str:
    return f"---\nname: {name}\ndescription: {description}\n{extra}---\n\nYou are {name}.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def catalog_of(*roots: Path) -> Catalog:
    c = Catalog([Root(r, RootKind.EXTRA, i) for i, r in enumerate(roots)])
    c.scan(workers=1)
    return c


def test_recursive_scan_ignores_non_markdown(tmp_path: Path) -> None:
    write(tmp_path / "a.md", agent("a"))
    write(tmp_path / "deep" / "er" / "b.md", agent("b"))
    write(tmp_path / "notes.txt", "not an agent")
    write(tmp_path / "c.yaml", "name: c")
    write(tmp_path / ".hidden.md", agent("hidden"))
    c = catalog_of(tmp_path)
    assert sorted(d.name or "" for d in c.definitions()) == ["a", "b"]


def test_higher_root_shadows_lower_and_same_root_conflicts(tmp_path: Path) -> None:
    high, low = tmp_path / "high", tmp_path / "low"
    write(high / "x.md", agent("x", "high one"))
    write(low / "x.md", agent("x", "low one"))
    write(low / "dup1.md", agent("dup"))
    write(low / "sub" / "dup2.md", agent("dup"))
    c = catalog_of(high, low)
    winner = c.winner("x")
    assert winner is not None and winner.description == "high one"
    low_x = c.get(low / "x.md")
    assert low_x is not None and c.shadowed_by(low_x) == high / "x.md"
    assert c.shadowed_by(winner) is None
    dup1 = c.get(low / "dup1.md")
    assert dup1 is not None
    assert c.conflicts(dup1) == [low / "sub" / "dup2.md"]
    assert any(x.code == "R060" for x in c.diagnostics_for(dup1))
    assert any(x.code == "R061" for x in c.diagnostics_for(low_x))


def test_skipped_file_does_not_shadow(tmp_path: Path) -> None:
    high, low = tmp_path / "high", tmp_path / "low"
    write(high / "x.md", "---\nname: x\n---\nno description\n")
    write(low / "x.md", agent("x"))
    c = catalog_of(high, low)
    w = c.winner("x")
    assert w is not None and w.root == low


def test_discover_roots_order_and_flags(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / ".claude" / "agents" / "p.md", agent("p"))
    nested = repo / "pkg" / "sub"
    write(nested / ".claude" / "agents" / "q.md", agent("q"))
    home = tmp_path / "home"
    write(home / ".claude" / "agents" / "u.md", agent("u"))
    extra = tmp_path / "extra"
    extra.mkdir()
    roots = discover_roots(nested, extra_dirs=[extra], home=home)
    kinds = [(r.kind, r.path) for r in roots]
    assert kinds == [
        (RootKind.PROJECT, nested / ".claude" / "agents"),
        (RootKind.PROJECT, repo / ".claude" / "agents"),
        (RootKind.USER, home / ".claude" / "agents"),
        (RootKind.EXTRA, extra),
    ]  # --agents-dir hides the bundled agents
    only = discover_roots(nested, extra_dirs=[extra], include_project=False, include_user=False)
    assert [r.path for r in only] == [extra]
    default = discover_roots(tmp_path, include_user=False, home=home)
    assert [r.kind for r in default] == [RootKind.BUNDLED]


def test_symlink_loop_and_missing_root_do_not_hang_or_crash(tmp_path: Path) -> None:
    write(tmp_path / "a.md", agent("a"))
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "self.md").symlink_to(tmp_path / "self.md")
    c = catalog_of(tmp_path, tmp_path / "does-not-exist")
    names = [d.name for d in c.definitions() if d.is_agent]
    assert names == ["a"]
    broken = c.get(tmp_path / "self.md")
    assert broken is not None and broken.skip_reason


def test_root_deleted_during_scan(tmp_path: Path) -> None:
    root = tmp_path / "r"
    for i in range(50):
        write(root / f"d{i}" / f"a{i}.md", agent(f"a{i}"))
    c = Catalog([Root(root, RootKind.EXTRA, 0)])
    files = c.files()
    first = next(files)
    shutil.rmtree(root)
    rest = list(files)  # the walk notices nothing left and stops
    assert first[0].name == "a0.md"
    assert len(rest) < 50
    c.scan(workers=1)
    assert len(c) == 0


def test_apply_add_modify_delete(tmp_path: Path) -> None:
    write(tmp_path / "a.md", agent("a"))
    c = catalog_of(tmp_path)
    b = write(tmp_path / "b.md", agent("b"))
    diff = c.apply([(ChangeKind.ADDED, b)])
    assert diff.added == (b,) and diff.summary() == "1 agent added"
    write(b, agent("b", "changed"))
    diff = c.apply([(ChangeKind.MODIFIED, b)])
    assert diff.modified == (b,)
    got = c.get(b)
    assert got is not None and got.description == "changed"
    # same bytes again (our own save, or a touch): nothing to report
    assert c.apply([(ChangeKind.MODIFIED, b)]).empty
    b.unlink()
    diff = c.apply([(ChangeKind.DELETED, b)])
    assert diff.removed == (b,) and c.get(b) is None


def test_apply_atomic_save_rename(tmp_path: Path) -> None:
    target = write(tmp_path / "a.md", agent("a"))
    c = catalog_of(tmp_path)
    tmp = write(tmp_path / ".a.md.tmp123", agent("a", "saved atomically"))
    os.replace(tmp, target)
    diff = c.apply([(ChangeKind.ADDED, tmp), (ChangeKind.DELETED, tmp), (ChangeKind.ADDED, target)])
    assert diff.modified == (target,) and not diff.added and not diff.removed
    got = c.get(target)
    assert got is not None and got.description == "saved atomically"


def test_apply_folder_moved_in_and_out_and_root_recreated(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    for i in range(3):
        write(outside / "team" / f"t{i}.md", agent(f"t{i}"))
    write(root / "keep.md", agent("keep"))
    c = catalog_of(root)
    shutil.move(str(outside / "team"), str(root / "team"))
    diff = c.apply([(ChangeKind.ADDED, root / "team")])
    assert len(diff.added) == 3
    shutil.move(str(root / "team"), str(outside / "team"))
    diff = c.apply([(ChangeKind.DELETED, root / "team")])
    assert len(diff.removed) == 3
    shutil.rmtree(root)
    diff = c.apply([(ChangeKind.DELETED, root)])
    assert diff.removed == (root / "keep.md",) and len(c) == 0
    write(root / "again.md", agent("again"))
    diff = c.apply([(ChangeKind.ADDED, root)])
    assert diff.added == (root / "again.md",)


def test_apply_burst_of_500(tmp_path: Path) -> None:
    c = catalog_of(tmp_path)
    paths = [write(tmp_path / f"g{i // 50}" / f"a{i}.md", agent(f"a{i}")) for i in range(500)]
    diff = c.apply([(ChangeKind.ADDED, p) for p in paths])
    assert len(diff.added) == 500 and diff.summary() == "500 agents added"


def test_apply_reports_restated_shadow_partner(tmp_path: Path) -> None:
    high, low = tmp_path / "high", tmp_path / "low"
    write(low / "x.md", agent("x"))
    high.mkdir()
    c = catalog_of(high, low)
    new = write(high / "x.md", agent("x"))
    diff = c.apply([(ChangeKind.ADDED, new)])
    assert diff.restated == (low / "x.md",)
    low_x = c.get(low / "x.md")
    assert low_x is not None and c.shadowed_by(low_x) == new


def test_parallel_scan_matches_serial(tmp_path: Path) -> None:
    for i in range(1600):
        write(tmp_path / f"f{i % 7}" / f"a{i}.md", agent(f"a{i}", extra="level: L2\n"))
    write(tmp_path / "bad.md", "---\nname: a:b\n---\n")
    serial = catalog_of(tmp_path)
    parallel = Catalog([Root(tmp_path, RootKind.EXTRA, 0)])
    parallel.scan(workers=2)
    assert [d.path for d in parallel.definitions()] == [d.path for d in serial.definitions()]
    assert parallel.definitions() == serial.definitions()


def test_one_name_in_many_files_is_grouped_once_and_kept_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 files with one name cost 2,000 x 2,000 comparisons (6,000 took 52 s to validate):
    the catalog groups a name once per change, and the grouping follows every change."""
    for i in range(400):
        write(tmp_path / f"a{i:03}.md", agent("same"))
    c = catalog_of(tmp_path)
    calls = 0
    real = Catalog.same_name

    def counting(self: Catalog, name: str) -> list:  # type: ignore[type-arg]
        nonlocal calls
        calls += 1
        return real(self, name)

    monkeypatch.setattr(Catalog, "same_name", counting)
    first = c.get(tmp_path / "a000.md")
    assert first is not None
    all_diags = [c.diagnostics_for(d) for d in c.definitions()]
    assert calls <= 2  # not once or twice per file
    assert all(any(x.code == "R060" and "396 more" in x.message for x in ds) for ds in all_diags)
    assert c.conflicts(first)[:2] == [tmp_path / "a001.md", tmp_path / "a002.md"]
    assert c.winner("same") == first
    # changes reach the grouping: a renamed winner, a deleted file, a new name
    write(tmp_path / "a000.md", agent("other"))
    c.apply([(ChangeKind.MODIFIED, tmp_path / "a000.md")])
    assert c.winner("same") == c.get(tmp_path / "a001.md")
    assert len(c.conflicts(c.get(tmp_path / "a001.md"))) == 398  # type: ignore[arg-type]
    assert c.conflicts(c.get(tmp_path / "a000.md")) == []  # type: ignore[arg-type]
    (tmp_path / "a001.md").unlink()
    c.apply([(ChangeKind.DELETED, tmp_path / "a001.md")])
    assert c.winner("same") == c.get(tmp_path / "a002.md")
    assert tmp_path / "a001.md" not in c.conflicts(c.get(tmp_path / "a002.md"))  # type: ignore[arg-type]


def test_a_symlinked_folder_is_followed_only_inside_the_root(tmp_path: Path) -> None:
    """A stranger's collection with `x -> /` once made the scan read the whole file system."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    write(root / "a.md", agent("a"))
    write(root / "real" / "b.md", agent("b"))
    write(outside / "c.md", agent("c"))
    (root / "inner").symlink_to(root / "real")  # inside: followed (once: same folder)
    (root / "escape").symlink_to(outside)  # outside: not followed
    (root / "everything").symlink_to("/")
    names = sorted(d.name or "" for d in catalog_of(root).definitions() if d.is_agent)
    assert names == ["a", "b"]
