"""English rules for how American news tags a politician and names a company: 'Sen. Jane Roe
(R-N.C.)' is said 'Senator Jane Roe, Republican of North Carolina'; 'Wikimedia Foundation,
Inc.' is said 'Wikimedia Foundation'. The party tag runs before the typography rules, which
would turn its brackets into commas and its state's full stops into sentence ends.
"""

from __future__ import annotations

import re

_PARTIES = {"R": "Republican", "D": "Democrat", "I": "independent"}
# The state as AP style abbreviates it, as the postal service does, and the names written out.
_STATES = {
    "Alabama": ("Ala", "AL"), "Alaska": ("Alaska", "AK"), "Arizona": ("Ariz", "AZ"), "Arkansas": ("Ark", "AR"),
    "California": ("Calif", "CA"), "Colorado": ("Colo", "CO"), "Connecticut": ("Conn", "CT"),
    "Delaware": ("Del", "DE"), "Florida": ("Fla", "FL"), "Georgia": ("Ga", "GA"), "Hawaii": ("Hawaii", "HI"),
    "Idaho": ("Idaho", "ID"), "Illinois": ("Ill", "IL"), "Indiana": ("Ind", "IN"), "Iowa": ("Iowa", "IA"),
    "Kansas": ("Kan", "KS"), "Kentucky": ("Ky", "KY"), "Louisiana": ("La", "LA"), "Maine": ("Maine", "ME"),
    "Maryland": ("Md", "MD"), "Massachusetts": ("Mass", "MA"), "Michigan": ("Mich", "MI"),
    "Minnesota": ("Minn", "MN"), "Mississippi": ("Miss", "MS"), "Missouri": ("Mo", "MO"),
    "Montana": ("Mont", "MT"), "Nebraska": ("Neb", "NE"), "Nevada": ("Nev", "NV"),
    "New Hampshire": ("N.H", "NH"), "New Jersey": ("N.J", "NJ"), "New Mexico": ("N.M", "NM"),
    "New York": ("N.Y", "NY"), "North Carolina": ("N.C", "NC"), "North Dakota": ("N.D", "ND"),
    "Ohio": ("Ohio", "OH"), "Oklahoma": ("Okla", "OK"), "Oregon": ("Ore", "OR"), "Pennsylvania": ("Pa", "PA"),
    "Rhode Island": ("R.I", "RI"), "South Carolina": ("S.C", "SC"), "South Dakota": ("S.D", "SD"),
    "Tennessee": ("Tenn", "TN"), "Texas": ("Texas", "TX"), "Utah": ("Utah", "UT"), "Vermont": ("Vt", "VT"),
    "Virginia": ("Va", "VA"), "Washington": ("Wash", "WA"), "West Virginia": ("W.Va", "WV"),
    "Wisconsin": ("Wis", "WI"), "Wyoming": ("Wyo", "WY"), "the District of Columbia": ("D.C", "DC"),
    "Puerto Rico": ("P.R", "PR"), "Guam": ("Guam", "GU"),
}
_STATE_NAMES = {written: name for name, forms in _STATES.items() for written in (*forms, name.removeprefix("the "))}
# 'R-N.C.', 'D-Calif.', 'R-Texas', 'I-Vt.', 'D-NY': a party's letter, a hyphen and a state.
_PARTY_TAG = re.compile(
    r"(?<![\w.-])([RDI])-("
    + "|".join(re.escape(written) for written in sorted(_STATE_NAMES, key=len, reverse=True))
    + r")(\.?)(?![\w-]|\.\w)"
)
# 'Sen. Ann Lee (D)': the party alone, in brackets after a name.
_PARTY_ALONE = re.compile(r"\b([A-Z][a-z]+(?:['\u2019-][A-Za-z]+)?) \(([RDI])\)")
# After a full stop that ends an abbreviation: the end of the text, or a new sentence.
_SENTENCE_ENDS = re.compile(r"(?<!\s)(?:\s*\Z|\s+[A-Z\"\u201c\u2018])")


def speak_party_tags(text: str) -> str:
    """'Sen. Jane Roe (R-N.C.) said' -> 'Sen. Jane Roe (Republican of North Carolina) said',
    'D-Calif.' -> 'Democrat of California', 'Rep. Ann Lee (D)' -> 'Rep. Ann Lee (Democrat)'.
    A state's full stop that also ended the sentence stays."""

    def replace(match: re.Match) -> str:
        ends = bool(match[3]) and bool(_SENTENCE_ENDS.match(text, match.end()))
        return f"{_PARTIES[match[1]]} of {_STATE_NAMES[match[2]]}" + ("." if ends else "")

    text = _PARTY_TAG.sub(replace, text)
    return _PARTY_ALONE.sub(lambda m: f"{m[1]} ({_PARTIES[m[2]]})", text)


# 'Carson City, Nev.', 'Springfield, Ill.': a place, a comma and the state as AP style cuts it
# short. 'Washington, D.C.' is said 'D C', as Americans say it.
_SHORT_STATES = {forms[0]: name for name, forms in _STATES.items() if forms[0] != name and forms[0] != "D.C"}
_PLACE_AND_STATE = re.compile(
    r"(?<![\w'.-])([A-Z][A-Za-z'-]*), ("
    + "|".join(re.escape(short) for short in sorted(_SHORT_STATES, key=len, reverse=True))
    + r")\.(?![\w-]|\.\w)"
)


def speak_state_abbreviations(text: str) -> str:
    """'Reno and Carson City, Nev., spiked' -> 'Reno and Carson City, Nevada, spiked',
    'in Springfield, Ill.' -> 'in Springfield, Illinois.' (a stop that ended the sentence stays)."""

    def replace(match: re.Match) -> str:
        ends = bool(_SENTENCE_ENDS.match(text, match.end()))
        return f"{match[1]}, {_SHORT_STATES[match[2]]}" + ("." if ends else "")

    return _PLACE_AND_STATE.sub(replace, text)


# ', Inc.' and ' LLC' after a name: the registry's word, which no presenter reads out.
_COMPANY_SUFFIX = re.compile(r"(?<=\w),? (?:Inc|LLC|L\.L\.C)(\.?)(?![\w.]|['\u2019](?!s\b))")


def drop_company_suffixes(text: str) -> str:
    """'Wikimedia Foundation, Inc.' -> 'Wikimedia Foundation', 'Acme LLC said' -> 'Acme said',
    "Acme Inc.'s" -> "Acme's"; a full stop that also ended the sentence stays."""

    def replace(match: re.Match) -> str:
        ends = bool(match[1]) and bool(_SENTENCE_ENDS.match(text, match.end()))
        return "." if ends else ""

    return _COMPANY_SUFFIX.sub(replace, text)


RULES = [speak_party_tags, speak_state_abbreviations, drop_company_suffixes]
