"""An episode's chapters: marks from the script and the stitched clips, and the Podcasting 2.0
JSON chapters file (`application/json+chapters`) made from them."""

from __future__ import annotations

import json
from typing import Iterable

from digest.models import Script
from digest.publish.tags import Chapter

MIME = "application/json+chapters"
VERSION = "1.2.0"


def chapters_from(script: Script, utterance_segments: list[int], spans, duration: float) -> list[Chapter]:
    """One chapter per run of segments with the same chapter title, starting at its first clip.

    `utterance_segments[i]` is the script segment utterance i belongs to; `spans[i]` its
    start and end in the finished episode.
    """
    chapters: list[Chapter] = []
    for segment_index, span in zip(utterance_segments, spans):
        title = script.segments[segment_index].chapter
        if not chapters or chapters[-1].title != title:
            if chapters:
                chapters[-1].end = span.start
            chapters.append(Chapter(title, span.start, duration))
    if chapters:
        chapters[0].start = 0.0
    return chapters


def http_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


def to_json_chapters(chapters: Iterable[Chapter], stories: Iterable[dict] = ()) -> dict:
    """Chapters in ascending order; a story's chapter links to the story when its URL is known."""
    urls = {story.get("title"): http_url(story.get("url")) for story in stories if isinstance(story, dict)}
    items = []
    for chapter in sorted(chapters, key=lambda c: c.start):
        item = {"startTime": round(chapter.start, 3), "endTime": round(chapter.end, 3), "title": chapter.title}
        if urls.get(chapter.title):
            item["url"] = urls[chapter.title]
        items.append(item)
    return {"version": VERSION, "chapters": items}


def dumps(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def chapter_problems(document: object) -> list[str]:
    """What makes `document` not a valid JSON chapters file; empty when it is fine."""
    if not isinstance(document, dict):
        return ["is not a JSON object"]
    problems = []
    if not isinstance(document.get("version"), str):
        problems.append("has no version")
    chapters = document.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        return problems + ["has no chapters"]
    previous = -1.0
    for index, chapter in enumerate(chapters):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if not isinstance(start, (int, float)) or isinstance(start, bool) or start < 0:
            problems.append(f"chapter {index + 1} has no valid startTime")
            continue
        if start < previous:
            problems.append(f"chapter {index + 1} starts before the one before it")
        previous = start
        if not isinstance(chapter.get("title"), str) or not chapter["title"].strip():
            problems.append(f"chapter {index + 1} has no title")
    return problems
