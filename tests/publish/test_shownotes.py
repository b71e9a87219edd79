"""Show notes HTML."""

from digest.publish.shownotes import show_notes


def test_stories_are_escaped_and_only_web_links_are_anchors():
    html = show_notes("Fish & <chips>", [
        {"title": "A <b>bold</b> claim", "url": "https://example.org/?a=1&b=\"2\"", "source": "Post", "date": "2024-03-02"},
        {"title": "Sneaky", "url": "javascript:alert(1)"},
        {"title": "No link", "url": None},
        "not a story",
    ])
    assert html == (
        "<p>Fish &amp; &lt;chips&gt;</p>\n<p>In this episode:</p>\n<ol>"
        '<li><a href="https://example.org/?a=1&amp;b=&quot;2&quot;">A &lt;b&gt;bold&lt;/b&gt; claim</a> (Post, 2024-03-02)</li>'
        "<li>Sneaky</li><li>No link</li></ol>"
    )


def test_no_stories_is_just_the_summary():
    assert show_notes("Only this.", []) == "<p>Only this.</p>"
