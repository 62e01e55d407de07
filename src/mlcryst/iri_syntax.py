"""The syntax of IRIs (RFC 3987) and DOI names, checked without any RDF library.

Kept apart from :mod:`mlcryst.builder.iris` so that reading a collection's ``mlcryst.toml``
(its base IRI) does not import rdflib. The IRI expression is compiled on first use.

>>> iri_problem("https://pdfitc.org") is None, iri_problem("https://example.org/a b")
(True, 'not an absolute IRI: U+0020 SPACE at character 22 is not allowed in an IRI')
>>> doi_problem("10.1107/S2052252521005066") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

# RFC 3987 (IRI) syntax, absolute IRIs: scheme ":" ihier-part [ "?" iquery ] [ "#" ifragment ]
_UCS = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCS}"
_SUB_DELIMS = "!$&'()*+,;="
_PCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|%[0-9A-Fa-f]{{2}})"
_IP_LITERAL = f"\\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\.[A-Za-z0-9\\-._~{_SUB_DELIMS}:]+)\\]"
_HOST = f"(?:{_IP_LITERAL}|(?:[{_UNRESERVED}{_SUB_DELIMS}]|%[0-9A-Fa-f]{{2}})*)"
_USERINFO = f"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|%[0-9A-Fa-f]{{2}})*@)?"
_AUTHORITY = f"{_USERINFO}{_HOST}(?::[0-9]*)?"
_PATH = f"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
_IRI_TEXT = (
    f"[A-Za-z][A-Za-z0-9+\\-.]*:{_PATH}"
    f"(?:\\?(?:{_PCHAR}|[/?{_PRIVATE}])*)?(?:#(?:{_PCHAR}|[/?])*)?\\Z"
)


@lru_cache(maxsize=1)
def _iri() -> re.Pattern[str]:
    return re.compile(_IRI_TEXT)


_NEVER = frozenset(' "<>{}|\\^`')
_DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+\Z")


def _bad_character(text: str, what: str) -> str | None:
    for i, ch in enumerate(text):
        if ch in _NEVER or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
            name = unicodedata.name(ch, "a control character")
            return f"U+{ord(ch):04X} {name} at character {i + 1} is not allowed in {what}"
    return None


def iri_problem(text: str) -> str | None:
    """What makes ``text`` not an absolute IRI (RFC 3987), or None when it is one.

    http and https IRIs must also name a host (``https://host/...``).
    """
    bad = _bad_character(text, "an IRI")
    if bad:
        return f"not an absolute IRI: {bad}"
    if not re.match(r"[A-Za-z][A-Za-z0-9+\-.]*:", text):
        return "not an absolute IRI: it must begin with a scheme such as https:"
    if not _iri().match(text):
        return "not an IRI (RFC 3987): check the % escapes, brackets and the host"
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return f"an {parts.scheme} IRI must name a host ({parts.scheme}://host/...)"
    return None


def doi_problem(text: str) -> str | None:
    """What makes ``text`` not a DOI name (``10.1107/...``, usable in ``https://doi.org/``)."""
    bad = _bad_character(text, "a DOI")
    if bad:
        return bad
    if not _DOI.match(text):
        return (
            "a DOI is written 10.<registrant>/<suffix>, e.g. 10.1107/S2052252521005066 "
            "(no 'doi:' or URL prefix)"
        )
    if iri_problem("https://doi.org/" + text):
        return "not usable in a DOI IRI (https://doi.org/...): check its % escapes"
    return None
