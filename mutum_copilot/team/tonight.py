"""Tonight's figures for the supervisor screen: the team store when configured, else this seat.

The night is read from noon to noon in the call center's clock (as the
reports' hours are), so a supervisor opening the screen at 02:00 sees the
whole night since 12:00 of the day before. When the team store is configured
but cannot be reached, the seat's own history answers and :class:`Tonight`
says so, instead of an empty screen. Runs in a worker thread (it may wait on
the network for the connect timeout); never on the app's event loop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mutum_copilot.config import TeamSettings
from mutum_copilot.team.reports import ReportQuery, build_report, report_json
from mutum_copilot.vault import Vault


@dataclass(frozen=True)
class Tonight:
    data: dict[str, Any]
    """:func:`~.reports.report_json` of tonight."""
    notice: str = ""
    """pt-BR: why the figures are only this seat's, when the store was configured."""


def night_of(now: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The noon-to-noon night ``now`` falls in, in ``zone``."""
    local = now.astimezone(zone)
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    since = noon if local >= noon else noon - dt.timedelta(days=1)
    return since, since + dt.timedelta(days=1)


def _gmt(moment: dt.datetime) -> str:
    seconds = int((moment.utcoffset() or dt.timedelta()).total_seconds())
    hours, rest = divmod(abs(seconds), 3600)
    return f"GMT{'-' if seconds < 0 else '+'}{hours}" + (f":{rest // 60:02d}" if rest else "")


def tonight(
    team: TeamSettings,
    vault: Vault | None,
    history_path: Path | None,
    now: dt.datetime,
    zone: ZoneInfo,
) -> Tonight:
    """Tonight's report; MutumError (pt-BR) when neither the store nor the history can answer."""
    from mutum_copilot.errors import MutumError

    since, until = night_of(now, zone)
    query = ReportQuery(since, until, zone=zone.key, zone_label=_gmt(now.astimezone(zone)))
    notice = ""
    if team.url:
        from mutum_copilot.team.connect import TeamUnavailable, team_target
        from mutum_copilot.team.reports_sql import SqlReports
        from mutum_copilot.team.store import TeamStore

        target = team_target(team, vault)
        assert target is not None
        try:
            store = TeamStore.open(target)
        except TeamUnavailable as exc:
            notice = f"{exc}; mostrando só este posto"
        else:
            try:
                return Tonight(report_json(build_report(SqlReports(store.conn), query)))
            finally:
                store.close()
    if history_path is None or not Path(history_path).is_file():
        raise MutumError(notice or "sem histórico local neste posto: nada a mostrar")
    from mutum_copilot.team.reports_local import local_backend

    return Tonight(
        report_json(build_report(local_backend(Path(history_path), query), query)), notice
    )
