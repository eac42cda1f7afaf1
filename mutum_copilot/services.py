"""Everything the app needs, built once from the config: the one factory's core half.

The CLI, the tests and the screenshot script all call :func:`build_services`,
then hand the result to the TUI (:func:`mutum_copilot.tui.factory.build_app`).
Nothing in here imports Textual, so it is tested directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mutum_copilot.clock import system_clock
from mutum_copilot.config import Settings
from mutum_copilot.history import UI_BUSY_TIMEOUT_MS, HistoryError, HistoryStore
from mutum_copilot.holiday_table import HolidayTable
from mutum_copilot.packs.catalog import Catalog, load_configured
from mutum_copilot.packs.model import Pack
from mutum_copilot.paths import data_dir, holiday_cache_dir
from mutum_copilot.search import SearchIndex
from mutum_copilot.shift import ShiftClock
from mutum_copilot.vault import Vault, VaultError, VaultPermissionError, empty_vault, load_vault

Clock = Callable[[], dt.datetime]
HISTORY_FILE = "history.sqlite3"


@dataclass
class Services:
    """The loaded packs and the parts built from them, plus warnings to show at start.

    ``catalog`` holds every configured pack (see :mod:`mutum_copilot.packs.catalog`);
    ``pack``, ``search`` and ``shift_clock`` are the default pack's, as the TUI
    reads them until a call carries its own provider.
    """

    pack: Pack
    settings: Settings
    clock: Clock
    search: SearchIndex
    shift_clock: ShiftClock
    catalog: Catalog
    vault: Vault
    history: HistoryStore | None
    warnings: list[str] = field(default_factory=list)

    def reload_pack(self, pack: Pack) -> None:
        """Swap in a freshly loaded pack (the caller validated it) and rebuild what hangs on it."""
        self.catalog = self.catalog.with_pack(pack)
        entry = self.catalog.get(pack.id)
        if entry.id == self.catalog.default_id:
            self.pack = pack
            self.search = entry.search
            self.shift_clock = entry.shift_clock

    def vault_for(self, pack_id: str) -> Vault:
        """The credentials a call of ``pack_id`` uses (its vault section; see vault.py)."""
        return self.vault.for_pack(pack_id, default=pack_id == self.catalog.default_id)


def pack_dir_for(settings: Settings, override: Path | None = None) -> Path:
    """The first pack folder :meth:`Settings.pack_dirs` names (for one-pack callers)."""
    return settings.pack_dirs(override)[0]


def open_history(
    settings: Settings, override: Path | None = None
) -> tuple[HistoryStore | None, str]:
    """The history store, or None and a warning when the disk refuses it.

    The app's store waits for another program's write lock a quarter of a second
    at most (:data:`~mutum_copilot.history.UI_BUSY_TIMEOUT_MS`): a key is never
    held up by the disk; a refused save is retried (see LiveCall.retry_save).
    """
    path = override or (
        Path(settings.history_path) if settings.history_path else data_dir() / HISTORY_FILE
    )
    try:
        return HistoryStore(path, busy_timeout_ms=UI_BUSY_TIMEOUT_MS), ""
    except HistoryError as exc:
        return None, f"Histórico indisponível ({exc}); a chamada segue só na memória."


def build_services(
    settings: Settings,
    *,
    knowledge: Path | None = None,
    clock: Clock = system_clock,
    history_path: Path | None = None,
    vault_path: Path | None = None,
    with_history: bool = True,
    cached: bool = False,
    holidays: HolidayTable | None = None,
) -> Services:
    """Load the pack (raises PackError) and build the rest; non-fatal problems become warnings.

    ``cached``: take the validated pack and its index from the user's cache when
    the pack's files are unchanged (:mod:`mutum_copilot.packs.cache`; the TUI's start).
    ``holidays``: the public-holiday table of every shift clock; by default the
    user's cache file (none with ``MUTUM_COPILOT_NO_HOLIDAY_CACHE``).
    """
    if holidays is None:
        holidays = HolidayTable.in_folder(holiday_cache_dir())
    catalog = load_configured(settings, knowledge, clock, cached=cached, holidays=holidays)
    default = catalog.default
    warnings: list[str] = []
    history: HistoryStore | None = None
    if with_history:
        history, warning = open_history(settings, history_path)
        if warning:
            warnings.append(warning)
        else:
            assert history is not None
            cutoff = clock() - dt.timedelta(days=settings.retention_days)
            try:
                history.purge(cutoff)
            except HistoryError as exc:
                warnings.append(f"Não foi possível limpar o histórico antigo: {exc}")
    try:
        vault = load_vault(vault_path)
    except (VaultError, VaultPermissionError) as exc:
        vault = empty_vault(vault_path)
        warnings.append(f"Cofre recusado: {exc}")
    return Services(
        pack=default.pack,
        settings=settings,
        clock=clock,
        search=default.search,
        shift_clock=default.shift_clock,
        catalog=catalog,
        vault=vault,
        history=history,
        warnings=warnings,
    )
