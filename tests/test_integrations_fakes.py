"""The fakes against the references: a fake that drifts from the documented API fails here.

IXC: the examples of IXC's own Postman collection (``fakes/ixc_examples.json``,
verbatim excerpts) are replayed against the fake, raw HTTP, no client of ours.
Flashman: the shapes its public source answers with (``routes/api/v2.js``,
``controllers/device_list.js``, ``controllers/auth.js``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from fakes.flashman_server import FakeFlashman
from fakes.ixc_server import EXAMPLES, TEMPLATES, FakeIxc


def basic(user: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def listing(
    fake: FakeIxc, table: str, body: dict[str, Any], *, header: bool = True, auth: bool = True
) -> httpx.Response:
    headers = {"ixcsoft": "listar"} if header else {}
    if auth:
        headers |= basic(fake.user, fake.secret)
    return httpx.request(
        "GET",
        f"{fake.url}/webservice/v1/{table}",
        content=json.dumps(body).encode(),
        headers=headers,
    )


def test_the_collections_cpf_search_gets_the_collections_reply(ixc: FakeIxc) -> None:
    example = EXAMPLES["cliente_by_cpf"]
    record = example["reply"]["registros"][0]
    ixc.add("cliente", **record)
    assert example["method"] == "GET" and example["headers"] == {"ixcsoft": "listar"}
    reply = listing(ixc, "cliente", example["body"])
    assert reply.status_code == 200
    assert reply.json() == example["reply"]  # page "1", total 1 (a number here), the record


def test_listings_answer_strings_as_the_collection_shows(ixc: FakeIxc) -> None:
    example = EXAMPLES["listing_with_string_total"]["reply"]
    assert isinstance(example["page"], str) and isinstance(example["total"], str)
    for _ in range(5):
        ixc.add("radusuarios", id_cliente="9", login="x")
    reply = listing(
        ixc,
        "radusuarios",
        {"qtype": "radusuarios.id_cliente", "query": "9", "oper": "=", "page": "2", "rp": "2"},
    ).json()
    assert reply["page"] == "2" and reply["total"] == "5"
    assert [r["id"] for r in reply["registros"]] == ["3", "4"]
    assert all(isinstance(v, str) for r in reply["registros"] for v in r.values())


def test_records_have_exactly_the_documented_columns(ixc: FakeIxc) -> None:
    for table, source in (
        ("cliente_contrato", "cliente_contrato_insert"),
        ("radusuarios", "radusuarios_insert"),
        ("radpop_radio_cliente_fibra", "radpop_radio_cliente_fibra_insert"),
    ):
        ixc.add(table)
        body = {"qtype": f"{table}.id", "query": "1", "oper": ">=", "page": "1", "rp": "5"}
        (record,) = listing(ixc, table, body).json()["registros"]
        assert set(record) == set(EXAMPLES[source]["fields"]) | {"id"}, table
    for field in (
        "status",
        "status_internet",
        "desbloqueio_confianca",
        "desbloqueio_confianca_ativo",
    ):
        assert field in TEMPLATES["cliente_contrato"]
    for field in ("login", "online", "mac"):
        assert field in TEMPLATES["radusuarios"]
    for field in ("sinal_rx", "sinal_tx", "data_sinal"):
        assert field in TEMPLATES["radpop_radio_cliente_fibra"]


def test_a_get_without_the_listar_header_is_a_404(ixc: FakeIxc) -> None:
    # Collection, "404 - Not found": GET requests need --header 'ixcsoft: listar'.
    assert listing(ixc, "cliente", {}, header=False).status_code == 404


def test_without_the_basic_pair_it_is_a_401(ixc: FakeIxc) -> None:
    assert listing(ixc, "cliente", {}, auth=False).status_code == 401
    wrong = httpx.get(
        f"{ixc.url}/webservice/v1/cliente", headers={"ixcsoft": "listar"} | basic(ixc.user, "x")
    )
    assert wrong.status_code == 401


def test_an_unknown_table_and_the_ip_refusal_answer_the_documented_bodies(ixc: FakeIxc) -> None:
    shape = EXAMPLES["errors"]["resource_unavailable"]  # "Recurso rad não está disponível!"
    reply = listing(ixc, "rad", {}).json()
    assert reply == shape
    ixc.ip_refused = True
    raw = listing(ixc, "cliente", {})
    assert raw.json() == EXAMPLES["errors"]["ip_not_allowed"]
    assert b"n\\u00e3o est\\u00e1 liberado" in raw.content  # escaped as in the collection


def test_a_qtype_without_its_table_is_a_500(ixc: FakeIxc) -> None:
    # Collection, "500": the table missing or wrong in qtype or sortname.
    assert listing(ixc, "cliente", {"qtype": "cnpj_cpf", "query": "1"}).status_code == 500
    assert listing(ixc, "cliente", {"qtype": "cliente.nope", "query": "1"}).status_code == 500
    assert listing(ixc, "cliente", {"sortname": "id"}).status_code == 500


def test_inserts_follow_the_documented_required_fields(ixc: FakeIxc) -> None:
    ticket = EXAMPLES["su_ticket_insert"]
    assert set(ticket["required"]) == {
        "tipo", "id_cliente", "id_assunto", "titulo", "id_ticket_setor", "prioridade",
        "menssagem", "su_status",
    }  # fmt: skip
    url = f"{ixc.url}/webservice/v1/su_ticket"
    auth = basic(ixc.user, ixc.secret)
    body = {k: v for k, v in ticket["fields"].items() if v}
    ok = httpx.post(url, json=body, headers=auth).json()
    assert set(ok) == set(EXAMPLES["insert_success"]["reply"]) and ok["type"] == "success"
    assert ok["message"] == "Registro inserido com sucesso!" and isinstance(ok["id"], int)
    missing = httpx.post(url, json={**body, "titulo": ""}, headers=auth).json()
    assert missing["type"] == "error" and "titulo" in missing["message"]
    typo = httpx.post(url, json={**body, "mensagem": "x"}, headers=auth).json()
    assert typo["type"] == "error"  # su_ticket's field is "menssagem", IXC's spelling
    order = EXAMPLES["su_oss_chamado_insert"]
    assert {"id_assunto", "setor", "id_filial", "status", "prioridade"} <= set(order["required"])
    assert "mensagem" in order["fields"] and "menssagem" not in order["fields"]


def test_the_trust_unlock_button_takes_the_contract_id(ixc: FakeIxc) -> None:
    documented = EXAMPLES["desbloqueio_confianca"]
    assert documented["method"] == "POST" and list(documented["body"]) == ["id"]
    assert documented["replies_documented"] == 0  # so the fake's refusal texts are its own
    contract = ixc.add("cliente_contrato", status="A", status_internet="CA")
    url = f"{ixc.url}/webservice/v1/desbloqueio_confianca"
    reply = httpx.post(url, json={"id": contract["id"]}, headers=basic(ixc.user, ixc.secret))
    assert reply.json()["type"] == "success"
    assert ixc.find("cliente_contrato", contract["id"])["status_internet"] == "A"  # type: ignore[index]


def test_the_documented_codes(ixc: FakeIxc) -> None:
    codes = EXAMPLES["codes"]
    assert list(codes["cliente_contrato.status_internet"]) == ["A", "D", "CM", "CA", "FA", "AA"]
    assert codes["radusuarios.online"] == {"S": "Sim", "N": "Nao", "SS": "Sem status"}
    assert list(codes["su_oss_chamado.prioridade"]) == ["B", "N", "A", "C"]


def test_flashman_asks_for_basic_auth_like_passport_http(flashman: FakeFlashman) -> None:
    reply = httpx.put(f"{flashman.url}/api/v2/device/search", json={"filter_list": "x"})
    assert reply.status_code == 401 and reply.text == "Unauthorized"
    assert reply.headers["www-authenticate"] == 'Basic realm="Users"'
    assert httpx.get(f"{flashman.url}/api/v2/health").status_code == 200  # the open route
    flashman.api_access = False
    denied = httpx.put(
        f"{flashman.url}/api/v2/device/search",
        json={"filter_list": "x"},
        headers=basic(flashman.user, flashman.secret),
    )
    assert denied.status_code == 403
    assert denied.json()["type"] == "danger" and "Permissão negada" in denied.json()["message"]


def test_flashman_search_and_registry_replies_have_the_controllers_shape(
    flashman: FakeFlashman,
) -> None:
    flashman.add("A4:33:D7:10:C2:5F", "maria.souza")
    auth = basic(flashman.user, flashman.secret)
    found = httpx.put(
        f"{flashman.url}/api/v2/device/search?page=1&limit=99",
        json={"filter_list": "MARIA"},
        headers=auth,
    ).json()
    assert {"success", "type", "limit", "page", "pages", "status", "devices"} <= set(found)
    assert found["limit"] == 50  # the controller caps limit at 50
    assert set(found["status"]) == {"onlinenum", "recoverynum", "offlinenum", "totalnum"}
    (device,) = found["devices"]
    for field in ("pon_rxpower", "pon_txpower", "last_contact", "wan_up_time", "connection_type"):
        assert field in device
    assert isinstance(device["pon_rxpower"], float) and device["last_contact"].endswith("Z")
    flashman.complex_search = False  # exact match only, on the first term
    assert (
        httpx.put(
            f"{flashman.url}/api/v2/device/search", json={"filter_list": "MARIA"}, headers=auth
        ).json()["devices"]
        == []
    )
    registry = httpx.get(f"{flashman.url}/api/v2/device/update/a4:33:d7:10:c2:5f", headers=auth)
    assert registry.status_code == 200 and registry.json()["_id"] == "A4:33:D7:10:C2:5F"
    missing = httpx.get(f"{flashman.url}/api/v2/device/update/00:00:00:00:00:00", headers=auth)
    assert missing.status_code == 404
    assert missing.json()["success"] is False and "CPE não encontrada" in missing.json()["message"]
