"""The supervisor screen (F6): tonight's figures, from the team store or this seat's history.

Loaded in a worker thread (the store may be slow or away: the screen says
"Carregando…" and the agent's keys stay free), shown in four tabs that fit
80x24: the summary with outcomes by subject, the exit nodes (bars), calls per
hour against N1's shift (bars), and the FAQ gaps. Every text comes through
``safetext`` (:func:`~mutum_copilot.commands.report_render.cleaned`). Esc or
F6 closes it; ``r`` loads again.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from mutum_copilot.commands.report_render import (
    cleaned,
    exits_table,
    gaps_table,
    header_lines,
    hours_table,
    outcomes_table,
)
from mutum_copilot.errors import MutumError
from mutum_copilot.logs import get_logger
from mutum_copilot.services import Services
from mutum_copilot.team.tonight import Tonight, tonight
from mutum_copilot.tui.guard import guarded

LOADING = "Carregando os números desta noite…"
_log = get_logger("team")


class SupervisorScreen(Screen[None]):
    """Tonight at a glance for a supervisor."""

    BINDINGS = [
        Binding("escape,f6,q", "app.pop_screen", "Voltar", id="supervisor-close"),
        Binding("r", "reload", "Atualizar", id="supervisor-reload"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Supervisão · {LOADING}", "bold"), id="sup-title")
        with TabbedContent(id="sup-tabs"):
            with TabPane("Resumo", id="sup-summary"), VerticalScroll():
                yield Static("", id="sup-outcomes", classes="sup-text")
            with TabPane("Saídas", id="sup-exits"), VerticalScroll():
                yield PlotextPlot(id="sup-exits-chart")
                yield Static("", id="sup-exits-table", classes="sup-text")
            with TabPane("Por hora", id="sup-hours"), VerticalScroll():
                yield PlotextPlot(id="sup-hours-chart")
                yield Static("", id="sup-hours-table", classes="sup-text")
            with TabPane("Lacunas do FAQ", id="sup-gaps"), VerticalScroll():
                yield Static("", id="sup-gaps-text", classes="sup-text")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @guarded
    def action_reload(self) -> None:
        self.query_one("#sup-title", Static).update(Text(f"Supervisão · {LOADING}", "bold"))
        self.load()

    @work(thread=True, exclusive=True, group="supervisor")
    def load(self) -> None:
        services = self.services
        history = services.history
        path = None if history is None or history.in_memory else history.path
        try:
            found = tonight(
                services.settings.team,
                services.vault,
                path,
                services.clock(),
                services.pack.facts.call_center.time_zone,
            )
        except MutumError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        except Exception as exc:  # logged; the screen says so and stays usable
            _log.error("supervisor screen: tonight's report failed", exc_info=exc)
            self.app.call_from_thread(self.failed, "erro ao montar o relatório (veja o log)")
            return
        self.app.call_from_thread(self.show, found)

    def failed(self, message: str) -> None:
        self.query_one("#sup-title", Static).update(
            Text(f"Supervisão · sem números: {cleaned(message)}", "bold yellow")
        )

    def show(self, found: Tonight) -> None:
        data = cleaned(found.data)
        self.data = data
        width = max(60, min(100, self.app.size.width - 4))
        lines = header_lines(data)
        lines[0] = lines[0].replace("Relatório de atendimento", "Supervisão · esta noite")
        title = Text("\n".join(lines[:2]), "bold")
        if found.notice:
            title.append(f"\n{cleaned(found.notice)}", "yellow")
        self.query_one("#sup-title", Static).update(title)
        self.query_one("#sup-outcomes", Static).update(
            Text("\n".join(lines[2:]) + "\n\nAtendimentos por assunto e desfecho\n")
            + Text(outcomes_table(data, width))
        )
        self.query_one("#sup-exits-table", Static).update(Text(exits_table(data, width)))
        self.query_one("#sup-hours-table", Static).update(Text(hours_table(data, width)))
        gaps = data["faq_gaps"]
        self.query_one("#sup-gaps-text", Static).update(
            Text("Buscas sem resposta no FAQ\n", "bold")
            + Text(gaps_table(gaps["unanswered"], width))
            + Text("\n\nBuscas cujos resultados nunca foram abertos\n", "bold")
            + Text(gaps_table(gaps["never_opened"], width))
        )
        self._charts(data)

    def _charts(self, data: dict[str, Any]) -> None:
        hours = [r for r in data["hours"] if r["calls"]]
        plot = self.query_one("#sup-hours-chart", PlotextPlot)
        plot.display = bool(hours)
        if hours:
            plt = plot.plt
            plt.clear_data()
            labels = [f"{r['hour']}h" for r in hours]
            plt.bar(labels, [r["calls"] for r in hours], label="chamadas", width=0.6)
            plt.bar(labels, [r["n1_closed"] for r in hours], label="com N1 fechado", width=0.6)
            top = max(r["calls"] for r in hours)
            plt.yticks(list(range(0, top + 1, max(1, -(-top // 5)))))
            plt.title(f"Chamadas por hora ({data['period']['zone_label']})")
            plot.refresh()
        exits = sorted(data["exit_nodes"], key=lambda r: -r["count"])[:8][::-1]
        chart = self.query_one("#sup-exits-chart", PlotextPlot)
        chart.display = bool(exits)
        if exits:
            plt = chart.plt
            plt.clear_data()
            names = [
                (r["node_title"] or r["node_id"])[:24] + (" [OS]" if r["category"] == "os" else "")
                for r in exits
            ]
            plt.bar(names, [r["count"] for r in exits], orientation="horizontal", width=0.4)
            top = max(r["count"] for r in exits)
            plt.xticks(list(range(0, top + 1, max(1, -(-top // 5)))))
            plt.title("Nós de saída mais frequentes")
            chart.refresh()
