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
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.paths import bundled_pack_dir, data_dir
from mutum_copilot.search import SearchIndex
from mutum_copilot.shift import ShiftClock
from mutum_copilot.vault import Vault, VaultError, VaultPermissionError, empty_vault, load_vault

Clock = Callable[[], dt.datetime]
HISTORY_FILE = "history.sqlite3"


@dataclass
class Services:
    """The loaded pack and the parts built from it, plus warnings to show at start."""

    pack: Pack
    settings: Settings
    clock: Clock
    search: SearchIndex
    shift_clock: ShiftClock
    vault: Vault
    history: HistoryStore | None
    warnings: list[str] = field(default_factory=list)

    def reload_pack(self, pack: Pack) -> None:
        """Swap in a freshly loaded pack (the caller validated it) and rebuild what hangs on it."""
        self.pack = pack
        self.search = SearchIndex.build(pack.faq, pack.synonyms)
        self.shift_clock = ShiftClock.from_facts(pack.facts, self.clock)


def pack_dir_for(settings: Settings, override: Path | None = None) -> Path:
    """``--knowledge`` first, then the config's pack, then the bundled one."""
    if override is not None:
        return override
    return Path(settings.knowledge) if settings.knowledge else bundled_pack_dir()


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
) -> Services:
    """Load the pack (raises PackError) and build the rest; non-fatal problems become warnings.

    ``cached``: take the validated pack and its index from the user's cache when
    the pack's files are unchanged (:mod:`mutum_copilot.packs.cache`; the TUI's start).
    """
    if cached:
        from mutum_copilot.packs.cache import load_indexed_pack

        pack, search = load_indexed_pack(pack_dir_for(settings, knowledge))
    else:
        pack = load_pack(pack_dir_for(settings, knowledge))
        search = SearchIndex.build(pack.faq, pack.synonyms)
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
        pack=pack,
        settings=settings,
        clock=clock,
        search=search,
        shift_clock=ShiftClock.from_facts(pack.facts, clock),
        vault=vault,
        history=history,
        warnings=warnings,
    )
