"""Hostile notebooks: any JSON value in any field, JSON nested past the parser's depth, a first
cell larger than the whole budget. Read answers with text or a clear ToolError; before, such a
file raised AttributeError/TypeError/RecursionError, which ended the whole session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError
from tui.core.session.tools.notebook import MAX_NOTEBOOK_CHARS


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


async def read(ctx: ToolContext, name: str) -> Any:
    return await ALL_TOOLS["Read"].run({"file_path": name}, ctx)


def cell(**fields: Any) -> dict[str, Any]:
    return {"cell_type": "code", "source": "print(1)", **fields}


@pytest.mark.parametrize(
    "doc",
    [
        {"cells": [cell()], "metadata": {"kernelspec": "python3"}},
        {"cells": [cell()], "metadata": {"kernelspec": {}, "language_info": ["py"]}},
        {"cells": [cell(outputs=5)]},
        {"cells": [cell(outputs={"output_type": "stream"})]},
        {"cells": [cell(outputs=[{"output_type": "error", "traceback": 7, "ename": "E"}])]},
        {"cells": [cell(outputs=[{"output_type": "display_data", "data": ["x"]}])]},
        {"cells": [cell(id={"a": 1}, cell_type=["code"] * 1000)]},
    ],
    ids=[
        "kernelspec-str",
        "language_info-list",
        "outputs-int",
        "outputs-dict",
        "traceback-int",
        "data-list",
        "odd-id-and-type",
    ],
)
async def test_odd_field_types_read_as_text(ctx: ToolContext, doc: dict[str, Any]) -> None:
    (ctx.root / "odd.ipynb").write_text(json.dumps(doc))
    out = await read(ctx, "odd.ipynb")
    assert isinstance(out, str) and out.startswith("Notebook odd.ipynb: 1 cell")
    assert "print(1)" in out
    assert len(out) < 2000  # a 1000-item cell_type is not pasted whole into the header


async def test_json_nested_too_deep_is_a_clear_error(ctx: ToolContext) -> None:
    (ctx.root / "deep.ipynb").write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(ToolError, match="nested too deeply") as caught:
        await read(ctx, "deep.ipynb")
    assert "deep.ipynb" in str(caught.value)


async def test_a_huge_first_cell_shows_what_fits_instead_of_nothing(ctx: ToolContext) -> None:
    doc = {"cells": [cell(source="A" * (MAX_NOTEBOOK_CHARS * 2)), cell(source="second")]}
    (ctx.root / "big.ipynb").write_text(json.dumps(doc))
    out = await read(ctx, "big.ipynb")
    assert isinstance(out, str)
    assert "A" * 1000 in out and "[cell 1 cut:" in out
    assert "cells 2–2 not shown" in out
    assert len(out) < MAX_NOTEBOOK_CHARS + 500
