"""Terminal charts of the report (plotext): calls per hour, and the exit nodes.

Drawn with fill characters instead of colours (the ``clear`` theme, escape codes
stripped), so they read the same in a pipe, a log or a black-and-white
terminal; the part of an hour's bar with N1 closed is drawn in ░. Text in the
labels was already cleaned (:func:`~.report_render.cleaned`).
"""

from __future__ import annotations

import re
from typing import Any

from mutum_copilot.commands.report_render import fit

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _plot() -> Any:
    import plotext

    plotext.clear_figure()
    plotext.theme("clear")
    return plotext


def _built(plt: Any) -> str:
    text = _ANSI.sub("", plt.build())
    plt.clear_figure()
    return "\n" + "\n".join(line.rstrip() for line in text.splitlines())


def hours_chart(data: dict[str, Any], width: int = 80) -> str:
    """Calls per hour as bars; the part of each bar with N1 closed drawn in ░."""
    rows = data["hours"]
    plt = _plot()
    labels = [f"{r['hour']}h" for r in rows]
    plt.bar(labels, [r["calls"] for r in rows], marker="█", label="chamadas", width=0.6)
    plt.bar(labels, [r["n1_closed"] for r in rows], marker="░", label="com N1 fechado", width=0.6)
    top = max(r["calls"] for r in rows)
    room = top + max(1, top // 2)  # the legend sits above the tallest bar
    plt.ylim(0, room)
    plt.yticks(list(range(0, room + 1, max(1, -(-room // 5)))))
    plt.plotsize(min(width, 80), 16)
    plt.title(f"Chamadas por hora ({data['period']['zone_label']})")
    return _built(plt)


def exits_chart(data: dict[str, Any], width: int = 80, limit: int = 10) -> str:
    """The most frequent exit nodes, one horizontal bar each; an OS says so in its label."""
    rows = sorted(data["exit_nodes"], key=lambda r: -r["count"])[:limit][::-1]
    plt = _plot()
    names = [
        fit(f"{r['flow_id']} › {r['node_title'] or r['node_id']}", 30)
        + (" [OS]" if r["category"] == "os" else "")
        for r in rows
    ]
    plt.bar(names, [r["count"] for r in rows], orientation="horizontal", marker="█", width=0.4)
    top = max(r["count"] for r in rows)
    plt.xticks(list(range(0, top + 1, max(1, -(-top // 5)))))
    plt.plotsize(min(width, 80), 2 * len(rows) + 4)
    plt.title("Nós de saída mais frequentes")
    return _built(plt)
