"""JSON chapters."""

from digest.publish.chapters import chapter_problems, to_json_chapters
from digest.publish.tags import Chapter


def test_chapters_are_ascending_with_links_only_for_web_urls():
    document = to_json_chapters(
        [Chapter("Story", 10.0, 20.0), Chapter("Introduction", 0.0, 10.0), Chapter("Odd", 20.0, 25.5)],
        [{"title": "Story", "url": "https://example.org/s"}, {"title": "Odd", "url": "javascript:x"}],
    )
    assert document == {"version": "1.2.0", "chapters": [
        {"startTime": 0.0, "endTime": 10.0, "title": "Introduction"},
        {"startTime": 10.0, "endTime": 20.0, "title": "Story", "url": "https://example.org/s"},
        {"startTime": 20.0, "endTime": 25.5, "title": "Odd"},
    ]}
    assert chapter_problems(document) == []


def test_problems_are_named():
    assert chapter_problems([]) == ["is not a JSON object"]
    assert chapter_problems({"version": "1.2.0", "chapters": []}) == ["has no chapters"]
    problems = chapter_problems({"chapters": [{"startTime": 5, "title": "b"}, {"startTime": 1, "title": " "}]})
    assert problems == ["has no version", "chapter 2 starts before the one before it", "chapter 2 has no title"]
