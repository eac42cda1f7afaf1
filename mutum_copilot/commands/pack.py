"""``mutum-copilot pack new DIR`` and ``pack diff OLD NEW``: start a pack, review an edit.

``new`` writes a minimal pack to start from (:mod:`mutum_copilot.packs.template`):
every required key empty, every optional section as a comment, so ``check``
then lists exactly what is left to fill. ``diff`` compares two versions of a
pack folder (:mod:`mutum_copilot.packs.diff`) and says, in words a supervisor
reads, what the edit changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mutum_copilot.errors import InputError, PackError

PROG = "mutum-copilot pack"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pack",
        help="começa um pacote de conhecimento, ou mostra o que uma edição muda",
        description="Começa um pacote de conhecimento (new), ou compara duas versões de um (diff).",
    )
    actions = parser.add_subparsers(title="ações", metavar="AÇÃO", required=True)
    new = actions.add_parser(
        "new",
        help="grava um pacote mínimo para começar",
        description=(
            "Grava um pacote mínimo em PASTA (nova ou vazia): as chaves obrigatórias "
            "vazias, para preencher; as seções opcionais como comentários. Depois rode check."
        ),
    )
    new.add_argument("dir", type=Path, metavar="PASTA")
    new.set_defaults(run=run_new)
    diff = actions.add_parser(
        "diff",
        help="o que muda de uma versão de um pacote para outra",
        description=(
            "Compara duas pastas de pacote (antes e depois de uma edição): fatos com o valor "
            "antigo e o novo, entradas do FAQ e passos de fluxo incluídos, removidos ou mudados."
        ),
    )
    diff.add_argument("old", type=Path, metavar="ANTIGA")
    diff.add_argument("new", type=Path, metavar="NOVA")
    diff.add_argument("--short", action="store_true", help="cita as mudanças sem os textos")
    diff.set_defaults(run=run_diff)


def run_new(args: argparse.Namespace) -> int:
    from mutum_copilot.packs.template import write_template

    try:
        write_template(args.dir)
    except InputError as exc:
        print(f"{PROG} new: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"{PROG} new: não foi possível escrever em {args.dir}: {exc.strerror}", file=sys.stderr
        )
        return 2
    print(
        f"{args.dir}: pacote criado. Preencha as chaves marcadas PREENCHA em pack.yaml e "
        f"provider.yaml e confira com: mutum-copilot check {args.dir}"
    )
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from mutum_copilot.packs.diff import diff_packs
    from mutum_copilot.packs.diff_text import render_diff
    from mutum_copilot.packs.loader import load_pack

    packs = []
    for folder in (args.old, args.new):
        try:
            packs.append(load_pack(folder))
        except PackError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"{PROG} diff: {folder} não é um pacote válido", file=sys.stderr)
            return 2
    print(render_diff(diff_packs(*packs), texts=not args.short), end="")
    return 0
