"""One parametrization for the rule tables of the speakable modules: {rule: [(text, expected)]}."""

import pytest


def each_row(cases: dict):
    """Parametrize a test over (rule, text, expected), one case per row, named rule:text."""
    rows = [(rule, text, expected) for rule, table in cases.items() for text, expected in table]
    return pytest.mark.parametrize("rule, text, expected", rows,
                                   ids=[f"{rule.__name__}:{text}" for rule, text, _ in rows])
