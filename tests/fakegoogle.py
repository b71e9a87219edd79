"""Offline stand-in for Google Translate's text-to-speech endpoint.

gTTS is reached the way it reaches Google: it honours HTTPS_PROXY (read via
urllib.request.getproxies() on every request) and does not verify TLS, so an
intercepting proxy on loopback lets gTTS's own code run unmodified, in this
process or in a subprocess such as ``gtts-cli``.

    with FakeGoogle(latency=0.2) as google:
        subprocess.run(["gtts-cli", "hi", "-o", "hi.mp3"],
                       env={**os.environ, **google.env}, check=True)
        assert google.requests[0].text == "hi"

From a bench/ script, put the repo root on sys.path and
``from tests.fakegoogle import FakeGoogle``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
import socket
import ssl
import struct
import sys
import tempfile
import threading
from base64 import b64encode
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from socketserver import TCPServer, ThreadingMixIn
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import trustme

__all__ = ["FakeGoogle", "TTSRequest", "FAULTS", "SECONDS_PER_CHAR", "MIN_SECONDS"]

log = logging.getLogger(__name__)

FRAMES_PATH = Path(__file__).parent / "data" / "google_frames.mp3"
SECONDS_PER_CHAR = 0.055
MIN_SECONDS = 0.3

FAULTS = frozenset({"429", "500", "503", "reset", "slow", "noaudio"})
SLOW_FLOOR_SECONDS = 5.0

RPC_ID = "jQ1olc"
BATCHEXECUTE_PATH = "/_/TranslateWebserverUi/data/batchexecute"
GOOGLE_HOST = re.compile(r"translate\.google\.[a-z]{2,3}(\.[a-z]{2})?")
STATUS_OF_FAULT = {"reset": None, "429": 429, "500": 500, "503": 503}


@dataclass(frozen=True)
class TTSRequest:
    text: str
    lang: str
    slow: bool
    host: str
    status: int | None  # None: the connection was reset instead of answered


# --- MP3 frames ------------------------------------------------------------

_BITRATES_KBPS = {  # layer III; index 0 is "free format", which we never produce
    "1": (None, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    "2": (None, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _frame_shape(data: bytes, at: int) -> tuple[int, float]:
    """Byte length and duration of the MPEG layer III frame starting at `at`."""
    b1, b2 = data[at + 1], data[at + 2]
    version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
    if (
        data[at] != 0xFF or b1 & 0xE0 != 0xE0 or version == 1 or layer != 1
        or bitrate_index in (0, 15) or rate_index == 3
    ):
        raise ValueError(f"no usable MPEG layer III frame header at byte {at}")
    mpeg1 = version == 3
    bitrate = _BITRATES_KBPS["1" if mpeg1 else "2"][bitrate_index] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    samples = 1152 if mpeg1 else 576
    return samples // 8 * bitrate // rate + ((b2 >> 1) & 1), samples / rate


def _require_self_contained(data: bytes, at: int) -> None:
    # A frame whose main data starts in an earlier frame (bit reservoir) would
    # decode to garbage once frames are repeated out of their original order.
    mpeg1 = (data[at + 1] >> 3) & 3 == 3
    side_info = at + 4 + (0 if data[at + 1] & 1 else 2)
    begin = (data[side_info] << 1 | data[side_info + 1] >> 7) if mpeg1 else data[side_info]
    if begin:
        raise ValueError(f"frame at byte {at} uses the bit reservoir; encode with -reservoir 0")


def split_frames(data: bytes) -> tuple[list[bytes], float]:
    """Split a bare CBR MP3 into frames; also return one frame's duration."""
    frames, at, seconds = [], 0, 0.0
    while at < len(data):
        length, seconds = _frame_shape(data, at)
        if at + length > len(data):
            raise ValueError(f"truncated frame at byte {at}")
        _require_self_contained(data, at)
        frames.append(data[at : at + length])
        at += length
    if not frames:
        raise ValueError("no MP3 frames")
    return frames, seconds


class _Speech:
    """Speech-like MP3 whose length follows the text, as Google's does."""

    def __init__(self, path: Path = FRAMES_PATH):
        self.frames, self.frame_seconds = split_frames(path.read_bytes())

    def render(self, text: str) -> bytes:
        seconds = max(MIN_SECONDS, SECONDS_PER_CHAR * len(text))
        count = math.ceil(seconds / self.frame_seconds)
        return b"".join(self.frames[i % len(self.frames)] for i in range(count))


# --- batchexecute wire format ----------------------------------------------


def parse_rpc(body: bytes) -> tuple[str, str, bool]:
    """(text, lang, slow) from a batchexecute form body; ValueError if malformed."""
    try:
        (envelope,) = parse_qs(body.decode("utf-8"))["f.req"]
        rpc_id, params, *_ = json.loads(envelope)[0][0]
        text, lang, speed, *_ = json.loads(params)
    except (KeyError, IndexError, TypeError, ValueError) as e:
        raise ValueError(f"malformed f.req: {e}") from e
    if rpc_id != RPC_ID or not isinstance(text, str) or not isinstance(lang, str):
        raise ValueError(f"not a TTS call: {envelope[:80]}")
    return text, lang, bool(speed)


def _json_line(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def _batch_reply(result: str | None, error: list | None) -> bytes:
    # Shape copied from real replies: an anti-JSON-hijacking prefix, then
    # length-prefixed chunks, the first holding the RPC result.
    wrb = _json_line([["wrb.fr", RPC_ID, result, None, None, error, "generic"]])
    chunks = [
        wrb[:-1] + "\n]\n",
        '[["di",41]\n,["af.httprm",40,"-2860384719461736128",17]\n]\n',
    ]
    total = sum(len(c) for c in chunks)
    chunks.append(_json_line([["e", 4, None, None, total]]) + "\n")
    return (")]}'\n\n" + "".join(f"{len(c)}\n{c}" for c in chunks)).encode("ascii")


def audio_reply(mp3: bytes) -> bytes:
    return _batch_reply(_json_line([b64encode(mp3).decode("ascii")]), None)


def noaudio_reply() -> bytes:
    return _batch_reply(None, [3])


def _error_page(status: int) -> bytes:
    return f"<!DOCTYPE html><title>Error {status} ({HTTPStatus(status).phrase})!!1</title>\n".encode()


# --- proxy -----------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Proxy connection: CONNECT opens a TLS tunnel, then requests inside it are Google's."""

    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""
    timeout = 30  # an abandoned tunnel must not pin a thread forever
    disable_nagle_algorithm = True
    tunnel_host: str | None = None

    def handle_one_request(self):
        # urllib3 leaves Nagle on for sockets tunnelled through a proxy and sends a POST's
        # headers and body in two writes, so the body waits for our ACK of the headers; a
        # delayed ACK would add ~40 ms per kept-alive request that a direct link to Google
        # does not have. Quick-ack mode lapses on its own, so renew it before every request.
        if hasattr(socket, "TCP_QUICKACK"):
            try:
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            except OSError:
                pass
        super().handle_one_request()

    @property
    def google(self) -> FakeGoogle:
        return self.server.google

    def setup(self):
        super().setup()
        self.google._track(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.google._untrack(self.connection)
            self.connection.close()  # the TLS socket, which the server never saw

    def log_message(self, format, *args):
        log.debug("%s " + format, self.address_string(), *args)

    def do_CONNECT(self):
        host, _, port = self.path.rpartition(":")
        if port != "443" or not GOOGLE_HOST.fullmatch(host):
            self.send_error(502, f"fake Google does not proxy {self.path}")
            return
        self.send_response_only(200, "Connection established")
        self.end_headers()
        try:
            tls = self.google._tls_context(host).wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError) as e:
            log.debug("TLS handshake for %s failed: %s", host, e)
            self.close_connection = True
            return
        self._enter_tunnel(tls, host)

    def _enter_tunnel(self, tls: ssl.SSLSocket, host: str) -> None:
        # BaseHTTPRequestHandler keeps reading requests from rfile, so
        # swapping the streams makes it serve the requests inside the tunnel.
        self.rfile.close()
        self.wfile.close()
        self.google._untrack(self.connection)
        self.connection = tls
        self.google._track(tls)
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.tunnel_host = host
        # http.client says CONNECT ... HTTP/1.0, which would mark the
        # connection as closing; the requests inside the tunnel decide that.
        self.close_connection = False

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.tunnel_host is None:
            self.send_error(502, "fake Google only answers inside a CONNECT tunnel")
        elif urlsplit(self.path).path != BATCHEXECUTE_PATH:
            self._send(404, _error_page(404), "text/html; charset=UTF-8")
        else:
            self._answer_rpc(body)

    def do_GET(self):
        self.send_error(502 if self.tunnel_host is None else 404)

    def _answer_rpc(self, body: bytes) -> None:
        try:
            text, lang, slow = parse_rpc(body)
        except ValueError as e:
            log.debug("bad request: %s", e)
            self._send(400, _error_page(400), "text/html; charset=UTF-8")
            return
        fault = self.google._admit(text, lang, slow, self.tunnel_host)
        # In flight while its answer is delayed; counted out just before the answer is written. A
        # client holding to a limit sends its next request as soon as it has this answer, and
        # counted out after the write (this thread not yet run again), the peak read one over it.
        with self.google._in_flight():
            closing = self.google._pause(self.google._delay_for(fault))
        self._answer(text, fault, closing)

    def _answer(self, text: str, fault: str | None, closing: bool) -> None:
        if closing or fault == "reset":
            self._reset()
        elif fault in ("429", "500", "503"):
            self._send(int(fault), _error_page(int(fault)), "text/html; charset=UTF-8")
        elif fault == "noaudio":
            self._send(200, noaudio_reply(), "application/json; charset=utf-8")
        else:
            mp3 = self.google._speech.render(text)
            self._send(200, audio_reply(mp3), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 429 and self.google.retry_after is not None:
            self.send_header("Retry-After", str(self.google.retry_after))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _reset(self) -> None:
        # Linger 0 turns close() into a TCP RST: the client sees a reset, not a clean EOF.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class _ProxyServer(ThreadingMixIn, TCPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # benches open many tunnels at once

    def __init__(self, google: FakeGoogle):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.google = google

    def handle_error(self, request, client_address):
        # Clients hanging up (timeouts, resets, shutdown) are expected here.
        if isinstance(sys.exc_info()[1], OSError):
            log.debug("connection from %s ended: %s", client_address, sys.exc_info()[1])
        else:
            super().handle_error(request, client_address)


class FakeGoogle:
    """Loopback HTTPS proxy that answers translate.google.* TTS calls like Google.

    faults(n) is asked about the n-th TTS request (1-based) and returns None to
    answer normally or one of FAULTS. text_faults(text, earlier) is asked too, with the
    number of earlier requests for the same text, so a test can fail chosen utterances
    (e.g. only their first attempt) whatever order concurrent requests arrive in.
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        faults: Callable[[int], str | None] | None = None,
        text_faults: Callable[[str, int], str | None] | None = None,
        retry_after: int | None = None,
    ):
        self.latency = latency
        self.faults = faults
        self.text_faults = text_faults
        self.retry_after = retry_after
        self._speech = _Speech()
        # Reentrant so a faults callback may read .count or .requests.
        self._lock = threading.RLock()
        self._requests: list[TTSRequest] = []
        self.in_flight = 0
        self.peak_in_flight = 0  # the most requests answered at once (the batch's gTTS limit)
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._sockets: set[socket.socket] = set()
        self._closing = threading.Event()
        self._ca: trustme.CA | None = None
        self._server: _ProxyServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> FakeGoogle:
        self._closing.clear()
        self._ca = trustme.CA()
        # Clients that verify certificates (digest does; gTTS itself does not) trust this CA
        # through REQUESTS_CA_BUNDLE, the way they would trust a corporate proxy's.
        self._ca_file = tempfile.NamedTemporaryFile(prefix="fakegoogle-ca-", suffix=".pem", delete=False)
        self._ca_file.close()
        self._ca.cert_pem.write_to_path(self._ca_file.name)
        self._server = _ProxyServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name="fakegoogle", daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._server is None:
            return
        self._closing.set()  # wakes handlers sleeping on latency
        self._server.shutdown()
        self._server.server_close()
        self._drop_connections()
        self._thread.join()
        self._server = None
        Path(self._ca_file.name).unlink(missing_ok=True)

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # public view

    @property
    def proxy_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeGoogle is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def env(self) -> dict[str, str]:
        url = self.proxy_url
        return {
            "HTTPS_PROXY": url, "https_proxy": url, "NO_PROXY": "", "no_proxy": "",
            "REQUESTS_CA_BUNDLE": self._ca_file.name,
        }

    @property
    def requests(self) -> list[TTSRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._requests)

    # used by handlers

    @contextlib.contextmanager
    def _in_flight(self):
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self._lock:
                self.in_flight -= 1

    def _admit(self, text: str, lang: str, slow: bool, host: str) -> str | None:
        with self._lock:
            fault = self.faults(len(self._requests) + 1) if self.faults else None
            if fault is None and self.text_faults:
                earlier = sum(1 for request in self._requests if request.text == text)
                fault = self.text_faults(text, earlier)
            if fault is not None and fault not in FAULTS:
                raise ValueError(f"unknown fault {fault!r}; expected one of {sorted(FAULTS)}")
            status = STATUS_OF_FAULT.get(fault, 200)
            self._requests.append(TTSRequest(text, lang, slow, host, status))
        return fault

    def _delay_for(self, fault: str | None) -> float:
        return max(10 * self.latency, SLOW_FLOOR_SECONDS) if fault == "slow" else self.latency

    def _pause(self, seconds: float) -> bool:
        """Sleep; True if the fake is shutting down meanwhile."""
        return self._closing.wait(seconds) if seconds > 0 else self._closing.is_set()

    def _tls_context(self, host: str) -> ssl.SSLContext:
        with self._lock:
            if host not in self._contexts:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                self._ca.issue_cert(host).configure_cert(context)
                self._contexts[host] = context
            return self._contexts[host]

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def _drop_connections(self) -> None:
        # Idle keep-alive tunnels would otherwise hold handler threads for `timeout`.
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            try:
                # The base-class call leaves SSLSocket state alone, so the
                # handler thread just sees EOF instead of a torn-down object.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

