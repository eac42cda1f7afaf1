"""The command palette (ctrl+p): every flow, every FAQ entry and every action.

One provider; each command calls an action that already exists on the main
screen or the app, so the palette adds no behaviour of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from mutum_copilot.tui.screens.main import MainScreen

ACTIONS: list[tuple[str, str, str]] = [
    ("Copiar a fala da etapa (ou a resposta do FAQ aberta)", "copy_say", "c / ctrl+y"),
    ("Buscar no FAQ", "search", "/ ou ctrl+f"),
    ("Notas da chamada", "notes", "n / ctrl+n"),
    ("Nota da OS: ver, copiar e finalizar", "os_note", "o / ctrl+o"),
    ("Dados da chamada (cliente, contrato, telefones…)", "context", "i / ctrl+t"),
    ("Reiniciar (mesmo cliente ou nova chamada)", "restart", "ctrl+r"),
    ("Histórico de chamadas", "history", "h / f5"),
    ("Recarregar o pacote de conhecimento", "reload", "ctrl+l"),
    ("Voltar uma etapa", "back", "esc"),
]


class CopilotCommands(Provider):
    """Flows by title, FAQ entries through the copilot's own search, actions by name."""

    def _main(self) -> MainScreen | None:
        from mutum_copilot.tui.screens.main import MainScreen

        return next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)

    def _entries(self) -> list[tuple[str, Callable[[], object], str]]:
        main = self._main()
        if main is None:
            return []
        found: list[tuple[str, Callable[[], object], str]] = []
        for flow in sorted(main.triage.flows.values(), key=lambda f: (f.order, f.title)):
            found.append((f"Fluxo: {flow.title}", partial(main.start_flow, flow.id), flow.summary))
        for label, action, keys in ACTIONS:
            found.append((label, partial(main.run_action, action), keys))
        found.append(("Ajuda: todas as teclas", partial(self.app.run_action, "help"), "F1"))
        return found

    async def discover(self) -> Hits:
        for label, callback, help_text in self._entries():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
        main = self._main()
        if main is None:
            return
        for hit in main.services.search.search(query, limit=8):
            label = f"FAQ: {hit.entry.question}"
            yield Hit(
                0.5 + hit.score / 2,
                label,
                partial(main.open_faq_entry, hit.entry.id),
                help=hit.entry.section,
            )
