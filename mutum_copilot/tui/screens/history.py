"""The history screen: recent calls, and the OS note of any of them on Enter."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from mutum_copilot.history import CallRecord, HistoryError, HistoryStore
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.screens.note_view import NoteViewScreen

OUTCOME_LABELS = {
    "resolved": "resolvido",
    "os_n1": "OS para o N1",
    "transfer_commercial": "comercial",
    "transfer_financial": "financeiro",
    "informed": "informado",
    "open": "finalizada antes do fim",
    "interrupted": "interrompida (nova chamada)",
    "": "em andamento",
}


def outcome_label(record: CallRecord) -> str:
    if record.discarded:
        return "descartada"
    if not record.finished:
        return "em andamento"
    label = OUTCOME_LABELS.get(record.outcome, record.outcome)
    return f"{label} (urgência {record.urgency})" if record.urgency == "alta" else label


class HistoryScreen(Screen[None]):
    """Recent calls, newest first."""

    BINDINGS = [
        Binding("escape,h,q", "app.pop_screen", "Voltar", id="history-close"),
        Binding("enter", "open_note", "Ver nota", id="history-open", show=True),
    ]

    def __init__(self, store: HistoryStore | None, zone: ZoneInfo) -> None:
        super().__init__()
        self.store = store
        self.zone = zone
        self.records: list[CallRecord] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Histórico de chamadas", "bold"), id="history-title")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Início", "Fluxo", "Desfecho", "Duração")
        if self.store is None:
            self.query_one("#history-title", Static).update(
                "Histórico indisponível neste computador."
            )
            return
        try:
            self.records = self.store.recent(200)
        except HistoryError as exc:
            self.query_one("#history-title", Static).update(f"Histórico indisponível: {exc}")
            return
        for record in self.records:
            started = record.started_at.astimezone(self.zone)
            end = record.finished_at or record.updated_at
            minutes = max(0, int((end - record.started_at).total_seconds() // 60))
            table.add_row(
                f"{started:%d/%m %H:%M}",
                record.flow_title or record.flow_id or "—",
                outcome_label(record),
                f"{minutes} min",
                key=str(record.id),
            )
        table.focus()

    @on(DataTable.RowSelected)
    @guarded
    def action_open_note(self) -> None:
        table = self.query_one(DataTable)
        if not self.records or table.cursor_row is None:
            return
        record = self.records[table.cursor_row]
        text = record.note_text or "(chamada sem nota de OS finalizada)"
        self.app.push_screen(NoteViewScreen(text, title=f"Chamada {record.id}"))
