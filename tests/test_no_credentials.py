"""No credential in the repository: provider logins live only in each agent's local vault.

Every file git tracks, plus new files git does not ignore, is scanned for
credential-shaped lines: a key named like a credential (``login``, ``senha``,
``anlix_password``, ``API_TOKEN``...) holding a value, in YAML, INI, TOML,
JSON, ``.env`` or embedded in a code string (``"login: x\\n"``); and the
well-known shapes of secrets (private keys, ``user:pass@`` in URLs, cloud and
GitHub tokens). A failure names ``file:line`` so the secret can be removed, and
then rotated, since git history keeps it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: Files that hold fake credentials on purpose, and why each is safe.
ALLOWED = {
    # builds vaults with made-up logins to test loading, masking and redaction
    "tests/test_vault.py",
    # writes a one-letter fake vault to check the vault command's missing-key report
    "tests/test_cli_vault.py",
    # feeds generated fake vaults ("fake-user"/"fake-pass") to the vault loader
    "tests/test_properties.py",
    # the FAQ credential scanner's own examples of what it must flag
    "tests/test_faq_content.py",
    # this scanner's own examples of what it must catch
    "tests/test_no_credentials.py",
}
SKIPPED_DIRS = {".git", ".venv", "venv", "__pycache__", ".hypothesis", "node_modules", "mutants"}
CODE_SUFFIXES = {".py", ".sh", ".js", ".ts", ".tcss", ".css"}

WORDS = (
    "login", "user", "username", "usuario", "usuário", "senha", "password", "passwd", "pwd",
    "token", "secret", "api_key", "apikey", "access_key", "private_key", "client_secret",
)  # fmt: skip
_KEY = r"[A-Za-z_\u00c0-\u00ff][\w.\-\u00c0-\u00ff]*"
KEY_VALUE = re.compile(rf"""^\s*(?:-\s*)?["']?(?P<key>{_KEY})["']?\s*[:=]\s*(?P<value>.*?)\s*$""")
QUOTED_PAIR = re.compile(rf"""["'](?P<key>{_KEY})["']\s*:\s*["'](?P<value>[^"'\n]+)["']""")
CODE_VALUE = re.compile(r"""^(?:[\w\[\], |.]+\s*=\s*)?(?P<q>["'])(?P<literal>.+?)(?P=q)""")
EMPTY = {"", '""', "''", "~", "null", "none", "[]", "{}", "|", ">", "|-", ">-", "|+", ">+"}
#: Not a secret but where one comes from: ``${VAR}``, ``${{ secrets.X }}``, ``<senha>``.
REFERENCE = re.compile(r"^(?:\$\{\{?.*\}\}?|\$[A-Z_][A-Z0-9_]*|<[^>]*>|\{\{.*\}\})$")
SECRET_SHAPES = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:[^/\s@'\"]+@[\w.-]"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
}


def is_credential_key(key: str) -> bool:
    """``senha``, or a name ending in one: ``anlix_password``, ``API-TOKEN``, ``db.user``."""
    name = key.strip().lower()
    return any(name == w or re.search(rf"[_.\-]{re.escape(w)}$", name) for w in WORDS)


def holds_value(raw: str, code: bool) -> bool:
    value = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip().rstrip(",;").strip()
    if code:  # in code, only a string literal is a hard-coded secret (not `token = next()`)
        match = CODE_VALUE.match(value)
        value = match["literal"].strip() if match else ""
    return value.lower() not in EMPTY and not REFERENCE.match(value)


def credential_lines(text: str, code: bool = False) -> list[tuple[int, str]]:
    """(line number, why) for every credential-shaped line of ``text``."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for index, piece in enumerate(line.split("\\n")):  # also YAML inside a code string
            match = KEY_VALUE.match(piece)
            as_code = code and index == 0
            if match and is_credential_key(match["key"]) and holds_value(match["value"], as_code):
                found.append((number, f'key "{match["key"]}" holds a value'))
                break
        else:
            pair = next(
                (m for m in QUOTED_PAIR.finditer(line) if is_credential_key(m["key"])), None
            )
            if pair is not None and holds_value(pair["value"], code=False):
                found.append((number, f'key "{pair["key"]}" holds a value'))
        found.extend((number, what) for what, shape in SECRET_SHAPES.items() if shape.search(line))
    return found


def repo_files() -> list[str]:
    """Tracked files and untracked ones git does not ignore; a plain walk without git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", "surrogateescape")
        return sorted({name for name in listed.split("\0") if name})
    except (OSError, subprocess.CalledProcessError):
        found = []
        for folder, dirs, files in os.walk(REPO):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
            found.extend(str((Path(folder) / f).relative_to(REPO)) for f in files)
        return sorted(found)


def read_text(path: Path) -> str | None:
    """The file as text, or None for binary data (a NUL byte) and unreadable files."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if b"\0" in raw[:8192]:
        return None
    return raw.decode("utf-8", "replace")


def test_the_detector_catches_credential_shapes() -> None:
    assert is_credential_key("senha") and is_credential_key("ANLIX_PASSWORD")
    assert is_credential_key("api-token") and is_credential_key("db.user")
    assert not is_credential_key("vault_key") and not is_credential_key("usuarios")
    assert not is_credential_key("user_data_dir") and not is_credential_key("tokens")
    caught = (
        "flashman:\n  login: agente7\n  password: s3cr3t!\n"
        'senha = "1234"\n{"api_key": "abc123"}\nx = "login: ana\\npassword: y\\n"\n'
        "url: https://ana:s3nha@ixc.example.com/\n"
    )
    assert [n for n, _ in credential_lines(caught)] == [2, 3, 4, 5, 6, 7]
    fine = (
        "login:\n  url: x\npassword: ''\ntoken: ${{ secrets.GITHUB_TOKEN }}\n"
        "senha: <a senha do sistema>\nsay: a senha são os 4 primeiros números do CPF\n"
        "vault_key: flashman\npassword: ~\nuser:  # filled by the agent\n"
    )
    assert credential_lines(fine) == []
    code = 'self.token = uuid.uuid4().hex\ntoken = tokens[0]\nlogin: str = ""\npwd = "x1"\n'
    assert credential_lines(code, code=True) == [(4, 'key "pwd" holds a value')]


def test_no_credential_in_the_repository() -> None:
    files = repo_files()
    assert "pyproject.toml" in files  # the listing really found the repository
    found = []
    for name in files:
        path = REPO / name
        if name in ALLOWED or "example" in path.name.lower() or not path.is_file():
            continue
        text = read_text(path)
        if text is None:
            continue
        for number, why in credential_lines(text, code=path.suffix in CODE_SUFFIXES):
            found.append(f"{name}:{number}: {why}")
    if found:
        pytest.fail(
            "credential-shaped lines (move them to the local vault, then rotate them):\n"
            + "\n".join(found)
        )


def test_allowed_files_still_exist() -> None:
    """An allow-list entry for a file that is gone would hide a new file of that name."""
    assert all((REPO / name).is_file() for name in ALLOWED)
