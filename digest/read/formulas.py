"""Formulas in a page's text -> words a listener can follow.

The extractor drops a page's maths (MathML, or the images and hidden markup that Wikipedia,
KaTeX and MathJax draw it with), and a sentence that named a symbol is left with a hole:
"the similarity of datapoint  to datapoint  is". A formula that is one symbol ('x_i',
'\\sigma_i', 'p_{j|i}') is said the way a lecturer says it ('x i', 'sigma i', 'p j given i');
any other one inside a sentence is 'a formula'. One standing alone in its own block is said to
be left out ("A formula is left out here."), as a code listing is, so the sentence that
introduced it ('as follows:') is not left hanging.
"""

from __future__ import annotations

import re

from lxml import etree

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho "
          "sigma tau upsilon phi varphi chi psi omega").split()
_GREEK_COMMAND = re.compile(r"\\(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])", re.IGNORECASE)
# Commands that only change a symbol's look.
_STYLE_COMMAND = re.compile(r"\\(?:mathbf|mathrm|mathit|boldsymbol|bm|vec|hat|bar|tilde|operatorname|text|left|right"
                            r"|displaystyle|textstyle)(?![A-Za-z])")
_LETTER_SUBSCRIPT = re.compile(r"_\s*\{\s*([a-z]{2,4})\s*\}")
_DOTS_IN_LIST = re.compile(r",\s*\\[lc]?dots\s*,")
_SQUARED = re.compile(r"\^\s*\{?\s*2\s*\}?")
_CUBED = re.compile(r"\^\s*\{?\s*3\s*\}?")
_GIVEN = re.compile(r"\\mid(?![A-Za-z])|\|")
_SAID = re.compile(r"[A-Za-z0-9 ,=]*")
_MOST_WORDS = 8
# How a page marks a formula: Wikipedia's wrapper, KaTeX's, MathJax's TeX source, MathML.
_FORMULAS = etree.XPath(
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' mwe-math-element ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' katex ')"
    " or (local-name()='script' and starts-with(@type, 'math/tex'))"
    " or local-name()='math']"
)
_TEX_SOURCE = etree.XPath(
    "string((.//@alttext | .//*[local-name()='annotation'][@encoding='application/x-tex'] | .//img/@alt)[1])"
)
_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "div", "blockquote", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6"}
A_FORMULA = "a formula"
FORMULA_NOTE = "A formula is left out here."


def spoken_symbol(tex: str) -> str | None:
    """'x_{i}' -> 'x i', '\\sigma _{i}' -> 'sigma i', 'p_{j\\mid i}' -> 'p j given i', 'i=j' ->
    'i equals j', 'x_{1},\\dots ,x_{N}' -> 'x 1 to x N'; None for anything longer or harder."""
    tex = tex.strip()
    wrapped = re.fullmatch(r"\{\s*\\displaystyle\s*(.*)\}", tex, re.DOTALL)
    tex = wrapped[1] if wrapped else tex
    if len(tex) > 120:
        return None
    # 'p_{ij}' is 'p i j': a subscript of letters names each index.
    tex = _LETTER_SUBSCRIPT.sub(lambda m: " " + " ".join(m[1]) + " ", tex)
    tex = _DOTS_IN_LIST.sub(" to ", tex)
    tex = _STYLE_COMMAND.sub(" ", tex)
    tex = _GREEK_COMMAND.sub(lambda m: f" {m[1].lower().removeprefix('var')} ", tex)
    tex = _GIVEN.sub(" given ", tex)
    tex = _SQUARED.sub(" squared ", tex)
    tex = _CUBED.sub(" cubed ", tex)
    tex = tex.replace("_", " ").replace("{", " ").replace("}", " ")
    if not _SAID.fullmatch(tex):
        return None
    said = " ".join(tex.replace("=", " equals ").replace(",", " , ").split()).replace(" ,", ",")
    words = said.split()
    if not words or len(words) > _MOST_WORDS:
        return None
    return said


def _replace_with_text(element, text: str) -> None:
    """`element` (and what it holds) becomes `text`; the text after it stays."""
    text = text + (element.tail or "")
    previous = element.getprevious()
    parent = element.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)


def _block_of(element):
    block = element.getparent()
    while block is not None and not (isinstance(block.tag, str) and block.tag.lower() in _BLOCKS):
        block = block.getparent()
    return block


def _stands_alone(element) -> bool:
    block = _block_of(element)
    if block is None:
        return True
    around = "".join(block.itertext()).replace("".join(element.itertext()), "", 1)
    return not re.search(r"\w", around)


def speak_formulas(root) -> bool:
    """Every formula under `root` replaced by the words for it (see the module's notes);
    True when there were any."""
    formulas = _FORMULAS(root)
    marked = set(formulas)
    # The outermost mark of each: Wikipedia wraps MathML and an image in one element.
    outermost = [element for element in formulas if not any(a in marked for a in element.iterancestors())]
    for element in outermost:
        if _stands_alone(element):
            _replace_with_text(element, FORMULA_NOTE)
            continue
        tex = _TEX_SOURCE(element) or (element.text or "" if element.tag == "script" else "")
        said = spoken_symbol(tex) if tex else None
        # Spaced from the words around it, not from a hyphen or a comma: 'a d-dimensional map'.
        after = " " if re.match(r"\w", element.tail or "") else ""
        _replace_with_text(element, f" {said or A_FORMULA}{after}")
    return bool(outermost)
