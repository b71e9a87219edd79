"""The episode page's player in a real browser: Debian's chromium driven by selenium.

The browser is the system's (`apt-get install chromium chromium-driver`; CI's .ci/run does it).
Selenium is given the driver's path, so Selenium Manager never runs: it would try to download
a driver and send usage statistics. Chromium gets a dead proxy, so nothing but 127.0.0.1 and
file:// is reachable. Without a browser these tests skip, except on CI (CI=true, or
DIGEST_REQUIRE_BROWSER=1 as .ci/run sets), where that is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digest.publish import pages
from digest.publish.tags import Chapter, EpisodeTags, read_episode
from digest.publish.transcripts import Cue

pytestmark = pytest.mark.browser

DESKTOP = (1200, 900)
PHONE = (390, 844)
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required", "--mute-audio",
    # Nothing may reach the internet: loopback bypasses a proxy, everything else meets a closed port.
    "--proxy-server=http://127.0.0.1:9", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-default-apps", "--no-first-run", "--disable-features=MediaRouter",
)


def chromium_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    message = "the browser tests need chromium and chromedriver (apt-get install chromium chromium-driver)"
    if os.environ.get("DIGEST_REQUIRE_BROWSER") or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + "; CI must run them", pytrace=False)
    pytest.skip(message)


def _started(start, attempts: int = 3):
    # On a loaded machine chromium can miss chromedriver's start-up deadline ('chrome not
    # reachable' was seen while two other suites ran): that is the machine, not the page.
    from selenium.common.exceptions import SessionNotCreatedException

    for attempt in range(attempts):
        try:
            return start()
        except SessionNotCreatedException:
            if attempt == attempts - 1:
                raise
            time.sleep(2)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = chromium_paths()
    os.environ["SE_AVOID_STATS"] = "true"  # in case anything reaches Selenium Manager after all
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    driver = _started(lambda: webdriver.Chrome(service=Service(executable_path=chromedriver), options=options))
    driver.set_window_size(*DESKTOP)
    yield driver
    driver.quit()


THREE_STORIES = {
    "lighthouse.txt": "Lighthouse keeper retires\n\nAfter forty winters the keeper handed over the keys. "
                      "The lamp will be run from the harbour office.\n",
    "regatta.txt": "Regatta moved to June\n\nThe sailing club moved its regatta to June. Fewer storms, said "
                   "the commodore.\n",
    "market.txt": "Fish market gets a new roof\n\nThe roof over the fish market was finished on Friday.\n",
}


@pytest.fixture(scope="module")
def three_stories(tmp_path_factory):
    """A digest of three short stories, made through the real pipeline against the fake Google."""
    from digest.make import MakeOptions, make
    from tests.conftest import route_to
    from tests.fakegoogle import FakeGoogle
    from tests.published import DATE, PROGRAMME, Published

    workdir = tmp_path_factory.mktemp("three")
    for name, text in THREE_STORIES.items():
        (workdir / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch, FakeGoogle() as google:
        route_to(patch, google)
        result = make(MakeOptions(inputs=[str(workdir / name) for name in THREE_STORIES],
                                  output_dir=workdir / "audio", engine="gtts", date=DATE, programme=PROGRAMME,
                                  cache_dir=workdir / "cache"))
    return Published(workdir / "audio", result)


def test_the_three_story_digest_passes_the_feed_check(three_stories, cli):
    code, out, err = cli("feed", three_stories.folder, "--check")
    assert code == 0 and out.splitlines()[-1].endswith("passes"), out + err
    assert len(read_episode(three_stories.mp3).tags.chapters) == 5  # intro, three stories, outro


@pytest.fixture(scope="module")
def served(three_stories, tmp_path_factory):
    """A copy of the three-story folder served by `digest serve --port 0`: (copy, base URL)."""
    copy = three_stories.copy(tmp_path_factory.mktemp("browsed"))
    process = subprocess.Popen([sys.executable, "-m", "digest", "serve", str(copy.folder), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        assert match, f"digest serve printed {line!r}"
        yield copy, match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for(driver, script: str, timeout: float = 10.0):
    """Poll `return <script>` until it is truthy; its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script("return " + script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {script}")
        time.sleep(0.05)


def open_episode(driver, url: str) -> dict:
    """Load an episode page and wait for its audio's length; the page's cue and chapter times."""
    driver.get(url)
    wait_for(driver, "document.getElementById('audio').readyState >= 1")
    return driver.execute_script("return JSON.parse(document.getElementById('timing').textContent)")


CURRENT = """
const chapters = document.querySelectorAll('#chapters [aria-current="true"]');
const cues = document.querySelectorAll('#transcript [aria-current="true"]');
const all = document.querySelectorAll('[aria-current]');
return {chapters: Array.from(chapters, e => Array.from(document.querySelectorAll('#chapters a')).indexOf(e)),
        cues: Array.from(cues, e => Array.from(document.querySelectorAll('#transcript a.cue')).indexOf(e)),
        marked: all.length, time: document.getElementById('audio').currentTime};
"""


def current(driver) -> dict:
    return driver.execute_script(CURRENT)


def index_at(starts: list[float], seconds: float) -> int:
    return max([i for i, start in enumerate(starts) if start <= seconds + 0.001], default=0)


def assert_marked_at(driver, timing: dict, seconds: float | None = None) -> dict:
    """Exactly one chapter and one sentence are current, and they are the ones at the audio's time."""
    state = current(driver)
    seconds = state["time"] if seconds is None else seconds
    assert state["marked"] == 2, state
    assert state["cues"] == [index_at([c[0] for c in timing["cues"]], seconds)], (state, seconds)
    assert state["chapters"] == [index_at([c[0] for c in timing["chapters"]], seconds)], (state, seconds)
    return state


def page_url(base: str, copy) -> str:
    return base + copy.sidecar(".html").name


def test_the_show_page_lists_the_episode_and_leads_to_its_page(browser, served):
    copy, base = served
    browser.get(base)
    title = read_episode(copy.mp3).tags.title
    link = browser.find_element("link text", title)
    link.click()
    wait_for(browser, "document.getElementById('audio') !== null")
    assert browser.current_url == page_url(base, copy)


def test_the_audio_loads_and_reports_the_episodes_duration(browser, served):
    copy, base = served
    open_episode(browser, page_url(base, copy))
    duration = browser.execute_script("return document.getElementById('audio').duration")
    assert duration == pytest.approx(read_episode(copy.mp3).duration, abs=0.5)


def test_clicking_the_third_chapter_seeks_to_its_start(browser, served):
    copy, base = served
    timing = open_episode(browser, page_url(base, copy))
    assert len(timing["chapters"]) >= 3
    browser.find_elements("css selector", "#chapters a")[2].click()
    browser.execute_script("document.getElementById('audio').pause()")
    state = assert_marked_at(browser, timing)
    assert state["time"] == pytest.approx(timing["chapters"][2][0], abs=0.5)
    assert state["chapters"] == [2]


def test_clicking_a_sentence_seeks_to_it(browser, served):
    copy, base = served
    timing = open_episode(browser, page_url(base, copy))
    target = len(timing["cues"]) // 2
    sentence = browser.find_elements("css selector", "#transcript a.cue")[target]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
    sentence.click()
    browser.execute_script("document.getElementById('audio').pause()")
    state = assert_marked_at(browser, timing)
    assert state["time"] == pytest.approx(timing["cues"][target][0], abs=0.5)
    assert state["cues"] == [target]


def test_playing_marks_the_sentence_being_spoken(browser, served):
    copy, base = served
    timing = open_episode(browser, page_url(base, copy))
    browser.execute_script("const a = document.getElementById('audio'); a.muted = true; a.currentTime = 0; a.play()")
    wait_for(browser, "document.getElementById('audio').currentTime > 3", timeout=15)
    # Sampled while playing: the mark moves on timeupdate, a few times a second.
    for _ in range(5):
        state = browser.execute_script(CURRENT)
        assert state["marked"] == 2
        played = state["time"]
        [cue] = state["cues"]
        start = timing["cues"][cue][0]
        following = timing["cues"][cue + 1][0] if cue + 1 < len(timing["cues"]) else float("inf")
        assert start - 0.05 <= played < following + 0.35, (state, timing["cues"][cue: cue + 2])
        time.sleep(0.3)
    browser.execute_script("document.getElementById('audio').pause()")
    paused = browser.execute_script("return document.getElementById('audio').currentTime")
    time.sleep(0.3)
    assert_marked_at(browser, timing, paused)
    assert browser.execute_script("return document.getElementById('audio').paused") is True


def test_a_time_fragment_starts_there(browser, served):
    copy, base = served
    episode = read_episode(copy.mp3)
    seconds = round(episode.duration * 0.6)
    timing = open_episode(browser, page_url(base, copy) + f"#t={seconds}")
    wait_for(browser, f"Math.abs(document.getElementById('audio').currentTime - {seconds}) < 0.5")
    assert_marked_at(browser, timing, seconds)
    # The minutes:seconds spelling of Media Fragments, and a fragment changed on the open page.
    browser.execute_script("location.hash = 't=0:02'")
    wait_for(browser, "Math.abs(document.getElementById('audio').currentTime - 2) < 0.5")
    assert_marked_at(browser, timing, 2)


def test_the_page_works_from_a_file_url(browser, served):
    copy, _ = served
    url = copy.sidecar(".html").resolve().as_uri()
    timing = open_episode(browser, url + "#t=3")
    wait_for(browser, "Math.abs(document.getElementById('audio').currentTime - 3) < 0.5")
    assert_marked_at(browser, timing, 3)
    browser.find_elements("css selector", "#chapters a")[1].click()
    browser.execute_script("document.getElementById('audio').pause()")
    assert current(browser)["time"] == pytest.approx(timing["chapters"][1][0], abs=0.5)


def test_keyboard_alone_reaches_the_player_and_seeks_from_a_sentence(browser, served):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    copy, base = served
    timing = open_episode(browser, page_url(base, copy))
    focused = []  # from a freshly loaded page, Tab starts at the top
    for _ in range(6):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused.append(browser.execute_script("return document.activeElement.tagName.toLowerCase()"))
        if focused[-1] == "audio":
            break
    # The skip link, the show's link, then the player.
    assert focused == ["a", "a", "audio"], focused
    sentences = browser.find_elements("css selector", "#transcript a.cue")
    assert sentences and all(s.get_attribute("href") for s in sentences)
    browser.execute_script("arguments[0].focus()", sentences[2])
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    browser.execute_script("document.getElementById('audio').pause()")
    assert current(browser)["time"] == pytest.approx(timing["cues"][2][0], abs=0.5)
    # Labels a screen reader announces.
    assert browser.find_element("id", "audio").get_attribute("aria-label")
    assert browser.find_element("css selector", "nav[aria-labelledby='chapters-heading']")


HOSTILE = '</script><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> & "quotes"'


def test_a_hostile_title_shows_as_text_and_runs_nothing(browser, tmp_path):
    tags = EpisodeTags(title=HOSTILE, programme=HOSTILE, guid="g", published=dt.datetime(2026, 11, 25, 7),
                       engine="gtts", description=HOSTILE,
                       stories=[{"title": HOSTILE, "url": "javascript:window.pwned=3", "source": HOSTILE}])
    data = pages.episode_page(tags, 4.0, [Cue(0, 2, HOSTILE), Cue(2, 4, "Plain.")], [Chapter(HOSTILE, 0, 4)])
    page = tmp_path / "hostile.html"
    page.write_bytes(pages.placed(data, "hostile"))
    browser.get(page.as_uri())
    wait_for(browser, "document.readyState === 'complete'")
    assert browser.find_element("tag name", "h1").text == HOSTILE
    assert browser.find_element("css selector", "#transcript a.cue").text == HOSTILE
    assert browser.execute_script("return window.pwned") is None
    assert len(browser.find_elements("tag name", "script")) == 2  # the cue times and digest's own
    assert browser.find_elements("css selector", "img") == []
    # The player still works: its script ran and marked the first chapter and sentence.
    assert current(browser)["marked"] == 2


@pytest.mark.parametrize("width, height", [PHONE, DESKTOP])
def test_readable_at_phone_and_desktop_widths(browser, served, width, height):
    copy, base = served
    browser.set_window_size(width, height)
    try:
        open_episode(browser, page_url(base, copy))
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow} px wider than a {width} px window"
        folder = os.environ.get("DIGEST_SCREENSHOTS")
        if folder:  # README pictures: DIGEST_SCREENSHOTS=docs pytest -m browser -k readable
            browser.save_screenshot(str(Path(folder) / f"episode-page-{width}.png"))
    finally:
        browser.set_window_size(*DESKTOP)


def test_the_current_sentence_is_kept_in_view_of_the_transcript(browser, served):
    copy, base = served
    browser.set_window_size(*PHONE)  # a transcript taller than its box
    try:
        timing = open_episode(browser, page_url(base, copy))
        assert browser.execute_script("const box = document.getElementById('transcript');"
                                      "return box.scrollHeight > box.clientHeight && box.scrollTop === 0")
        assert_last_cue_shown(browser, timing)
    finally:
        browser.set_window_size(*DESKTOP)


def assert_last_cue_shown(browser, timing):
    last = len(timing["cues"]) - 1
    browser.execute_script("location.hash = 't=%s'" % timing["cues"][last][0])
    wait_for(browser, "document.querySelectorAll('#transcript a.cue')[%d].getAttribute('aria-current')" % last)
    shown = browser.execute_script("""
        const box = document.getElementById('transcript');
        const cue = box.querySelector('[aria-current="true"]');
        const b = box.getBoundingClientRect(), c = cue.getBoundingClientRect();
        return c.top >= b.top && c.bottom <= b.bottom;""")
    assert shown


def test_light_and_dark_follow_the_system(browser, served):
    copy, base = served
    colours = {}
    try:
        for scheme in ("light", "dark"):
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                    {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            browser.get(page_url(base, copy))
            colours[scheme] = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert colours["light"] == "rgb(253, 253, 251)" and colours["dark"] == "rgb(22, 22, 26)", colours
