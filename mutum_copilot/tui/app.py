"""The Textual app: thin. It receives its parts, holds the global keys, and shows screens.

Everything that decides anything lives in the core (the live call, search,
shift clock, note); screens and widgets only show it and pass on what the
agent did.

Two chokepoints live here because every text passes through them: a paste is
cleaned of control characters before any widget sees it, and whatever is
copied to the clipboard is cleaned too (:mod:`mutum_copilot.safetext`), so no
escape sequence reaches the terminal or the clipboard whatever its source.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen

from mutum_copilot import gcpause
from mutum_copilot.logs import get_logger
from mutum_copilot.safetext import clean, clean_line
from mutum_copilot.tui.boot import BootScreen, BootStart, RecordPlace, first_frame
from mutum_copilot.tui.commands import PALETTE_PROVIDERS, open_palette
from mutum_copilot.tui.keys import APP_BINDINGS, keymap_clashes, label_of
from mutum_copilot.tui.team_hooks import TeamLink, open_supervisor

if TYPE_CHECKING:  # a reload's machinery is imported by the first reload, not at start
    from mutum_copilot.errors import PackError
    from mutum_copilot.packs.catalog import PackEntry
    from mutum_copilot.packs.diff import PackDiff
    from mutum_copilot.packs.model import Pack
    from mutum_copilot.packs.reload import PackReload
    from mutum_copilot.services import Services
    from mutum_copilot.tui.screens.main import MainScreen

log = get_logger("tui")


def _bindings(owner: type[DOMNode]) -> list[Binding]:
    """Every binding of ``owner``, its own and inherited (Textual merges them so)."""
    found: list[Binding] = []
    for cls in reversed(owner.__mro__):
        for item in cls.__dict__.get("BINDINGS", ()):
            if isinstance(item, Binding):
                found.extend(Binding.make_bindings([item]))
    return found


def binding_chains() -> list[tuple[str, Sequence[Binding]]]:
    """For each place of the app, the bindings active there at once (with the app's own)."""
    from mutum_copilot.tui.screens import (
        context,
        help,
        history,
        ixc_os,
        note,
        note_view,
        notes,
        pack_diff,
        restart,
        resume,
        trust_unlock,
    )
    from mutum_copilot.tui.screens.main import MainScreen
    from mutum_copilot.tui.widgets.faq_pane import FaqPane

    app = _bindings(CopilotApp)
    dialogs: list[tuple[str, type[DOMNode]]] = [
        ("dados da chamada", context.ContextScreen),
        ("ajuda", help.HelpScreen),
        ("histórico", history.HistoryScreen),
        ("nota da OS", note.NoteScreen),
        ("confirmar o fim", note.ConfirmFinishScreen),
        ("nota", note_view.NoteViewScreen),
        ("notas", notes.NotesScreen),
        ("reiniciar", restart.RestartScreen),
        ("retomar", resume.ResumeScreen),
        ("mudanças do pacote", pack_diff.PackDiffScreen),
        ("abrir no IXC", ixc_os.IxcOsScreen),  # hook: the IXC integration's dialogs
        ("desbloqueio de confiança", trust_unlock.TrustUnlockScreen),
    ]
    chains: list[tuple[str, Sequence[Binding]]] = [
        ("tela principal", [*app, *_bindings(MainScreen), *_bindings(FaqPane)])
    ]
    chains += [(name, [*app, *_bindings(screen)]) for name, screen in dialogs]
    return chains


def binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets: what a keymap may name."""
    return {b.id for _, chain in binding_chains() for b in chain if b.id}


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """Why ``keymap`` cannot be used: every key it gives two actions at once (pt-BR)."""
    return keymap_clashes(keymap, binding_chains())


def unknown_keymap_ids(keymap: Mapping[str, str]) -> list[str]:
    """A warning per keymap id no binding has (Textual would ignore it silently)."""
    from mutum_copilot.yamlkit.suggest import suggest

    known = binding_ids()
    return [
        f"Tecla configurada para um id desconhecido: {name!r}{suggest(name, known)} (veja F1)"
        for name in keymap
        if name not in known
    ]


class CopilotApp(App[None]):
    """mutum-copilot's terminal app.

    Built over its services (tests, the screenshot script, a first start), or
    to boot (:meth:`booting`): its first frame drawn from the boot record, the
    services built right after it, and the keys typed meanwhile held and
    handed to the main screen in order (:mod:`mutum_copilot.tui.boot`).
    """

    CSS_PATH = "app.tcss"
    TITLE = "mutum-copilot"
    BINDINGS = [*APP_BINDINGS]
    COMMANDS = PALETTE_PROVIDERS  # Textual's system commands are English

    services: Services

    def __init__(
        self,
        services: Services | None,
        *,
        boot: BootStart | None = None,
        cursor_blink: bool = True,
        catch_errors: bool = True,
    ) -> None:
        super().__init__()
        self.boot = boot
        self.cursor_blink = cursor_blink
        self.catch_errors = catch_errors
        self.key_in_flight: events.Key | None = None
        #: Keys (and pastes) typed while the boot frame shows; None once the main screen has them.
        self.held_input: list[events.Event] | None = [] if boot is not None else None
        #: Why a boot start could not go on (pt-BR lines), printed by the CLI after the app exits.
        self.exit_problems: list[str] = []
        #: Where to write the boot record for the next start; None: never written (tests).
        self.record_place: RecordPlace | None = None
        self.team = TeamLink(None)  # team hook (#12): the seat's sync, set at mount
        #: What the last reload changed (render_diff of each changed pack); F7 shows it.
        self.last_reload_diff = ""
        #: The keymap in force (binding id -> keys): what the help and the palette label.
        self.keymap: dict[str, str] = {}
        if boot is not None and boot.record.theme in self.available_themes:
            self.theme = boot.record.theme  # the first frame in the colours of the last start
        if services is not None:
            self.use_services(services)

    @classmethod
    def booting(
        cls,
        boot: BootStart,
        *,
        record_place: RecordPlace | None = None,
        cursor_blink: bool = True,
        catch_errors: bool = True,
    ) -> CopilotApp:
        """An app that draws its first frame from ``boot.record``, then builds its services."""
        app = cls(None, boot=boot, cursor_blink=cursor_blink, catch_errors=catch_errors)
        app.record_place = record_place
        return app

    def use_services(self, services: Services) -> None:
        self.services = services
        theme = services.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            names = ", ".join(sorted(self.available_themes))
            services.warnings.append(
                f"Tema desconhecido na configuração: {theme!r}. Temas: {names}"
            )

    async def on_event(self, event: events.Event) -> None:
        """Remember the key being routed, so priority actions can give plain text back.

        A paste loses its control characters here, before any widget sees it.
        While the boot frame shows, keys and pastes are held for the main screen
        (in the order typed) and other input is dropped: nothing can act on them.
        """
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = clean(event.text)
        held = self.held_input  # not None while the boot frame shows
        input_event = isinstance(event, events.InputEvent | events.Paste)
        if held is not None and input_event and not event.is_forwarded:
            if isinstance(event, events.Key | events.Paste):
                held.append(event)
            return
        routing = isinstance(event, events.Key) and not event.is_forwarded
        if routing and isinstance(event, events.Key):
            self.key_in_flight = event
        try:
            await super().on_event(event)
        finally:
            if routing:
                self.key_in_flight = None  # actions run later (palette, messages) see no key

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(
            self, lambda screen: self.call_after_refresh(self.quiet_cursors, screen)
        )
        if self.boot is not None:
            self.push_screen(BootScreen(self.boot.record, self.boot.clock))
            self.call_after_refresh(self.finish_boot)  # once the boot frame is painted
            return
        self.start()

    def start(self) -> Awaitable[object]:
        """The main screen over the services, the keymap, the warnings and the team link."""
        from mutum_copilot.tui.screens.main import MainScreen

        self.call_after_refresh(gcpause.resume)  # start-up is over once the first frame is up
        keymap = self.services.settings.keymap
        clashes = keymap_problems(keymap) if keymap else []
        if clashes:  # the CLI refuses to start; an app built otherwise keeps the default keys
            self.services.warnings += [f"{c} (teclas padrão em uso)" for c in clashes]
        elif keymap:
            self.keymap = dict(keymap)
            self.set_keymap(self.keymap)
            for warning in unknown_keymap_ids(keymap):
                self.services.warnings.append(warning)
        main = MainScreen(self.services)
        if self.record_place is not None:  # before the frame: a start killed at it leaves one too
            self.write_boot_record(main)
        # a boot start's main screen takes the boot frame's place (it paints the same frame)
        mounted = self.switch_screen(main) if self.boot is not None else self.push_screen(main)
        for warning in self.services.warnings:
            self.notify(warning, severity="warning", timeout=10)
        self.team = TeamLink.start(self, self.services)  # team hook (#12): no-op without team.url
        return mounted

    class HeldInputDue(Message):
        """The main screen is mounted: the keys held while the boot frame showed go to it."""

    def finish_boot(self) -> None:
        """Build the services behind the boot frame, then the main screen, then give it the keys.

        Keys typed while this runs are queued behind it and held too; the main
        screen's mount is awaited by a worker (never here: an exit meanwhile
        must not wait on it), which then queues :class:`HeldInputDue` behind
        them, so the agent's keys reach the main screen in the order typed.
        """
        if self.boot is None or self.return_code is not None:  # quitting already
            return
        built = self.boot.build()
        if isinstance(built, list):  # the pack or the config broke since the record was written
            self.exit_problems = built
            self.exit(return_code=2)
            return
        self.use_services(built)
        mounting = self.start()  # the main screen takes the boot frame's place

        async def when_mounted() -> None:
            await mounting
            self.post_message(self.HeldInputDue())

        self.run_worker(when_mounted(), group="boot")

    async def on_copilot_app_held_input_due(self) -> None:
        held, self.held_input = self.held_input or [], None
        for event in held:
            await self.on_event(event)

    def write_boot_record(self, main: MainScreen) -> None:
        """Write what ``main`` showed first, for the next start to draw (boot_record).

        Before the main screen's first frame, on the event loop (a few ms of
        timeline and file, see BENCHMARKS.md): a seat closed the moment it
        showed must still leave its record, and a thread would share the
        interpreter with the start anyway. A boot start whose record still
        answers for most of its horizon leaves it as it is.
        """
        from mutum_copilot.boot_record import forget_record, write_record

        place = self.record_place
        if place is None:
            return
        now = self.services.clock()
        if self.boot is not None and self.boot.record.fresh(now):
            return
        frame = first_frame(main, self.theme)
        if frame is None:
            forget_record(place.config, place.knowledge)
        else:
            write_record(place.config, place.knowledge, frame, now)

    def on_unmount(self) -> None:
        """Closing the app hands its unfinished call over to the next copilot started."""
        self.team.stop()  # team hook (#12): after its current push, 5 s at most
        services = getattr(self, "services", None)  # a boot that never got as far has none
        if services is not None and services.history is not None:
            services.history.close()

    def copy_to_clipboard(self, text: str) -> None:
        """Copy ``text`` without control characters: the clipboard goes to other programs."""
        super().copy_to_clipboard(clean(text))

    def quiet_cursors(self, screen: Screen[object]) -> None:
        """Frozen screenshots and snapshots need cursors that do not blink."""
        if not self.cursor_blink:
            for widget in screen.query("Input, TextArea").results():
                widget.cursor_blink = False  # type: ignore[attr-defined]

    def action_command_palette(self) -> None:
        open_palette(self)  # Textual's palette, in Portuguese

    def action_help_quit(self) -> None:
        """Textual's ctrl+c hint ("Press ctrl+q to quit the app"), in Portuguese."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Tecle [b]{key}[/b] para sair", title="Quer sair?")
                return

    def action_help(self) -> None:
        from mutum_copilot.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_supervisor(self) -> None:  # team hook (#12): F6 and the palette
        open_supervisor(self, self.services)

    def action_reload_pack(self) -> None:
        self.notify("Recarregando o pacote de conhecimento…", timeout=2)
        self.reload_pack()

    # --- reload (ctrl+l): every pack of the seat, with what changed (issue #13) -----
    @work(thread=True, exclusive=True, group="reload")
    def reload_pack(self) -> None:
        """Re-read every pack off the event loop; a broken pack is refused, the old one kept."""
        from mutum_copilot.packs.reload import reload_catalog

        results = reload_catalog(self.services.catalog)
        self.call_from_thread(self.packs_reloaded, results)

    def packs_reloaded(self, results: list[PackReload]) -> None:
        from mutum_copilot.packs.diff_text import render_diff

        several = len(self.services.catalog) > 1
        details: list[str] = []
        for result in results:
            if result.refused is not None:
                self.pack_refused(result.refused, result.old)
            elif result.failed:
                message = "Erro ao recarregar o pacote; o anterior continua em uso."
                self.notify(message, severity="error")
            elif result.new is not None and result.diff is not None:
                self.pack_loaded(result.new, result.diff, named=several)
                if result.changed:
                    details.append(render_diff(result.diff))
        if details:
            self.last_reload_diff = "\n\n".join(details)

    def pack_refused(self, error: PackError, entry: PackEntry | None = None) -> None:
        from mutum_copilot.tui.screens.note_view import NoteViewScreen

        root = entry.pack.root if entry is not None else self.services.pack.root
        text = "\n".join(str(p) for p in error.problems)
        log.warning(
            "reload refused, the pack at %s has %d problems (the old one stays):\n%s",
            root,
            len(error.problems),
            text,
        )
        self.push_screen(NoteViewScreen(text, title="Pacote recusado: o anterior continua em uso"))

    def pack_loaded(self, pack: Pack, diff: PackDiff | None = None, *, named: bool = False) -> None:
        self.services.reload_pack(pack)
        from mutum_copilot.tui.screens.main import MainScreen

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None:
            main.pack_reloaded()
        name = f" ({clean_line(pack.facts.provider.name)})" if named else ""
        message = f"Pacote recarregado{name}: {len(pack.faq)} perguntas, {len(pack.flows)} fluxos."
        if diff is not None:
            from mutum_copilot.packs.diff_text import summary_line

            message += f" {summary_line(diff)}"
            if not diff.empty:
                message += f" {label_of('reload-diff', self.keymap)}: ver as mudanças."
        self.notify(message, timeout=8)

    def action_reload_diff(self) -> None:
        """F7: the detailed changes of the last reload, in a scrollable dialog."""
        if not self.last_reload_diff:
            self.notify("Nenhuma mudança recarregada ainda (ctrl+l recarrega o pacote).")
            return
        from mutum_copilot.tui.screens.pack_diff import PackDiffScreen

        self.push_screen(PackDiffScreen(self.last_reload_diff))

    def _handle_exception(self, error: Exception) -> None:
        """Last resort (an error outside the guarded handlers): log it, exit without a traceback.

        The call was saved after its last step, so the next start offers to resume it.
        """
        if not self.catch_errors:
            super()._handle_exception(error)
            return
        log.error("unexpected error outside a handler; the app stops", exc_info=error)
        self._return_code = 1
        self._exit_renderables.append(
            "mutum-copilot parou por um erro inesperado. A chamada ficou salva: abra o "
            "copiloto de novo para retomá-la. Detalhes no log do copiloto."
        )
        self._close_messages_no_wait()
