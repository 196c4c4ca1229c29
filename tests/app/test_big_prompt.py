"""Never block (issue 16 point 3): a long prompt or file renders off the event loop, the first
screenful at once and the rest as you scroll, capped at about 1 MB with a way out."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.core.chunks import CAP, split
from tui.core.roots import Root, RootKind
from tui.widgets.lines_view import LinesView

PARA = "Step {i}: read the module, list its callers, and check each one carefully.\n\n"


def big_body(size: int) -> str:
    out, i = [], 0
    total = 0
    while total < size:
        part = (f"## Section {i}\n\n" if i % 20 == 0 else "") + PARA.format(i=i)
        out.append(part)
        total += len(part)
        i += 1
    return "".join(out)


def strip_text(view: LinesView, y: int) -> str:
    return "".join(s.text for s in view.lines[y])


async def test_a_2mb_prompt_shows_its_start_at_once_and_the_rest_as_you_scroll(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "agents"
    body = big_body(2_100_000) + "\x1b[2J the end\n"
    write_agent(folder, "huge", body=body)
    app = app_for(Root(folder, RootKind.EXTRA, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        view = app.main_screen.query_one("#prompt-lines", LinesView)
        await wait_for(pilot, lambda: view.rendered >= 1, what="first piece")
        await settle(pilot)
        total = len(split(body).pieces)
        assert 1 <= view.rendered < total  # only what is near the screen
        assert "Section 0" in "".join(strip_text(view, y) for y in range(5))
        first = view.rendered
        view.scroll_to(y=view.max_scroll_y, animate=False)
        await wait_for(pilot, lambda: view.rendered > first, what="more as you scroll")
        # nothing raw reaches the terminal, even from a rendered piece
        assert all("\x1b" not in strip_text(view, y) for y in range(len(view.lines)))


def test_the_cap_leaves_a_way_out() -> None:
    body = big_body(CAP + 50_000)
    pieces = split(body)
    assert pieces.cut > 0
    assert sum(len(p.text) for p in pieces.pieces) == CAP
    assert len(pieces.pieces[0].text) <= 4096 + 200
    # no piece splits a code fence
    fenced = "intro\n\n```\n" + "x\n\n" * 5000 + "```\n\nafter\n"
    for p in split(fenced).pieces:
        assert p.text.count("```") % 2 == 0


async def test_a_big_source_file_is_numbered_lines_rendered_off_the_loop(tmp_path: Path) -> None:
    folder = tmp_path / "agents"
    write_agent(folder, "big-source", body=big_body(300_000))
    app = app_for(Root(folder, RootKind.EXTRA, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        view = app.main_screen.query_one("#source-lines", LinesView)
        await wait_for(pilot, lambda: view.rendered >= 1, what="source piece")
        assert strip_text(view, 0).strip().startswith("1 ---")
