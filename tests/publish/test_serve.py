"""`digest serve`: ranges, HEAD, types and confinement, then real clients against a served episode."""

import http.client
import io
import json
import re
import subprocess
import sys
import threading
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest

from digest.publish.serve import Unsatisfiable, byte_range, content_type, make_server, resolve
from digest.publish.transcripts import read_cues
from tests.gpodder import gpodder

# --- range parsing -------------------------------------------------------------------------

@pytest.mark.parametrize("header, expected", [
    ("bytes=0-9", (0, 9)),
    ("bytes=10-", (10, 99)),
    ("bytes=-10", (90, 99)),
    ("bytes=-500", (0, 99)),       # a suffix longer than the file is the whole file
    ("bytes=95-200", (95, 99)),    # the end is clamped
    ("BYTES = 5-5", (5, 5)),
    (None, None),
    ("bytes=0-1,5-6", None),       # several ranges: the whole file, documented
    ("items=0-9", None),           # another unit: ignored
    ("bytes=9-2", None),           # malformed: ignored, as RFC 9110 asks
    ("bytes=a-b", None),
    ("bytes=-", None),
])
def test_byte_range(header, expected):
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header, size", [("bytes=100-", 100), ("bytes=100-200", 100), ("bytes=-0", 100),
                                          ("bytes=0-", 0)])
def test_unsatisfiable_ranges(header, size):
    with pytest.raises(Unsatisfiable):
        byte_range(header, size)


def test_content_types():
    assert content_type("a.mp3") == "audio/mpeg"
    assert content_type("feed.xml").startswith("application/rss+xml")
    assert content_type("a.vtt").startswith("text/vtt")
    assert content_type("a.srt").startswith("application/x-subrip")
    assert content_type("a.chapters.json") == "application/json+chapters"
    assert content_type("other.json") == "application/json"
    assert content_type("digest.toml") is None and content_type("script.py") is None


# --- a server in this process ---------------------------------------------------------------

@pytest.fixture
def site(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "episode.mp3").write_bytes(bytes(range(256)) * 4)
    (root / "feed.xml").write_bytes(b"<rss version='2.0'><channel/></rss>")
    (root / "digest.toml").write_text('title = "x"\n', encoding="utf-8")
    (root / ".episode.mp3.123.partial").write_bytes(b"unfinished")
    (root / "sub").mkdir()
    (root / "sub" / "inner.mp3").write_bytes(b"inner")
    (tmp_path / "secret.mp3").write_bytes(b"secret")
    (root / "link.mp3").symlink_to(tmp_path / "secret.mp3")
    server = make_server(root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def request(server_or_port, method, target, headers=None):
    port = server_or_port if isinstance(server_or_port, int) else server_or_port.port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_get_whole_file(site):
    status, headers, body = request(site, "GET", "/episode.mp3")
    assert status == 200 and body == bytes(range(256)) * 4
    assert headers["Content-Length"] == "1024" and headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Type"] == "audio/mpeg"


def test_head_has_headers_and_no_body(site):
    status, headers, body = request(site, "HEAD", "/episode.mp3")
    assert status == 200 and body == b"" and headers["Content-Length"] == "1024"


def test_range_gives_206_and_the_exact_bytes(site):
    status, headers, body = request(site, "GET", "/episode.mp3", {"Range": "bytes=256-511"})
    assert status == 206 and body == bytes(range(256))
    assert headers["Content-Range"] == "bytes 256-511/1024" and headers["Content-Length"] == "256"
    status, headers, body = request(site, "GET", "/episode.mp3", {"Range": "bytes=-4"})
    assert status == 206 and body == bytes([252, 253, 254, 255])


def test_range_past_the_end_is_416(site):
    status, headers, body = request(site, "GET", "/episode.mp3", {"Range": "bytes=5000-"})
    assert status == 416 and headers["Content-Range"] == "bytes */1024" and body == b""


def test_several_ranges_get_the_whole_file(site):
    status, _, body = request(site, "GET", "/episode.mp3", {"Range": "bytes=0-1,4-5"})
    assert status == 200 and len(body) == 1024


def test_validators(site):
    _, headers, _ = request(site, "HEAD", "/episode.mp3")
    status, _, body = request(site, "GET", "/episode.mp3", {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    # If-Range with a stale validator: the client's partial copy is outdated, send everything.
    status, _, body = request(site, "GET", "/episode.mp3", {"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert status == 200 and len(body) == 1024
    status, _, body = request(site, "GET", "/episode.mp3", {"Range": "bytes=0-9", "If-Range": headers["ETag"]})
    assert status == 206 and len(body) == 10


@pytest.mark.parametrize("target", [
    "/../secret.mp3", "/%2e%2e/secret.mp3", "/%2E%2E%2Fsecret.mp3", "/..%2fsecret.mp3",
    "//secret.mp3/../../secret.mp3", "/link.mp3", "/sub/inner.mp3", "/digest.toml",
    "/.episode.mp3.123.partial", "/nothing.mp3", "/episode.mp3%00.txt", "/%ff.mp3",
    "http://127.0.0.1/../secret.mp3",
])
def test_nothing_outside_the_folder_or_hidden_is_served(site, target):
    status, _, body = request(site, "GET", target)
    assert status == 404 and b"secret" not in body


def test_resolve_rejects_absolute_paths(tmp_path):
    (tmp_path / "a.mp3").write_bytes(b"x")
    assert resolve(tmp_path, "/a.mp3") == (tmp_path / "a.mp3").resolve()
    assert resolve(tmp_path, str(tmp_path / "a.mp3")) is None


def test_root_redirects_to_the_feed(site):
    status, headers, _ = request(site, "GET", "/")
    assert status == 302 and headers["Location"] == "/feed.xml"


def test_other_methods_are_refused(site):
    status, _, _ = request(site, "POST", "/episode.mp3")
    assert status == 501


# --- `digest serve` as a real process, with real clients ----------------------------------

@pytest.fixture(scope="module")
def served(published, tmp_path_factory):
    """A copy of the published folder served by `digest serve --port 0` in a subprocess."""
    copy = published.copy(tmp_path_factory.mktemp("served"))
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "serve", str(copy.folder), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:(\d+)/)", line)
        assert match, f"digest serve printed {line!r}; stderr: {process.stderr.read() if process.poll() is not None else ''}"
        yield copy, match.group(1), int(match.group(2))
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_rebuilds_the_feed_for_its_own_address(served):
    copy, base, port = served
    status, headers, body = request(port, "GET", "/feed.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    parsed = podcastparser.parse(base + "feed.xml", io.BytesIO(body))
    [episode] = parsed["episodes"]
    assert episode["enclosures"][0]["url"] == base + copy.mp3.name
    # The port was picked at random, so it is not remembered for the next `digest make`.
    assert "port = 8000" in (copy.folder / "digest.toml").read_text(encoding="utf-8")


def test_clients_parse_the_served_feed_and_fetch_the_episode_by_range(served):
    copy, base, port = served
    _, _, feed = request(port, "GET", "/feed.xml")
    via_feedparser = feedparser.parse(feed)
    via_podcastparser = podcastparser.parse(base + "feed.xml", io.BytesIO(feed))
    assert not via_feedparser.bozo
    [entry] = via_feedparser.entries
    [episode] = via_podcastparser["episodes"]
    assert entry.enclosures[0].href == episode["enclosures"][0]["url"] == base + copy.mp3.name
    size = episode["enclosures"][0]["file_size"]
    assert int(entry.enclosures[0].length) == size == copy.mp3.stat().st_size

    path = urlsplit(episode["enclosures"][0]["url"]).path
    status, headers, _ = request(port, "HEAD", path)
    assert status == 200 and int(headers["Content-Length"]) == size
    middle = size // 2
    status, headers, body = request(port, "GET", path, {"Range": f"bytes={middle}-{middle + 4095}"})
    assert status == 206 and headers["Content-Range"] == f"bytes {middle}-{middle + 4095}/{size}"
    assert body == copy.mp3.read_bytes()[middle:middle + 4096]
    status, _, tail = request(port, "GET", path, {"Range": f"bytes={middle}-"})
    assert status == 206 and len(tail) == size - middle


def test_transcripts_and_chapters_are_served_with_their_types(served):
    copy, base, port = served
    _, _, feed = request(port, "GET", "/feed.xml")
    [episode] = podcastparser.parse(base + "feed.xml", io.BytesIO(feed))["episodes"]
    _, _, chapters_body = request(port, "GET", urlsplit(episode["chapters_json_url"]).path)
    chapters = json.loads(chapters_body)
    assert [c["startTime"] for c in chapters["chapters"]] == sorted(c["startTime"] for c in chapters["chapters"])
    status, headers, vtt = request(port, "GET", urlsplit(episode["transcript_url"]).path)
    assert status == 200 and headers["Content-Type"].startswith("text/vtt")
    cues = read_cues(vtt.decode("utf-8"))
    assert cues[0].text.startswith("Welcome to Harbour Weekly")
    for suffix, mime in ((".srt", "application/x-subrip"), (".txt", "text/plain"),
                         (".chapters.json", "application/json+chapters")):
        status, headers, _ = request(port, "HEAD", "/" + copy.mp3.stem + suffix)
        assert status == 200 and headers["Content-Type"].split(";")[0] == mime
    status, headers, cover = request(port, "GET", "/default-cover.png")
    assert status == 200 and headers["Content-Type"] == "image/png" and cover.startswith(b"\x89PNG")


def test_gpodder_subscribes_and_downloads_the_episode(served, tmp_path):
    client = gpodder(tmp_path)
    if client is None:
        pytest.skip("gpo not installed (Debian: apt-get install gpodder); CI installs it")
    gpo_run, downloaded = client
    copy, base, _ = served
    assert "Successfully added" in gpo_run("subscribe", base + "feed.xml")
    gpo_run("download")
    # gpo exits 0 even when a download fails, so the file itself is the evidence.
    downloads = [p for p in downloaded.rglob("*") if p.is_file()]
    assert [p.suffix for p in downloads] == [".mp3"], gpo_run("episodes")
    assert downloads[0].stat().st_size == copy.mp3.stat().st_size
    assert downloads[0].read_bytes() == copy.mp3.read_bytes()


def test_serve_refuses_a_missing_folder(cli, tmp_path):
    code, _, err = cli("serve", tmp_path / "nope", "--port", "0")
    assert code == 2 and err == f"digest: error: {tmp_path / 'nope'}: no such folder\n"


def test_serve_on_a_folder_of_feeds_names_one_to_serve_instead(cli, tmp_path):
    """The top folder of `batch --group-by source` has a feed per subfolder and none itself."""
    top = tmp_path / "site-audio"
    for name in ("news.example", "harbour-news--dff8690482"):
        (top / name).mkdir(parents=True)
        (top / name / "feed.xml").write_text("<rss/>", encoding="utf-8")
    code, out, err = cli("serve", top, "--port", "0")
    assert (code, out) == (2, "")
    assert err == (f"digest: error: {top} has no feed of its own but 2 in its subfolders (a batch --group-by "
                   f"output); serve one of them, e.g. digest serve {top / 'harbour-news--dff8690482'}\n")


def test_serve_reports_a_taken_port(cli, site, tmp_path):
    code, _, err = cli("serve", site.root, "--port", str(site.port))
    assert code == 2 and f"cannot listen on 127.0.0.1:{site.port}" in err and err.count("\n") == 1


def raw_exchange(server, payload: bytes, wait: float = 5.0) -> bytes:
    import socket as sockets

    with sockets.create_connection(("127.0.0.1", server.port), timeout=wait) as connection:
        connection.sendall(payload)
        received = b""
        while True:
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received and b"Connection: close" not in received and received.startswith(b"HTTP/1.1 2"):
                break
    return received


@pytest.mark.parametrize("headers, status", [
    ("Range: bytes=\u00b2-5", 200),  # a superscript two passes isdigit() and fails int()
    ("Range: bytes=\u0661\u0662-", 200),  # Arabic-Indic digits
    ("Range: bytes=" + "9" * 5000 + "-", 416),  # more digits than int() will read
    ("Range: bytes=0-" + "9" * 5000, 206),
    ("Range: bytes=-" + "9" * 5000, 206),
    ("If-Modified-Since: Mon, 01 Jan 99999999999 00:00:00 GMT", 200),
    ("If-Modified-Since: \u00ff\u00fe nonsense", 200),
])
def test_malformed_headers_get_an_answer_never_a_traceback(site, capfd, headers, status):
    payload = f"GET /episode.mp3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n\r\n".encode("utf-8")
    answer = raw_exchange(site, payload)
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:100]
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("target", ["/" + "a" * 300 + ".mp3", "/" + "%C3%A9" * 200 + ".vtt", "/%ff%fe.mp3"])
def test_impossible_names_are_404_never_a_traceback(site, capfd, target):
    answer = raw_exchange(site, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 404 "), answer[:100]
    assert "Traceback" not in capfd.readouterr().err


def test_idle_connections_are_dropped_while_others_are_served(site, monkeypatch):
    import socket as sockets
    import time

    from digest.publish import serve

    monkeypatch.setattr(serve.FolderHandler, "timeout", 0.5)
    idle = [sockets.create_connection(("127.0.0.1", site.port)) for _ in range(20)]
    try:
        assert request(site, "GET", "/episode.mp3")[0] == 200  # others are served meanwhile
        time.sleep(1.5)
        for connection in idle:
            connection.settimeout(2)
            assert connection.recv(1) == b""  # the server hung up on each idle client
    finally:
        for connection in idle:
            connection.close()
