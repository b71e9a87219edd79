"""A small published podcast folder, made once per test session and shared read-only.

Two short stories through the real pipeline (gTTS against the fake Google, real ffmpeg), so
feed, tags, transcripts, chapters, server and client tests all look at a genuine episode.
Tests that change the folder copy it first (`published.copy(tmp_path)`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

import digest.read as reading
from digest.make import MakeOptions, MakeResult, make
from tests.conftest import route_to
from tests.fakegoogle import FakeGoogle

DATE = dt.date(2026, 11, 25)
PROGRAMME = "Harbour Weekly"
STORIES = {
    "ferries.txt": (
        " date 2024-03-02 Ferries sail again after the storm\n\n"
        "The first ferry left the harbour at seven on Saturday morning.\n\n"
        "\u201cWe missed the water,\u201d said the captain.\n",
        "https://news.example.org/ferries?id=7&lang=en",
        "Harbour Post",
    ),
    "bakery.txt": (
        "Mill Street bakery wins a bread award\n\nThe judges praised its rye & seed loaf.\n",
        "javascript:alert(1)",  # must never become a link
        None,
    ),
}


@dataclass(frozen=True)
class Published:
    folder: Path  # the output folder: episodes, sidecars, feed.xml, digest.toml, cover
    result: MakeResult

    @property
    def mp3(self) -> Path:
        return self.result.mp3_path

    def sidecar(self, suffix: str) -> Path:
        return self.mp3.with_name(self.mp3.stem + suffix)

    def copy(self, destination: Path) -> "Published":
        target = destination / "audio"
        shutil.copytree(self.folder, target)
        mp3 = target / self.mp3.name
        return Published(target, dataclasses.replace(self.result, mp3_path=mp3, feed_path=target / "feed.xml"))


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    workdir = tmp_path_factory.mktemp("published")
    links = {}
    for name, (text, url, source) in STORIES.items():
        (workdir / name).write_text(text, encoding="utf-8")
        links[str(workdir / name)] = (url, source)
    real_read_entries = reading.read_entries

    def read_with_links(spec, *args, **kwargs):
        # Plain-text articles carry no URL or source; give these the ones a web reader would
        # (including a hostile one that must never become a link).
        url, source = links[spec]
        return [dataclasses.replace(a, url=url, source=source) for a in real_read_entries(spec, *args, **kwargs)]

    with pytest.MonkeyPatch.context() as patch, FakeGoogle() as google:
        route_to(patch, google)
        patch.setattr(reading, "read_entries", read_with_links)
        result = make(MakeOptions(
            inputs=list(links), output_dir=workdir / "audio", engine="gtts", date=DATE,
            programme=PROGRAMME, cache_dir=workdir / "cache",
        ))
    return Published(workdir / "audio", result)


SHELF = {  # three one-story episodes, a day apart: (date, title, text)
    "tide": (dt.date(2026, 11, 23), "Tide tables printed", "The harbour office printed new tide tables."),
    "nets": (dt.date(2026, 11, 24), "Nets mended on the quay", "Volunteers mended the nets on Sunday."),
    "gulls": (dt.date(2026, 11, 25), "Gulls counted", "Birdwatchers counted four hundred gulls."),
}


@pytest.fixture(scope="session")
def shelf(tmp_path_factory) -> Path:
    """An output folder of three real episodes (oldest first in SHELF); copy it before changing it."""
    workdir = tmp_path_factory.mktemp("shelf")
    with pytest.MonkeyPatch.context() as patch, FakeGoogle() as google:
        route_to(patch, google)
        for name, (date, title, text) in SHELF.items():
            article = workdir / f"{name}.txt"
            article.write_text(f"{title}\n\n{text}\n", encoding="utf-8")
            make(MakeOptions(inputs=[str(article)], output_dir=workdir / "audio", engine="gtts", date=date,
                             title=title, programme=PROGRAMME, cache_dir=workdir / "cache"))
    return workdir / "audio"
