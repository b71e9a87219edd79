"""Pronunciation dictionary files: the TOML format, W3C PLS lexicons, layers, the built-in one."""

import textwrap

import pytest

from digest.errors import InputError
from digest.script.lexicon_files import FOLDER_FILE, builtin_entries, load_lexicon, read_file

EXAMPLE = """\
# Outside any table: every language.
"Tallo Vance" = "tah-lo vans"

[en]
quorvix = "kwor-vicks"
Zanbar = { say = "zan-bar", phonemes = "[[ zˈænbɑːɹ ]]" }
WX = "double-you ex"
Brindle = { say = "brin-dul", match_case = true }
'v(\\d+)' = { say = 'version \\1', regex = true }

[de]
quorvix = "kwor-wicks"
"""

PLS = """\
<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en-US">
  <lexeme>
    <grapheme>QVX</grapheme>
    <grapheme>Qvx</grapheme>
    <alias>Quorvix Exchange</alias>
  </lexeme>
  <lexeme>
    <grapheme>Zanbar</grapheme>
    <phoneme>zˈænbɑːɹ</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>Ollo</grapheme>
    <phoneme alphabet="x-sampa">"Q.l@U</phoneme>
  </lexeme>
</lexicon>
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_documented_example_reads_per_language(tmp_path):
    path = write(tmp_path, "words.toml", EXAMPLE)
    english = load_lexicon("en-GB", files=[path], builtin=False)
    assert english.respell("Quorvix met Tallo Vance; WX, wx; Brindle, brindle; v3.") == \
        "Kwor-vicks met Tah-lo vans; Double-you ex, wx; Brin-dul, brindle; version 3."
    phonemes = {}
    english.respell("Zanbar", phonemes)
    assert phonemes == {"Zan-bar": "zˈænbɑːɹ"}
    german = load_lexicon("de", files=[path], builtin=False)
    assert german.respell("Quorvix und Tallo Vance und Zanbar") == "Kwor-wicks und Tah-lo vans und Zanbar"


def test_entries_know_their_line(tmp_path):
    found = read_file(write(tmp_path, "words.toml", EXAMPLE))
    where = {entry.word: entry.where for entries in found.values() for entry in entries}
    assert where["Tallo Vance"].endswith("words.toml:2")
    assert where["Zanbar"].endswith("words.toml:6")
    assert where["v(\\d+)"].endswith("words.toml:9")


BAD = {
    "unknown key": ('[en]\nok = "fine"\nquorvix = { sai = "kwor" }\n', 3, "unknown key 'sai'"),
    "regex does not compile": ("[en]\n\n'v(\\d+' = { say = 'v', regex = true }\n", 3, "does not compile"),
    "nested quantifier": ("[en]\n'(a+)+' = { say = 'a', regex = true }\n", 2, "repeats a group"),
    "empty respelling": ('[en]\nquorvix = ""\n', 2, "empty respelling"),
    "number value": ("quorvix = 3\n", 1, "not a number"),
    "say not a string": ("[en]\n\nquorvix = { say = 3 }\n", 3, "say for 'quorvix' must be a string"),
    "match_case not a bool": ('[en]\nquorvix = { say = "k", match_case = "yes" }\n', 2, "must be true or false"),
    "nothing to say": ("[en]\nquorvix = { match_case = true }\n", 2, "needs `say`"),
    "not a language table": ('[words]\nquorvix = "k"\n', 1, "is not a language code"),
    "malformed TOML": ('[en]\nquorvix = "k"\nzanbar = \n', 3, "not valid TOML"),
    "true is not an entry": ("[en]\nquorvix = true\n", 2, "must be a respelling in quotes"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_entry_names_the_file_and_line(tmp_path, case):
    text, line, message = BAD[case]
    path = write(tmp_path, "words.toml", text)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_pls_aliases_respell_and_ipa_phonemes_are_kept_for_piper(tmp_path):
    found = read_file(write(tmp_path, "lexicon.pls", PLS))
    assert list(found) == ["en"]
    entries = {entry.word: entry for entry in found["en"]}
    assert set(entries) == {"QVX", "Qvx", "Zanbar"}  # x-sampa only: left out
    assert entries["QVX"].say == "Quorvix Exchange" and entries["QVX"].phonemes is None
    assert entries["Zanbar"].say == "Zanbar" and entries["Zanbar"].phonemes == "zˈænbɑːɹ"
    lex = load_lexicon("en", files=[tmp_path / "lexicon.pls"], builtin=False)
    assert lex.respell("QVX and Qvx but not qvx") == "Quorvix Exchange and Quorvix Exchange but not qvx"


@pytest.mark.parametrize("text, line, message", [
    ("<lexicon><lexeme><grapheme>a</grapheme>\n</lexicon>", 2, "not a valid PLS lexicon"),
    ("<speak/>", 1, "not a PLS lexicon"),
    ('<lexicon xml:lang="en">\n<lexeme><grapheme>Qvx</grapheme></lexeme></lexicon>', 2, "neither <alias> nor"),
    ('<lexicon>\n\n<lexeme><grapheme>Q</grapheme><alias> </alias></lexeme></lexicon>', 3, "empty respelling"),
])
def test_a_bad_pls_file_names_the_line(tmp_path, text, line, message):
    path = write(tmp_path, "bad.xml", text)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert str(caught.value).startswith(f"{path}:{line}: ") and message in str(caught.value)


def test_pls_entities_are_not_expanded_and_nothing_is_fetched(tmp_path):
    secret = write(tmp_path, "secret.txt", "TOPSECRET")
    path = write(tmp_path, "evil.pls", f"""\
        <?xml version="1.0"?>
        <!DOCTYPE lexicon [<!ENTITY leak SYSTEM "file://{secret}">]>
        <lexicon xml:lang="en"><lexeme><grapheme>Qvx</grapheme><alias>a &leak;</alias></lexeme></lexicon>
        """)
    [entry] = read_file(path)["en"]
    assert "TOPSECRET" not in entry.say


def test_layers_folder_then_flags_later_wins_and_false_turns_off_a_builtin(tmp_path, monkeypatch):
    folder = tmp_path / "audio"
    folder.mkdir()
    write(folder, FOLDER_FILE, '[en]\nquorvix = "from-the-folder"\nzanbar = "zan-bar"\n')
    first = write(tmp_path, "first.toml", '[en]\nquorvix = "from-the-first-flag"\n')
    second = write(tmp_path, "second.toml", '[en]\nQUORVIX = { say = "from-the-second-flag", match_case = false }\n')
    assert load_lexicon("en", folder).respell("quorvix") == "from-the-folder"
    assert load_lexicon("en", folder, [first]).respell("quorvix zanbar") == "from-the-first-flag zan-bar"
    assert load_lexicon("en", folder, [first, second]).respell("quorvix") == "from-the-second-flag"

    sample = builtin_entries("en")[0].word
    phonemes = {}
    assert load_lexicon("en").respell(f"{sample} spoke", phonemes) == f"{sample} spoke" and phonemes
    write(folder, FOLDER_FILE, f'[en]\n"{sample.lower()}" = false\n')
    phonemes = {}
    assert load_lexicon("en", folder).respell(f"{sample} spoke", phonemes) == f"{sample} spoke" and not phonemes


def test_a_missing_flag_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        load_lexicon("en", files=[tmp_path / "nope.toml"])


def test_the_builtin_dictionary_reads_cleanly_and_only_for_its_language():
    entries = builtin_entries("en-US")
    assert entries and all(entry.say and entry.where.startswith("digest/script/pronunciations/en.toml:")
                           for entry in entries)
    assert builtin_entries("sw") == []


def test_the_readme_example_reads_and_does_what_its_comments_say(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Pronunciations"):]
    example = section[section.index("```toml\n") + 8:section.index("```\n", section.index("```toml"))]
    path = write(tmp_path, FOLDER_FILE, example)
    english = load_lexicon("en-US", files=[path])
    phonemes = {}
    said = english.respell("Tallo\nVance: quorvix, WX not wx, Brindle not brindle, v2, Zanbar, Xi.", phonemes)
    assert said == "Tah-lo vans: kwor-vicks, Double-you ex not wx, Brin-dul not brindle, version 2, Zan-bar, Xi."
    assert phonemes == {"Zan-bar": "zˈænbɑːɹ"}  # the built-in Xi is off
    assert load_lexicon("de", files=[path]).respell("quorvix") == "kwor-wicks"
