"""Fit any terminal (issue 16 point 6): at 80×24 the footer keeps F1, and every dialog shows
its buttons and messages inside the screen."""

from __future__ import annotations

from textual.widget import Widget

from tests.helpers.app import app_for, bundled_root, settle

SMALL = (80, 24)


def inside(widget: Widget) -> bool:
    region = widget.region
    return (
        region.width > 0
        and region.height > 0
        and region.right <= SMALL[0]
        and region.bottom <= SMALL[1]
    )


async def test_footer_keeps_f1_at_80_columns() -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        keys = [w for w in app.screen.query("FooterKey") if getattr(w, "action", "") == "help"]
        assert keys and inside(keys[0])
