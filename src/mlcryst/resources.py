"""Where the shipped ontology, shapes, queries and data live.

In a wheel they are packaged under ``mlcryst/_resources``; in a source checkout they are the
top-level folders of the repository.

>>> resource_dir("queries").name
'queries'
"""

from __future__ import annotations

from pathlib import Path

KINDS = ("ontology", "shapes", "queries", "data")


def resource_dir(kind: str) -> Path:
    """Return the folder holding the shipped files of ``kind`` (one of ``KINDS``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {KINDS}")
    here = Path(__file__).resolve().parent
    packaged = here / "_resources" / kind
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / kind
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the shipped {kind}/ folder is missing (looked in {packaged})")


def default_data_dir() -> Path:
    """The curated data shipped with the package."""
    return resource_dir("data")
