"""`digest serve`: the output folder over HTTP, the way podcast clients expect it.

Python's http.server ignores Range, and podcast apps seek and resume with it, so this server
answers GET and HEAD itself: byte ranges (206 with Content-Range; 416 with `bytes */size`
when a range starts past the end), validators (ETag, Last-Modified, If-None-Match,
If-Modified-Since, If-Range) and exact Content-Length on every reply.

Range requests with several ranges are answered with the whole file (200): RFC 9110 lets a
server ignore Range, and no podcast client asks for several ranges at once. A Range header
that does not parse is ignored the same way, as the RFC asks.

Only files directly in the folder with a known type are served; hidden files (unfinished
writes), digest.toml, subfolders, `..` in any spelling, and symlinks that lead out of the
folder all get 404. `/` is the show page (index.html), or a redirect to the feed without one.
It binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import email.utils
import logging
import os
import socket
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from digest import __version__
from digest.errors import InputError
from digest.fsutil import existing_folder
from digest.publish.channel import plan_channel, publish
from digest.publish.outputs import OUTPUTS
from digest.publish.pages import SHOW_PAGE_NAME
from digest.publish.settings import FEED_NAME, config_path, feeds_in_subfolders, load_settings, serve_url

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
# A connection that sends nothing (an idle keep-alive, a slowloris) is dropped after this long,
# so a few hundred of them cannot hold the server's threads from everyone else.
IDLE_SECONDS = 30
# Byte positions longer than this are past the end of any file (and int() of 4,300 digits fails).
_MAX_POSITION_DIGITS = 18
# What the folder holds besides the episodes' outputs (whose types the outputs registry gives).
OTHER_CONTENT_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def content_types() -> dict[str, str]:
    """Suffix -> the type served, longest suffixes first ("x.chapters.json" before ".json")."""
    table = {kind.suffix: kind.served_type for kind in OUTPUTS.values()}
    for suffix, mime in OTHER_CONTENT_TYPES.items():
        table.setdefault(suffix, mime)
    return dict(sorted(table.items(), key=lambda item: -len(item[0])))


def content_type(name: str) -> str | None:
    lowered = name.lower()
    return next((mime for suffix, mime in content_types().items() if lowered.endswith(suffix)), None)


def resolve(root: Path, target: str) -> Path | None:
    """The file a request target names inside `root`, or None when it must not be served."""
    path = unquote(urlsplit(target).path, errors="strict") if target else ""
    if "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part]
    # One level only, and nothing hidden: that also rules out "." and ".." however encoded.
    if len(parts) != 1 or parts[0].startswith("."):
        return None
    if content_type(parts[0]) is None:
        return None
    try:
        root_real = root.resolve()
        candidate = (root / parts[0]).resolve()
        if candidate.parent != root_real or not candidate.is_file():
            return None
    except (OSError, ValueError):  # a name too long for the file system, or otherwise impossible
        return None
    return candidate


class Unsatisfiable(Exception):
    """The Range starts at or past the end of the file."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte to send for a Range header, or None to send the whole file."""
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first_text, dash, last_text = spec.strip().partition("-")
    first_text, last_text = first_text.strip(), last_text.strip()
    if not dash or not (first_text or last_text) or not _is_position(first_text) or not _is_position(last_text):
        return None
    if len(first_text) > _MAX_POSITION_DIGITS:
        raise Unsatisfiable
    # An end or suffix longer than any file means "to the end" / "the whole file".
    last_text = last_text if len(last_text) <= _MAX_POSITION_DIGITS else "9" * _MAX_POSITION_DIGITS
    if not first_text:  # "-N": the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else None
    if last is not None and last < first:
        return None
    if first >= size:
        raise Unsatisfiable
    last = size - 1 if last is None else last
    return first, min(last, size - 1)


def _is_position(text: str) -> bool:
    """Empty, or ASCII digits only: "²" and "١" pass str.isdigit() but are no byte position."""
    return not text or (text.isascii() and text.isdigit())


@dataclass(frozen=True)
class _FileState:
    size: int
    etag: str
    last_modified: str
    mtime: int


def _state(path: Path) -> _FileState:
    stat = path.stat()
    return _FileState(
        size=stat.st_size,
        etag=f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"',
        last_modified=email.utils.formatdate(stat.st_mtime, usegmt=True),
        mtime=int(stat.st_mtime),
    )


def _not_modified(headers, state: _FileState) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or state.etag in tags
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return state.mtime <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, OverflowError, IndexError):  # year 99999999999 and the like
            return False
    return False


def _range_allowed(headers, state: _FileState) -> bool:
    """If-Range: the client's copy must still be current for a partial reply to make sense."""
    condition = headers.get("If-Range")
    if condition is None:
        return True
    condition = condition.strip()
    if condition.startswith('"'):
        return condition == state.etag
    return condition == state.last_modified


class FolderHandler(BaseHTTPRequestHandler):
    server_version = f"digest/{__version__}"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS  # socketserver sets it on each connection's socket
    server: "FolderServer"

    def do_GET(self) -> None:
        self._guarded(send_body=True)

    def do_HEAD(self) -> None:
        self._guarded(send_body=False)

    def _guarded(self, send_body: bool) -> None:
        """Whatever a request holds, it gets an answer, never a traceback: 400 when it makes no sense."""
        try:
            self._reply(send_body)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception as error:  # a malformed request digest did not foresee
            log.info("bad request from %s: %s: %s", self.address_string(), type(error).__name__, error)
            self.close_connection = True
            try:
                self.send_error(HTTPStatus.BAD_REQUEST, "Malformed request")
            except OSError:
                pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        log.info("%s %s", self.address_string(), format % args)

    def _empty(self, status: HTTPStatus, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _reply(self, send_body: bool) -> None:
        try:
            path = resolve(self.server.root, self.path)
        except UnicodeDecodeError:
            path = None
        if path is None and urlsplit(self.path).path in ("", "/"):
            # The folder's address is the show: its page, or the feed when there is none.
            path = resolve(self.server.root, "/" + SHOW_PAGE_NAME)
            if path is None and (self.server.root / FEED_NAME).is_file():
                self._empty(HTTPStatus.FOUND, {"Location": "/" + FEED_NAME})
                return
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such file in this podcast folder")
            return
        try:
            handle = path.open("rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "No such file in this podcast folder")
            return
        with handle:
            state = _state(path)
            common = {
                "Content-Type": content_type(path.name) or "application/octet-stream",
                "Accept-Ranges": "bytes",
                "ETag": state.etag,
                "Last-Modified": state.last_modified,
            }
            if _not_modified(self.headers, state):
                self._empty(HTTPStatus.NOT_MODIFIED, {k: common[k] for k in ("ETag", "Last-Modified")})
                return
            try:
                wanted = byte_range(self.headers.get("Range"), state.size) if _range_allowed(self.headers, state) else None
            except Unsatisfiable:
                self._empty(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                            {"Content-Range": f"bytes */{state.size}", "Accept-Ranges": "bytes"})
                return
            if wanted is None:
                first, last, status = 0, state.size - 1, HTTPStatus.OK
            else:
                (first, last), status = wanted, HTTPStatus.PARTIAL_CONTENT
            length = last - first + 1 if state.size else 0
            self.send_response(status)
            for name, value in common.items():
                self.send_header(name, value)
            if status == HTTPStatus.PARTIAL_CONTENT:
                self.send_header("Content-Range", f"bytes {first}-{last}/{state.size}")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if send_body and length:
                self._copy(handle, first, length)

    def _copy(self, handle, first: int, length: int) -> None:
        handle.seek(first)
        try:
            while length > 0:
                chunk = handle.read(min(CHUNK, length))
                if not chunk:
                    break
                self.wfile.write(chunk)
                length -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # Players routinely drop a download to seek elsewhere.
            self.close_connection = True


class FolderServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, host: str, port: int) -> None:
        self.root = Path(root).resolve()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), FolderHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return serve_url(self.server_address[0], self.port)


def make_server(folder: Path, host: str, port: int) -> FolderServer:
    """Bind (but do not start) a server for `folder`; OSError when the address is taken."""
    if not Path(folder).is_dir():
        raise NotADirectoryError(os.fspath(folder))
    return FolderServer(Path(folder), host, port)


def _is_digest_folder(folder: Path) -> bool:
    return (folder / FEED_NAME).is_file() or config_path(folder).is_file()


def _refuse_a_folder_of_feeds(folder: Path) -> None:
    """The top of a `batch --group-by` output holds one feed per subfolder and none of its own;
    the server shows only its own folder, so serving it would offer a feed that is not there."""
    if _is_digest_folder(folder):
        return
    feeds = feeds_in_subfolders(folder)
    if feeds:
        raise InputError(f"{folder} has no feed of its own but {len(feeds)} in its subfolders (a batch --group-by "
                         f"output); serve one of them, e.g. digest serve {folder / feeds[0]}")


def serve_folder(folder: Path, host: str | None = None, port: int | None = None,
                 started: Callable[[str, str], None] | None = None) -> None:
    """Serve `folder` until interrupted. Host and port given here are remembered in digest.toml.

    When the folder's feed has no fixed base_url it follows the server: the feed is rebuilt
    for this address first, so its enclosure links point at what is being served.
    """
    folder = existing_folder(folder)
    _refuse_a_folder_of_feeds(folder)
    if port is not None and not 0 <= port <= 65535:
        raise InputError(f"--port must be between 0 and 65535, not {port}")
    settings = load_settings(folder)
    bind_host = host or settings.host
    bind_port = settings.port if port is None else port
    try:
        server = make_server(folder, bind_host, bind_port)
    except OSError as error:
        raise InputError(f"cannot listen on {bind_host}:{bind_port}: {error.strerror or error}") from error
    with server:
        feed_url = settings.feed_url
        if _is_digest_folder(folder) and not settings.base_url:
            remembered = {"host": host, "port": port or None}
            actual = {"host": bind_host, "port": server.port}
            _, published = publish(folder, plan_channel(folder), transient=actual, **remembered)
            feed_url = published.feed_url
            log.info("rebuilt %s for %s", FEED_NAME, server.url)
        if started is not None:
            started(server.url, feed_url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log.info("stopped")
