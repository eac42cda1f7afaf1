"""The pack cache never runs code: planted, tampered or foreign files are ignored and rebuilt.

A malicious pickle is a file that would create a marker file when unpickled
(``os.system("touch ...")``). It is planted exactly where the cache keeps the
pack, in every way an attacker could: raw, sealed with the user's own key (the
decoder must still refuse the global), owned by another user, readable by
others, in a folder others can write. Each time the marker must not exist,
the pack must load, and a good cache file must replace the planted one.
"""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from mutum_copilot.packs import cache, cache_files
from mutum_copilot.packs.loader import load_pack

REPO = Path(__file__).resolve().parent.parent

FIXTURE = Path(__file__).resolve().parent / "packs" / "fixture"


class Evil:
    """Unpickling this runs a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    return Path(shutil.copytree(FIXTURE, tmp_path / "pack"))


def cache_file(pack: Path) -> Path:
    key = cache._key(pack)
    assert key is not None
    return cache._cache_path(key)


def plant_evil(path: Path, marker: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = pickle.dumps(("anything", Evil(marker), Evil(marker)))
    path.write_bytes(data)
    path.chmod(0o600)
    return data


def assert_ignored_and_rebuilt(pack: Path, marker: Path, planted: bytes) -> None:
    loaded, index = cache.load_indexed_pack(pack)
    assert not marker.exists(), "the planted pickle ran"
    assert loaded == load_pack(pack)
    assert index.search("boleto", 1)
    path = cache_file(pack)
    assert path.read_bytes() != planted  # a good file took its place
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, _ = cache.load_indexed_pack(pack)
    assert again == loaded and not marker.exists()


def test_a_planted_pickle_never_runs(pack: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    planted = plant_evil(cache_file(pack), marker)
    assert_ignored_and_rebuilt(pack, marker, planted)


def test_a_pickle_sealed_with_the_users_own_key_still_cannot_run(
    pack: Path, tmp_path: Path
) -> None:
    cache.load_indexed_pack(pack)  # a real entry, and the key, exist
    path = cache_file(pack)
    secret = cache_files.read_secret(path.parent, create=False)
    key = cache._key(pack)
    assert secret is not None and key is not None
    marker = tmp_path / "pwned"
    payload = pickle.dumps((Evil(marker), Evil(marker)))
    planted = cache._seal(secret, key, payload)
    path.write_bytes(planted)
    assert_ignored_and_rebuilt(pack, marker, planted)


@pytest.mark.parametrize("name", ["system", "getattr", "eval", "exec", "__import__", "open"])
def test_the_decoder_refuses_any_global_but_the_pack_models(name: str) -> None:
    import io

    with pytest.raises(pickle.UnpicklingError):
        cache._DataOnly(io.BytesIO(b"")).find_class("builtins" if name != "system" else "os", name)
    for module, attr in [
        ("subprocess", "Popen"),
        ("mutum_copilot.history", "HistoryStore"),  # a class of ours that writes files
        ("mutum_copilot.packs.cache", "_write"),
        ("mutum_copilot.search", "Path"),  # imported there, defined elsewhere
        ("zoneinfo", "ZoneInfo._unpickle"),
    ]:
        with pytest.raises(pickle.UnpicklingError):
            cache._DataOnly(io.BytesIO(b"")).find_class(module, attr)


def test_a_tampered_byte_is_caught(pack: Path, tmp_path: Path) -> None:
    cache.load_indexed_pack(pack)
    path = cache_file(pack)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert_ignored_and_rebuilt(pack, tmp_path / "none", bytes(data))


def test_a_cache_file_others_can_write_is_ignored(pack: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = cache_file(pack)
    planted = plant_evil(path, marker)
    path.chmod(0o666)
    assert_ignored_and_rebuilt(pack, marker, planted)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_cache_file_of_another_user_is_ignored(pack: Path, tmp_path: Path) -> None:
    cache.load_indexed_pack(pack)
    path = cache_file(pack)
    os.chown(path, 12345, 12345)  # a valid entry, but not ours: never decoded
    marker = tmp_path / "none"
    assert_ignored_and_rebuilt(pack, marker, b"")
    assert path.stat().st_uid == os.geteuid()


def test_a_cache_folder_others_can_write_is_made_private(pack: Path) -> None:
    folder = cache.cache_folder()
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    cache.load_indexed_pack(pack)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / ".key").stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_turns_the_cache_off(pack: Path, tmp_path: Path) -> None:
    folder = cache.cache_folder()
    folder.mkdir(parents=True)
    marker = tmp_path / "pwned"
    plant_evil(cache_file(pack), marker)
    os.chown(folder, 12345, 12345)
    folder.chmod(0o777)  # e.g. a shared cache prepared by someone else
    loaded, _ = cache.load_indexed_pack(pack)
    assert loaded == load_pack(pack) and not marker.exists()
    assert folder.stat().st_uid == 12345  # left alone: not ours to repair


@pytest.mark.parametrize(
    "folder",
    [
        REPO / "knowledge" / "mutum-fibra",
        REPO / "tests" / "packs" / "fixture",
        REPO / "tests" / "packs" / "amazonas",
    ],
    ids=["shipped", "fixture", "amazonas"],
)
def test_every_pack_comes_back_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every class a pack holds is one the decoder knows: else the cache silently never hits."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    copy = shutil.copytree(folder, tmp_path / "pack")
    first, _ = cache.load_indexed_pack(copy)
    path = cache._cache_path(cache._key(copy) or "")
    stored = cache._read(path, cache._key(copy) or "")
    assert stored is not None and stored[0] == first
