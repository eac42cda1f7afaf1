"""The keys of the IXC integration, each with an id the config can remap (see keys.py).

Kept apart from the screens that use them so the help screen and the keymap
checks can list them without importing the integration. They are active only
while the integration is on (an ``ixc_api`` credential in the vault); off,
they are hidden and do nothing.
"""

from __future__ import annotations

from textual.binding import Binding

#: The main screen's: priority, so they work while the agent types in a box.
IXC_BINDINGS = [
    Binding("f2", "ixc_confirm", "Confirmar contrato", id="ixc-confirm", priority=True),
    Binding("f3", "ixc_next", "Outro contrato", id="ixc-next", show=False, priority=True),
    Binding("f4", "ixc_unlock", "Desbloqueio", id="ixc-unlock", show=False, priority=True),
]
#: The note screen's "abrir no IXC" (the preview; nothing is sent by it).
NOTE_IXC_BINDING = Binding("i,f2", "open_ixc", "Abrir no IXC", id="note-open-ixc", key_display="i")
#: The preview's: the second, different key sends.
OS_BINDINGS = [
    Binding("e", "send", "Enviar ao IXC", id="ixc-os-send"),
    Binding("escape", "cancel", "Voltar sem enviar", id="ixc-os-cancel"),
]
TRUST_BINDINGS = [
    Binding("d", "unlock", "Desbloquear no IXC", id="trust-unlock-send"),
    Binding("escape", "cancel", "Voltar sem desbloquear", id="trust-unlock-cancel"),
]
#: What the help screen lists, in the order an agent meets them.
IXC_GROUP = [*IXC_BINDINGS, NOTE_IXC_BINDING, OS_BINDINGS[0], TRUST_BINDINGS[0]]

IXC_HELP = {
    "ixc-confirm": "IXC: confirmar o contrato mostrado (preenche a chamada); após uma falha, "
    "consultar de novo",
    "ixc-next": "IXC: mostrar o próximo contrato do cliente",
    "ixc-unlock": "IXC: desbloqueio de confiança (só quando a regra do fluxo permite)",
    "note-open-ixc": "Nota da OS: abrir no IXC (mostra exatamente o que será enviado)",
    "ixc-os-send": "Abrir no IXC: enviar o atendimento e a OS mostrados (uma vez)",
    "ixc-os-cancel": "Abrir no IXC: voltar sem enviar",
    "trust-unlock-send": "Desbloqueio de confiança: pedir ao IXC (uma vez)",
    "trust-unlock-cancel": "Desbloqueio de confiança: voltar sem pedir",
}
