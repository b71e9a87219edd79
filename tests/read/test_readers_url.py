"""URL inputs against a local server on 127.0.0.1 (allowed with allow_private, as --allow-private)."""

import socket
import time

import pytest

from digest.errors import InputError
from digest.read import ReadSettings, read_input
from digest.read.url import check_target, fetch, is_public_address
from tests.conftest import FIXTURES
from tests.localweb import Route

LOCAL = ReadSettings(allow_private=True, timeout=5)
ARTICLE_HTML = (
    "<html><head><title>Harbour fair</title><meta property='og:site_name' content='Fair News'></head>"
    "<body><nav>Home | News</nav><article><h1>Harbour fair</h1>"
    "<p>The harbour fair returned on Saturday with forty stalls along the quay and a rowing race at noon.</p>"
    "<p>Organisers counted more visitors than in any year since the fair began.</p></article></body></html>"
)


def test_page_is_read_with_its_final_url_and_site_name(web):
    web.page("/fair", ARTICLE_HTML)
    [article] = read_input(web.url("/fair"), LOCAL)
    assert article.title == "Harbour fair" and article.source == "Fair News"
    assert article.url == web.url("/fair")
    assert article.body.startswith("The harbour fair returned on Saturday")
    assert "Home | News" not in article.body


def test_redirects_are_followed_and_the_final_url_kept(web):
    web.page("/new/fair", ARTICLE_HTML)
    web.redirect("/fair", "/new/fair", status=301)
    web.redirect("/short", web.url("/fair"))
    [article] = read_input(web.url("/short"), LOCAL)
    assert article.url == web.url("/new/fair")
    assert web.hits == ["/short", "/fair", "/new/fair"]


def test_redirect_loops_are_cut_off(web):
    web.redirect("/a", "/b")
    web.redirect("/b", "/a")
    with pytest.raises(InputError, match=r"/a: more than 5 redirects$"):
        read_input(web.url("/a"), LOCAL)
    assert len(web.hits) == 6


def test_redirect_to_another_scheme_is_refused(web):
    web.redirect("/sneaky", "file:///etc/passwd")
    with pytest.raises(InputError, match=r"/sneaky: only http and https URLs can be read, not file:"):
        read_input(web.url("/sneaky"), LOCAL)


def test_404_is_one_line(web):
    with pytest.raises(InputError) as caught:
        read_input(web.url("/missing"), LOCAL)
    assert str(caught.value) == f"{web.url('/missing')}: not found (HTTP 404)"


def test_server_error(web):
    web.routes["/boom"] = Route(503, b"down")
    with pytest.raises(InputError, match=r"/boom: the server answered HTTP 503"):
        read_input(web.url("/boom"), LOCAL)


def test_slow_server_times_out(web):
    web.page("/slow", ARTICLE_HTML, delay=10)
    with pytest.raises(InputError, match=r"/slow: timed out after 0.5 seconds$"):
        read_input(web.url("/slow"), ReadSettings(allow_private=True, timeout=0.5))


def test_wrong_charset_header_is_outvoted_by_the_bytes(web):
    text = ("<html><head><meta charset='windows-1252'></head><body><article><h1>Caf\u00e9 news</h1>"
            "<p>The caf\u00e9 on the quay reopened \u2014 \u201cat last,\u201d said its owner, na\u00efvely "
            "promising cr\u00e8me br\u00fbl\u00e9e every day of the summer season.</p></article></body></html>")
    # Declared UTF-8, really Windows-1252: the bytes are not valid UTF-8, the <meta> is right.
    web.page("/cp1252", text.encode("cp1252"), "text/html; charset=utf-8")
    # Declared Latin-1, really UTF-8: valid UTF-8 wins over the header.
    web.page("/utf8", text.replace("windows-1252", "utf-8").encode("utf-8"), "text/html; charset=iso-8859-1")
    for path in ("/cp1252", "/utf8"):
        [article] = read_input(web.url(path), LOCAL)
        assert article.title == "Caf\u00e9 news"
        assert "\u2014 \u201cat last,\u201d" in article.body and "cr\u00e8me br\u00fbl\u00e9e" in article.body


def test_charset_from_header_when_bytes_are_ambiguous(web):
    body = "Ol\u00e1 mundo\n\nUm texto curto em portugu\u00eas, com acentua\u00e7\u00e3o.".encode("iso-8859-15")
    web.page("/latin9", body, "text/plain; charset=iso-8859-15")
    [article] = read_input(web.url("/latin9"), LOCAL)
    assert article.title == "Ol\u00e1 mundo" and "acentua\u00e7\u00e3o" in article.body


def test_huge_declared_body_is_refused_before_reading(web):
    web.routes["/huge"] = Route(200, b"", {"Content-Type": "text/plain", "Content-Length": "900000000"})
    with pytest.raises(InputError, match=r"/huge: is larger than 200,000 bytes"):
        read_input(web.url("/huge"), ReadSettings(allow_private=True, max_chars=10_000))


def test_endless_body_is_cut_off_at_the_limit(web):
    web.routes["/endless"] = Route(200, headers={"Content-Type": "text/plain"}, endless=True)
    with pytest.raises(InputError, match=r"/endless: is larger than 200,000 bytes"):
        read_input(web.url("/endless"), ReadSettings(allow_private=True, max_chars=10_000))


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "audio/mpeg", "application/zip"])
def test_non_article_content_types_are_refused(web, content_type):
    web.page("/thing", b"\x89PNG....", content_type)
    with pytest.raises(InputError, match=rf"/thing: is not an article \(the server sent {content_type}\)"):
        read_input(web.url("/thing"), LOCAL)


def test_page_with_no_article(web):
    web.page("/menu", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(InputError, match=r"/menu: has no article text"):
        read_input(web.url("/menu"), LOCAL)


def test_other_kinds_by_url(web):
    web.page("/notes.md", (FIXTURES / "article.md").read_bytes(), "text/plain")
    web.page("/api/stories", (FIXTURES / "articles.jsonl").read_bytes(), "application/x-ndjson")
    [notes] = read_input(web.url("/notes.md"), LOCAL)
    assert notes.title == "Tide tables go digital: a harbour guide" and "```" not in notes.body
    stories = read_input(web.url("/api/stories"), LOCAL)
    assert [s.title for s in stories] == ["Market hall reopens", "Library extends hours"]
    assert stories[1].url is None  # one of many items: the feed's address is not this story's
    web.page("/brief.txt", "Quay closed\n\nThe quay is closed on Sunday for resurfacing.", "text/plain")
    [brief] = read_input(web.url("/brief.txt"), LOCAL)
    assert (brief.title, brief.url) == ("Quay closed", web.url("/brief.txt"))


def test_connection_refused_is_one_line():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InputError, match=rf"127.0.0.1:{port}/: cannot connect \(connection refused\)$"):
        read_input(f"http://127.0.0.1:{port}/", LOCAL)


# --- safety: private targets ----------------------------------------------------------------

@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.9", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
    ("93.184.216.34", True), ("2606:4700::1111", True),
])
def test_public_address_classification(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/", "http://localhost/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/", "https://192.168.0.1/admin",
])
def test_private_targets_are_refused_without_the_flag(url):
    with pytest.raises(InputError, match=r"is a private or local address; pass --allow-private "
                                         r"\(or `digest settings set allow_private true`\) to read it$"):
        check_target(url, url, allow_private=False)


def test_a_private_address_is_named_once_and_a_host_name_with_its_address():
    with pytest.raises(InputError, match=r"^http://127.0.0.1:8731/feed1.xml: 127.0.0.1 is a private or local addr"):
        check_target("http://127.0.0.1:8731/feed1.xml", "http://127.0.0.1:8731/feed1.xml", allow_private=False)
    with pytest.raises(InputError, match=r"^http://localhost/: localhost \((127.0.0.1|::1)\) is a private or local"):
        check_target("http://localhost/", "http://localhost/", allow_private=False)


def test_local_server_is_refused_without_allow_private_and_never_contacted(web):
    web.page("/fair", ARTICLE_HTML)
    with pytest.raises(InputError, match="pass --allow-private"):
        read_input(web.url("/fair"), ReadSettings())
    assert web.hits == []


def test_redirect_to_a_private_address_is_refused(web, monkeypatch):
    # The first hop looks public (a documentation address the test pretends to resolve); its
    # redirect points at loopback, which must be refused before it is contacted.
    import digest.read.url as url_module

    real = url_module.socket.getaddrinfo

    def pretend(host, *args, **kwargs):
        if host == "news.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(url_module.socket, "getaddrinfo", pretend)
    web.page("/inside", ARTICLE_HTML)

    class OneRedirect:
        status, reason = 302, "Found"
        headers = {"Location": web.url("/inside")}

        def close(self):
            pass

        def release_conn(self):
            pass

    monkeypatch.setattr(url_module.urllib3.PoolManager, "request", lambda self, *a, **k: OneRedirect())
    with pytest.raises(InputError, match=r"^http://news.example/: 127.0.0.1 is a private or local address"):
        fetch("http://news.example/", ReadSettings())
    assert web.hits == []


def test_connected_address_is_checked_even_if_resolution_looked_public(web, monkeypatch):
    # A name that resolves to a public address for the check but connects to loopback
    # (DNS rebinding) is still refused, by the check on the connected socket.
    import digest.read.url as url_module

    monkeypatch.setattr(url_module, "check_target", lambda *args: None)
    web.page("/fair", ARTICLE_HTML)
    with pytest.raises(InputError, match=r": 127.0.0.1 is a private or local address; pass --allow-private"):
        fetch(web.url("/fair"), ReadSettings())
    assert web.hits == []


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_one_deadline_covers_the_whole_download_however_slowly_bytes_arrive(web, headers_too):
    # A slowloris answer: one byte every 0.2 s never trips a per-read timeout.
    web.page("/drip", ARTICLE_HTML, trickle=0.2, trickle_headers=headers_too)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"/drip: timed out after 1.5 seconds$"):
        read_input(web.url("/drip"), ReadSettings(allow_private=True, timeout=1.5))
    assert time.monotonic() - started < 3.0


def test_a_same_host_redirect_on_a_kept_alive_connection_reads_the_right_page(web):
    # The redirect carries a body; left unread on a reused connection it would be read as the
    # next answer.
    web.routes["/moved"] = Route(301, b"<html>moved here</html>" * 50, {"Location": "/story",
                                                                     "Content-Type": "text/html"})
    web.page("/story", ARTICLE_HTML)
    [article] = read_input(web.url("/moved"), LOCAL)
    assert article.title and "moved here" not in article.body


@pytest.mark.parametrize("address, public", [
    ("::127.0.0.1", False),  # IPv4-compatible loopback
    ("64:ff9b::7f00:1", False), ("64:ff9b::a00:1", False),  # NAT64 to loopback, to 10.0.0.1
    ("64:ff9b::808:808", True),  # NAT64 to a public address
    ("64:ff9b:1::1", False),  # local-use NAT64
    ("2002:7f00:1::1", False), ("2002:c0a8:101::1", False),  # 6to4 of loopback, of 192.168.1.1
    ("2002:808:808::1", True),
    ("fec0::1", False),  # deprecated site-local
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo with a documentation-range client
    ("2606:4700::1111", True), ("8.8.8.8", True), ("::ffff:10.0.0.1", False),
])
def test_ipv6_forms_that_embed_ipv4_are_judged_by_the_ipv4_inside(address, public):
    assert is_public_address(address) is public


def test_a_redirect_to_something_that_is_not_a_url_is_one_line(web):
    # Found by the fuzzer: urljoin raises on "http://[x".
    web.routes["/odd"] = Route(301, b"", {"Location": "http://[x"})
    with pytest.raises(InputError, match=r"/odd: redirected to something that is not a URL \('http://\[x'\)$"):
        read_input(web.url("/odd"), LOCAL)
