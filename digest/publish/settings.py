"""The feed's settings, kept in `digest.toml` inside the output folder.

The folder is the podcast: its episodes, its feed and how it is published travel together.
The file is created with commented defaults the first time a feed is written there. Flags that
describe the feed (--programme, --base-url, --cover, serve's --host/--port) are remembered in
it, so `make`, `feed` and `serve` agree on one feed URL without repeating themselves. Edits
keep the user's comments and layout (tomlkit round-trips them).
"""

from __future__ import annotations

import difflib
import ipaddress
import logging
import re
import socket
import uuid
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import tomlkit
from tomlkit.exceptions import TOMLKitError

from digest.errors import InputError, OutputError
from digest.fsutil import read_regular, write_atomic
from digest.limits import MAX_SETTINGS_BYTES

log = logging.getLogger(__name__)

CONFIG_NAME = "digest.toml"
FEED_NAME = "feed.xml"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Placeholder until the user gives a real address; `digest feed --check` warns about it.
PLACEHOLDER_EMAIL = "owner@example.com"
# Podcasting 2.0: podcast:guid is a UUIDv5 of the feed URL in this namespace.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

# Run preferences: what `make`, `script` and `doctor` use when their flag is not given. This
# module owns the file, so it knows their names; digest.publish.preferences checks their values. Each
# speech engine's options (tld, slow, voice, a third-party engine's own) are preferences too.
PREFERENCE_KEYS = ("engine", "lang", "speed", "chime", "max_minutes", "summary", "limit", "max_chars", "jobs",
                   "retry_seconds", "allow_private", "keep_episodes", "keep_days")
# `digest sync`'s subscriptions, a [[sources]] table each; digest.sources owns their shape.
SOURCES_KEY = "sources"

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

TEMPLATE = """\
# Settings of the podcast feed in this folder, read by `digest make`, `digest feed` and
# `digest serve`. Flags given to those commands (--programme, --base-url, --cover, --host,
# --port) are written back here, so the commands keep agreeing on the feed's address.

title = "Digest"              # programme name: the feed title, spoken in every intro
description = "Articles read aloud, made with digest."
author = "digest"             # itunes:author
owner_name = "digest"         # itunes:owner, shown only to directories
owner_email = "owner@example.com"  # a real address is needed to list the feed in Apple Podcasts
language = "en"               # channel language (an episode's own language is in its MP3 tags)
category = "News"             # an Apple Podcasts category...
subcategory = "Daily News"    # ...and subcategory ("" for none)
explicit = false
locked = true                 # podcast:locked: hosting platforms must not import this feed
cover = ""                    # square JPEG/PNG, 1400-3000 px, relative to this folder; "" = generated

# Where this folder is reachable. "" means wherever `digest serve` runs (http://host:port/).
base_url = ""
host = "127.0.0.1"
port = 8000

# The ffmpeg to run, for this folder's episodes. "" = the one on PATH when it is 4.2 or newer
# with the filters digest needs, else the one bundled with digest. DIGEST_FFMPEG overrides it.
ffmpeg = ""

# podcast:guid. "" = derived from the feed URL; pinned here the first time the feed is built
# with a public (non-loopback) address, so that moving the feed later keeps its identity.
guid = ""
# The name the episodes' GUIDs are made from: pinned to the title when episodes are first
# published, so that renaming the feed (title) remakes them in place instead of anew.
guid_title = ""

# Run preferences: `make`, `script` and `doctor` use them when their flag is not given, e.g.
#   engine = "piper"   voice = "/path/to/voice.onnx"   speed = 1.1   chime = true   max_minutes = 15
# `digest settings` lists every one with its value; `digest settings set KEY VALUE` edits them.
# `digest sync` reads the [[sources]] tables below (`digest sources add URL` adds one) and, with
# keep_episodes = 7 or keep_days = 7, removes older episodes once a new one is published.
"""


@dataclass(frozen=True)
class FeedSettings:
    title: str = "Digest"
    description: str = "Articles read aloud, made with digest."
    author: str = "digest"
    owner_name: str = "digest"
    owner_email: str = PLACEHOLDER_EMAIL
    language: str = "en"
    category: str = "News"
    subcategory: str = "Daily News"
    explicit: bool = False
    locked: bool = True
    cover: str = ""
    base_url: str = ""
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    guid: str = ""
    guid_title: str = ""
    ffmpeg: str = ""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            expected = {"bool": bool, "int": int}.get(str(item.type), str)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                kind = {bool: "true or false", int: "a whole number", str: "a string"}[expected]
                raise InputError(f"{CONFIG_NAME}: {item.name} must be {kind}, not {value!r}")
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str) and any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 or 0x202a <= ord(c) <= 0x202e
                                              or 0x2066 <= ord(c) <= 0x2069 for c in value):
                raise InputError(f"{CONFIG_NAME}: {item.name} contains control characters; remove them")
        if not self.title.strip():
            raise InputError(f"{CONFIG_NAME}: title cannot be empty")
        if not _LANGUAGE.match(self.language):
            raise InputError(f"{CONFIG_NAME}: language {self.language!r} is not a language code such as en or en-GB")
        if not 0 < self.port < 65536:
            raise InputError(f"{CONFIG_NAME}: port must be between 1 and 65535, not {self.port}")
        if self.base_url:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
                raise InputError(f"base URL {self.base_url!r} must be an http(s) URL such as https://example.org/podcast/")
            if any(char.isspace() or ord(char) < 32 for char in self.base_url):
                # Podcast apps reject enclosure URLs with raw spaces; the user must choose the encoding.
                raise InputError(f"base URL {self.base_url!r} contains spaces; write them as %20")
            if not self.base_url.endswith("/"):
                object.__setattr__(self, "base_url", self.base_url + "/")
        if self.guid:
            try:
                uuid.UUID(self.guid)
            except ValueError:
                raise InputError(f"{CONFIG_NAME}: guid {self.guid!r} is not a UUID") from None

    @property
    def feed_base(self) -> str:
        """The URL the folder is served at: base_url, or the `digest serve` address."""
        return self.base_url or serve_url(self.host, self.port)

    @property
    def feed_url(self) -> str:
        return self.feed_base + FEED_NAME

    @property
    def podcast_guid(self) -> str:
        return self.guid or podcast_guid(self.feed_url)


def serve_url(host: str, port: int) -> str:
    # Binding every interface means "let other devices in", so the links name this machine's
    # address on the local network rather than loopback, which a phone cannot reach.
    if host in ("", "0.0.0.0"):
        host = network_address(socket.AF_INET)
    elif host == "::":
        host = network_address(socket.AF_INET6)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def network_address(family: int = socket.AF_INET) -> str:
    """This machine's address on the network its default route leads to; loopback without one.

    Connecting a UDP socket only picks a route and a source address: no packet is sent, so
    this works offline and costs nothing. The target is a documentation-only address.
    """
    target, loopback = ("192.0.2.1", "127.0.0.1") if family == socket.AF_INET else ("2001:db8::1", "::1")
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 9))
            address = probe.getsockname()[0]
    except OSError:
        return loopback
    return address if not ipaddress.ip_address(address).is_unspecified else loopback


def podcast_guid(feed_url: str) -> str:
    """Podcasting 2.0 guid: UUIDv5 of the feed URL without its scheme and trailing slashes."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def is_public(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def ffmpeg_setting(folder: Path, settings: FeedSettings) -> str | None:
    """The folder's ffmpeg setting as a path: ~ expanded, relative to the folder; None when unset."""
    if not settings.ffmpeg.strip():
        return None
    return str(Path(folder) / Path(settings.ffmpeg.strip()).expanduser())


def guid_title_of(folder: Path, programme: str) -> str:
    """The programme name this folder's episode GUIDs are made from: the one pinned in its
    digest.toml; else its title there, which its episodes so far were made with, whatever
    this run calls the programme; else, in a new folder, `programme`."""
    path = config_path(folder)
    document = _read_document(path)
    if document is None:
        return programme
    settings = _settings_from(document, path)
    return settings.guid_title or settings.title


def config_path(folder: Path) -> Path:
    return Path(folder) / CONFIG_NAME


def _read_document(path: Path) -> tomlkit.TOMLDocument | None:
    try:
        text = read_regular(path, MAX_SETTINGS_BYTES, "settings file").decode("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OutputError as error:
        raise InputError(str(error)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from error
    try:
        return tomlkit.parse(text)
    except TOMLKitError as error:
        raise InputError(f"{path} is not valid TOML: {error}") from error


FEED_KEYS = tuple(item.name for item in fields(FeedSettings))


def _engine_option_names() -> set[str]:
    from digest.speech.engines import all_options  # imports every engine: only when needed

    return {option.name for option in all_options()}


def known_keys() -> list[str]:
    """Every key digest.toml may hold: the feed's settings, then the run preferences."""
    return [*FEED_KEYS, *PREFERENCE_KEYS, *sorted(_engine_option_names() - set(PREFERENCE_KEYS))]


def unknown_key(key: str) -> str:
    """The message for a key digest.toml cannot hold, with the closest known one."""
    known = known_keys()
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
    return f"unknown setting {key!r}; {hint}"


def _settings_from(document: tomlkit.TOMLDocument | None, path: Path) -> FeedSettings:
    if document is None:
        return FeedSettings()
    values = document.unwrap()
    others = sorted(set(values) - set(FEED_KEYS) - set(PREFERENCE_KEYS) - {SOURCES_KEY})
    unknown = sorted(set(others) - _engine_option_names()) if others else []
    if unknown:
        raise InputError(f"{path}: {unknown_key(unknown[0])}")
    return FeedSettings(**{key: value for key, value in values.items() if key in FEED_KEYS})


def read_values(folder: Path) -> dict:
    """Every key in the folder's digest.toml as plain Python values (empty without a file)."""
    document = _read_document(config_path(folder))
    return document.unwrap() if document is not None else {}


def edit(folder: Path, key: str, value=None, remove: bool = False) -> bool:
    """Set (or remove) one key in the folder's digest.toml, keeping every comment and the layout.

    The file is created from the commented template when missing. The value must already be
    checked by the caller (a feed setting through FeedSettings, a preference by its owner).
    Returns whether the file changed.
    """
    def change(document: tomlkit.TOMLDocument) -> bool:
        if remove:
            if key not in document:
                return False
            del document[key]
            return True
        if key in document and document[key].unwrap() == value and type(document[key].unwrap()) is type(value):
            return False
        document[key] = value
        return True

    return update(folder, change, create=not remove)


def update(folder: Path, change: Callable[[tomlkit.TOMLDocument], bool], create: bool = True) -> bool:
    """Apply `change` to the folder's digest.toml as tomlkit keeps it (comments and layout) and
    save the file atomically when `change` says it changed something. Without a file, `change`
    sees the commented template, and nothing is written unless `create`."""
    path = config_path(folder)
    document = _read_document(path)
    if document is None:
        if not create:
            return False
        document = tomlkit.parse(TEMPLATE)
    if not change(document):
        return False
    text = tomlkit.dumps(document)
    write_atomic(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
    return True


def feeds_in_subfolders(folder: Path) -> list[str]:
    """The subfolders holding a feed, when `folder` has none of its own: the layout of a
    `batch --group-by` output (empty for any other folder, or one that cannot be read)."""
    try:
        if (folder / FEED_NAME).is_file():
            return []
        return sorted(sub.name for sub in folder.iterdir()
                      if not sub.name.startswith(".") and sub.is_dir() and (sub / FEED_NAME).is_file())
    except OSError:
        return []


def load_settings(folder: Path) -> FeedSettings:
    """The folder's settings, or the defaults when it has no digest.toml yet. Never writes."""
    path = config_path(folder)
    return _settings_from(_read_document(path), path)


def with_overrides(settings: FeedSettings, **overrides) -> FeedSettings:
    """`settings` with every override that is not None applied (and validated)."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return replace(settings, **given) if given else settings


def remember(folder: Path, seed: dict | None = None, **overrides) -> FeedSettings:
    """Apply `overrides` to the folder's digest.toml and save it; create it on first use.

    `seed` values are used only when the file is created (e.g. the first episode's language
    becomes the channel's). The podcast:guid is pinned once the feed has a public address.
    """
    path = config_path(folder)
    document = _read_document(path)
    created = document is None
    if created:
        document = tomlkit.parse(TEMPLATE)
    current = _settings_from(document, path)
    settings = with_overrides(current, **({**(seed or {}), **overrides} if created else overrides))
    if not settings.guid and settings.base_url and is_public(settings.base_url):
        settings = replace(settings, guid=podcast_guid(settings.feed_url))
        log.info("pinned podcast:guid %s for %s in %s", settings.guid, settings.feed_url, path.name)
    new_values, old_values = asdict(settings), asdict(current)
    changed = [key for key in new_values if new_values[key] != old_values[key]]
    for key in changed:
        document[key] = new_values[key]
    if created or changed:
        write_atomic(path, tomlkit.dumps(document).encode("utf-8"))
    return settings
