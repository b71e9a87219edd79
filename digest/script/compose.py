"""Articles -> the spoken script: intro, each story's title and paragraphs, transitions, outro."""

from __future__ import annotations

import datetime as dt

from digest.dates import speak_date
from digest.models import Article, Script, Segment
from digest.read.clean import clean_line, clean_text, paragraphs
from digest.script.speakable import speakable
from digest.script.speakable_common import SPOKEN_SYMBOLS, names_in, speak_urls
from digest.script.speakable_en_names import drop_company_suffixes
from digest.script.wording import say, wording

_HEADLINE_WORDS = 10


def display_title(article: Article) -> str:
    """The title shown in feeds and file names; untitled articles borrow their first words."""
    title = clean_line(article.title)
    if title:
        return title
    words = clean_line(article.body).split()
    snippet = " ".join(words[:_HEADLINE_WORDS]).rstrip(",.;:!?")
    return snippet + ("..." if len(words) > _HEADLINE_WORDS else "")


def _spoken_headline(article: Article, lang: str) -> str:
    # A headline in capitals is calmed to lower case; its story says which words are names.
    title = clean_line(article.title)
    names = names_in(article.body) if title.isupper() else frozenset()
    return speakable(title, lang, names=names).rstrip(" .;:")


def _join_headlines(headlines: list[str], conjunction: str) -> str:
    if len(headlines) == 1:
        return headlines[0]
    return "; ".join(headlines[:-1]) + f"; {conjunction} " + headlines[-1]


def _count(count: int, lang: str) -> str:
    return speakable(str(count), lang, inside_sentence=True)


def _intro(articles: list[Article], programme: str, date: dt.date, lang: str) -> str:
    words = wording(lang)
    parts = [say(lang, "welcome", programme=programme, date=speak_date(date, lang, weekday=True))]
    if len(articles) == 1:
        headline = _spoken_headline(articles[0], lang)
        parts.append(say(lang, "one_story", headline=headline) if headline else say(lang, "one_untitled"))
    else:
        headlines = [_spoken_headline(a, lang) or words["untitled"] for a in articles]
        parts.append(say(lang, "many_stories", count=_count(len(articles), lang),
                         headlines=_join_headlines(headlines, words["and"])))
    return " ".join(parts)


def _minutes(minutes: float, lang: str) -> str:
    words = wording(lang)
    if minutes == 1:
        return words["minutes_one"]
    if minutes < 1:  # "thirty seconds", not "zero point five minutes"
        return words["seconds"].format(count=speakable(str(max(1, round(minutes * 60))), lang, inside_sentence=True))
    return words["minutes"].format(count=speakable(f"{minutes:g}", lang, inside_sentence=True))


def summarized_note(summarized: int, stories: int, lang: str, fitted_to: float | None = None) -> str:
    """How the stories were shortened: 'Each story is summarized to fit ten minutes.'"""
    words = wording(lang)
    fit = words["fit"].format(minutes=_minutes(fitted_to, lang)) if fitted_to else ""
    if stories == 1:
        return say(lang, "summarized_lone", fit=fit)
    if summarized == stories:
        return say(lang, "summarized_all", fit=fit)
    if summarized == 1:
        return say(lang, "summarized_one", fit=fit)
    return say(lang, "summarized_some", count=_count(summarized, lang), fit=fit)


# Publications named for what they are take "the" in English: "the Vancouver Sun", "the
# Atlantic", "the New Yorker"; a site or a broadcaster's brand does not ("BBC News", "Wired").
_TAKES_THE = frozenset("""
    times post sun guardian telegraph independent herald journal tribune globe mail star economist atlantic
    chronicle gazette observer mirror express standard register inquirer enquirer examiner courier record
    bulletin sentinel dispatch argus advertiser citizen review verge hill onion spectator yorker monitor
    intercept conversation telegram press
""".split())


def spoken_source(source: str, lang: str) -> str:
    """The source as a presenter names it: 'From the Vancouver Sun', not 'From Vancouver Sun';
    'From example dot com', not 'example.com' read as one word; 'From Wikimedia Foundation',
    without its ', Inc.'."""
    source = drop_company_suffixes(source).rstrip(" .") or source
    if lang in SPOKEN_SYMBOLS:
        source = speak_urls(lang)(source)
    words = source.split()
    if lang != "en" or not words or words[0].casefold() in ("the", "a", "an"):
        return source
    if words[-1].casefold().strip(".,") in _TAKES_THE and words[-1][:1].isupper():
        return f"the {source}"
    return source


def _story_heading(article: Article, lang: str, *, with_headline: bool = True) -> str:
    headline = _spoken_headline(article, lang) if with_headline else ""
    parts = [headline + "."] if headline else []
    if article.source:
        parts.append(say(lang, "from_source", source=spoken_source(clean_line(article.source), lang)))
    if article.date:
        parts.append(say(lang, "published", date=speak_date(article.date, lang)))
    return " ".join(parts)


def build_script(
    articles: list[Article],
    *,
    programme: str = "Digest",
    date: dt.date | None = None,
    lang: str = "en",
    skipped: int = 0,
    left_out: int = 0,
    summarized: int = 0,
    fitted_to: float | None = None,
) -> Script:
    """The spoken script. `summarized` stories were told in brief (to fit `fitted_to` minutes,
    when that was why), which the intro says after its rundown of the headlines."""
    if not articles:
        raise ValueError("a script needs at least one article")
    date = date or dt.date.today()
    words = wording(lang)
    intro_chapter = words["intro_chapter"]
    intro = _intro(articles, programme, date, lang)
    if summarized:
        intro += " " + summarized_note(summarized, len(articles), lang, fitted_to)
    for key, count in (("skipped", skipped), ("left_out", left_out)):
        if count:
            intro += " " + say(lang, f"{key}_one" if count == 1 else key, count=_count(count, lang))
    segments = [Segment("intro", intro, intro_chapter)]

    for index, article in enumerate(articles):
        if index > 0:
            # The transition closes the previous chapter, so skipping forward lands on a title.
            is_last = index == len(articles) - 1 and len(articles) > 2
            transition = say(lang, "last_story" if is_last else "next_story")
            segments.append(Segment("transition", transition, segments[-1].chapter))
        chapter = display_title(article)
        # A lone story's headline ends the intro: said again at once, a listener hears it twice.
        heading = _story_heading(article, lang, with_headline=len(articles) > 1)
        if heading:
            segments.append(Segment("title", heading, chapter))
        for paragraph in paragraphs(clean_text(article.body)):
            spoken = speakable(paragraph, lang)
            if spoken:  # a paragraph that was only a pointer ('Click here ...') or a link
                segments.append(Segment("paragraph", spoken, chapter))

    segments.append(Segment("outro", say(lang, "outro", programme=programme), words["outro_chapter"]))
    return Script(tuple(segments), lang)


def format_script(script: Script) -> str:
    """The script as `digest script` prints it: chapter marks, then each segment."""
    lines: list[str] = []
    chapter = None
    for segment in script.segments:
        if segment.chapter != chapter:
            chapter = segment.chapter
            if lines:
                lines.append("")
            lines.append(f"## {chapter}")
        lines.append(f"[{segment.kind}] {segment.text}")
    return "\n".join(lines) + "\n"
