"""Formulas in a page are said in words, or as 'a formula', instead of leaving a hole."""

import lxml.html
import pytest

from digest.read.formulas import speak_formulas, spoken_symbol
from digest.read.fragments import fragment_text
from digest.read.html import parse_html

_PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the tide report says the water rose again along the old harbour wall today.</p>"
    for n in range(6)
)


def _page(body: str) -> str:
    return f"<html><head><title>Tide tables</title></head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize("tex, said", [
    ("{\\displaystyle T}", "T"),
    ("{\\displaystyle h_{t}}", "h t"),
    ("{\\displaystyle w_{mn}}", "w m n"),
    ("\\tau _{k}", "tau k"),
    ("{\\displaystyle \\mathbf {v} _{1},\\dots ,\\mathbf {v} _{K}}", "v 1 to v K"),
    ("q_{a\\mid b}", "q a given b"),
    ("r^{2}", "r squared"),
    ("k=m", "k equals m"),
    # Anything more is 'a formula' to its caller.
    ("\\frac{a}{b}", None),
    ("\\sum _{k}w_{k}", None),
    ("v\\in \\mathbb {R} ^{n}", None),
    ("e^{x}", None),
    ("", None),
])
def test_a_formula_of_one_symbol_is_said_as_a_lecturer_says_it(tex, said):
    assert spoken_symbol(tex) == said


def _wiki_formula(tex: str) -> str:
    return (f'<span class="mwe-math-element"><span style="display: none;"><math alttext="{tex}"><mi>x</mi></math>'
            f'</span><img alt="{tex}" src="f.svg"></span>')


_READING = _wiki_formula("{\\displaystyle h_{t}}")
_TOTAL = _wiki_formula("{\\displaystyle \\sum _{t}h_{t}}")
_SUM = _wiki_formula("{\\displaystyle H=\\sum _{t}h_{t}}")
_RATE = _wiki_formula("{\\frac{a}{b}}")


def test_formulas_inside_sentences_are_said_and_one_on_its_own_is_said_to_be_left_out():
    root = lxml.html.fragment_fromstring(
        f"<div><p>Each reading {_READING} is rounded, and the total {_TOTAL} is kept as follows:</p>"
        f"<dl><dd>{_SUM}</dd></dl></div>")
    assert speak_formulas(root)
    assert " ".join(root.find("p").text_content().split()) == \
        "Each reading h t is rounded, and the total a formula is kept as follows:"
    assert root.find("dl/dd").text_content() == "A formula is left out here."


def test_a_page_says_where_a_formula_on_its_own_line_is_left_out():
    body = _PARAGRAPHS + f"<p>The daily total is worked out as follows:</p><dl><dd>{_SUM}</dd></dl>" \
        "<p>After the sum, the report goes on to the weather for the weekend along the coast.</p>"
    article = parse_html(_page(body), "tides.html")
    assert "worked out as follows:\n\n" in article.body
    assert "A formula is left out here." in article.body.split("worked out as follows:", 1)[1][:40]


def test_a_page_with_formulas_reads_without_holes():
    body = _PARAGRAPHS + f"<p>The gauge reports a {_wiki_formula('d')}-metre rise as {_RATE} each hour.</p>"
    article = parse_html(_page(body), "tides.html")
    assert "The gauge reports a d-metre rise as a formula each hour." in article.body


def test_a_page_without_formulas_is_handed_on_unchanged():
    root = lxml.html.fragment_fromstring("<div><p>No maths here.</p></div>")
    assert not speak_formulas(root)


def test_a_snippet_keeps_code_inside_a_sentence_and_drops_a_listing():
    text = fragment_text("<p>Set <code>tide_limit</code> to four; use <math alttext='n'><mi>n</mi></math> gauges.</p>"
                         "<pre><code>tide_limit = 4\nrun()</code></pre>")
    assert text == "Set tide_limit to four; use n gauges."
