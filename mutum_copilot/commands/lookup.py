"""``mutum-copilot lookup <CPF|CNPJ|contrato> [--json]``: a customer's record, read live.

The same snapshot the TUI shows after the agent types a CPF: name, masked
document, and per contract the access status in words, the trust unlock, the
PPPoE logins and the last signal judged against the pack's range. For
supervisors and scripts; ``--json`` prints one object (schema in
docs/integrations.md). Exit 2, with one line in Portuguese, when the
integration is off (no ``ixc_api`` in the vault), IXC is unreachable or
refuses (401/403, IP not allowed), nothing matches or several customers do.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mutum_copilot.commands.common import load_pack_or_report
from mutum_copilot.errors import MutumError, ProblemsError
from mutum_copilot.packs.model import Pack


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "lookup",
        help="consulta um cliente no IXC (e no Flashman): contratos, situação, sinal",
        description=(
            "Lê o cadastro do cliente ao vivo no IXC (e o sinal no Flashman): nome, "
            "documento mascarado, contratos com a situação do acesso, desbloqueio de "
            "confiança, logins PPPoE e o último sinal. Precisa de ixc_api no cofre."
        ),
    )
    parser.add_argument(
        "key",
        metavar="CPF|CNPJ|CONTRATO",
        help="o CPF ou CNPJ do cliente, ou o número de um contrato",
    )
    parser.add_argument("--json", action="store_true", help="imprime um objeto JSON")
    parser.set_defaults(run=run)


def chosen_pack(args: argparse.Namespace) -> Pack | None:
    """The pack whose facts and addresses the lookup uses (the one place that decides)."""
    return load_pack_or_report(args)


def run(args: argparse.Namespace) -> int:
    from mutum_copilot.clock import system_clock
    from mutum_copilot.config import load_settings
    from mutum_copilot.integrations.service import Integrations, require_config
    from mutum_copilot.vault import load_vault

    pack = chosen_pack(args)
    if pack is None:
        return 2
    try:
        settings = load_settings(Path(args.config) if getattr(args, "config", None) else None)
        vault = load_vault()
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except MutumError as exc:  # the vault readable by others
        print(f"mutum-copilot lookup: {exc}", file=sys.stderr)
        return 2
    try:
        config = require_config(pack.facts, settings, vault)
        snapshot = Integrations(config, pack.facts, clock=system_clock).lookup(args.key)
    except MutumError as exc:
        print(f"mutum-copilot lookup: {exc}", file=sys.stderr)
        return 2
    if args.json:
        zone = pack.facts.call_center.time_zone  # the agent's clock, as every time shown
        print(json.dumps(snapshot.to_json(zone), ensure_ascii=False))
    else:
        from mutum_copilot.commands.lookup_render import render

        render(snapshot, pack.facts.call_center.time_zone)
    return 0
