"""Every key of the copilot in one place, each with an ``id`` the config can remap.

Actions that must work while the agent types in a box (the value of a step, the
FAQ search) have a ctrl or function-key alternative, because letters typed in
an input are text, never shortcuts.

The call's keys are *priority* bindings: Textual runs them in the order the keys
arrive, before routing the next key, so an agent (or a script) typing ahead,
``1`` then ``Maria`` at once, lands every key where it belongs. Each action
gives the key back (``SkipAction``) when it is plain text typed in a box.

Keys that destroy need intent: Backspace only ever deletes text (held down in
an empty box it must not rewind the call: "back" is Esc alone). And a keymap
that would give one key two actions where both are active is refused at start
(:func:`keymap_clashes`), naming the key and both actions, instead of letting
one of them silently win.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from textual.binding import Binding

from mutum_copilot.tui.ixc_keys import IXC_GROUP, IXC_HELP

CHOICE_BINDINGS = [
    Binding(str(n), f"choose({n})", f"Opção {n}", id=f"choose-{n}", show=False, priority=True)
    for n in range(1, 10)
]

_CALL = [
    ("escape", "back", "Voltar", "back", "esc", True),
    ("c,ctrl+y", "copy_say", "Copiar", "copy-say", "c", True),
    ("slash,ctrl+f", "search", "FAQ", "search", "/", True),
    ("n,ctrl+n", "notes", "Notas", "notes", "n", True),
    ("o,ctrl+o", "os_note", "OS", "os-note", "o", True),
    ("i,ctrl+t", "context", "Dados", "context", "i", True),
    ("ctrl+r", "restart", "Reiniciar", "restart", "^r", True),
    ("h,f5", "history", "Histórico", "history", "h", False),
    ("ctrl+l", "reload", "Recarregar pacote", "reload", None, False),
]
CALL_BINDINGS = [
    Binding(keys, action, text, id=id_, key_display=shown, show=visible, priority=True)
    for keys, action, text, id_, shown, visible in _CALL
]

TRIAGE_BINDINGS = [
    Binding("enter", "submit", "Continuar", id="proceed", show=False, priority=True),
]

APP_BINDINGS = [
    Binding("f1", "help", "Ajuda", id="help"),
    # issue #13: the detailed changes of the last ctrl+l
    Binding("f7", "reload_diff", "Mudanças do pacote", id="reload-diff", show=False),
    Binding("f6", "supervisor", "Supervisão", id="supervisor", show=False),  # team (#12)
    Binding("ctrl+q", "quit", "Sair", id="quit", show=False, tooltip="Sair do mutum-copilot"),
    # Declared here, Textual does not add its own English one ("palette") to every footer.
    Binding(
        "ctrl+p",
        "command_palette",
        "Paleta",
        id="palette",
        show=False,
        priority=True,
        tooltip="Abrir a paleta de comandos",
    ),
]

FAQ_BINDINGS = [
    Binding("escape", "step_out", "Voltar ao fluxo", id="faq-close", show=False),
    Binding("v", "reveal", "Mostrar senha", id="vault-reveal", show=False),
    Binding("ctrl+k", "copy_secret", "Copiar senha", id="vault-copy", show=False),
    Binding("p", "copy_if_asked", "Copiar (se perguntar)", id="faq-copy-if-asked", show=False),
]

ALL_GROUPS: list[tuple[str, list[Binding]]] = [
    ("Chamada", CHOICE_BINDINGS[:1] + TRIAGE_BINDINGS + CALL_BINDINGS),
    ("FAQ", FAQ_BINDINGS),
    ("IXC", IXC_GROUP),  # hook: the IXC integration's keys (only while it is on)
    ("Geral", APP_BINDINGS),
]

#: Longer words for the help screen, where there is room.
HELP_TEXT = {
    "back": "Voltar uma etapa, com a resposta anterior pronta (no FAQ: voltar ao fluxo)",
    "copy-say": "Copiar a fala da etapa, ou a resposta do FAQ aberta (para colar no chat)",
    "search": "Buscar no FAQ sem sair do fluxo",
    "notes": "Notas livres da chamada (vão para a nota da OS)",
    "os-note": "Nota da OS: ver, informar telefones, copiar e finalizar",
    "context": "Dados da chamada: cliente, CPF, contrato, PPPoE, protocolo, área, telefones",
    "restart": "Reiniciar: mesmo cliente (outro assunto) ou nova chamada",
    "history": "Histórico de chamadas e suas notas",
    "reload": "Recarregar o pacote de conhecimento (editado pelo supervisor)",
    "reload-diff": "Ver as mudanças do último recarregamento do pacote (o que a edição mudou)",
    "faq-close": "Sair do FAQ e voltar ao fluxo",
    "vault-reveal": "Mostrar a senha do cofre por 5 segundos (entrada do FAQ aberta)",
    "vault-copy": "Copiar a senha do cofre (entrada do FAQ aberta)",
    "faq-copy-if-asked": "Copiar a linha que só se diz se o cliente perguntar (ex.: um valor)",
    "proceed": "Continuar (etapa de orientação) ou abrir a nota da OS (fim)",
    "help": "Esta ajuda",
    "quit": "Sair (a chamada fica salva para retomar)",
    "supervisor": "Supervisão: os números desta noite (equipe ou este posto)",
    **IXC_HELP,  # hook: the IXC integration's keys
    "palette": "Paleta de comandos: todo fluxo, toda pergunta do FAQ, toda ação",
}


#: Every binding the help and the palette name, by id.
BY_ID: dict[str, Binding] = {b.id: b for _, group in ALL_GROUPS for b in group if b.id}


def key_label(keys: Sequence[str]) -> str:
    """Keys as the agent reads them: ``c / ctrl+y``, ``/`` for slash."""
    return " / ".join("/" if k == "slash" else k for k in keys)


def label_of(binding_id: str, keymap: Mapping[str, str]) -> str:
    """The keys of ``binding_id`` once ``keymap`` is applied: the one source of every label.

    The help screen and the palette read it; the footer reads Textual's active
    bindings, which the same keymap rewrote.
    """
    binding = BY_ID.get(binding_id)
    return key_label(keys_of(binding, keymap)) if binding is not None else ""


def keys_of(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys ``binding`` answers to once ``keymap`` is applied (Textual's rule)."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [k.strip().lower() for k in keys.split(",") if k.strip()]


def keymap_clashes(
    keymap: Mapping[str, str], chains: Iterable[tuple[str, Sequence[Binding]]]
) -> list[str]:
    """A message per key the keymap gives two actions active at once (pt-BR; empty: fine).

    ``chains``: for each place (the main screen, each dialog), every binding
    active there (its own, its widgets', the app's). Only clashes the keymap
    creates are reported: a default overlap such as Esc in the FAQ and in the
    flow is by design (the focused one wins).
    """
    found: list[str] = []
    for place, bindings in chains:
        owners: dict[str, list[Binding]] = {}
        for binding in bindings:
            for key in keys_of(binding, keymap):
                owners.setdefault(key, []).append(binding)
        for key, holders in owners.items():
            actions = {(b.id or b.action): b for b in holders}
            remapped = [
                b
                for b in actions.values()
                if b.id in keymap and key not in keys_of(b, {})  # a key the keymap added
            ]
            if len(actions) > 1 and remapped:
                names = " e ".join(f'"{name}"' for name in sorted(actions))
                message = (
                    f'keymap: a tecla "{key}" ficaria com duas ações ({place}): {names}; '
                    "escolha outra tecla"
                )
                if message not in found:
                    found.append(message)
    return found
