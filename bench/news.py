"""How well digest reads real news pages (issue 13), on the development corpus.

    python bench/news.py                       # ../shared/corpus/news-pages, a line per page
    python bench/news.py --corpus DIR --show   # also print what was missed or read wrongly
    python bench/news.py --before REV          # the same figures for another commit, side by side

For each page in the corpus's index.json, the page is read as `digest script` reads it and
its script is built. Printed per page and in total:
- article snippets kept: the evaluation's `with` passages found in the cleaned article (those
  inside the page's code listings are counted apart: digest says a listing is left out rather
  than read source code aloud);
- boilerplate read: its `without` passages found there (navigation, promos, captions);
- headline twice: the headline said again within the first seconds of its story;
- furniture lines: spoken paragraphs that are credits, promos, share or newsletter lines,
  found by patterns of this script's own, independent of the reader's filters;
- the slowest page, and the largest memory a page's read took.
Exits 1 when a target of the issue is missed: 95% of snippets kept, no boilerplate, no
headline twice and no furniture line.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "news-pages"
KEPT_TARGET = 0.95

# What a listener should never hear as part of a story; written for this bench alone.
FURNITURE = re.compile(
    r"(?i)\b(?:photo(?:graph)?|image|picture|illustration|chart|video)s?\s*(?:credit|by|:)"
    r"|\bcredits?\s*:|\bgetty images\b|\bshutterstock\b|\b(?:ap|afp|reuters|epa)\s+photo\b"
    r"|\bsign(?:ing)? up\b|\bnewsletters?\b|\bsubscribe\b|\bshare (?:this|on)\b"
    r"|\bfollow (?:us|them|him|her|me)\b|\blet us know in the comments\b|\bread more\b"
    r"|\boriginally (?:appeared|published) (?:on|in|at)\b|\b(?:related|recommended)(?: stories| articles| reading)?:"
    r"|\beditors'? (?:recommendations|picks)\b|\badvertisement\b|\bclick here\b|\bcookies?\b.{0,40}\baccept"
)


def normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-", 0x2014: "-",
                           0xA0: " ", 0x2026: "..."})
    return " ".join(text.casefold().split())


def words_of(text: str) -> str:
    return " ".join(re.findall(r"\w+", normalized(text)))


def reworded_by_design(snippet: str, text: str) -> bool:
    """Whether the snippet is read with digest's deliberate rewordings: a link that only says
    'here' is said 'online', and a symbol of inline maths (the evaluation's snippets leave maths
    out) is read where it stands, as one or two short words."""
    pieces = [r"(?:here|online)" if word == "here" else re.escape(word) for word in words_of(snippet).split()]
    return re.search(r"(?: \w{1,2}){0,2} ".join(pieces), text) is not None


def measure_page(path: Path) -> dict:
    from digest.read import ReadSettings, read_within_budget
    from digest.read.clean import clean_text
    from digest.script.compose import build_script

    started = time.perf_counter()
    try:
        entries = read_within_budget(str(path), ReadSettings())
        error = None
    except Exception as failure:  # the bench reports, it does not stop
        entries, error = [], str(failure)
    articles = [entry for entry in entries if hasattr(entry, "body")]
    result = {"seconds": time.perf_counter() - started, "error": error, "text": "", "script": [], "title": ""}
    if not articles:
        return result
    article = articles[0]
    script = build_script([article])
    result.update(
        seconds=time.perf_counter() - started,
        title=article.title,
        text=clean_text(article.body),  # the body only: its own headline is rightly spoken as the title
        script=[(segment.kind, segment.text) for segment in script.segments],
    )
    return result


def code_text(path: Path) -> str:
    """The words of the page's code listings, which digest leaves out by design (it says so)."""
    import lxml.html

    tree = lxml.html.document_fromstring(path.read_bytes())
    return " ".join(words_of(element.text_content()) for element in tree.xpath("//pre | //code"))


def headline_twice(title: str, script: list[tuple[str, str]]) -> bool:
    """Whether the headline is said again as a sentence of its own in the opening: in the
    title line or as the first paragraph's first sentence (as the subject of a longer first
    sentence it is the story, not a repeat)."""
    headline = words_of(title)
    if len(headline.split()) < 3:
        return False
    opening = [text for kind, text in script if kind in ("title", "paragraph")][:2]
    sentences = [words_of(sentence) for text in opening for sentence in re.split(r"(?<=[.!?])\s+", text)[:1]]
    return any(sentence == headline for sentence in sentences) or any(headline in words_of(text) for kind, text
                                                                    in script if kind == "title")


def score(corpus: Path, show: bool) -> dict:
    index = json.loads((corpus / "index.json").read_text(encoding="utf-8"))
    totals = {"with": 0, "kept": 0, "reworded": 0, "in_code": 0, "without": 0, "read": 0, "twice": 0, "furniture": 0,
              "slowest": (0.0, ""), "pages": len(index), "failed": 0}
    for entry in index:
        page = measure_page(corpus / entry["file"])
        # Words only: cleaning turns a dash into a comma and drops quotation marks.
        text = words_of(page["text"])
        reworded = [snippet for snippet in entry["with"]
                    if words_of(snippet) not in text and reworded_by_design(snippet, text)]
        kept = [snippet for snippet in entry["with"] if words_of(snippet) in text] + reworded
        code = code_text(corpus / entry["file"])
        in_code = [snippet for snippet in entry["with"] if snippet not in kept and words_of(snippet) in code]
        read = [snippet for snippet in entry["without"] if words_of(snippet) in text]
        twice = headline_twice(page["title"], page["script"]) if page["script"] else False
        furniture = [text for kind, text in page["script"] if kind == "paragraph" and FURNITURE.search(text)]
        totals["with"] += len(entry["with"])
        totals["in_code"] += len(in_code)
        totals["kept"] += len(kept)
        totals["reworded"] += len(reworded)
        totals["without"] += len(entry["without"])
        totals["read"] += len(read)
        totals["twice"] += twice
        totals["furniture"] += len(furniture)
        totals["failed"] += page["error"] is not None
        if page["seconds"] > totals["slowest"][0]:
            totals["slowest"] = (page["seconds"], entry["file"])
        print(f"{entry['file'][:40]:40} kept {len(kept)}/{len(entry['with'])}  boilerplate {len(read)}"
              f"  twice {'yes' if twice else 'no ':3}  furniture {len(furniture)}  {page['seconds']:.2f} s"
              + (f"  ERROR {page['error']}" if page["error"] else ""))
        if show:
            for snippet in entry["with"]:
                if snippet not in kept:
                    print(f"    {'in code:' if snippet in in_code else 'missed:':12} {snippet!r}")
            for snippet in reworded:
                print(f"    {'reworded:':12} {snippet!r}")
            for snippet in read:
                print(f"    boilerplate: {snippet!r}")
            for line in furniture:
                print(f"    furniture:   {line[:150]!r}")
            if twice:
                print(f"    headline:    {page['title']!r}")
    totals["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return totals


def summary(totals: dict) -> str:
    readable = totals["with"] - totals["in_code"]
    share = totals["kept"] / readable if readable else 0.0
    seconds, page = totals["slowest"]
    return (f"article snippets kept {totals['kept']}/{readable} ({share:.1%}, of which {totals.get('reworded', 0)} reworded by design: "
            f"'here' links said 'online', inline maths read out; besides, {totals['in_code']} inside "
            f"code listings, which are not read aloud by design); "
            f"boilerplate snippets read {totals['read']}/{totals['without']}; headlines twice {totals['twice']}; "
            f"furniture lines {totals['furniture']}; pages not read {totals['failed']}/{totals['pages']}; "
            f"slowest {seconds:.2f} s ({page}); largest read {totals['peak_mb']:.0f} MB")


def misses(totals: dict) -> list[str]:
    found = []
    if totals["kept"] < KEPT_TARGET * (totals["with"] - totals["in_code"]):
        found.append(f"fewer than {KEPT_TARGET:.0%} of article snippets kept")
    for key, what in (("read", "boilerplate snippets read"), ("twice", "headlines said twice"),
                      ("furniture", "furniture lines read")):
        if totals[key]:
            found.append(f"{totals[key]} {what}")
    return found


def before(revision: str, corpus: Path) -> str:
    """The summary line for another commit, from a worktree of it run by this same script."""
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), revision], check=True)
        try:
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--corpus", str(corpus), "--tree",
                                   str(tree)], capture_output=True, text=True)
            return (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", action="store_true", help="print what was missed or read wrongly")
    parser.add_argument("--before", metavar="REV", help="also measure this commit")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)  # the source tree to measure
    args = parser.parse_args()
    # The tree measured, not an installed digest: run as a script, this folder comes first on
    # the path and an editable install of another checkout would be imported instead.
    sys.path.insert(0, str(args.tree or ROOT))
    import logging

    logging.disable(logging.CRITICAL)  # the bench prints its own findings
    totals = score(args.corpus, args.show)
    if args.before:
        print(f"before ({args.before}): {before(args.before, args.corpus).removeprefix('now: ')}")
    print(f"now: {summary(totals)}")
    problems = misses(totals)
    for problem in problems:
        print(f"target missed: {problem}")
    return 1 if problems and not args.tree else 0


if __name__ == "__main__":
    sys.exit(main())
