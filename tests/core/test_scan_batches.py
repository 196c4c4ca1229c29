"""`Catalog.scan_batches` (progressive) and the forked scan end exactly where `scan()` does."""

from __future__ import annotations

from pathlib import Path

from tui.core.catalog import Catalog, ScanBatch
from tui.core.roots import Root, RootKind


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def agent(name: str, extra: str = "") -> str:
    return f"---\nname: {name}\ndescription: does {name} things\n{extra}---\n\nYou are {name}.\n"


# Odd files: frontmatter holding what marshal cannot carry (dates), broken encodings, no
# frontmatter, a duplicate name, YAML 1.1 words, nested tool syntax.
ODD: dict[str, str | bytes] = {
    "dated.md": agent("dated", "created: 2024-05-01\nwhen: 2024-05-01 10:00:00\n"),
    "binary.md": b"---\nname: bin\x00ary\n---\n",
    "latin.md": b"---\nname: caf\xe9\ndescription: d\n---\nbody\n",
    "utf16.md": "---\nname: wide\ndescription: d\n---\n".encode("utf-16"),
    "empty.md": "",
    "no-fm.md": "# just prose\n",
    "dup-a.md": agent("dup"),
    "sub/dup-b.md": agent("dup"),
    "yes.md": agent("yes-man", "background: yes\nmaxTurns: 3\n"),
    "tools.md": agent("tooled", "tools: Read, Bash(git *), [Grep]\n"),
}


def corpus(root: Path, n: int) -> None:
    for i in range(n):
        level = f"level: L{i % 4}\n" if i % 3 else ""
        write(root / f"team-{i % 9}" / f"a{i:04d}.md", agent(f"a{i:04d}", level))
    for rel, text in ODD.items():
        write(root / rel, text)


def catalogs(*roots: Path) -> tuple[Root, ...]:
    return tuple(Root(r, RootKind.EXTRA, i) for i, r in enumerate(roots))


def same_state(a: Catalog, b: Catalog) -> None:
    assert len(a) == len(b)
    assert a.definitions() == b.definitions()
    assert list(a._defs) == list(b._defs)  # insertion order: same_name() and R060 order
    assert a._names.paths == b._names.paths
    for d in a.definitions():
        assert a.diagnostics_for(d) == b.diagnostics_for(d)


def test_scan_batches_grows_and_ends_equal_to_scan(tmp_path: Path) -> None:
    high, low = tmp_path / "high", tmp_path / "low"
    corpus(low, 700)
    write(high / "a0001.md", agent("a0001"))  # shadows one of the low ones
    roots = catalogs(high, low)
    serial = Catalog(roots)
    serial.scan(workers=1)

    progressive = Catalog(roots)
    batches: list[ScanBatch] = []
    sizes: list[int] = []
    for b in progressive.scan_batches(batch=100, workers=1):
        batches.append(b)
        sizes.append(len(progressive))
    total = len(serial)
    assert len(batches) >= 7
    assert all(b.total == total for b in batches)
    assert [b.done for b in batches] == sorted(b.done for b in batches)
    assert batches[-1].done == total
    assert sum(len(b.definitions) for b in batches) == total
    assert sizes == [b.done for b in batches]  # the catalog grows with the batches
    assert sizes[0] < total
    same_state(progressive, serial)


def test_forked_scan_ends_equal_to_scan(tmp_path: Path) -> None:
    corpus(tmp_path, 900)
    serial = Catalog(catalogs(tmp_path))
    serial.scan(workers=1)
    before = children()  # (e.g. the Bash jobs' watchdog a session test left for this process)
    for workers in (2, 3):
        forked = Catalog(catalogs(tmp_path))
        seen = 0
        for b in forked.scan_batches(batch=64, workers=workers):
            seen += len(b.definitions)
        assert seen == len(serial)
        same_state(forked, serial)
        forked.scan(workers=workers)  # and again, on a catalog that was full
        same_state(forked, serial)
    assert children() <= before  # every scan child reaped


def test_forked_scan_of_the_shared_corpora(corpora: Path) -> None:
    roots = catalogs(*sorted(p for p in corpora.iterdir() if p.is_dir()))
    serial = Catalog(roots)
    serial.scan(workers=1)
    forked = Catalog(roots)
    forked.scan(workers=2)
    assert len(serial) > 500
    same_state(forked, serial)


def test_forked_scan_carries_a_yaml_alias_cycle(tmp_path: Path) -> None:
    corpus(tmp_path, 300)
    path = write(tmp_path / "zz" / "cycle.md", agent("cycle", "loop: &a [1, *a]\n"))
    forked = Catalog(catalogs(tmp_path))
    forked.scan(workers=2)
    d = forked.get(path)
    assert d is not None and d.name == "cycle"
    # Claude Code loads a self-referring alias (measured); Roster reads a null where the value
    # refers to itself, so no cycle is built, pickled across the fork or walked later
    assert d.loads_in_claude_code and d.frontmatter["loop"] == [1, None]
    assert list(forked._defs) == [p for p, _r in forked._discover()]


def children() -> set[str]:
    """This process's child processes, zombies included (Linux)."""
    out: set[str] = set()
    for task in Path("/proc/self/task").glob("*/children"):
        out.update(task.read_text().split())
    return out


def test_an_abandoned_scan_leaves_no_child_behind(tmp_path: Path) -> None:
    corpus(tmp_path, 600)
    before = children()
    cat = Catalog(catalogs(tmp_path))
    batches = cat.scan_batches(batch=32, workers=2)
    first = next(batches)
    assert 0 < first.done < first.total
    assert children() - before  # the forked child is working
    batches.close()  # e.g. a reload started: the children are stopped and reaped
    assert children() == before
    cat.scan(workers=2)
    serial = Catalog(catalogs(tmp_path))
    serial.scan(workers=1)
    same_state(cat, serial)


def test_empty_roots_give_one_final_batch(tmp_path: Path) -> None:
    cat = Catalog(catalogs(tmp_path / "missing", tmp_path))
    assert [(b.done, b.total, b.definitions) for b in cat.scan_batches()] == [(0, 0, ())]
