"""Cover art: check a user's image against Apple's rules, or draw a clean default one.

Apple Podcasts wants a square JPEG or PNG of 1400 to 3000 pixels in RGB. The default cover
is drawn from the programme name alone, so it is the same on every machine and changes only
when the name does. The MP3s carry a smaller JPEG copy (APIC), so that cover art does not
add hundreds of kilobytes to every episode.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from digest.errors import InputError, OutputError
from digest.fsutil import read_regular, write_atomic
from digest.limits import MAX_COVER_BYTES

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

# Pillow (a few hundredths of a second to import, more with its plugins) is imported where an image is
# opened or drawn: most runs reuse a cover drawn before and never need it.

log = logging.getLogger(__name__)

MIN_SIDE, MAX_SIDE = 1400, 3000
DEFAULT_SIDE = 1400
EMBEDDED_SIDE = 600
DEFAULT_COVER_NAME = "default-cover.png"
# Covers drawn or scaled before, kept in the user cache folder (about 40 KB each).
MAX_KEPT_COVERS = 200
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}

# Deep backgrounds that keep white text readable; the programme name picks one.
_PALETTE = ["#1d3557", "#264653", "#3d405b", "#6a040f", "#1b4332", "#3c096c", "#7f4f24", "#283618"]


@dataclass(frozen=True)
class CoverInfo:
    format: str  # "JPEG" or "PNG"
    width: int
    height: int
    mode: str

    @property
    def mime(self) -> str:
        return FORMATS[self.format][0]

    @property
    def suffix(self) -> str:
        return FORMATS[self.format][1]


def inspect_cover(data: bytes) -> CoverInfo:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return CoverInfo(image.format or "", image.width, image.height, image.mode)
    except (UnidentifiedImageError, OSError) as error:
        raise InputError("the cover is not a readable image") from error


def cover_problems(info: CoverInfo) -> list[str]:
    """What keeps an image from being a podcast cover; empty when it is fine."""
    problems = []
    if info.format not in FORMATS:
        problems.append(f"is {info.format or 'an unknown format'}, not JPEG or PNG")
    if info.width != info.height:
        problems.append(f"is {info.width}x{info.height}, not square")
    elif not MIN_SIDE <= info.width <= MAX_SIDE:
        problems.append(f"is {info.width} px wide, not {MIN_SIDE}-{MAX_SIDE}")
    if info.mode not in ("RGB", "RGBA", "P", "L", "LA"):
        problems.append(f"uses the {info.mode} colour model, not RGB")
    return problems


def read_cover(path: Path, follow_links: bool = True) -> tuple[bytes, CoverInfo]:
    """A user's cover file, checked; InputError says what is wrong with it.

    `follow_links` False for a cover named in an output folder's settings: there, only a plain
    file is read.
    """
    try:
        data = read_regular(Path(path), MAX_COVER_BYTES, "cover", follow_links=follow_links)
    except FileNotFoundError:
        raise InputError(f"cannot read cover {path}: No such file or directory") from None
    except OutputError as error:
        raise InputError(str(error)) from None
    try:
        info = inspect_cover(data)
    except InputError:
        raise InputError(f"cover {path} is not a readable image") from None
    problems = cover_problems(info)
    if problems:
        raise InputError(f"cover {path} {'; '.join(problems)} (a square JPEG or PNG of {MIN_SIDE}-{MAX_SIDE} px is needed)")
    from PIL import Image

    # The header can be fine and the pixels missing: decode them now, not after synthesis.
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise InputError(f"cover {path} is damaged: its image data is cut short or unreadable") from None
    return data, info


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    # Pillow ships a scalable font (10.1+), so no system font is needed.
    return ImageFont.load_default(size=size)


# A cover shows a name, not a paragraph: longer names are cut at a word and end in "...".
MAX_COVER_TITLE = 80
_LARGEST, _SMALLEST, _MOST_LINES = 260, 40, 4


def _cover_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= MAX_COVER_TITLE:
        return title
    return title[:MAX_COVER_TITLE - 3].rsplit(" ", 1)[0].rstrip(",;:-") + "..."


def _wrap_to_width(draw: ImageDraw.ImageDraw, title: str, font, width: int, spacing: int) -> tuple[str, tuple]:
    """The wrapping of `title` with the longest lines that still fit `width` (so the fewest lines).

    Narrower wrapping never makes the text wider, so the widest wrapping that fits is found by
    bisection on the column count rather than by trying every one.
    """
    def measured(columns: int):
        lines = textwrap.wrap(title, columns, break_long_words=False) or [title]
        text = "\n".join(lines)
        return text, draw.multiline_textbbox((0, 0), text, font=font, spacing=spacing, align="center")

    low, high = 1, max(1, len(title))
    best = measured(low)
    while low <= high:
        columns = (low + high) // 2
        text, box = measured(columns)
        if box[2] - box[0] <= width:
            best, low = (text, box), columns + 1
        else:
            high = columns - 1
    return best


def _fit_title(draw: ImageDraw.ImageDraw, title: str, width: int, height: int):
    """The largest font size (found by bisection) at which the title, wrapped, fits the box."""
    def fits(size: int):
        text, box = _wrap_to_width(draw, title, _font(size), width, size // 4)
        ok = box[2] - box[0] <= width and box[3] - box[1] <= height and text.count("\n") < _MOST_LINES
        return ok, text

    low, high = _SMALLEST, _LARGEST
    best = None
    while low <= high:
        size = (low + high) // 2
        ok, text = fits(size)
        if ok:
            best, low = (size, text), size + 1
        else:
            high = size - 1
    if best is None:
        return _font(_SMALLEST), "\n".join(textwrap.wrap(title, 40)[:6]), _SMALLEST
    size, text = best
    return _font(size), text, size


def _mix(colour: str, white: float) -> tuple[int, int, int]:
    """`colour` blended towards white; RGB drawing has no transparency to do it for us."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(c + (255 - c) * white) for c in rgb)


def default_cover(title: str, side: int = DEFAULT_SIDE) -> bytes:
    """A square PNG: the programme name on a colour chosen by the name, over a quiet waveform."""
    from PIL import Image, ImageDraw, PngImagePlugin

    digest = hashlib.sha256(title.encode("utf-8")).digest()
    background = _PALETTE[digest[0] % len(_PALETTE)]
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    bar_colour, label_colour = _mix(background, 0.22), _mix(background, 0.7)

    # A row of bars like a speech waveform, heights taken from the name's hash.
    bars, margin = 32, side // 10
    step = (side - 2 * margin) / bars
    baseline = side * 0.78
    for index in range(bars):
        height = side * (0.02 + 0.07 * digest[index % len(digest)] / 255)
        left = margin + index * step + step * 0.2
        draw.rounded_rectangle(
            (left, baseline - height, left + step * 0.6, baseline + height), radius=step * 0.3, fill=bar_colour
        )

    font, text, size = _fit_title(draw, _cover_title(title), side - 2 * margin, int(side * 0.45))
    draw.multiline_text((side / 2, side * 0.40), text, font=font, fill="#ffffff", anchor="mm",
                        align="center", spacing=size // 4)
    draw.text((side / 2, side * 0.93), "digest", font=_font(side // 28), fill=label_colour, anchor="mm")

    # Remember what the cover was drawn for, so the next run can reuse it instead of redrawing.
    info = PngImagePlugin.PngInfo()
    info.add_text(_MADE_FOR_KEY, _made_for(title, side))
    buffer = io.BytesIO()
    # optimize=True saves 2% of the size for twice the time (0.14 s), paid by every new folder.
    image.save(buffer, format="PNG", compress_level=6, pnginfo=info)
    return buffer.getvalue()


_MADE_FOR_KEY = "digest-default-cover"
# Bump when the drawing changes, so old default covers are redrawn.
_DRAWING_VERSION = "1"


def _made_for(title: str, side: int) -> str:
    return f"{_DRAWING_VERSION}:{side}:{title}"


def reusable_default_cover(path: Path, title: str, side: int = DEFAULT_SIDE) -> bytes:
    """The default cover already in the folder if it was drawn for `title`, else the one drawn
    for it before (kept in the user cache folder), else a new one.

    Drawing and compressing a 1400 px PNG costs 0.1-0.2 s, more than a cached rerun, and every
    new folder (a `batch --group-by` makes one per source) would pay it again.
    """
    try:
        data = read_regular(path, MAX_COVER_BYTES, "cover")
    except (OSError, OutputError):
        data = None
    made_for = _made_for(title, side)
    kept_name = f"default-{hashlib.sha256(made_for.encode('utf-8')).hexdigest()}.png"
    # The same bytes as the drawing kept in the cache answer without opening the image.
    if data is not None and (data == _kept(kept_name, _is_whole_png) or _drawn_for(data) == made_for):
        return data
    return _remembered(kept_name, lambda: default_cover(title, side), _is_whole_png)


def _drawn_for(data: bytes) -> str | None:
    """What a default cover says it was drawn for; None for any other image."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                return None
            # info holds the text chunks written before the pixels; .text would decode the image.
            return image.info.get(_MADE_FOR_KEY) or image.text.get(_MADE_FOR_KEY)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _is_whole_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


def embedded_jpeg(data: bytes, side: int = EMBEDDED_SIDE) -> bytes:
    """A small JPEG of the cover for the MP3's APIC frame."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB").resize((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def embedded_jpeg_remembered(data: bytes, side: int = EMBEDDED_SIDE) -> bytes:
    """embedded_jpeg, kept in the user cache folder by the cover's hash.

    Scaling a 3000 px cover down costs a tenth of a second on every run; the cover rarely changes.
    """
    key = hashlib.sha256(data).hexdigest()
    return _remembered(f"{key}-{side}.jpg", lambda: embedded_jpeg(data, side), _is_whole_jpeg)


def _is_whole_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")


def _kept_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("digest", appauthor=False)) / "covers"


def _kept_path(name: str) -> Path:
    return _kept_folder() / name


def _kept(name: str, is_whole: Callable[[bytes], bool]) -> bytes | None:
    """The image `name` kept in the user cache folder, if it is there and whole."""
    try:
        data = read_regular(_kept_path(name), MAX_COVER_BYTES, "cover")
    except (OSError, OutputError):
        return None
    return data if is_whole(data) else None


def _remembered(name: str, make: Callable[[], bytes], is_whole: Callable[[bytes], bool]) -> bytes:
    """The image `name` kept in the user cache folder, else `make()`, kept there for next time.

    Only a cache: a file that is not whole is made again, and one that cannot be written is not an error.
    """
    path = _kept_path(name)
    data = _kept(name, is_whole)
    if data is not None:
        try:
            os.utime(path)  # used: the last to be let go
        except OSError:
            pass
        return data
    data = make()
    try:
        write_atomic(path, data)
        _keep_at_most(path.parent, MAX_KEPT_COVERS)
    except Exception as error:  # the next run makes it again
        log.debug("could not keep %s in the cache: %s", name, error)
    return data


def _kept_files() -> list[Path]:
    try:
        return list(_kept_folder().iterdir())
    except OSError:  # none kept yet
        return []


def kept_covers() -> tuple[Path, int, int]:
    """The folder of covers kept in the user cache, how many it holds and their bytes."""
    sizes = []
    for path in _kept_files():
        try:
            sizes.append(path.stat().st_size)
        except OSError:  # let go of meanwhile
            pass
    return _kept_folder(), len(sizes), sum(sizes)


def forget_kept_covers() -> int:
    """Remove every cover kept in the user cache (the next run draws or scales again); how many."""
    removed = 0
    for path in _kept_files():
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _keep_at_most(folder: Path, count: int) -> None:
    """Let go of the least recently used images beyond `count` (a batch grouped by source draws
    one cover per source, and sources come and go)."""
    kept = sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for path in kept[count:]:
        path.unlink(missing_ok=True)
