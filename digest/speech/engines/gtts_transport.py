"""gTTS's requests sent over a kept-alive session: the gtts engine's transport.

Kept apart from digest.speech.engines.gtts_engine so that gTTS and requests are imported only
when Google is asked, not whenever the engines are listed.
"""

from __future__ import annotations

import base64
import os
import re
import urllib.request

import requests
from gtts import gTTS, gTTSError

_AUDIO_IN_REPLY = re.compile(r'jQ1olc","\[\\"(.*)\\"]')


def _ca_bundle() -> str | bool:
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True


class PooledGTTS(gTTS):
    """gTTS that sends its prepared requests over a kept-alive session.

    gTTS opens a new session, TCP connection and TLS handshake for every request of at most
    100 characters, which costs more than the speech itself on a long article. Request
    preparation (the protocol: URL, RPC packaging, headers, tokenising) stays gTTS's own;
    only the transport is shared, and the reply is read the way gTTS reads it. Unlike gTTS,
    certificates are verified, against REQUESTS_CA_BUNDLE when set (e.g. behind a proxy).
    """

    def __init__(self, *args, session: requests.Session, **kwargs):
        super().__init__(*args, **kwargs)
        self._session = session

    def stream(self):
        for prepared in self._prepare_requests():
            response = None
            try:
                response = self._session.send(
                    prepared, verify=_ca_bundle(), proxies=urllib.request.getproxies(), timeout=self.timeout
                )
                response.raise_for_status()
            except requests.exceptions.HTTPError as error:
                raise gTTSError(tts=self, response=response) from error
            except requests.exceptions.RequestException as error:
                raise gTTSError(tts=self) from error
            for line in response.iter_lines(chunk_size=1024):
                decoded = line.decode("utf-8")
                if "jQ1olc" in decoded:
                    found = _AUDIO_IN_REPLY.search(decoded)
                    if not found:
                        raise gTTSError(tts=self, response=response)
                    yield base64.b64decode(found.group(1).encode("ascii"))
