"""Every key of the copilot in one place, each with an ``id`` the config can remap.

Actions that must work while the agent types in a box (the value of a step, the
FAQ search) have a ctrl or function-key alternative, because letters typed in
an input are text, never shortcuts.
"""

from __future__ import annotations

from textual.binding import Binding

CHOICE_BINDINGS = [
    Binding(str(n), f"choose({n})", f"Opção {n}", id=f"choose-{n}", show=False)
    for n in range(1, 10)
]

CALL_BINDINGS = [
    Binding("escape,backspace", "back", "Voltar", id="back", key_display="esc"),
    Binding("c,ctrl+y", "copy_say", "Copiar fala", id="copy-say", key_display="c"),
    Binding("slash,ctrl+f", "search", "FAQ", id="search", key_display="/"),
    Binding("n,ctrl+n", "notes", "Notas", id="notes", key_display="n"),
    Binding("o,ctrl+o", "os_note", "Nota OS", id="os-note", key_display="o"),
    Binding("i,ctrl+t", "context", "Dados", id="context", key_display="i"),
    Binding("ctrl+r", "restart", "Reiniciar", id="restart", key_display="^r"),
    Binding("h,f5", "history", "Histórico", id="history", show=False, key_display="h"),
    Binding("ctrl+l", "reload", "Recarregar pacote", id="reload", show=False),
]

APP_BINDINGS = [
    Binding("f1", "help", "Ajuda", id="help"),
    Binding("ctrl+q", "quit", "Sair", id="quit", show=False),
]

FAQ_BINDINGS = [
    Binding("escape", "step_out", "Voltar ao fluxo", id="faq-close"),
]

ALL_GROUPS: list[tuple[str, list[Binding]]] = [
    ("Chamada", CHOICE_BINDINGS[:1] + CALL_BINDINGS),
    ("FAQ", FAQ_BINDINGS),
    ("Geral", [*APP_BINDINGS, Binding("ctrl+p", "command_palette", "Paleta de comandos")]),
]
