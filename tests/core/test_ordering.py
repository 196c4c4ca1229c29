"""Natural order (`gen-2` before `gen-10`, case-insensitive) wherever rows are ordered: the
key itself, the tree's groups and rows (Browse over a real catalog) and `roster list`."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.catalog import roster
from tui.core.browse import Browse, GroupSpec, depths
from tui.core.catalog import Catalog
from tui.core.ordering import keep_in_order, natural_key
from tui.core.roots import Root, RootKind
from tui.core.tree_model import GroupBy


def agent(path: Path, name: str, *, domain: str = "backend") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"---\nname: {name}\ndescription: x\nlevel: L2\ndomain: {domain}\n---\nBody\n"
    path.write_text(text, encoding="utf-8")


def loaded(root: Path) -> Browse:
    catalog = Catalog([Root(root, RootKind.EXTRA, 0)])
    catalog.scan(workers=1)
    browse = Browse()
    browse.load(catalog, None, None)
    return browse


def shown(specs: list[GroupSpec]) -> dict[str, list[str]]:
    return {
        g.key: [r.definition.display_name for r in g.rows] for s in specs for _d, g in depths(s)
    }


def test_natural_key_orders_numbers_by_value_and_ignores_case() -> None:
    names = ["gen-10", "gen-2", "Gen-1", "GEN-3", "gen-02", "alpha", "Beta", "x1y10", "x1y9"]
    assert sorted(names, key=natural_key) == [
        "alpha",
        "Beta",
        "Gen-1",
        "gen-02",
        "gen-2",
        "GEN-3",
        "gen-10",
        "x1y9",
        "x1y10",
    ]
    assert sorted(["B", "a", "b", "A"], key=natural_key) == ["A", "a", "B", "b"]  # total order


def test_keep_in_order_keeps_the_longest_run() -> None:
    assert keep_in_order([0, 2, 1, 3]) in ({0, 1, 3}, {0, 2, 3})
    assert keep_in_order([]) == set()


def test_tree_rows_and_groups_in_natural_order(tmp_path: Path) -> None:
    for name in ("gen-10", "gen-2", "Gen-1", "gen-9"):
        agent(tmp_path / f"{name.lower()}.md", name)
    for domain in ("area-12", "area-3", "Area-1"):
        agent(tmp_path / domain / "x.md", f"in-{domain.lower()}", domain=domain.lower())
    browse = loaded(tmp_path)
    groups = shown(browse.view(relayout=True).specs)
    assert groups["level:L2/domain:backend"] == ["Gen-1", "gen-2", "gen-9", "gen-10"]
    domains = [k.split("domain:")[1] for k in groups if "domain:" in k]
    assert domains == ["area-1", "area-3", "area-12", "backend"]
    browse.set_grouping(GroupBy.FOLDER)
    folders = list(shown(browse.view(relayout=True).specs))
    assert folders == ["folder:(top level)", "folder:Area-1", "folder:area-3", "folder:area-12"]


def test_roster_list_in_natural_order(tmp_path: Path) -> None:
    for name in ("gen-10", "gen-2", "gen-1"):
        agent(tmp_path / f"{name}.md", name)
    out = roster("list", "--agents-dir", str(tmp_path), "--no-user", "--no-project", "--tree")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.index("gen-1 ") < text.index("gen-2 ") < text.index("gen-10 ")
    data = roster("list", "--json", "--agents-dir", str(tmp_path), "--no-user", "--no-project")
    assert '"gen-2"' in data.stdout
    assert data.stdout.index('"gen-2"') < data.stdout.index('"gen-10"')


def test_natural_key_orders_huge_digit_runs_by_value() -> None:
    """Digit runs of any length (a 1,000- or 10,000-digit number in a name) still compare as
    numbers: no crash (int() refuses such strings) and no wrong order past 999 digits."""
    runs = ["9" * 999, "1" + "0" * 999, "5" * 10_000, "7", "10"]
    names = [f"gen-{r}" for r in runs]
    assert sorted(names, key=natural_key) == [f"gen-{r}" for r in sorted(runs, key=len)]
    assert sorted(reversed(names), key=natural_key) == sorted(names, key=natural_key)
