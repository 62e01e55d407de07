"""A collection: the folder a curator works in, holding the same four folders mlcryst ships.

A collection folder has ``data/``, ``ontology/``, ``shapes/``, ``queries/`` and a
``mlcryst.toml`` (title, base IRI, licence, creators, version). ``mlcryst init DIR`` writes
one (copies of the shipped files); every command finds the collection it works on by looking
for ``mlcryst.toml`` in the current folder and upward (or takes ``--collection DIR``), and
reads its files afresh each time, so edits take effect on the next command with no
reinstall. Outside any collection the shipped editorial is used. The repository itself is a
collection.

>>> shipped = Collection.shipped()
>>> shipped.root is None, shipped.folder("queries").name
(True, 'queries')
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mlcryst.errors import DataError, OutputError

#: the file that marks a collection folder
CONFIG_FILE = "mlcryst.toml"
#: the folders of a collection, as the package ships them
FOLDERS = ("data", "ontology", "shapes", "queries")
#: the budget of a mlcryst.toml
MAX_CONFIG_BYTES = 1 << 20


@dataclass(frozen=True)
class Collection:
    """Where a collection's files are, and what its ``mlcryst.toml`` says."""

    #: the collection folder, or None for the shipped editorial
    root: Path | None
    title: str = "Machine learning in crystallography (Billinge & Proffen, Table 1)"
    base: str | None = None
    licence: str = "CC-BY-4.0"
    creators: tuple[str, ...] = field(default_factory=tuple)
    version: str = "0.1.0"

    @classmethod
    def shipped(cls) -> Collection:
        """The editorial's collection shipped with mlcryst."""
        return cls(None)

    def folder(self, kind: str) -> Path:
        """The collection's ``data``, ``ontology``, ``shapes`` or ``queries`` folder."""
        if kind not in FOLDERS:
            raise ValueError(f"unknown folder {kind!r}; expected one of {FOLDERS}")
        if self.root is None:
            from mlcryst.resources import resource_dir

            return resource_dir(kind)
        return self.root / kind

    @property
    def data_dir(self) -> Path:
        return self.folder("data")

    @property
    def ontology_dir(self) -> Path:
        return self.folder("ontology")

    @property
    def shapes_dir(self) -> Path:
        return self.folder("shapes")

    @property
    def queries_dir(self) -> Path:
        return self.folder("queries")

    def describe(self) -> str:
        """Which collection this is, in one line (what every command says it used)."""
        if self.root is None:
            return f"the shipped collection ({self.title}; no {CONFIG_FILE} here or above)"
        return f"{self.title} ({self.root / CONFIG_FILE})"


def _text(value: object, key: str, path: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{key} must be a non-empty string", file=str(path))
    return value


def read_collection(root: Path) -> Collection:
    """The collection whose ``mlcryst.toml`` is in ``root`` (:class:`DataError` naming the file
    and key for a bad one)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    path = root / CONFIG_FILE
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise DataError(f"over the budget of {MAX_CONFIG_BYTES:,} bytes", file=str(path))
        doc = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"not valid TOML: {exc}", file=str(path)) from None
    table = doc.get("collection", {})
    if not isinstance(table, dict):
        raise DataError("[collection] must be a table", file=str(path))
    known = {"title", "base", "licence", "creators", "version"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise DataError(
            f"[collection] has unknown key(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}",
            file=str(path),
        )
    base = table.get("base")
    if base is not None:
        from mlcryst.iri_syntax import iri_problem
        from mlcryst.prefixes import DEFAULT_BASE

        base = _text(base, "base", path)
        problem = None if base == DEFAULT_BASE else iri_problem(base)  # the default is valid
        if problem or not re.match(r"^https?://", base) or not base.endswith(("/", "#")):
            raise DataError(
                f"base {base!r} must be an absolute http(s) IRI ending in / or #"
                + (f" ({problem})" if problem else ""),
                file=str(path),
            )
    creators = table.get("creators", [])
    if not isinstance(creators, list) or not all(isinstance(c, str) for c in creators):
        raise DataError("creators must be a list of strings", file=str(path))
    defaults = Collection(root)
    return Collection(
        root,
        title=_text(table.get("title", defaults.title), "title", path),
        base=base,
        licence=_text(table.get("licence", defaults.licence), "licence", path),
        creators=tuple(creators),
        version=_text(table.get("version", defaults.version), "version", path),
    )


def find_collection(explicit: Path | str | None = None, start: Path | None = None) -> Collection:
    """The collection to work on: ``explicit`` (a folder with a ``mlcryst.toml``), else the
    nearest folder at or above ``start`` (default: the current folder) that has one, else the
    shipped collection."""
    if explicit is not None:
        root = Path(explicit)
        if not (root / CONFIG_FILE).is_file():
            raise DataError(
                f"not a collection folder (no {CONFIG_FILE}); make one with `mlcryst init`",
                file=str(root),
            )
        return read_collection(root.resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return read_collection(folder)
    return Collection.shipped()


def collection_of_data(data_dir: Path | str | None) -> Collection:
    """The collection whose ``data/`` folder ``data_dir`` is (its ``mlcryst.toml`` beside
    it), else the shipped collection (a bare data folder uses the shipped vocabularies,
    shapes and queries)."""
    if data_dir is not None:
        root = Path(data_dir).resolve().parent
        if Path(data_dir).resolve().name == "data" and (root / CONFIG_FILE).is_file():
            return read_collection(root)
    return Collection.shipped()


def config_text(collection: Collection) -> str:
    """The ``mlcryst.toml`` of ``collection``."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "# A mlcryst collection: data/, ontology/, shapes/ and queries/ beside this file.",
        "# Every mlcryst command run in this folder (or below it) works on this collection.",
        "",
        "[collection]",
        f"title = {q(collection.title)}",
    ]
    if collection.base:
        lines.append(f"base = {q(collection.base)}")
    else:
        lines.append('# base = "https://w3id.org/your-collection/"  # of the IRIs it mints')
    lines += [
        f"licence = {q(collection.licence)}",
        "creators = [" + ", ".join(q(c) for c in collection.creators) + "]",
        f"version = {q(collection.version)}",
    ]
    return "\n".join(lines) + "\n"


def init_collection(
    target: Path | str,
    *,
    title: str | None = None,
    base: str | None = None,
    licence: str | None = None,
    creators: tuple[str, ...] = (),
) -> Collection:
    """Write a new collection folder at ``target``: copies of the shipped ``data/``,
    ``ontology/``, ``shapes/`` and ``queries/``, and its ``mlcryst.toml``.

    ``target`` must not exist or be an empty folder; the folder appears whole or not at all.
    """
    import shutil
    import tempfile

    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError(f"{target}: exists and is not an empty folder")
    shipped = Collection.shipped()
    defaults = Collection(target)
    wanted = Collection(
        target.resolve(),
        title=title or defaults.title,
        base=base,
        licence=licence or defaults.licence,
        creators=tuple(creators),
    )
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"{target}: cannot create: {exc.strerror or exc}") from None
    try:
        for kind in FOLDERS:
            shutil.copytree(
                shipped.folder(kind),
                staging / kind,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        (staging / CONFIG_FILE).write_text(config_text(wanted), encoding="utf-8")
        read_collection(staging)  # what was written reads back (a bad base is refused here)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the collection: {exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return read_collection(target.resolve())
