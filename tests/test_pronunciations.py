"""The pronunciation dictionary through the whole run: `digest script`, `digest make` against the
fake Google (which counts requests), and a bad dictionary stopping the run before any work."""

import json

import pytest

from digest.script.lexicon_files import FOLDER_FILE

STORY = (
    "Quorvix opens a harbour office\n\n"
    "The Quorvix ferry company opened an office by the harbour on Monday.\n\n"
    "Passengers queued from seven in the morning for the first tickets.\n\n"
    "A spokesperson for Zanbar Holdings said the office would stay open all winter.\n\n"
    "The mayor welcomed the news and cut a ribbon.\n"
)
DATE = ("--date", "2026-11-25")


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "quorvix.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def folder_with(tmp_path, text: str):
    folder = tmp_path / "audio"
    folder.mkdir(exist_ok=True)
    (folder / FOLDER_FILE).write_text(text, encoding="utf-8")
    return folder


def test_script_shows_the_folders_respellings_and_the_flag_wins(cli, tmp_path, story):
    folder = folder_with(tmp_path, '[en]\nQuorvix = "kwor-vicks"\nZanbar = "zan-bar"\n')
    code, out, err = cli("script", story, "-o", folder, *DATE)
    assert code == 0, err
    # A respelling of a capitalised word is capitalised too.
    assert "The Kwor-vicks ferry company" in out and "for Zan-bar Holdings" in out
    assert "## Quorvix opens a harbour office" in out  # chapter names stay as written

    flag = tmp_path / "mine.toml"
    flag.write_text('[en]\nquorvix = "kor-vix"\n', encoding="utf-8")
    code, out, err = cli("script", story, "-o", folder, "--lexicon", flag, *DATE)
    assert code == 0, err
    assert "The Kor-vix ferry company" in out and "Kwor-vicks" not in out and "Zan-bar Holdings" in out


def test_script_reads_a_pls_lexicon(cli, tmp_path, story):
    pls = tmp_path / "polly.pls"
    pls.write_text('<?xml version="1.0"?>\n<lexicon version="1.0" '
                   'xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">'
                   "<lexeme><grapheme>Zanbar Holdings</grapheme><alias>Zanbar Group</alias></lexeme></lexicon>",
                   encoding="utf-8")
    code, out, err = cli("script", story, "-o", tmp_path / "audio", "--lexicon", pls, *DATE)
    assert code == 0, err
    assert "for Zanbar Group said" in out


def test_changing_one_entry_re_requests_only_the_clips_with_that_word(cli, tmp_path, story, fake_google):
    folder = folder_with(tmp_path, '[en]\nQuorvix = "kwor-vicks"\nZanbar = "zan-bar"\n')
    args = ("make", story, "-o", folder, "--engine", "gtts", "--json", *DATE)
    code, out, err = cli(*args)
    assert code == 0, err
    first = json.loads(out)
    first_texts = [r.text for r in fake_google.requests]
    assert first["tts_requests"] == first["clips"] == len(first_texts)
    with_zanbar = [t for t in first_texts if "Zan-bar" in t]
    assert with_zanbar and not any("Zanbar" in t for t in first_texts)

    (folder / FOLDER_FILE).write_text('[en]\nQuorvix = "kwor-vicks"\nZanbar = "zahn-bar"\n', encoding="utf-8")
    code, out, err = cli(*args)
    assert code == 0, err
    second = json.loads(out)
    again = [r.text for r in fake_google.requests][len(first_texts):]
    assert sorted(again) == sorted(t.replace("Zan-bar", "Zahn-bar") for t in with_zanbar)
    assert second["tts_requests"] == len(with_zanbar) < first["tts_requests"]
    assert second["cache_hits"] == second["clips"] - len(with_zanbar)
    assert second["up_to_date"] is False  # the episode was rebuilt with the new clip


@pytest.mark.parametrize("text, message", [
    ('[en]\nQuorvix = { say = "kwor", speed = 2 }\n', "mine.toml:2: unknown key 'speed'"),
    ("[en]\n\n'Q(u+)+' = { say = 'kw', regex = true }\n", "mine.toml:3: the pattern"),
    ("[en]\nQuorvix = [\n", "mine.toml:2: not valid TOML"),
])
def test_a_bad_dictionary_is_one_line_exit_2_before_any_work(cli, tmp_path, story, fake_google, text, message):
    flag = tmp_path / "mine.toml"
    flag.write_text(text, encoding="utf-8")
    out_dir = tmp_path / "audio"
    code, out, err = cli("make", story, "-o", out_dir, "--engine", "gtts", "--lexicon", flag, *DATE)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("digest: error: ") and message in err
    assert fake_google.count == 0 and not out_dir.exists()


def test_a_bad_folder_dictionary_stops_digest_script_too(cli, tmp_path, story):
    folder = folder_with(tmp_path, '[en]\nQuorvix = ""\n')
    code, out, err = cli("script", story, "-o", folder, *DATE)
    assert code == 2 and out == ""
    assert f"{folder / FOLDER_FILE}:2: the entry for 'Quorvix' has an empty respelling" in err
