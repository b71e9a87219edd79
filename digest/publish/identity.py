"""Who an episode is: its GUID, title, description, publication time and fingerprint.

The GUID comes from the programme and the stories (their URLs, or their text), so the same
stories remade keep the same episode, on any machine. The fingerprint covers everything that
decides the finished file apart from the clock, so an unchanged episode is not made again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from digest.dates import write_date
from digest.models import Article
from digest.publish.tags import EpisodeTags
from digest.read.clean import clean_text, paragraphs
from digest.script.compose import display_title

# Fixed namespace so that the same inputs give the same episode GUID on every machine.
EPISODE_NAMESPACE = uuid.UUID("5f0d3c8e-8f57-4c5e-9d38-2f3f5c1d6a10")
# Bump when stitching or tagging changes what the same clips turn into.
ASSEMBLY_VERSION = "3"


def article_key(article: Article) -> str:
    if article.url:
        return article.url
    return "sha256:" + hashlib.sha256(clean_text(article.body).encode("utf-8")).hexdigest()


def episode_guid(articles: list[Article], programme: str) -> str:
    return str(uuid.uuid5(EPISODE_NAMESPACE, programme + "\n" + "\n".join(article_key(a) for a in articles)))


def story_guid(article: Article, programme: str) -> str:
    """A one-story episode's GUID (`digest batch`): by the story's URL; else by its feed item's
    own ID within its feed, so that an item edited in place is made again in place rather than
    published a second time; else by its words."""
    if not article.url and article.guid:
        return str(uuid.uuid5(EPISODE_NAMESPACE, f"{programme}\nitem:{article.source or ''}\n{article.guid}"))
    return episode_guid([article], programme)


def episode_title(articles: list[Article], title: str | None, programme: str, date: dt.date, lang: str = "en") -> str:
    """`title` when given; else the story's title, or for several stories the programme's name
    and the day ("Digest, 2 December 2026"): a daily digest is that day's edition, not its first story."""
    if title:
        return title
    if len(articles) == 1:
        return display_title(articles[0])
    return f"{programme}, {write_date(date, lang)}"


def episode_file_title(articles: list[Article], programme: str) -> str:
    """What an episode's file is named after, behind its date: its one story, or the programme
    (a second edition the same day gets a counter: Library.path_for)."""
    return display_title(articles[0]) if len(articles) == 1 else programme


def describe(articles: list[Article]) -> str:
    if len(articles) == 1:
        first = paragraphs(clean_text(articles[0].body))[0]
        return first if len(first) <= 400 else first[:397].rsplit(" ", 1)[0] + "..."
    return "Stories: " + "; ".join(display_title(a) for a in articles) + "."


def story_record(article: Article) -> dict:
    """What the episode's tags keep of a story, for the feed's show notes and chapter links."""
    return {
        "title": display_title(article),
        "source": article.source,
        "url": article.url,
        "date": article.date.isoformat() if article.date else None,
        "author": article.author,
    }


def publication_time(date: dt.date | None, now: dt.datetime | None = None) -> dt.datetime:
    """Now, or now's time of day on the --date given, so back-dated episodes sort by that date.

    `now` is the clock reading to use (a batch reads it once for all its episodes).
    """
    now = (now or dt.datetime.now()).astimezone().replace(microsecond=0)
    if date is not None and date != now.date():
        now = now.replace(year=date.year, month=date.month, day=date.day)
    return now.astimezone(dt.timezone.utc)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def episode_fingerprint(clip_keys: list[str], pauses: list[int], speed: float, chime: bool,
                        tags: EpisodeTags) -> str:
    """Everything that decides the finished episode's bytes, apart from the clock."""
    material = json.dumps({
        "assembly": ASSEMBLY_VERSION,
        "clips": clip_keys,
        "pauses": pauses,
        "speed": speed,
        "chime": chime,
        "title": tags.title,
        "programme": tags.programme,
        "engine": tags.engine,
        "description": tags.description,
        "language": tags.language,
        "stories": tags.stories,
        "cover": hashlib.sha256(tags.cover_jpeg or b"").hexdigest(),
    }, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
