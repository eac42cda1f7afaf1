"""The OS in IXC: the exact preview, one send on an explicit call, the re-read."""

from __future__ import annotations

import pytest
from fakes.ixc_server import EXAMPLES, FakeIxc
from fakes.scenarios import CPF, Customer, add_customer, service_for

from mutum_copilot.integrations.errors import (
    NotMappedError,
    PartialWriteError,
    RefusedError,
    WriteUncertainError,
)
from mutum_copilot.integrations.os_ixc import OsDraft
from mutum_copilot.integrations.service import Integrations

NOTE = (
    "Atendimento UPCALL - Fibra Teste\n"
    "Cliente: Maria Aparecida Souza\n"
    "Relato: sem internet desde ontem; CPF 529.982.247-25 \x1b[31mditado\n"
    "Telefones atualizados: (65) 99988-7766"
)
SUBJECT = "Sem conexão - sinal fora da faixa ideal (RX -27 dBm)"


def ready(ixc: FakeIxc) -> tuple[Integrations, Customer, OsDraft]:
    customer = add_customer(ixc)
    service = service_for(ixc)
    snapshot = service.lookup(CPF)
    draft = service.draft_os(
        snapshot,
        customer.contract_id,
        outcome="os_n1",
        urgency="alta",
        subject=SUBJECT,
        note=NOTE,
    )
    return service, customer, draft


def test_the_draft_is_exactly_what_will_be_sent(ixc: FakeIxc) -> None:
    _, customer, draft = ready(ixc)
    assert ixc.tables["su_ticket"] == [] and ixc.tables["su_oss_chamado"] == []  # nothing sent
    message = (
        "Atendimento UPCALL - Fibra Teste\nCliente: Maria Aparecida Souza\n"
        "Relato: sem internet desde ontem; CPF ***.982.247-** [31mditado\n"
        "Telefones atualizados: (65) 99988-7766"
    )
    assert dict(draft.ticket) == {
        "tipo": "C",
        "id_cliente": customer.customer_id,
        "id_filial": "1",
        "id_login": customer.login_id,
        "id_assunto": "12",
        "prioridade": "A",
        "id_contrato": customer.contract_id,
        "titulo": SUBJECT,
        "id_ticket_setor": "3",
        "menssagem": message,
        "su_status": "N",
    }
    assert dict(draft.order) == {
        "tipo": "C",
        "id_cliente": customer.customer_id,
        "id_filial": "1",
        "id_login": customer.login_id,
        "id_assunto": "12",
        "prioridade": "A",
        "id_contrato_kit": customer.contract_id,
        "origem_endereco": "CC",
        "setor": "5",
        "mensagem": message,
        "status": "A",
    }
    for table, fields in (("su_ticket", draft.ticket), ("su_oss_chamado", draft.order)):
        documented = EXAMPLES[f"{table}_insert"]
        assert set(fields) <= set(documented["fields"]), table
        assert set(documented["required"]) <= set(fields) | {"id_ticket"}, table
    preview = draft.preview()
    assert "Prioridade: A (alta)" in preview and "Setor da OS (setor): 5" in preview
    assert preview[-4:] == message.splitlines()


def test_normal_urgency_is_normal_priority(ixc: FakeIxc) -> None:
    add_customer(ixc)
    service = service_for(ixc)
    snapshot = service.lookup(CPF)
    draft = service.draft_os(
        snapshot, "1", outcome="transfer_financial", urgency="normal", subject="", note="n"
    )
    assert draft.order["prioridade"] == "N" and draft.order["id_assunto"] == "20"
    assert draft.ticket["titulo"] == "transferido ao financeiro"  # no subject: the outcome's words


def test_an_outcome_without_ids_cannot_be_drafted(ixc: FakeIxc) -> None:
    add_customer(ixc)
    service = service_for(ixc)
    assert service.can_open_os("os_n1") and not service.can_open_os("informed")
    with pytest.raises(NotMappedError, match="cliente apenas informado"):
        service.draft_os(
            service.lookup(CPF), "1", outcome="informed", urgency="", subject="", note="n"
        )


def test_open_sends_once_and_reads_back_the_os_number(ixc: FakeIxc) -> None:
    service, _, draft = ready(ixc)
    receipt = service.open_os(draft)
    (ticket,) = ixc.tables["su_ticket"]
    (order,) = ixc.tables["su_oss_chamado"]
    assert receipt.os_id == order["id"] and receipt.ticket_id == ticket["id"]
    assert order["id_ticket"] == ticket["id"] and order["id_assunto"] == "12"
    assert ticket["menssagem"] == draft.ticket["menssagem"] and ticket["titulo"] == SUBJECT
    assert receipt.protocol == ticket["protocolo"] and receipt.protocol
    assert receipt.verified and receipt.mismatches == () and receipt.warning == ""
    assert len(ixc.requests_to("POST", "/webservice/v1/su_ticket")) == 1
    assert len(ixc.requests_to("POST", "/webservice/v1/su_oss_chamado")) == 1


def test_what_ixc_stored_differently_is_reported(ixc: FakeIxc) -> None:
    service, _, draft = ready(ixc)

    def truncate(table: str, record: dict[str, str]) -> None:
        if table == "su_oss_chamado":
            record["mensagem"] = record["mensagem"][:20]

    ixc.on_insert = truncate
    receipt = service.open_os(draft)
    assert receipt.mismatches == ("mensagem",) and receipt.os_id in receipt.warning


def test_a_ticket_without_its_os_says_which_ticket(ixc: FakeIxc) -> None:
    service, _, draft = ready(ixc)
    ixc.writable = {"su_ticket"}
    with pytest.raises(PartialWriteError) as partial:
        service.open_os(draft)
    (ticket,) = ixc.tables["su_ticket"]
    assert partial.value.ticket_id == ticket["id"]
    assert f"atendimento {ticket['id']} foi aberto, mas a OS não" in str(partial.value)
    assert "permissão" in str(partial.value)


def test_a_read_only_user_opens_nothing(ixc: FakeIxc) -> None:
    service, _, draft = ready(ixc)
    ixc.writable = set()
    with pytest.raises(RefusedError, match="permissão"):
        service.open_os(draft)
    assert ixc.tables["su_ticket"] == [] and ixc.tables["su_oss_chamado"] == []


def test_a_500_after_storing_is_uncertain_and_never_resent(ixc: FakeIxc) -> None:
    service, _, draft = ready(ixc)
    ixc.insert_500 = "su_ticket"
    with pytest.raises(WriteUncertainError, match="confira no IXC"):
        service.open_os(draft)
    assert len(ixc.tables["su_ticket"]) == 1 and ixc.tables["su_oss_chamado"] == []
    assert len(ixc.requests_to("POST", "/webservice/v1/su_ticket")) == 1
