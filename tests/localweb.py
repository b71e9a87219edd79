"""A small web server on 127.0.0.1 for URL and feed inputs: pages, redirects, errors, a slow
answer and an endless body, each registered by path.

    with LocalWeb() as web:
        web.page("/a", b"<html>...", "text/html; charset=utf-8")
        web.redirect("/old", "/a")
        url = web.url("/old")
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Bounds for the endless body, so a client that never stops reading still ends the test.
_STREAM_CHUNK = 64 * 1024
_STREAM_CHUNKS = 400


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    endless: bool = False  # stream chunks with no Content-Length until the client hangs up
    trickle: float = 0.0  # seconds between single bytes of the body (a slowloris answer)
    trickle_headers: bool = False  # trickle the status line and headers too


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Keep-alive, as most real servers do: a client that leaves a body unread on a reused
    # connection reads it as the next answer.
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep test output clean
        pass

    def do_GET(self):
        web = self.server.web
        web.hits.append(self.path)
        route = web.routes.get(self.path)
        if route is None:
            route = Route(404, b"<html><body><h1>Not here</h1></body></html>", {"Content-Type": "text/html"})
        if route.delay and web.released.wait(route.delay):
            return  # the server is closing: drop the request
        if route.trickle:
            self._trickle(route, web)
            return
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        try:
            if route.endless:
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(_STREAM_CHUNKS):
                    self.wfile.write(b"a" * _STREAM_CHUNK)
                return
            if "Content-Length" not in route.headers:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


    def _trickle(self, route: Route, web) -> None:
        head = (f"HTTP/1.1 {route.status} OK\r\n"
                + "".join(f"{name}: {value}\r\n" for name, value in route.headers.items())
                + f"Content-Length: {len(route.body)}\r\n\r\n").encode("latin-1")
        slow, fast = (head + route.body, b"") if route.trickle_headers else (route.body, head)
        try:
            self.wfile.write(fast)
            self.wfile.flush()
            for byte in slow:
                if web.released.wait(route.trickle):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, web: LocalWeb):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.web = web

    def handle_error(self, request, client_address):
        # Clients hang up on kept-alive connections whenever they like (and digest shuts a
        # socket when its deadline passes): not an error worth a traceback in the test's output.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


class LocalWeb:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self.released = threading.Event()
        self._server = _Server(self)
        # A short poll interval so that shutdown() at the end of each test returns at once.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **extra) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(200, data, {"Content-Type": content_type}, **extra)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(status, b"", {"Location": to})
        return self.url(path)

    def __enter__(self) -> LocalWeb:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()
