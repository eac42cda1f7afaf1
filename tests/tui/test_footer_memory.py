"""The main screen's footer must not keep every key it ever drew (a whole shift of them)."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.widgets._footer import FooterKey

from .helpers import app_for


def detached_footer_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached)


async def test_footer_forgets_the_keys_it_removed(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = detached_footer_keys()  # other tests' apps may still hold some
        for _ in range(4):  # each focus change rebuilds the footer's keys
            await pilot.press("1")
            await pilot.press("escape")
            await pilot.pause()
        # at most as many: other tests' apps, collected meanwhile, may only lower it
        assert detached_footer_keys() <= before
