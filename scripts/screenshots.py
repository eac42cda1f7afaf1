"""Render the real app headless, with a frozen clock, into ``screenshots/*.svg``.

    .venv/bin/python scripts/screenshots.py [--out screenshots]

Every picture comes from the app itself (the same factory as the CLI), played
with key presses; re-running the script reproduces the files byte for byte.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings
from mutum_copilot.services import build_services
from mutum_copilot.tui.factory import build_app

BRT = ZoneInfo("America/Sao_Paulo")
TUESDAY_NIGHT = dt.datetime(2026, 11, 24, 23, 10, 7, tzinfo=BRT)
SUNDAY_AFTERNOON = dt.datetime(2026, 11, 29, 15, 42, 0, tzinfo=BRT)
OPENING: tuple[object, ...] = (
    "Maria Souza",
    "529.982.247-25",
    "4821",
    "20261124-0001",
    1,
    "Sem internet desde as 20h.",
)


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    answers: Sequence[object] = ()
    then_type: str = ""
    then_keys: Sequence[str] = field(default_factory=tuple)
    moment: dt.datetime = TUESDAY_NIGHT
    #: Pack folders of a seat that serves several providers (empty: the bundled pack).
    knowledge: tuple[str, ...] = ()


ROOT = Path(__file__).resolve().parent.parent
#: A fictional second provider (tests/packs/amazonas), beside the bundled Mutum Fibra pack.
TWO_PROVIDERS = (str(ROOT / "knowledge" / "mutum-fibra"), str(ROOT / "tests/packs/amazonas"))

SHOTS = [
    Shot("01-inicio", (100, 30)),
    Shot("02-sem-conexao-sinal-ruim", (100, 30), ("1", *OPENING, 1, 4, 1), then_type="-27"),
    Shot("03-faq-visita", (120, 34), ("1", *OPENING), then_keys=("slash",), then_type="visita"),
    Shot(
        "04-nota-da-os",
        (100, 34),
        ("1", *OPENING, 1, 4, 1, "-27", 1, "-27,5", 2, "(65) 99988-7766", None),
        then_keys=("o",),
    ),
    Shot("05-n1-fechado-domingo", (100, 30), moment=SUNDAY_AFTERNOON),
    Shot("06-80x24", (80, 24), ("1", *OPENING, 1)),
    Shot("07-dois-provedores", (100, 30), knowledge=TWO_PROVIDERS),
    Shot(
        "08-supervisao",
        (100, 30),
        ("1", *OPENING, 1, 4, 1, "-27", 1, "-27,5", 2, "(65) 99988-7766", None),
        then_keys=("o", "f", "f6"),
    ),
]


async def render(shot: Shot, out: Path) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        services = build_services(
            Settings(agent_name="Ana (UPCALL)", knowledge=shot.knowledge),
            clock=FrozenClock(shot.moment),
            history_path=Path(folder) / "history.sqlite3",
            vault_path=Path(folder) / "secrets.yaml",
        )
        app = build_app(services, cursor_blink=False, catch_errors=False)
        async with app.run_test(size=shot.size) as pilot:
            for answer in shot.answers:
                if answer is None:
                    await pilot.press("enter")
                elif isinstance(answer, int) or (
                    isinstance(answer, str) and answer.isdigit() and len(answer) == 1
                ):
                    await pilot.press(str(answer))
                else:
                    await pilot.press(*str(answer), "enter")
                await pilot.pause()
            await pilot.press(*shot.then_keys)
            await pilot.press(*shot.then_type)
            await pilot.pause()
            await app.workers.wait_for_complete()  # e.g. the supervisor screen's figures
            await pilot.pause(0.1)
            path = out / f"{shot.name}.svg"
            app.save_screenshot(str(path))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "screenshots"
    )
    parser.add_argument("--only", help="render only the shots whose name contains this")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        if args.only and args.only not in shot.name:
            continue
        print(asyncio.run(render(shot, args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
