"""The command palette (ctrl+p): every flow, every FAQ entry and every action, in Portuguese.

One provider; each command calls an action that already exists on the main
screen or the app, so the palette adds no behaviour of its own. Textual's own
palette is English ("Search for commands…", "Theme", "Quit", "Keys",
"Screenshot"), so :class:`CopilotPalette` replaces its words and
:data:`PALETTE_PROVIDERS` replaces Textual's system commands: theme and quit
are offered here in Portuguese, F1 stands for Textual's key panel, and the
screenshot command is gone (a screenshot could catch a revealed credential).
The app opens the palette with :func:`open_palette`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.align import Align
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets.option_list import Option

from mutum_copilot.safetext import clean_line
from mutum_copilot.tui.keys import label_of

if TYPE_CHECKING:
    from textual.app import App

    from mutum_copilot.tui.screens.main import MainScreen

PLACEHOLDER = "Buscar ação, fluxo ou pergunta do FAQ…"
THEME_PLACEHOLDER = "Buscar tema…"
NO_MATCHES = "Nada encontrado"


class CopilotPalette(CommandPalette):
    """Textual's command palette with every word in Portuguese."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+end, shift+end", "command_list('last')", "Ir para o fim", show=False),
        Binding("ctrl+home, shift+home", "command_list('first')", "Ir para o início", show=False),
        Binding("down", "cursor_down", "Próximo comando", show=False),
        Binding("escape", "escape", "Fechar a paleta de comandos"),
        Binding("pagedown", "command_list('page_down')", "Próxima página", show=False),
        Binding("pageup", "command_list('page_up')", "Página anterior", show=False),
        Binding("up", "command_list('cursor_up')", "Comando anterior", show=False),
    ]

    def __init__(self, providers: Any = None, *, placeholder: str = PLACEHOLDER) -> None:
        super().__init__(providers, placeholder=placeholder, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with "Nada encontrado" instead of "No matches found"."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(NO_MATCHES, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def open_palette(app: App[Any]) -> None:
    """Open the copilot's palette (the app's ``command_palette`` action)."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(CopilotPalette())


def open_theme_palette(app: App[Any]) -> None:
    """Textual's theme picker, with a Portuguese placeholder."""
    from textual.theme import ThemeProvider

    app.push_screen(CopilotPalette([ThemeProvider], placeholder=THEME_PLACEHOLDER))


#: (label, action, binding id): the hint is the binding's keys after the keymap (keys.label_of).
ACTIONS: list[tuple[str, str, str]] = [
    ("Copiar a fala da etapa (ou a resposta do FAQ aberta)", "copy_say", "copy-say"),
    ("Buscar no FAQ", "search", "search"),
    ("Notas da chamada", "notes", "notes"),
    ("Nota da OS: ver, copiar e finalizar", "os_note", "os-note"),
    ("Dados da chamada (cliente, contrato, telefones…)", "context", "context"),
    ("Reiniciar (mesmo cliente ou nova chamada)", "restart", "restart"),
    ("Histórico de chamadas", "history", "history"),
    ("Recarregar o pacote de conhecimento", "reload", "reload"),
    ("Voltar uma etapa", "back", "back"),
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
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        for label, action, binding_id in ACTIONS:
            found.append((label, partial(main.run_action, action), label_of(binding_id, keymap)))
        found += self._app_commands()
        return found

    def _app_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """What Textual's system commands offered, in Portuguese."""
        app = self.app
        keymap: dict[str, str] = getattr(app, "keymap", {})
        return [
            ("Ajuda: todas as teclas", partial(app.run_action, "help"), label_of("help", keymap)),
            (
                "Supervisão: números desta noite",
                partial(app.run_action, "supervisor"),
                label_of("supervisor", keymap),
            ),
            ("Tema: mudar as cores", partial(open_theme_palette, app), "tema da tela"),
            (
                "Sair do mutum-copilot",
                partial(app.run_action, "quit"),
                f"{label_of('quit', keymap)} (a chamada fica salva)",
            ),
        ]

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
        from mutum_copilot.search_hits import WEAK_MARK  # loaded with the search long before

        for hit in main.call_pack.search.find(query, limit=8).hits:  # the call's pack (#13)
            question = clean_line(hit.entry.question)
            label = f"FAQ ({WEAK_MARK}): {question}" if hit.weak else f"FAQ: {question}"
            yield Hit(
                (0.5 + hit.score / 2) * (0.5 if hit.weak else 1.0),
                Content(label),
                partial(main.open_faq_entry, hit.entry.id),
                help=clean_line(hit.entry.section),
            )


#: The app's palette providers: the copilot's only (Textual's system commands are English).
PALETTE_PROVIDERS: set[Any] = {CopilotCommands}
