"""HTTP for :mod:`mlcryst.remote.endpoint`: standard library only, digest or basic authentication.

Authentication is sent up front once the server's challenge is known. Before a request with a
large body (a graph upload) a small request fetches the challenge, so the body is sent once,
with credentials: servers such as Virtuoso close the connection on an unauthenticated upload,
which would otherwise surface as a broken pipe instead of a clear answer.

The worked example of RFC 2617, section 3.5:

>>> challenge = {"realm": "testrealm@host.com", "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
...              "qop": "auth,auth-int"}
>>> header = digest_header("GET", "/dir/index.html", "Mufasa", "Circle Of Life", challenge, 1,
...                        cnonce="0a4f113b")
>>> header.split(", ")[4]
'response="6629fae49393a05397450978507c4ef1"'
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from mlcryst.errors import EndpointError

#: bodies at least this big get an authentication round trip of their own first
PREFLIGHT_BYTES = 64 * 1024
_HASHES = {
    "MD5": hashlib.md5,
    "MD5-SESS": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-256-SESS": hashlib.sha256,
}


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """``WWW-Authenticate: Digest realm="x", nonce="y"`` -> ("digest", {"realm": "x", ...})."""
    scheme, _, rest = header.strip().partition(" ")
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)) if rest else {}
    return scheme.lower(), {k.lower(): v for k, v in fields.items()}


def digest_header(
    method: str,
    uri: str,
    user: str,
    password: str,
    challenge: Mapping[str, str],
    count: int,
    cnonce: str | None = None,
) -> str:
    """The ``Authorization`` value answering a digest challenge (RFC 7616, qop=auth or none)."""
    algorithm = challenge.get("algorithm", "MD5").upper()
    if algorithm not in _HASHES:
        raise EndpointError(f"the server asks for digest algorithm {algorithm}, unsupported")
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    if qops and "auth" not in qops:
        raise EndpointError(f"the server asks for digest qop {challenge['qop']!r}, unsupported")

    def h(text: str) -> str:
        return _HASHES[algorithm](text.encode("utf-8")).hexdigest()

    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    cnonce = cnonce or os.urandom(8).hex()
    nc = f"{count:08x}"
    ha1 = h(f"{user}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}" if qops else f"{ha1}:{nonce}:{ha2}")
    parts = [
        f'username="{user}"',
        f'realm="{realm}"',
        f'nonce="{nonce}"',
        f'uri="{uri}"',
        f'response="{response}"',
        f"algorithm={challenge.get('algorithm', 'MD5')}",
    ]
    if "opaque" in challenge:
        parts.append(f'opaque="{challenge["opaque"]}"')
    if qops:
        parts += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
    return "Digest " + ", ".join(parts)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects would resend credentials and bodies elsewhere: report them instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Http:
    """Requests to one server, with the user's credentials when a challenge asks for them."""

    def __init__(self, user: str | None, password: str | None, timeout: float) -> None:
        self.user, self.password, self.timeout = user, password or "", timeout
        self.opener = urllib.request.build_opener(_NoRedirect())
        self.challenges: dict[str, tuple[str, dict[str, str]]] = {}  # netloc -> challenge
        self.count = 0

    def send(
        self,
        method: str,
        url: str,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Any, bytes]:
        """Send a request; answer (status, headers, body) on 2xx, else raise EndpointError."""
        if self.user is not None and data is not None and len(data) >= PREFLIGHT_BYTES:
            self._probe(url)
        for _ in range(2):
            status, got_headers, body = self._exchange(method, url, data, headers or {})
            if status != 401:
                return status, got_headers, body
        raise EndpointError(f"{method} {url}: HTTP 401, the server keeps asking for credentials")

    def _probe(self, url: str) -> None:
        """Check the credentials with a small GET before a large body is sent."""
        for _ in range(2):
            status, _, _ = self._exchange("GET", url, None, {}, preflight=True)
            if status != 401:
                return
        raise EndpointError(
            f"GET {url}: HTTP 401, the server refused the credentials "
            f"(user {self.user!r}; give --user and --password)"
        )

    def _authorization(self, method: str, url: str) -> str | None:
        parts = urllib.parse.urlsplit(url)
        if self.user is None or parts.netloc not in self.challenges:
            return None
        scheme, challenge = self.challenges[parts.netloc]
        if scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            return f"Basic {token}"
        self.count += 1
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        return digest_header(method, uri or "/", self.user, self.password, challenge, self.count)

    def _exchange(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: Mapping[str, str],
        preflight: bool = False,
    ) -> tuple[int, Any, bytes]:
        """One request; 401 when a new challenge was learnt (retry), else 2xx or raise.

        A ``preflight`` request answers any status: only the challenge it brings matters.
        """
        all_headers = dict(headers)
        auth = self._authorization(method, url)
        if auth:
            all_headers["Authorization"] = auth
        req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as exc:
            body = exc.read() if exc.fp is not None else b""
            if exc.code == 401 and self._learn(method, url, exc.headers, auth is not None):
                return 401, exc.headers, body
            if preflight:
                return exc.code, exc.headers, body
            raise self._failure(method, url, exc, body) from exc
        except TimeoutError as exc:
            raise EndpointError(f"{method} {url}: no answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            raise EndpointError(f"{method} {url}: cannot reach the server: {exc.reason}") from exc
        except (OSError, ValueError) as exc:  # connection reset, broken pipe, bad URL, ...
            raise EndpointError(f"{method} {url}: {exc}") from exc

    def _learn(self, method: str, url: str, headers: Any, sent_auth: bool) -> bool:
        """Store a 401's challenge; True when a retry with it may succeed."""
        value = headers.get("WWW-Authenticate") if headers is not None else None
        if self.user is None or not value:
            return False
        scheme, fields = parse_challenge(value)
        if scheme not in ("digest", "basic"):
            raise EndpointError(
                f"{method} {url}: the server asks for {scheme} authentication; "
                "only digest and basic are supported"
            )
        if sent_auth and fields.get("stale", "").lower() != "true":
            return False  # the credentials themselves were refused
        self.challenges[urllib.parse.urlsplit(url).netloc] = (scheme, fields)
        self.count = 0
        return True

    def _failure(
        self, method: str, url: str, exc: urllib.error.HTTPError, body: bytes
    ) -> EndpointError:
        if exc.code == 401:
            who = f"user {self.user!r}" if self.user is not None else "no user"
            return EndpointError(
                f"{method} {url}: HTTP 401, the server refused the "
                f"credentials ({who}; give --user and --password)"
            )
        if 300 <= exc.code < 400:
            return EndpointError(
                f"{method} {url}: HTTP {exc.code} redirect to "
                f"{exc.headers.get('Location')}: give the final URL"
            )
        return EndpointError(f"{method} {url}: HTTP {exc.code} {exc.reason}: {error_text(body)}")

    def form(self, url: str, fields: Mapping[str, str], accept: str) -> tuple[Any, bytes]:
        """POST an HTML form (the SPARQL protocol's query and update requests)."""
        data = urllib.parse.urlencode(fields).encode("utf-8")
        _, headers, body = self.send(
            "POST",
            url,
            data,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        return headers, body


def error_text(body: bytes, limit: int = 600) -> str:
    """The readable part of an error page (servers answer with HTML or plain text)."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style|title)\b.*?</\1>", " ", text)
    text = re.sub(
        r"(?i)</?(html|head|body|h[1-6]|p|pre|xmp|br|hr|div|span|b|i|a|!DOCTYPE)"
        r"\b[^<>]*>",
        " ",
        text,
    )  # HTML tags, not the <IRIs> of a query
    text = " ".join(text.split())
    return (text[:limit] + "…") if len(text) > limit else (text or "(no message)")
