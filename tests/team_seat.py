"""A simulated seat, run as its own process by the team tests and the benchmark.

It takes ``--calls`` calls, saving each one ``--saves`` times (revision 1, 2...,
the last one finished) into its SQLite outbox (the stand-in for the seat's
history, see team_helpers.SqliteOutbox), waking the background sync after
every save as the app will. Then it waits until nothing is pending (or
``--wait`` seconds) and prints one JSON line: what it took, what is pending,
the sync's last status and the slowest save (the seat never waits on the
network). Exit 0 when everything arrived, 1 otherwise.

    python tests/team_seat.py --outbox seat.sqlite3 --url postgresql://... --calls 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from team_helpers import SqliteOutbox, StepSpec, SubjectSpec, build_call

from mutum_copilot.team.connect import TeamTarget
from mutum_copilot.team.records import FaqSearch, SyncBatch, new_uid
from mutum_copilot.team.store import TeamStore
from mutum_copilot.team.sync import SyncWorker

FLOWS = (("sem-conexao", "Sem conexão"), ("financeiro", "Financeiro"), ("senha-wifi", "Senha"))
ENDS = (
    ("resolved", "", "resolvido"),
    ("os_n1", "normal", "abrir-os"),
    ("transfer_financial", "", "transferir"),
)


class SlowOutbox(SqliteOutbox):
    """The outbox of a loaded machine: what it read may be old by the time it is pushed."""

    batches = 0  # non-empty batches handed to the worker (in its thread), for the summary

    def __init__(self, path: Path, delay: float) -> None:
        super().__init__(path)
        self.delay = delay

    def pending(self, limit: int) -> SyncBatch:
        batch = super().pending(limit)
        if not batch.empty:
            SlowOutbox.batches += 1
            if self.delay:
                time.sleep(self.delay)
        return batch


def take_call(rng: random.Random, agent: str, seat: str, start: dt.datetime, saves: int) -> list:
    """The successive revisions of one call: one more step per save, finished at the last."""
    uid = new_uid()
    flow, title = rng.choice(FLOWS)
    outcome, urgency, exit_node = rng.choice(ENDS)
    revisions = []
    steps: list[StepSpec] = []
    for revision in range(1, saves + 1):
        last = revision == saves
        steps.append(
            StepSpec(at=30 * revision, node=f"passo-{revision}", title=f"Passo {revision}")
        )
        if last:
            steps.append(StepSpec(at=30 * revision + 5, node=exit_node, title=exit_node))
        end = 30 * revision + 10 if last else None
        subject = SubjectSpec(
            flow,
            title,
            0,
            end,
            outcome if last else "",
            urgency if last else "",
            exit_node if last else "",
            tuple(steps),
        )
        revisions.append(
            build_call(agent, start, [subject], finished=end, revision=revision, uid=uid, seat=seat)
        )
    return revisions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outbox", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--password", default="")
    parser.add_argument("--seat", default="seat")
    parser.add_argument("--agent", default="Agente")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--searches", type=int, default=0, help="searches per call")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between saves")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--wait", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", default="2026-12-01T22:00:00+00:00")
    parser.add_argument("--sync-only", action="store_true", help="take no call; only sync")
    parser.add_argument("--linger", type=float, default=0.0, help="run at least this long")
    parser.add_argument("--until-file", type=Path, help="and until this file exists")
    parser.add_argument(
        "--slow-read", type=float, default=0.0, help="a slow seat: wait between read and push"
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    target = TeamTarget(args.url, args.password)
    outbox = SqliteOutbox(args.outbox)  # the seat's own connection (the worker opens another)
    worker = SyncWorker(
        lambda: SlowOutbox(args.outbox, args.slow_read),
        lambda: TeamStore.open(target),
        batch_size=args.batch,
        idle_poll_s=0.2,
        backoff_min_s=0.1,
        backoff_max_s=1.0,
    ).start()
    slowest = 0.0
    began = time.monotonic()
    start = dt.datetime.fromisoformat(args.start)
    for number in range(0 if args.sync_only else args.calls):
        # a simulated shift: one call every few minutes of call-center time
        moment = start + dt.timedelta(minutes=3 * number)
        for revision in take_call(rng, args.agent, args.seat, moment, args.saves):
            begin = time.perf_counter()
            outbox.save_call(revision)
            worker.wake()
            slowest = max(slowest, time.perf_counter() - begin)
            if args.pause:
                time.sleep(args.pause)
        for index in range(args.searches):
            search = FaqSearch(
                new_uid(),
                1,
                moment,
                f"busca {index} (65) 99988-7766",
                agent=args.agent,
                shown=("a",),
                seat=args.seat,
            )
            outbox.save_search(search)
            worker.wake()
    deadline = time.monotonic() + args.wait
    while time.monotonic() < began + args.linger or (
        args.until_file is not None and not args.until_file.exists() and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    while outbox.count_pending() and time.monotonic() < deadline:
        time.sleep(0.05)
        if os.environ.get("MUTUM_SEAT_TRACE"):
            print(time.monotonic() - began, outbox.count_pending(), worker.status, file=sys.stderr)
    pending = outbox.count_pending()
    worker.stop()
    status = worker.status
    print(
        json.dumps(
            {
                "seat": args.seat,
                "calls": args.calls,
                "pending": pending,
                "state": status.state,
                "pushed": status.pushed_calls,
                "batches": SlowOutbox.batches,
                "message": status.message,
                "slowest_save_ms": round(slowest * 1000, 2),
            }
        )
    )
    outbox.close()
    return 0 if pending == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
