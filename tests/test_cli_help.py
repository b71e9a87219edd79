"""Help that guides: options grouped with their formats, defaults and choices, examples, 80 columns."""

import re

import pytest

from digest.cli import COMMANDS


@pytest.fixture
def help_of(capsys, monkeypatch):
    """The help text of a command (none: the top level), on a terminal far wider than 80 columns."""
    from digest.cli import main

    monkeypatch.setenv("COLUMNS", "200")

    def read(*command: str) -> str:
        with pytest.raises(SystemExit) as exit_info:
            main([*command, "--help"])
        assert exit_info.value.code == 0
        return capsys.readouterr().out

    return read


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_fits_80_columns_and_ends_with_examples(help_of, command):
    text = help_of(*[command] if command else [])
    too_wide = [line for line in text.splitlines() if len(line) > 80]
    assert too_wide == []
    examples = text.split("\nexamples:\n", 1)[1].splitlines()
    assert examples and all("digest " in line for line in examples)
    if command:
        assert any(line.lstrip().startswith(f"digest {command}") for line in examples)


def test_the_top_level_lists_every_command_with_one_line_of_description(help_of):
    text = help_of()
    listed = text.split("\ncommands:\n  COMMAND\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert sorted(line.split()[0] for line in listed) == sorted(COMMANDS)  # one line each, none wrapped
    assert all(re.match(r"^    [a-z]+ +[a-z].{20,}$", line) for line in listed)


def test_make_groups_its_options_and_shows_formats_defaults_and_choices(help_of):
    from digest.speech.engines import names

    text = help_of("make")
    headings = [line for line in text.splitlines() if line and not line.startswith(" ") and line.endswith(":")]
    assert headings[:2] == ["options:", "inputs:"]
    for group in ("reading:", "voice:", "episode:", "publishing (remembered in digest.toml):", "output:",
                  "clip cache:", "examples:"):
        assert group in headings
    # Choices come from the engine registry, formats are named, defaults are shown.
    assert f"--engine {{{','.join(names())}}}" in text
    assert "--date YYYY-MM-DD" in text and "--since YYYY-MM-DD" in text
    assert "--cache-max SIZE" in text and "200MB" in text
    assert re.search(r"--speed X +tempo 0\.75-2\.0 without changing pitch \(default: 1\.0\)", text)
    assert re.search(r"--limit N +newest items taken from each feed \(default: 10\)", text)
    # Options sit in the group of what they change.
    voice = text.split("\nvoice:\n")[1].split("\n\n")[0]
    assert "--engine" in voice and "--voice PATH" in voice and "--tld DOMAIN" in voice and "--date" not in voice


def test_a_registered_engine_is_among_the_choices(help_of, monkeypatch):
    from digest.speech import engines

    monkeypatch.setattr(engines, "_registry", dict(engines._registry))
    engines.register("whistle", "tests.speech.test_engines:WhistleEngine")
    assert "--engine {gtts,piper,auto,whistle}" in help_of("make")


@pytest.mark.parametrize("argv, expected", [
    (["make", "a.txt", "--engine", "pipr"], "argument --engine: unknown engine 'pipr'; did you mean 'piper'?"),
    (["make", "a.txt", "--engine", "espeak"], "unknown engine 'espeak' (choose from gtts, piper, auto)"),
    (["cache", "prnue"], "unknown action 'prnue'; did you mean 'prune'?"),
    (["setings"], "unknown command 'setings'; did you mean 'settings'?"),
    (["make", "a.txt", "--date", "25/11"], "not a date: '25/11' (use YYYY-MM-DD)"),
])
def test_a_wrong_choice_is_one_line_with_what_was_meant(cli, argv, expected):
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert expected in err and err.count("\n") == 1


def test_help_lines_break_at_spaces_only(help_of):
    text = help_of("make")
    assert "en-GB" in text and "--no-allow-private" in text  # never "en-" at a line's end
    assert not any(line.rstrip().endswith("-") for line in text.splitlines() if not line.startswith("usage"))
