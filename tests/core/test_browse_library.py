"""Your agents first (issue 16 point 1): the library is its own root, one collapsed group below
the project/user agents, or the whole tree when there is nothing else."""

from __future__ import annotations

from pathlib import Path

from tui.core.browse import LIBRARY_KEY, Browse, depths
from tui.core.catalog import Catalog
from tui.core.roots import Root, RootKind, bundled_agents_dir


def mine(folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(
        f"---\nname: {name}\ndescription: {name} helper\nlevel: L2\ndomain: backend\n---\nX\n",
        encoding="utf-8",
    )


def browse_of(*roots: Root) -> Browse:
    catalog = Catalog(list(roots))
    catalog.scan(workers=1)
    browse = Browse(roots)
    browse.load(catalog, None, None)
    return browse


def library() -> Root:
    path = bundled_agents_dir()
    assert path is not None
    return Root(path, RootKind.BUNDLED, 9)


def test_the_library_is_one_collapsed_group_below_your_agents(tmp_path: Path) -> None:
    mine(tmp_path / ".claude" / "agents", "my-api")
    browse = browse_of(Root(tmp_path / ".claude" / "agents", RootKind.PROJECT, 0), library())
    view = browse.view(relayout=True)
    keys = [s.key for s in view.specs]
    assert keys[-1] == LIBRARY_KEY and keys.count(LIBRARY_KEY) == 1
    lib = view.specs[-1]
    assert lib.count == browse.n_library >= 10
    assert not browse.expand_policy(lib, 0)  # starts collapsed
    # every library row is inside it, none of yours is
    inside = {r.definition.name for _d, g in depths(lib) for r in g.rows}
    assert "my-api" not in inside and len(inside) == lib.count
    outside = {r.definition.name for s in view.specs[:-1] for _d, g in depths(s) for r in g.rows}
    assert outside == {"my-api"}
    # group keys inside the library do not collide with yours
    assert all(g.key.startswith(f"{LIBRARY_KEY}/") for d, g in depths(lib) if d)
    assert "(" in browse.status() and "in the library" in browse.status()


def test_without_your_own_agents_the_library_is_the_whole_tree(tmp_path: Path) -> None:
    browse = browse_of(Root(tmp_path / "none", RootKind.PROJECT, 0), library())
    view = browse.view(relayout=True)
    assert LIBRARY_KEY not in [s.key for s in view.specs]
    assert view.specs[0].key.startswith("level:")


def test_a_search_finds_library_agents_and_opens_their_group(tmp_path: Path) -> None:
    mine(tmp_path / "a", "my-api")
    browse = browse_of(Root(tmp_path / "a", RootKind.PROJECT, 0), library())
    browse.view(relayout=True)
    browse.set_query("orchestrator", dict)
    view = browse.view()
    assert view.force_expand is True
    assert view.specs and view.specs[-1].key == LIBRARY_KEY
