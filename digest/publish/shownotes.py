"""Show notes: an episode's summary and its stories, with links, as the HTML podcast apps show.

The stories come from the MP3's tags (title, source, url, date per story). Everything is
escaped, and only http(s) links become anchors, so an article's text or URL can never inject
markup or a javascript: link into a listener's app.
"""

from __future__ import annotations

from html import escape

from digest.publish.chapters import http_url


def _story_line(story: dict) -> str:
    title = escape(str(story.get("title") or "Untitled story"))
    url = http_url(story.get("url"))
    line = f'<a href="{escape(url, quote=True)}">{title}</a>' if url else title
    details = [str(story[key]) for key in ("source", "date") if story.get(key)]
    if details:
        line += " (" + escape(", ".join(details)) + ")"
    return f"<li>{line}</li>"


def show_notes(summary: str, stories: list[dict]) -> str:
    parts = [f"<p>{escape(summary)}</p>"] if summary.strip() else []
    listed = [story for story in stories if isinstance(story, dict)]
    if listed:
        parts.append("<p>In this episode:</p>")
        parts.append("<ol>" + "".join(_story_line(story) for story in listed) + "</ol>")
    return "\n".join(parts)
