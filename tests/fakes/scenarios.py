"""Customers the tests put into the fakes, and the copilot's side wired to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import IntegrationSettings, ServiceAddress, Settings
from mutum_copilot.integrations.service import IntegrationConfig, Integrations, integrations_config
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.vault import Credential, Vault

from .flashman_server import FakeFlashman
from .ixc_server import FakeIxc

FIXTURE_PACK = Path(__file__).resolve().parent.parent / "packs" / "fixture"
#: Valid check digits, made up: nobody's CPF.
CPF = "529.982.247-25"
CPF_DIGITS = "52998224725"
CPF_MASKED = "***.982.247-**"
OTHER_CPF = "111.444.777-35"
CNPJ = "11.222.333/0001-81"
#: Friday 20 November 2026, 21:14 in Brasília (GMT-3) = 20:14 in Mato Grosso (GMT-4).
NOW = dt.datetime(2026, 11, 21, 0, 14, tzinfo=dt.UTC)

_pack: Pack | None = None


def fixture_pack() -> Pack:
    global _pack
    if _pack is None:
        _pack = load_pack(FIXTURE_PACK)
    return _pack


@dataclass
class Customer:
    """The ids of what :func:`add_customer` put into the fakes."""

    customer_id: str
    contract_id: str
    login_id: str
    login: str
    mac: str


def add_customer(
    ixc: FakeIxc,
    flashman: FakeFlashman | None = None,
    *,
    cpf: str = CPF,
    name: str = "Maria Aparecida Souza",
    internet_status: str = "CA",
    status: str = "A",
    last_unlock: str = "0000-00-00",
    trust_active: str = "N",
    trust_setting: str = "P",
    pppoe: str = "maria.souza",
    mac: str = "A4:33:D7:10:C2:5F",
    ixc_rx: str = "-24.10",
    ixc_tx: str = "2.05",
    ixc_read: str = "2026-11-18 14:02:11",
    flashman_rx: float | None = -19.5,
) -> Customer:
    """A customer with one contract, one PPPoE login and an ONU, as IXC and Flashman keep them."""
    customer = ixc.add("cliente", razao=name, fantasia="", cnpj_cpf=cpf, ativo="S")
    contract = ixc.add(
        "cliente_contrato",
        id_cliente=customer["id"],
        contrato="FIBRA 300 MEGA",
        status=status,
        status_internet=internet_status,
        desbloqueio_confianca=trust_setting,
        desbloqueio_confianca_ativo=trust_active,
        dt_ult_des_bloq_conf=last_unlock,
        id_filial="1",
    )
    user = ixc.add(
        "radusuarios",
        id_cliente=customer["id"],
        id_contrato=contract["id"],
        login=pppoe,
        online="N" if internet_status != "A" else "S",
        mac=mac,
    )
    ixc.add(
        "radpop_radio_cliente_fibra",
        id_contrato=contract["id"],
        id_login=user["id"],
        nome=f"ONU {pppoe}",
        mac=mac,
        sinal_rx=ixc_rx,
        sinal_tx=ixc_tx,
        data_sinal=ixc_read,
    )
    if flashman is not None and flashman_rx is not None:
        flashman.add(mac, pppoe, rx=flashman_rx, tx=2.3)
    return Customer(customer["id"], contract["id"], user["id"], pppoe, mac)


def vault_for(ixc: FakeIxc | None, flashman: FakeFlashman | None = None) -> Vault:
    """The agent's vault holding the fakes' credentials."""
    credentials: dict[str, Credential] = {}
    if ixc is not None:
        credentials["ixc_api"] = Credential(user=ixc.user, token=ixc.secret)
    if flashman is not None:
        credentials["flashman"] = Credential(login=flashman.user, password=flashman.secret)
    return Vault(Path("/nonexistent/secrets.yaml"), credentials)


def settings_for(ixc_url: str = "", flashman_url: str = "") -> Settings:
    return Settings(
        integrations=IntegrationSettings(
            ixc=ServiceAddress(ixc_url), flashman=ServiceAddress(flashman_url)
        )
    )


def config_for(
    ixc: FakeIxc, flashman: FakeFlashman | None = None, *, timeout: float = 2.0
) -> IntegrationConfig:
    config = integrations_config(
        fixture_pack().facts,
        settings_for(ixc.url, flashman.url if flashman else ""),
        vault_for(ixc, flashman),
        timeout=timeout,
    )
    assert config is not None
    return config


def service_for(
    ixc: FakeIxc,
    flashman: FakeFlashman | None = None,
    *,
    timeout: float = 2.0,
    clock: FrozenClock | None = None,
) -> Integrations:
    return Integrations(
        config_for(ixc, flashman, timeout=timeout),
        fixture_pack().facts,
        clock=clock or FrozenClock(NOW),
    )
