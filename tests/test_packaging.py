"""The project as a newcomer gets it: a wheel that carries its knowledge, a core without Textual."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import user_env

REPO = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    """Every module of the package except the TUI shell and the entry points that start it."""
    package = REPO / "mutum_copilot"
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if "tui" in parts or parts[-1] == "__main__":
            continue
        names.append(".".join(p for p in parts if p != "__init__"))
    return names


def test_core_never_imports_textual() -> None:
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "", f"core modules imported Textual: {result.stdout}"
    assert "mutum_copilot.knowledge.loader" in modules


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Module-scoped, so built before each test's own home (conftest.user_home): pip
    # reads the machine's configuration (its package index), as a newcomer's would.
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("mutum_copilot-*.whl")
    return built


def test_wheel_carries_the_knowledge(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = "mutum_copilot/_bundled_knowledge/mutum-fibra/"
    source = sorted(
        p.relative_to(REPO / "knowledge" / "mutum-fibra").as_posix()
        for p in (REPO / "knowledge" / "mutum-fibra").rglob("*")
        if p.is_file()
    )
    missing = [name for name in source if bundled + name not in names]
    assert not missing, f"knowledge files missing from the wheel: {missing}"
    assert "mutum_copilot/cli.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_finds_its_bundled_pack(
    wheel: Path, tmp_path: Path, user_home: Path
) -> None:
    """Unpacked outside the source tree, the package loads the pack shipped inside it."""
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import mutum_copilot.paths as p, sys\n"
        "from mutum_copilot.cli import main\n"
        "assert '_bundled_knowledge' in str(p.bundled_pack_dir()), p.bundled_pack_dir()\n"
        "sys.exit(main(['check']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", **user_env(user_home)},
    )
    assert result.returncode == 0, result.stderr
    assert "ok: Mutum Fibra" in result.stdout


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```bash")[1:3]]
    assert len(blocks) == 2, "the README opens with two bash blocks: start, and test"
    assert blocks[1] in ci
