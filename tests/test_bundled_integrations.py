"""The bundled pack's ``integrations:`` template: off as shipped, valid once uncommented."""

from __future__ import annotations

import shutil
from pathlib import Path

from mutum_copilot.packs.loader import load_pack

BUNDLED = Path(__file__).resolve().parents[1] / "knowledge" / "mutum-fibra"


def test_the_shipped_block_names_no_server() -> None:
    integrations = load_pack(BUNDLED).facts.integrations
    assert integrations is None or not integrations.ixc.url


def test_the_commented_template_is_what_check_accepts(tmp_path: Path) -> None:
    pack = tmp_path / "mutum-fibra"
    shutil.copytree(BUNDLED, pack)
    provider = pack / "provider.yaml"
    head, template = provider.read_text(encoding="utf-8").split("integrations: {}\n")
    uncommented = "".join(line[1:] + "\n" for line in template.splitlines())
    provider.write_text(head + "integrations:\n" + uncommented, encoding="utf-8")
    integrations = load_pack(pack).facts.integrations
    assert integrations is not None
    ixc = integrations.ixc
    assert ixc.url == "https://ixc.mutumfibra.com.br"
    assert {i.outcome for i in ixc.outcomes} == {
        "os_n1",
        "transfer_financial",
        "transfer_commercial",
    }
