"""Download one http(s) document with the limits a tool fed arbitrary links needs.

- Only http and https; everything else (file:, ftp:, data:) is refused.
- Private, loopback, link-local and other non-public addresses are refused unless the caller
  allows them: every address a host name resolves to is checked before connecting, on every
  redirect hop, and the address actually connected to is checked again, so a name that
  changes its answer between the check and the connection gains nothing.
- One deadline for the whole download (connect, redirects, every byte of the body), a cap on
  redirects, and a cap on size enforced on the declared length and on the bytes received.
- Content types that cannot be an article (images, audio, PDFs, archives) are refused before
  their body is read.

urllib3 is used directly rather than requests so that proxies from the environment are not
silently applied (they would hide the real target from the address check).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from digest import __version__
from digest.errors import InputError
from digest.numwords import counted
from digest.read.base import ReadSettings, too_large

USER_AGENT = f"digest/{__version__} (podcast maker; reads articles aloud)"
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_READABLE_TYPES = (
    "text/", "application/xhtml+xml", "application/xml", "application/rss+xml", "application/atom+xml",
    "application/rdf+xml", "application/json", "application/feed+json", "application/ld+json",
    "application/x-ndjson", "application/jsonl", "application/x-jsonlines",
)
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/json;q=0.9,text/*;q=0.8"


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    data: bytes
    content_type: str  # media type in lower case, "" when the server sent none
    charset: str | None


# IPv6 ranges that carry an IPv4 address in their last 32 bits and that NAT64 gateways route to
# it (RFC 6052's well-known prefix), and the deprecated IPv4-compatible form.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# Never public, whatever follows: local-use NAT64 (RFC 8215) and the old site-local range.
_NEVER_PUBLIC = [ipaddress.ip_network("64:ff9b:1::/48"), ipaddress.ip_network("fec0::/10")]


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in network for network in _NEVER_PUBLIC):
            return False
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and (ip in _NAT64 or ip in _IPV4_COMPATIBLE):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.teredo:
            return all(is_public_address(str(part)) for part in ip.teredo)
        if embedded is not None:
            return is_public_address(str(embedded))
    return ip.is_global and not ip.is_multicast


class _PrivateTarget(Exception):
    """Raised inside urllib3's connect; deliberately not an OSError so urllib3 does not wrap it."""

    def __init__(self, address: str):
        super().__init__(address)
        self.address = address


class _Deadline:
    """One wall-clock limit for a whole download: when it passes, every socket opened for it is
    shut down, which ends a read blocked on a server that sends a byte now and then."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watched(connection_class, deadline: _Deadline, public_only: bool):
    class Watched(connection_class):
        def _new_conn(self):
            sock = super()._new_conn()
            deadline.watch(sock)
            if public_only:
                peer = sock.getpeername()[0]
                if not is_public_address(peer):
                    sock.close()
                    raise _PrivateTarget(peer)
            return sock

    Watched.__name__ = f"Watched{connection_class.__name__}"
    return Watched


def _pool_manager(allow_private: bool, deadline: _Deadline) -> urllib3.PoolManager:
    manager = urllib3.PoolManager(num_pools=4, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    http = type("HTTPPool", (HTTPConnectionPool,),
                {"ConnectionCls": _watched(HTTPConnection, deadline, not allow_private)})
    https = type("HTTPSPool", (HTTPSConnectionPool,),
                 {"ConnectionCls": _watched(HTTPSConnection, deadline, not allow_private)})
    manager.pool_classes_by_scheme = {"http": http, "https": https}
    return manager


class PrivateAddress(InputError):
    """A URL refused because its host is on a private or loopback address (allow_private)."""

    def __init__(self, spec: str, host: str, address: str) -> None:
        # A literal address is named once; a host name with the address it resolved to.
        self.where = host if host == address else f"{host} ({address})"
        super().__init__(f"{spec}: {self.where} is a private or local address; pass --allow-private "
                         "(or `digest settings set allow_private true`) to read it")


def _private_refusal(spec: str, host: str, address: str) -> InputError:
    return PrivateAddress(spec, host, address)


def check_target(url: str, spec: str, allow_private: bool) -> None:
    """Refuse schemes other than http(s) and, unless allowed, hosts with non-public addresses."""
    try:
        parts = urlsplit(url)
    except ValueError as error:  # "http://[x": an IPv6 literal that is not one
        raise InputError(f"{spec}: is not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"{spec}: only http and https URLs can be read, not {scheme or 'this'}:")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise InputError(f"{spec}: is not a valid URL ({error})") from None
    if not host:
        raise InputError(f"{spec}: has no host name")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port or (443 if scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise InputError(f"{spec}: cannot resolve {host} ({error})") from None
    for info in infos:
        address = info[4][0]
        if not is_public_address(address):
            raise _private_refusal(spec, host, address)


def _media_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    media, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


def _read_body(response, spec: str, settings: ReadSettings, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > settings.max_bytes:
        raise too_large(spec, settings)
    chunks: list[bytes] = []
    received = 0
    for chunk in response.stream(_CHUNK, decode_content=True):
        received += len(chunk)
        if received > settings.max_bytes:
            raise too_large(spec, settings)
        if deadline.expired:
            raise _timed_out(spec, settings, deadline)
        chunks.append(chunk)
    if deadline.expired:  # the watchdog cut the body short
        raise _timed_out(spec, settings, deadline)
    return b"".join(chunks)


def _timed_out(spec: str, settings: ReadSettings, deadline: _Deadline) -> InputError:
    if deadline.seconds < settings.timeout:
        return InputError(f"{spec}: the input's {settings.budget_seconds:g} s to read ran out while downloading")
    return InputError(f"{spec}: timed out after {counted(settings.timeout, 'second')}")


def _status_error(spec: str, status: int, reason: str | None) -> InputError:
    if status in (404, 410):
        return InputError(f"{spec}: not found (HTTP {status})")
    if status in (401, 403):
        return InputError(f"{spec}: access refused by the server (HTTP {status})")
    return InputError(f"{spec}: the server answered HTTP {status}{' ' + reason if reason else ''}")


def fetch(url: str, settings: ReadSettings, *, name: str | None = None) -> Page:
    """Download `url`; every failure is an InputError naming `name` (default: the URL)."""
    spec = name or url
    seconds = settings.timeout
    if settings.deadline is not None:  # the input's budget ends sooner
        seconds = max(0.0, min(seconds, settings.deadline - time.monotonic()))
    deadline = _Deadline(seconds)
    manager = _pool_manager(settings.allow_private, deadline)
    current = url
    try:
        for _ in range(settings.max_redirects + 1):
            check_target(current, spec, settings.allow_private)
            remaining = deadline.remaining()
            if remaining <= 0 or deadline.expired:
                raise _timed_out(spec, settings, deadline)
            try:
                response = manager.request(
                    "GET", current, preload_content=False, redirect=False, retries=False,
                    timeout=urllib3.Timeout(connect=remaining, read=remaining),
                )
            except _PrivateTarget as blocked:
                raise _private_refusal(spec, urlsplit(current).hostname, blocked.address) from None
            try:
                if response.status in _REDIRECTS and response.headers.get("Location"):
                    location = response.headers["Location"]
                    try:
                        current = urljoin(current, location)
                    except ValueError:  # "http://[x": not a URL at all
                        raise InputError(f"{spec}: redirected to something that is not a URL "
                                         f"({location[:80]!r})") from None
                    # The redirect's own body is not wanted; closing the connection (rather than
                    # returning it to the pool unread) keeps it out of the next answer's bytes.
                    response.close()
                    continue
                if response.status >= 400:
                    raise _status_error(spec, response.status, response.reason)
                media, charset = _media_type(response.headers.get("Content-Type"))
                if media and not media.startswith(_READABLE_TYPES):
                    raise InputError(f"{spec}: is not an article (the server sent {media})")
                data = _read_body(response, spec, settings, deadline)
                return Page(url=current, data=data, content_type=media, charset=charset)
            finally:
                response.release_conn()
        raise InputError(f"{spec}: more than {settings.max_redirects} redirects")
    except InputError:
        raise
    except Exception as error:
        if deadline.expired:
            raise _timed_out(spec, settings, deadline) from None
        return _translated(error, spec, settings, current, deadline)
    finally:
        deadline.cancel()
        manager.clear()


def _translated(error: Exception, spec: str, settings: ReadSettings, current: str, deadline: _Deadline):
    """Raise the one-line InputError for a download that failed with `error`."""
    # Most specific first: urllib3's connection errors are subclasses of its timeout error.
    try:
        raise error
    except urllib3.exceptions.NameResolutionError:
        raise InputError(f"{spec}: cannot resolve {urlsplit(current).hostname}") from None
    except urllib3.exceptions.NewConnectionError as error:
        raise InputError(f"{spec}: cannot connect ({_reason(error)})") from None
    except urllib3.exceptions.TimeoutError:
        raise _timed_out(spec, settings, deadline) from None
    except urllib3.exceptions.SSLError as error:
        raise InputError(f"{spec}: secure connection failed ({_reason(error)})") from None
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise InputError(f"{spec}: download failed ({_reason(error)})") from None


_OBJECT_PREFIX = re.compile(r"^(<[^>]*>|\w+\([^()]*\)):\s*")
_OS_ERROR = re.compile(r"\[Errno -?\d+\] ([^\])]+)")


def _reason(error: Exception) -> str:
    """The human part of urllib3's message: it starts with the connection object's repr
    ("<...>" or "WatchedHTTPConnection(host=..., port=9)"), and the system's own words
    ("Connection refused") say the most."""
    text = _OBJECT_PREFIX.sub("", str(error))
    system = _OS_ERROR.search(text)
    return system.group(1).strip().lower() if system else text
