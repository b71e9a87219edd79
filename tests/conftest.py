"""Shared fixtures. Every test runs with the network fenced off.

gTTS reaches Google through HTTPS_PROXY; pointing it at a closed loopback port makes any
request that is not routed through the FakeGoogle proxy fail at once, and the socket guard
refuses connections to anything but loopback for the code running in this process.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import pytest

from tests.fakegoogle import FakeGoogle

# Shared episode fixtures that need a session scope (see tests/published.py).
pytest_plugins = ["tests.published"]

DEAD_PROXY = "http://127.0.0.1:9"
_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "", None}


def _guarded_connect(sock, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise ConnectionRefusedError(f"tests may not reach the network ({host})")
    return _real_connect(sock, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOCAL_NAMES:
        try:
            ipaddress.ip_address(name)
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not resolve {name}") from None
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path_factory):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, DEAD_PROXY)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    # Each test gets its own clip cache so results never depend on test order.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def route_to(monkeypatch, google: FakeGoogle) -> FakeGoogle:
    """Send this process's gTTS requests to `google`."""
    for name, value in google.env.items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    return google


@pytest.fixture
def fake_google(monkeypatch):
    with FakeGoogle() as google:
        yield route_to(monkeypatch, google)


@pytest.fixture
def article_file(tmp_path) -> Path:
    path = tmp_path / "harbour.txt"
    path.write_text(
        " date 2024-03-02 Harbour reopens after storm\n\n"
        "Ferries sailed again on Saturday morning.\n\n"
        "\u201cWe are glad to be back,\u201d said the captain.\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def cli(capsys):
    """Run the CLI in this process; returns (exit code, stdout, stderr)."""
    from digest.cli import main

    def run(*argv: str):
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


PYTHON = sys.executable


@pytest.fixture
def web():
    """A web server on 127.0.0.1 for URL and feed inputs (see tests/localweb.py)."""
    from tests.localweb import LocalWeb

    with LocalWeb() as server:
        yield server


FIXTURES = Path(__file__).parent / "fixtures" / "inputs"


# Marks for CI's extra runs (.ci/run): the `audio` tests run again with each ffmpeg version
# digest supports, and everything not `slow` runs on the oldest and newest Python.
AUDIO_MODULES = {"test_clips", "test_stitch", "test_loudness", "test_listening", "test_chime", "test_make",
                 "test_make_digest", "test_synth", "test_tags", "test_ffmpeg", "test_channel"}
SLOW_MODULES = {"test_faults", "test_listening", "test_kill", "test_concurrency", "test_fuzz", "test_linear_text_rules"}


def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in AUDIO_MODULES:
            item.add_marker(pytest.mark.audio)
        if module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
