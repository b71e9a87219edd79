// digest's episode page: seek from the chapters and the transcript, follow along while playing.
// The times come from the page itself (the JSON block), so it works from file:// as from a server.
(function () {
  "use strict";
  const audio = document.getElementById("audio");
  const transcript = document.getElementById("transcript");
  const timing = JSON.parse(document.getElementById("timing").textContent);
  const cueLinks = transcript.querySelectorAll("a.cue");
  const chapterLinks = document.querySelectorAll("#chapters a");
  const cueStarts = timing.cues.map(function (cue) { return cue[0]; });
  const chapterStarts = timing.chapters.map(function (chapter) { return chapter[0]; });
  let currentCue = -1;
  let currentChapter = -1;
  let pending = null; // a time asked for before the audio's length was known
  let userScrolledAt = -Infinity;

  // The last item starting at or before `t` (the first before anything starts): binary search,
  // so an hour of cues costs a dozen comparisons per update.
  function indexAt(starts, t) {
    let low = 0, high = starts.length - 1, found = 0;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (starts[middle] <= t + 0.001) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    return found;
  }

  function mark(links, previous, next) {
    if (previous === next || !links[next]) return previous;
    if (links[previous]) links[previous].removeAttribute("aria-current");
    links[next].setAttribute("aria-current", "true");
    return next;
  }

  // Scroll the transcript box (never the page) so the current sentence shows, unless the
  // reader scrolled it themselves a moment ago.
  function keepInView(link) {
    if (!link || Date.now() - userScrolledAt < 4000) return;
    const top = link.offsetTop, bottom = top + link.offsetHeight;
    if (top < transcript.scrollTop || bottom > transcript.scrollTop + transcript.clientHeight) {
      transcript.scrollTop = Math.max(0, top - transcript.clientHeight / 3);
    }
  }

  function update() {
    const t = pending === null ? audio.currentTime : pending;
    const cue = indexAt(cueStarts, t);
    if (cue !== currentCue) {
      currentCue = mark(cueLinks, currentCue, cue);
      keepInView(cueLinks[cue]);
    }
    currentChapter = mark(chapterLinks, currentChapter, indexAt(chapterStarts, t));
  }

  function seek(seconds, play) {
    pending = seconds;
    update();
    function go() {
      audio.currentTime = Math.min(pending, audio.duration || pending);
      pending = null;
      update();
    }
    if (audio.readyState >= 1) go(); else audio.addEventListener("loadedmetadata", go, { once: true });
    if (play && audio.paused) {
      const playing = audio.play();
      if (playing) playing.catch(function () {});
    }
  }

  // Media Fragments: #t=90, #t=1:30, #t=npt:0:01:30.5, #t=90,120 (the end is ignored).
  function fragmentTime(hash) {
    const match = /(?:^#|&)t=(?:npt:)?([0-9:.]+)/.exec(hash || "");
    if (!match) return null;
    const parts = match[1].split(":").map(Number);
    if (parts.length > 3 || parts.some(isNaN)) return null;
    return parts.reduce(function (total, part) { return total * 60 + part; }, 0);
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[href^='#t=']");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const seconds = fragmentTime(link.getAttribute("href"));
    if (seconds === null) return;
    event.preventDefault();
    userScrolledAt = -Infinity;
    try { history.replaceState(null, "", link.getAttribute("href")); } catch (error) { /* file:// in some browsers */ }
    seek(seconds, true);
  });
  window.addEventListener("hashchange", function () {
    const seconds = fragmentTime(location.hash);
    if (seconds !== null) seek(seconds, false);
  });
  ["wheel", "touchmove"].forEach(function (name) {
    transcript.addEventListener(name, function () { userScrolledAt = Date.now(); }, { passive: true });
  });
  ["timeupdate", "seeked", "seeking", "loadedmetadata"].forEach(function (name) {
    audio.addEventListener(name, update);
  });

  const start = fragmentTime(location.hash);
  if (start !== null) seek(start, false); else update();
})();
