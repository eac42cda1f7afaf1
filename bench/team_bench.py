"""Team store benchmark: sync throughput, finished-call-to-report lag, reports on a year.

Run from the repository root::

    .venv/bin/python -m bench.team_bench                       # 1,000,000 calls (a few minutes)
    .venv/bin/python -m bench.team_bench --quick --json /tmp/team.json     # 100,000 calls
    .venv/bin/python -m bench.team_bench --url postgresql://postgres@127.0.0.1:5432/postgres

Without ``--url`` it starts a throwaway PostgreSQL as tests/pg.py does (the
machine's binaries, a temp folder, a free port; as ``postgres`` when root), with
the server's defaults for durability (the test server's ``fsync=off`` is NOT
used here). Every part uses a fresh database:

1. *push*: ``TeamStore.push`` of ready-made calls (1-2 subjects, 3-8 steps each)
   in batches of ``--batch``: calls/s and rows/s into PostgreSQL;
2. *worker*: the same through the whole path, a SQLite outbox (the test-side
   stand-in for the history adapter) read by a :class:`SyncWorker`;
3. *lag*: a finished call saved and the worker woken (as the seat does after a
   save), until ``SqlReports.totals`` counts it: median and p99 over samples;
4. *keystroke*: a proxy for the seat's keystroke latency while it syncs: FAQ
   searches on the shipped pack (what a key typed in the FAQ pane runs) on the
   main thread, alone and while the worker pushes a backlog in its thread;
5. *reports*: a store of ``--calls`` calls (a year of a 50-seat center: 2,740
   a night, 150 agents, 1.2 subjects and 6.6 steps a call, one FAQ search a
   call), generated inside PostgreSQL with ``INSERT ... SELECT``; the whole
   report (``build_report``) for a night, a month and the year, with and
   without an agent filter, and EXPLAIN of the night's queries (index use).

Figures, not asserts: see BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.common import REPO, describe_load, load_average, machine, percentiles, table, write_json

sys.path.insert(0, str(REPO / "tests"))

import pg  # tests/pg.py: the throwaway server
from team_helpers import SqliteOutbox, StepSpec, SubjectSpec, build_call

from mutum_copilot.team.connect import TeamTarget
from mutum_copilot.team.records import SyncBatch, TeamCall
from mutum_copilot.team.reports import ReportQuery, build_report
from mutum_copilot.team.reports_sql import SqlReports
from mutum_copilot.team.scrub import query_key
from mutum_copilot.team.store import TeamStore
from mutum_copilot.team.sync import SyncWorker

GMT3 = dt.timezone(dt.timedelta(hours=-3))
YEAR_START = dt.datetime(2026, 1, 1, 19, 30, tzinfo=GMT3)
FLOWS = [f"fluxo-{i}" for i in range(8)]
QUERIES = [
    f"{w} {v}"
    for w in (
        "boleto",
        "senha",
        "visita",
        "sinal",
        "mudanca",
        "plano",
        "cancelar",
        "fatura",
        "wifi",
        "lenta",
    )
    for v in (
        "hoje",
        "como",
        "valor",
        "prazo",
        "nao funciona",
        "segunda via",
        "tecnico",
        "app",
        "roteador",
        "fibra",
    )
]


def random_call(rng: random.Random, number: int) -> TeamCall:
    start = YEAR_START + dt.timedelta(minutes=3 * number)
    subjects, at = [], 0
    for seq in range(1 if rng.random() < 0.8 else 2):
        steps = []
        for index in range(rng.randint(3, 8)):
            at += rng.randint(5, 120)
            steps.append(StepSpec(at, f"no-{index}", f"Passo {index}", answer="sim"))
        end = at + 5
        flow = rng.choice(FLOWS)
        subjects.append(
            SubjectSpec(
                flow, flow, 0 if seq == 0 else at, end, "resolved", "", steps[-1].node, tuple(steps)
            )
        )
        at = end
    return build_call(f"Agente {number % 150}", start, subjects, finished=at, revision=3)


def rows_of(calls: list[TeamCall]) -> int:
    return sum(1 + len(c.subjects) + len(c.steps) for c in calls)


# --- 1-3: sync ---------------------------------------------------------------------------
def bench_push(url: str, n: int, batch: int) -> dict[str, Any]:
    rng = random.Random(1)
    calls = [random_call(rng, i) for i in range(n)]
    store = TeamStore.open(TeamTarget(url))
    begin = time.perf_counter()
    for i in range(0, n, batch):
        store.push(SyncBatch(tuple(calls[i : i + batch])))
    seconds = time.perf_counter() - begin
    again = time.perf_counter()
    for i in range(0, n, batch):  # the same batches again: nothing to write
        store.push(SyncBatch(tuple(calls[i : i + batch])))
    repeat = time.perf_counter() - again
    store.close()
    return {
        "calls": n,
        "rows": rows_of(calls),
        "seconds": seconds,
        "calls_per_s": n / seconds,
        "rows_per_s": rows_of(calls) / seconds,
        "repeat_calls_per_s": n / repeat,
    }


def bench_worker(url: str, n: int, batch: int, folder: Path) -> dict[str, Any]:
    rng = random.Random(2)
    outbox_path = folder / "worker.sqlite3"
    outbox = SqliteOutbox(outbox_path)
    for i in range(n):
        outbox.save_call(random_call(rng, i))
    worker = SyncWorker(
        lambda: SqliteOutbox(outbox_path),
        lambda: TeamStore.open(TeamTarget(url)),
        batch_size=batch,
        idle_poll_s=0.05,
    )
    begin = time.perf_counter()
    worker.start()
    while outbox.count_pending():
        time.sleep(0.01)
    seconds = time.perf_counter() - begin
    worker.stop()
    outbox.close()
    return {"calls": n, "seconds": seconds, "calls_per_s": n / seconds}


def bench_lag(url: str, samples: int, folder: Path) -> dict[str, Any]:
    TeamStore.open(TeamTarget(url)).close()  # the schema, before the report asks
    outbox_path = folder / "lag.sqlite3"
    outbox = SqliteOutbox(outbox_path)
    worker = SyncWorker(
        lambda: SqliteOutbox(outbox_path), lambda: TeamStore.open(TeamTarget(url)), idle_poll_s=30
    ).start()
    reports = SqlReports(psycopg.connect(url, autocommit=True))
    spec = SubjectSpec(
        "sem-conexao", "Sem conexão", 0, 60, "resolved", "", "fim", (StepSpec(30, "fim", "Fim"),)
    )
    query = ReportQuery(YEAR_START, YEAR_START + dt.timedelta(days=1))
    lags = []
    for i in range(samples):
        time.sleep(0.05)
        call = build_call("Ana", YEAR_START + dt.timedelta(minutes=i), [spec], finished=60)
        begin = time.perf_counter()
        outbox.save_call(call)  # the seat: save, then wake the sync
        worker.wake()
        while reports.totals(query).calls < i + 1:
            time.sleep(0.001)
        lags.append(time.perf_counter() - begin)
    worker.stop()
    outbox.close()
    reports.conn.close()
    return percentiles(lags)


def bench_keystroke(url: str, backlog: int, folder: Path) -> dict[str, Any]:
    from mutum_copilot.packs.loader import load_pack
    from mutum_copilot.paths import bundled_pack_dir
    from mutum_copilot.search import SearchIndex

    pack = load_pack(bundled_pack_dir())
    index = SearchIndex.build(pack.faq, pack.synonyms)
    typed = [
        q[:k]
        for q in ("segunda via do boleto", "visita tecnica", "senha do wifi")
        for k in range(2, len(q) + 1)
    ]

    def keystrokes(rounds: int) -> list[float]:
        out = []
        for _ in range(rounds):
            for text in typed:
                begin = time.perf_counter()
                index.search(text)
                out.append(time.perf_counter() - begin)
        return out

    keystrokes(3)  # warm the caches
    alone = keystrokes(20)
    rng = random.Random(3)
    outbox_path = folder / "keys.sqlite3"
    outbox = SqliteOutbox(outbox_path)
    for i in range(backlog):
        outbox.save_call(random_call(rng, i))
    worker = SyncWorker(
        lambda: SqliteOutbox(outbox_path), lambda: TeamStore.open(TeamTarget(url)), idle_poll_s=0.05
    ).start()
    while outbox.count_pending() == backlog:  # the push has begun
        time.sleep(0.001)
    during: list[float] = []
    while outbox.count_pending() and len(during) < 20 * len(typed):
        during += keystrokes(1)
    worker.stop()
    outbox.close()
    a, b = percentiles(alone), percentiles(during)
    return {
        "alone": a,
        "syncing": b,
        "ratio_median": b["median_ms"] / a["median_ms"],
        "ratio_p99": b["p99_ms"] / a["p99_ms"],
    }


# --- 5: a year of calls, and the reports on it -------------------------------------------
_FILL = """
CREATE TEMP TABLE gen AS
SELECT i, md5('c' || i)::uuid AS uid, 'Agente ' || (i % 150) AS agent,
    timestamptz '2026-01-01 22:30+00' + (i / $per_day) * interval '1 day'
        + (random() * 15 - 1) * interval '1 hour' AS t,
    1 + (i % 5 = 0)::int AS subjects
FROM generate_series(0, $n - 1) AS i;
INSERT INTO calls (uid, revision, seat, agent, pack_id, pack_version, started_at, updated_at,
    finished_at, seconds, n1_state, call_center_state)
SELECT uid, 3, 'pa-' || (i % 50), agent, 'mutum-fibra', '2026.12.01', t, t, t + interval '5 min',
    300, CASE WHEN t AT TIME ZONE 'America/Cuiaba' > date_trunc('day', t AT TIME ZONE
    'America/Cuiaba') + interval '7 hours 30 min' AND (t AT TIME ZONE 'America/Cuiaba')::time
    < time '17:30' THEN 'on_shift' ELSE 'closed' END,
    CASE WHEN (t AT TIME ZONE 'America/Sao_Paulo')::time BETWEEN time '09:30' AND time '19:30'
    THEN 'closed' ELSE 'on_shift' END
FROM gen;
CREATE TEMP TABLE gen_subjects AS
SELECT g.uid AS call_uid, s AS seq, md5('s' || g.i || '-' || s)::uuid AS uid, g.agent, g.t,
    'fluxo-' || ((g.i + s) % 8) AS flow_id, 3 + (g.i + s) % 6 AS steps,
    (ARRAY['resolved','os_n1','transfer_financial','informed','resolved'])[1 + (g.i / 7 + s) % 5]
        AS outcome, 30 + (g.i::bigint * 7919 + s) % 600 AS seconds
FROM gen g CROSS JOIN LATERAL generate_series(0, g.subjects - 1) AS s;
INSERT INTO subjects (uid, call_uid, seq, flow_id, flow_title, outcome, urgency, exit_node,
    exit_title, started_at, ended_at, seconds, n1_state, call_center_state, agent, pack_id,
    call_started_at, category)
SELECT s.uid, s.call_uid, s.seq, s.flow_id, s.flow_id, s.outcome,
    CASE WHEN s.outcome = 'os_n1' THEN 'normal' ELSE '' END, 'no-' || (s.steps - 1),
    'Passo ' || (s.steps - 1), s.t, s.t + s.seconds * interval '1 s', s.seconds, c.n1_state,
    c.call_center_state, s.agent, 'mutum-fibra', s.t,
    CASE s.outcome WHEN 'os_n1' THEN 'os' WHEN 'transfer_financial' THEN 'forwarded'
        ELSE 'resolved' END
FROM gen_subjects s JOIN calls c ON c.uid = s.call_uid;
INSERT INTO steps (uid, call_uid, subject_seq, seq, at, node_id, node_title, answer, n1_state,
    call_center_state, seconds, flow_id, agent, pack_id, call_started_at)
SELECT md5('t' || s.uid::text || k)::uuid, s.call_uid, s.seq, k, s.t + k * interval '30 s',
    'no-' || k, 'Passo ' || k, 'sim', 'closed', 'on_shift',
    5 + (hashtext(s.uid::text || k) & 2147483647) % 180, s.flow_id, s.agent, 'mutum-fibra', s.t
FROM gen_subjects s CROSS JOIN LATERAL generate_series(0, s.steps - 1) AS k;
INSERT INTO faq_searches (uid, revision, agent, pack_id, at, query, query_key, shown, opened,
    answered)
SELECT md5('q' || g.i)::uuid, 1, g.agent, 'mutum-fibra', g.t + interval '1 min', q.query, q.key,
    CASE WHEN g.i % 4 = 0 THEN '{}'::text[] ELSE ARRAY['a', 'b'] END,
    CASE WHEN g.i % 3 = 0 THEN '{}'::text[] ELSE ARRAY['a'] END, g.i % 5 <> 0
FROM gen g JOIN queries q ON q.n = g.i % $queries;
"""


def fill(url: str, n: int) -> dict[str, Any]:
    TeamStore.open(TeamTarget(url)).close()  # the schema, by the app
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE queries (n int, query text, key text)")
        with conn.cursor().copy("COPY queries FROM STDIN") as copy:
            for number, query in enumerate(QUERIES):
                copy.write_row((number, query, query_key(query)))
        conn.execute("SET maintenance_work_mem = '256MB'")
        begin = time.perf_counter()
        with conn.transaction():
            sql = string.Template(_FILL).substitute(
                n=n, per_day=max(1, n // 365), queries=len(QUERIES)
            )
            conn.execute(sql.encode())
        filled = time.perf_counter() - begin
        conn.execute("VACUUM ANALYZE")
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("calls", "subjects", "steps", "faq_searches")
        }
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return {"seconds": filled, "rows": counts, "size": size.fetchone()[0]}


def bench_reports(url: str, n: int, repeat: int) -> dict[str, Any]:
    days = max(1, n // 2740) if n >= 2740 else 1
    last_night = YEAR_START + dt.timedelta(days=min(days, 365) - 2)
    windows = {
        "one night": (last_night, last_night + dt.timedelta(hours=16)),
        "one month": (last_night - dt.timedelta(days=30), last_night + dt.timedelta(days=1)),
        "the year": (YEAR_START - dt.timedelta(days=1), YEAR_START + dt.timedelta(days=400)),
    }
    out: dict[str, Any] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        reports = SqlReports(conn)
        for name, (since, until) in windows.items():
            for agent in (None, "Agente 7"):
                query = ReportQuery(since, until, agent=agent)
                times = []
                for _ in range(repeat):
                    begin = time.perf_counter()
                    report = build_report(reports, query)
                    times.append(time.perf_counter() - begin)
                key = name + (" (one agent)" if agent else "")
                out[key] = {
                    "median_s": statistics.median(times),
                    "min_s": min(times),
                    "calls": report.totals.calls,
                }
        out["explain"] = explain(conn, *windows["one night"])
    return out


def explain(conn: psycopg.Connection[Any], since: dt.datetime, until: dt.datetime) -> list[str]:
    """The plan lines of the night's main queries that say how rows are found."""
    lines = []
    for what, sql in (
        (
            "calls",
            "SELECT count(*), count(DISTINCT agent) FROM calls WHERE started_at >= %(s)s"
            " AND started_at < %(u)s",
        ),
        (
            "subjects",
            "SELECT flow_id, count(*) FROM subjects WHERE call_started_at >= %(s)s AND"
            " call_started_at < %(u)s GROUP BY flow_id",
        ),
        (
            "steps",
            "SELECT flow_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM steps"
            " WHERE call_started_at >= %(s)s AND call_started_at < %(u)s GROUP BY flow_id",
        ),
        (
            "steps of one agent",
            "SELECT count(*) FROM steps WHERE agent = 'Agente 7' AND"
            " call_started_at >= %(s)s AND call_started_at < %(u)s",
        ),
        (
            "faq gaps",
            "SELECT query_key, count(*) FROM faq_searches WHERE at >= %(s)s AND"
            " at < %(u)s AND NOT answered GROUP BY query_key",
        ),
    ):
        plan = conn.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", {"s": since, "u": until})
        scans = [r[0].strip() for r in plan if "Scan" in r[0] or "Execution Time" in r[0]]
        lines += [f"{what}: {line}" for line in scans]
    return lines


# --- output ------------------------------------------------------------------------------
def print_tables(results: dict[str, Any]) -> None:
    push, worker = results["push"], results["worker"]
    print("\n**Sync throughput** (calls with their subjects and steps, into PostgreSQL)\n")
    print(
        table(
            [
                [
                    "TeamStore.push",
                    f"{push['calls']:,}",
                    f"{push['calls_per_s']:,.0f}",
                    f"{push['rows_per_s']:,.0f}",
                ],
                [
                    "same batches again (no-op)",
                    f"{push['calls']:,}",
                    f"{push['repeat_calls_per_s']:,.0f}",
                    "",
                ],
                [
                    "outbox -> SyncWorker -> store",
                    f"{worker['calls']:,}",
                    f"{worker['calls_per_s']:,.0f}",
                    "",
                ],
            ],
            ["path", "calls", "calls/s", "rows/s"],
        )
    )
    lag = results["lag"]
    print(
        f"\n**Lag** finished call -> counted by the report: median {lag['median_ms']:.1f} ms,"
        f" p99 {lag['p99_ms']:.1f} ms ({lag['n']} calls)"
    )
    keys = results["keystroke"]
    print("\n**Keystroke proxy** (one FAQ search on the shipped pack, main thread)\n")
    print(
        table(
            [
                [
                    "alone",
                    f"{keys['alone']['median_ms']:.3f}",
                    f"{keys['alone']['p99_ms']:.3f}",
                    "",
                ],
                [
                    "while the worker syncs",
                    f"{keys['syncing']['median_ms']:.3f}",
                    f"{keys['syncing']['p99_ms']:.3f}",
                    f"{keys['ratio_median']:.2f}x / {keys['ratio_p99']:.2f}x",
                ],
            ],
            ["", "median ms", "p99 ms", "ratio (median / p99)"],
        )
    )
    filled = results["fill"]
    print(
        f"\n**Store** {filled['rows']} generated in {filled['seconds']:.0f} s, {filled['size']}\n"
    )
    rows = [
        [k, f"{v['calls']:,}", f"{v['median_s']:.3f}", f"{v['min_s']:.3f}"]
        for k, v in results["reports"].items()
        if k != "explain"
    ]
    print(table(rows, ["whole report (build_report)", "calls", "median s", "min s"]))
    print("\nEXPLAIN ANALYZE, one night:")
    for line in results["reports"]["explain"]:
        print(f"    {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a superuser URL (default: start a throwaway server)")
    parser.add_argument("--calls", type=int, default=1_000_000, help="calls in the report store")
    parser.add_argument("--push", type=int, default=20_000, help="calls pushed for throughput")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--lag-samples", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="100,000 calls, fewer samples")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.push, args.lag_samples, args.repeat = 100_000, 5_000, 20, 2
    server = None
    admin = args.url
    if admin is None:
        pg._SETTINGS.update(
            {
                "fsync": "on",
                "synchronous_commit": "on",
                "full_page_writes": "on",
                "shared_buffers": "256MB",
                "work_mem": "64MB",
            }
        )
        server = pg.start_server()
        admin = server.admin_url
    before = load_average()
    results: dict[str, Any] = {}
    folder = Path(tempfile.mkdtemp(prefix="mutum-bench-team-"))
    try:

        def fresh() -> str:
            return pg.url_for(admin, pg.create_database(admin))

        results["push"] = bench_push(fresh(), args.push, args.batch)
        results["worker"] = bench_worker(fresh(), args.push // 4, args.batch, folder)
        results["lag"] = bench_lag(fresh(), args.lag_samples, folder)
        results["keystroke"] = bench_keystroke(fresh(), 3000, folder)
        url = fresh()
        results["fill"] = fill(url, args.calls)
        results["reports"] = bench_reports(url, args.calls, args.repeat)
    finally:
        if server is not None:
            server.cleanup()
    after = load_average()
    print_tables(results)
    print(f"\n{describe_load(before, after)}")
    write_json(
        args.json, {"machine": machine(), "load_before": before, "load_after": after, **results}
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
