"""One work fetched by DOI content negotiation, only when the curator asks (``--fetch``).

The resolver (default https://doi.org/, or ``MLCRYST_DOI_RESOLVER``, or ``--resolver``) is
asked for ``application/vnd.citationstyles.csl+json``; the answer is read under a time limit
and a size budget and parsed as CSL-JSON.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

from mlcryst.curate.works import Work, parse_works
from mlcryst.errors import DataError, EndpointError, UsageError

DEFAULT_RESOLVER = "https://doi.org/"
RESOLVER_ENV = "MLCRYST_DOI_RESOLVER"
CSL_JSON = "application/vnd.citationstyles.csl+json"
MAX_BYTES = 4 * 2**20


def fetch_doi(
    doi: str, resolver: str | None = None, timeout: float = 30.0, max_bytes: int = MAX_BYTES
) -> list[Work]:
    import urllib.error
    import urllib.request

    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I)
    if not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        raise UsageError(f"--doi {doi!r} is not a DOI (10.NNNN/...)")
    base = resolver or os.environ.get(RESOLVER_ENV) or DEFAULT_RESOLVER
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"resolver {base!r} is not an http(s) URL")
    url = base.rstrip("/") + "/" + quote(doi, safe="/()._-;:")
    request = urllib.request.Request(url, headers={"Accept": CSL_JSON, "User-Agent": "mlcryst"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise EndpointError(f"{url}: the resolver answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise EndpointError(f"{url}: {getattr(exc, 'reason', exc)}") from exc
    if len(data) > max_bytes:
        raise DataError(f"the answer is over the size budget of {max_bytes} bytes", file=url)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError("the answer is not UTF-8", file=url) from exc
    works, errors = parse_works(text, url, "csl-json")
    if errors:
        raise errors[0]
    return works
