"""The IXC client over real HTTP against the fake webservice: requests, paging, every failure."""

from __future__ import annotations

import base64

import pytest
from fakes.httpbase import closed_port_url
from fakes.ixc_server import EXAMPLES, FakeIxc

from mutum_copilot.integrations.errors import (
    IntegrationError,
    IpNotAllowedError,
    MalformedReplyError,
    RefusedError,
    ServerError,
    UnreachableError,
    WriteUncertainError,
)
from mutum_copilot.integrations.http import Endpoint
from mutum_copilot.integrations.ixc import PAGE_SIZE, IxcClient, api_base, ixc_message


def endpoint(fake: FakeIxc, *, url: str = "", token: str = "", timeout: float = 2.0) -> Endpoint:
    return Endpoint("IXC", api_base(url or fake.url), fake.user, token or fake.secret, timeout)


def test_a_listing_sends_what_the_collection_documents(ixc: FakeIxc) -> None:
    ixc.add("cliente", razao="Ana", cnpj_cpf="529.982.247-25")
    with IxcClient(endpoint(ixc)) as client:
        page = client.list_page("cliente", "cnpj_cpf", "529.982.247-25", rp=10)
    assert page.total == 1 and page.records[0]["razao"] == "Ana"
    (seen,) = ixc.seen
    assert seen.method == "GET" and seen.path == "/webservice/v1/cliente"
    assert seen.headers["ixcsoft"] == "listar"
    pair = base64.b64encode(f"{ixc.user}:{ixc.secret}".encode()).decode()
    assert seen.headers["authorization"] == f"Basic {pair}"
    assert seen.body == {
        "qtype": "cliente.cnpj_cpf",
        "query": "529.982.247-25",
        "oper": "=",
        "page": "1",
        "rp": "10",
        "sortname": "cliente.id",
        "sortorder": "asc",
    }
    assert set(seen.body) >= set(EXAMPLES["cliente_by_cpf"]["body"])


def test_list_all_follows_the_pages_until_total(ixc: FakeIxc) -> None:
    for number in range(PAGE_SIZE * 2 + 3):
        ixc.add("radusuarios", id_cliente="5", login=f"user{number}")
    ixc.add("radusuarios", id_cliente="6", login="someone-else")
    with IxcClient(endpoint(ixc)) as client:
        found = client.list_all("radusuarios", "id_cliente", "5")
    assert len(found) == PAGE_SIZE * 2 + 3
    assert len({r["id"] for r in found}) == len(found)
    assert [s.body["page"] for s in ixc.seen] == ["1", "2", "3"]


def test_both_shapes_of_total_are_read(ixc: FakeIxc) -> None:
    ixc.add("cliente", razao="Ana")  # total as a number (cliente, as in the example)
    ixc.add("radusuarios", login="ana")  # total as a string
    with IxcClient(endpoint(ixc)) as client:
        assert client.list_page("cliente", "id", "0", oper=">").total == 1
        assert client.list_page("radusuarios", "id", "0", oper=">").total == 1


def test_wrong_token_and_403_are_refusals_that_name_no_secret(ixc: FakeIxc) -> None:
    with pytest.raises(RefusedError) as refused, IxcClient(endpoint(ixc, token="0" * 64)) as c:
        c.get("cliente", "1")
    assert "401" in str(refused.value) and "0" * 16 not in str(refused.value)
    ixc.faults.status = 403
    with pytest.raises(RefusedError) as forbidden, IxcClient(endpoint(ixc)) as client:
        client.get("cliente", "1")
    assert "403" in str(forbidden.value) and ixc.secret not in str(forbidden.value)


def test_the_ip_allow_list_refusal_is_explained(ixc: FakeIxc) -> None:
    ixc.ip_refused = True
    with pytest.raises(IpNotAllowedError) as refused, IxcClient(endpoint(ixc)) as client:
        client.get("cliente", "1")
    message = str(refused.value)
    assert "Redes Permitidas" in message and "Seu IP não está liberado" in message
    assert isinstance(refused.value, RefusedError)


def test_an_unknown_resource_is_a_refusal_with_ixcs_words(ixc: FakeIxc) -> None:
    client = IxcClient(endpoint(ixc))
    with pytest.raises(RefusedError, match="Recurso nada não está disponível"), client:
        client.get("nada", "1")


def test_nobody_listening_is_unreachable_naming_the_host_only() -> None:
    client = IxcClient(Endpoint("IXC", api_base(closed_port_url()), "17", "s3cr3t-token"))
    with pytest.raises(UnreachableError) as down, client:
        client.get("cliente", "1")
    message = str(down.value)
    assert "127.0.0.1" in message and "recusada" in message
    assert "s3cr3t" not in message and "17:" not in message


def test_a_slow_server_times_out_after_one_retry(ixc: FakeIxc) -> None:
    ixc.faults.slow = 1.0
    client = IxcClient(endpoint(ixc, timeout=0.2))
    with pytest.raises(UnreachableError, match="não respondeu"), client:
        client.get("cliente", "1")
    assert len(ixc.requests_to("GET", "/webservice/v1/cliente")) == 2


def test_a_read_survives_one_500(ixc: FakeIxc) -> None:
    ixc.add("cliente", razao="Ana")
    ixc.faults.fail_next = 1
    with IxcClient(endpoint(ixc)) as client:
        assert client.list_page("cliente", "id", "0", oper=">").total == 1
    assert len(ixc.seen) == 2
    ixc.faults.fail_next = 2
    with pytest.raises(ServerError, match="HTTP 500"), IxcClient(endpoint(ixc)) as client:
        client.get("cliente", "1")


def test_malformed_json_is_malformed(ixc: FakeIxc) -> None:
    ixc.faults.malformed = True
    with pytest.raises(MalformedReplyError), IxcClient(endpoint(ixc)) as client:
        client.get("cliente", "1")


def test_a_write_is_never_retried(ixc: FakeIxc) -> None:
    fields = {k: v for k, v in EXAMPLES["su_ticket_insert"]["fields"].items() if v}
    ixc.faults.fail_next = 1
    with pytest.raises(WriteUncertainError, match="confira"), IxcClient(endpoint(ixc)) as c:
        c.insert("su_ticket", fields)
    assert len(ixc.requests_to("POST", "/webservice/v1/su_ticket")) == 1
    ixc.faults.slow = 1.0
    slow = IxcClient(endpoint(ixc, timeout=0.2))
    with pytest.raises(WriteUncertainError, match="não respondeu"), slow as client:
        client.insert("su_ticket", fields)
    assert len(ixc.requests_to("POST", "/webservice/v1/su_ticket")) == 2  # one more, not two


def test_an_insert_returns_the_new_id_and_an_error_reply_keeps_ixcs_words(ixc: FakeIxc) -> None:
    fields = {k: v for k, v in EXAMPLES["su_ticket_insert"]["fields"].items() if v}
    with IxcClient(endpoint(ixc)) as client:
        new_id = client.insert("su_ticket", fields)
        assert ixc.find("su_ticket", new_id) is not None
        with pytest.raises(IntegrationError) as refused:
            client.insert("su_ticket", {**fields, "titulo": ""})
    assert "titulo" in refused.value.remote and len(ixc.tables["su_ticket"]) == 1


def test_ixc_messages_lose_html_and_control_characters() -> None:
    assert ixc_message(EXAMPLES["errors"]["with_html"]) == "Parcela já está recebida ou cancelada!"
    assert ixc_message({"type": "error", "message": "a\x1b[2Jb &amp; <b>c</b>"}) == "a[2Jb & c"
    assert ixc_message({"type": "error", "valor": "só em valor"}) == "só em valor"


def test_the_api_base_is_under_webservice_v1() -> None:
    assert api_base("https://ixc.exemplo.com.br/") == "https://ixc.exemplo.com.br/webservice/v1"
    assert api_base("https://x/webservice/v1") == "https://x/webservice/v1"
    shown = repr(Endpoint("IXC", "https://x/webservice/v1", "17", "tok3n-secreto"))
    assert "tok3n" not in shown and "17" not in shown


def test_a_redirect_is_not_followed_but_explained(ixc: FakeIxc) -> None:
    ixc.faults.status = 301
    client = IxcClient(endpoint(ixc))
    with pytest.raises(ServerError, match=r"HTTP 301\): confira integrations\.ixc\.url"), client:
        client.get("cliente", "1")
    assert len(ixc.seen) == 1
