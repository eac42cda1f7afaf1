"""How ``mutum-copilot report`` shows a report: text tables (80 columns), CSV, charts.

Everything renders from the JSON of :func:`mutum_copilot.team.reports.report_json`
after every text in it went through :func:`mutum_copilot.safetext.clean_line`,
so a flow title or a search typed by anyone never drives the terminal nor a
spreadsheet. Charts are in :mod:`.report_charts` (plotext, imported only when
asked for).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from mutum_copilot.safetext import clean_line

CATEGORY_LABELS = {
    "resolved": "resolvido",
    "os": "OS",
    "forwarded": "encaminhado",
    "open": "em aberto",
    "other": "outro",
}
KIND_LABELS = {"faq": "FAQ", "flow": "fluxo"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cleaned(value: Any) -> Any:
    """``value`` (JSON-like) with every string passed through ``clean_line``."""
    if isinstance(value, str):
        return clean_line(value)
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: cleaned(v) for k, v in value.items()}
    return value


# --- small formatters ------------------------------------------------------------------
def duration(seconds: float | None) -> str:
    """``45s``, ``4min05s``, ``1h02min``; a dash when there is nothing to measure."""
    if seconds is None:
        return "—"
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}min{total % 60:02d}s"
    return f"{total // 3600}h{total % 3600 // 60:02d}min"


def br_datetime(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M")


def br_date(text: str) -> str:
    return date.fromisoformat(text).strftime("%d/%m/%Y")


def fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def text_table(header: Sequence[str], rows: Sequence[Sequence[Any]], width: int = 80) -> str:
    """A plain table: the first column left and cut to fit ``width``, the others right."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in [list(header), *cells]) for i in range(len(header))]
    others = sum(widths[1:]) + 2 * (len(widths) - 1)
    widths[0] = max(8, min(widths[0], width - others))

    def line(row: Sequence[str]) -> str:
        first = fit(row[0], widths[0]).ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("─" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in cells)])


# --- the table format ------------------------------------------------------------------
def header_lines(data: dict[str, Any]) -> list[str]:
    period = data["period"]
    source = "base da equipe (PostgreSQL)" if data["source"] == "team" else "histórico local"
    lines = [
        f"Relatório de atendimento · {source}",
        f"Período: {br_datetime(period['since'])} a {br_datetime(period['until'])} "
        f"({period['zone_label']}, relógio do call center)",
    ]
    filters = data["filters"]
    if filters["agent"] or filters["pack"]:
        parts = [f"atendente {filters['agent']}" if filters["agent"] else ""]
        parts.append(f"pacote {filters['pack']}" if filters["pack"] else "")
        lines.append("Filtro: " + ", ".join(p for p in parts if p))
    totals = data["totals"]
    lines.append(
        f"Chamadas: {totals['calls']} · assuntos: {totals['subjects']} · "
        f"buscas no FAQ: {totals['searches']} · atendentes: {totals['agents']}"
    )
    return lines


def _section(title: str, body: str) -> str:
    return f"\n{title}\n{body}"


def _none(what: str) -> str:
    return f"  (nenhum{what} no período)"


def outcomes_table(data: dict[str, Any], width: int) -> str:
    rows = data["outcomes"]
    if not rows:
        return _none(" assunto")
    show_other = any(r["other"] for r in rows)
    header = ["Assunto", "Total", "Resolvidos", "OS", "Encaminhados", "Em aberto"]
    header += ["Outros"] if show_other else []
    body = [
        [
            r["flow_title"] or r["flow_id"],
            r["total"],
            r["resolved"],
            r["os"],
            r["forwarded"],
            r["open"],
            *([r["other"]] if show_other else []),
        ]
        for r in rows
    ]
    return text_table(header, body, width)


def exits_table(data: dict[str, Any], width: int) -> str:
    rows = data["exit_nodes"]
    if not rows:
        return _none(" atendimento terminado")
    body: list[list[Any]] = []
    current = None
    for r in rows:
        if r["flow_id"] != current:
            current = r["flow_id"]
            body.append([r["flow_title"] or r["flow_id"], "", ""])
        node = r["node_title"] or r["node_id"]
        body.append([f"  {node}", CATEGORY_LABELS.get(r["category"], r["category"]), r["count"]])
    return text_table(["Assunto / nó de saída", "Desfecho", "Qtd"], body, width)


def times_table(rows: list[dict[str, Any]], first: str, width: int) -> str:
    if not rows:
        return _none("a chamada terminada")
    body = [
        [
            r["label"] or r["key"] or "(sem nome)",
            r["count"],
            duration(r["median_s"]),
            duration(r["p90_s"]),
            r["steps"],
            duration(r["step_median_s"]),
            duration(r["step_p90_s"]),
        ]
        for r in rows
    ]
    header = [first, "Qtd", "Mediana", "P90", "Passos", "Passo med.", "Passo P90"]
    return text_table(header, body, width)


def hours_table(data: dict[str, Any], width: int) -> str:
    rows = data["hours"]
    if not rows:
        return _none("a chamada")
    body = [
        [
            f"{r['hour']:02d}h",
            r["calls"],
            r["n1_closed"],
            r["uncovered"],
            r["os"],
            r["os_n1_closed"],
        ]
        for r in rows
    ]
    totals = [
        "Total",
        *(
            sum(r[k] for r in rows)
            for k in ("calls", "n1_closed", "uncovered", "os", "os_n1_closed")
        ),
    ]
    header = ["Hora", "Chamadas", "N1 fechado", "Sem cobertura", "OS", "OS c/ N1 fechado"]
    return text_table(header, [*body, totals], width)


def gaps_table(rows: list[dict[str, Any]], width: int) -> str:
    if not rows:
        return "  (nenhuma busca no período)"
    return text_table(
        ["Busca (como foi digitada)", "Vezes"], [[r["example"], r["count"]] for r in rows], width
    )


def stale_table(data: dict[str, Any], width: int) -> str:
    rows = data["stale_knowledge"]["items"]
    if not rows:
        return "  (nada vencido)"
    body = [
        [
            f"{KIND_LABELS.get(r['kind'], r['kind'])} {r['id']}: {r['title']}",
            br_date(r["verified_on"]),
            r["days_overdue"],
        ]
        for r in rows
    ]
    return text_table(["Item", "Verificado em", "Vencido há (dias)"], body, width)


def render_table(data: dict[str, Any], width: int = 80, charts: bool = False) -> str:
    """The whole report as text, each section under its title; charts when asked for."""
    if charts:
        from mutum_copilot.commands import report_charts
    zone = data["period"]["zone_label"]
    review = data["stale_knowledge"]["review_days"]
    parts = ["\n".join(header_lines(data))]
    parts.append(_section("Assuntos e desfechos", outcomes_table(data, width)))
    parts.append(_section("Onde os atendimentos terminam (nós de saída)", exits_table(data, width)))
    if charts and data["exit_nodes"]:
        parts.append(report_charts.exits_chart(data, width))
    parts.append(
        _section("Tempo por assunto", times_table(data["times"]["by_subject"], "Assunto", width))
    )
    parts.append(
        _section("Tempo por atendente", times_table(data["times"]["by_agent"], "Atendente", width))
    )
    parts.append(_section(f"Chamadas por hora ({zone}) e o turno do N1", hours_table(data, width)))
    if charts and data["hours"]:
        parts.append(report_charts.hours_chart(data, width))
    gaps = data["faq_gaps"]
    parts.append(
        _section("Lacunas do FAQ: buscas sem resposta", gaps_table(gaps["unanswered"], width))
    )
    parts.append(
        _section(
            "Lacunas do FAQ: resultados nunca abertos", gaps_table(gaps["never_opened"], width)
        )
    )
    parts.append(
        _section(f"Conhecimento vencido (revisão a cada {review} dias)", stale_table(data, width))
    )
    return "\n".join(parts) + "\n"


# --- CSV -------------------------------------------------------------------------------
def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def render_csv(data: dict[str, Any]) -> str:
    """One block per section (its name, a header row, the rows), blank lines between."""
    out = io.StringIO()
    writer = csv.writer(out)

    def block(name: str, header: list[str], rows: list[list[Any]]) -> None:
        writer.writerow([name])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
        writer.writerow([])

    block(
        "periodo",
        ["desde", "ate", "fuso"],
        [[data["period"]["since"], data["period"]["until"], data["period"]["zone"]]],
    )
    block(
        "assuntos",
        ["flow_id", "assunto", "total", "resolvidos", "os", "encaminhados", "em_aberto", "outros"],
        [
            [
                r["flow_id"],
                r["flow_title"],
                r["total"],
                r["resolved"],
                r["os"],
                r["forwarded"],
                r["open"],
                r["other"],
            ]
            for r in data["outcomes"]
        ],
    )
    block(
        "nos_de_saida",
        ["flow_id", "assunto", "no", "titulo", "desfecho", "qtd"],
        [
            [
                r["flow_id"],
                r["flow_title"],
                r["node_id"],
                r["node_title"],
                r["category"],
                r["count"],
            ]
            for r in data["exit_nodes"]
        ],
    )
    time_header = [
        "chave",
        "nome",
        "qtd",
        "mediana_s",
        "p90_s",
        "passos",
        "passo_mediana_s",
        "passo_p90_s",
    ]
    for name, key in (("tempo_por_assunto", "by_subject"), ("tempo_por_atendente", "by_agent")):
        block(
            name,
            time_header,
            [
                [
                    r["key"],
                    r["label"],
                    r["count"],
                    r["median_s"],
                    r["p90_s"],
                    r["steps"],
                    r["step_median_s"],
                    r["step_p90_s"],
                ]
                for r in data["times"][key]
            ],
        )
    block(
        "chamadas_por_hora",
        ["hora", "chamadas", "n1_fechado", "sem_cobertura", "os", "os_n1_fechado"],
        [
            [r["hour"], r["calls"], r["n1_closed"], r["uncovered"], r["os"], r["os_n1_closed"]]
            for r in data["hours"]
        ],
    )
    for name, key in (("faq_sem_resposta", "unanswered"), ("faq_nunca_aberto", "never_opened")):
        block(
            name,
            ["chave", "busca", "vezes"],
            [[r["key"], r["example"], r["count"]] for r in data["faq_gaps"][key]],
        )
    block(
        "conhecimento_vencido",
        ["tipo", "id", "titulo", "verificado_em", "vence_em", "dias_vencido"],
        [
            [r["kind"], r["id"], r["title"], r["verified_on"], r["due_on"], r["days_overdue"]]
            for r in data["stale_knowledge"]["items"]
        ],
    )
    return out.getvalue()
