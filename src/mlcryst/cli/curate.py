"""``mlcryst add``, ``review`` and ``diff``: the curator's commands (see data/README.md,
"Importing papers"). They parse options and call :mod:`mlcryst.curate`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mlcryst.cli.options import collection_option, data_option, store_option

if TYPE_CHECKING:
    from mlcryst.collection import Collection


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "ris", "json"]),
    help="Format of FILE (default: from the suffix, else the content).",
)
@click.option("--doi", "doi", metavar="DOI", help="Import the work with this DOI (needs --fetch).")
@click.option("--fetch", is_flag=True, help="Allow fetching --doi from the DOI resolver.")
@click.option(
    "--resolver",
    metavar="URL",
    help="DOI resolver (default MLCRYST_DOI_RESOLVER or https://doi.org/).",
)
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True)
@collection_option
def add(
    files: tuple[Path, ...],
    data_dir: Path | None,
    fmt: str | None,
    doi: str | None,
    fetch: bool,
    resolver: str | None,
    timeout: float,
    collection: Collection,
) -> None:
    """Stage BibTeX, RIS, CSL-JSON, Crossref or DataCite records as drafts for review."""
    data_dir = data_dir if data_dir is not None else collection.data_dir
    from mlcryst.curate.staging import STAGING, data_root, stage_works
    from mlcryst.curate.works import read_works
    from mlcryst.errors import DataErrors

    if doi and not fetch:
        raise click.UsageError("--doi reaches the network: add --fetch to allow it")
    if not files and not doi:
        raise click.UsageError("give FILE(s) to import, or --doi DOI --fetch")
    works, problems, names = [], [], []
    for path in files:
        w, errs = read_works(path, fmt)
        works += w
        problems += errs
        names.append(path.name)
    if doi:
        from mlcryst.curate.fetch import fetch_doi

        works += fetch_doi(doi, resolver, timeout)
        names.append(f"doi:{doi}")
    result = stage_works(works, data_dir, ", ".join(names))
    for line in result.refused:
        click.echo(f"refused: {line}")
    for d in result.staged:
        qs = sum(len(a.get("likely", [])) > 0 for a in d["authors"])
        extra = f", {qs} name question(s)" if qs else ""
        click.echo(f"staged {d['draft']}: {_short(d)}{extra}")
    if result.staged:
        click.echo(f"wrote {data_root(data_dir) / STAGING}; next: mlcryst review")
    if problems:
        raise problems[0] if len(problems) == 1 else DataErrors(problems)


def _short(d: dict[str, Any]) -> str:
    r = d["record"]
    names = r.get("authors", [])
    who = names[0].partition(",")[0] + (" et al." if len(names) > 2 else "")
    if len(names) == 2:
        who = f"{names[0].partition(',')[0]} & {names[1].partition(',')[0]}"
    pages = r.get("pages", d.get("article_number", ""))
    return f"{who} ({r.get('year')}), {r.get('journal')} {r.get('volume')}, {pages}"


def _split(values: tuple[str, ...]) -> list[str] | None:
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


@click.command()
@data_option
@click.option("--accept", "accept_key", metavar="KEY", help="Accept this draft.")
@click.option("--reject", "reject_key", metavar="KEY", help="Drop this draft.")
@click.option(
    "--methods",
    multiple=True,
    metavar="CURIES",
    help="With --accept: the method concepts (mlm:a,mlm:b); default: the exact-label suggestions.",
)
@click.option(
    "--problems",
    multiple=True,
    metavar="CURIES",
    help="With --accept: the problem concepts (mlp:a,...); default: the exact-label suggestions.",
)
@click.option(
    "--person",
    "persons",
    multiple=True,
    metavar="PRINTED=ID",
    help="With --accept: the printed author name is person ID of the collection "
    "(ID 'new': someone new). Repeatable.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@collection_option
def review(
    data_dir: Path | None,
    accept_key: str | None,
    reject_key: str | None,
    methods: tuple[str, ...],
    problems: tuple[str, ...],
    persons: tuple[str, ...],
    fmt: str,
    collection: Collection,
) -> None:
    """List the staged drafts; --accept KEY or --reject KEY one of them."""
    data_dir = data_dir if data_dir is not None else collection.data_dir
    from mlcryst.curate import staging

    if accept_key and reject_key:
        raise click.UsageError("--accept and --reject exclude each other")
    if (methods or problems or persons) and not accept_key:
        raise click.UsageError("--methods, --problems and --person go with --accept")
    if reject_key:
        staging.reject(data_dir, reject_key)
        click.echo(f"rejected {reject_key}")
        return
    if accept_key:
        answers = {}
        for p in persons:
            printed, sep, pid = p.rpartition("=")
            if not sep or not printed.strip() or not pid.strip():
                raise click.UsageError(f"--person {p!r}: expected 'PRINTED=ID'")
            answers[printed.strip()] = pid.strip()
        done = staging.accept(data_dir, accept_key, _split(methods), _split(problems), answers)
        click.echo(f"accepted {done.key}: checked by a build of the data with it added")
        click.echo(f"  problem:  {done.record['problem']}")
        click.echo(f"  approach: {done.record['approach']}")
        for pid in done.new_people:
            click.echo(f"  new person {pid}")
        if done.new_journal:
            click.echo(f"  new journal {done.new_journal}")
        for path in done.files:
            click.echo(f"wrote {path}")
        return
    drafts = staging.review_listing(data_dir)
    if fmt == "json":
        click.echo(json.dumps(drafts, ensure_ascii=False, indent=2, default=str))
        return
    if not drafts:
        click.echo("no drafts staged (mlcryst add FILE stages some)")
        return
    for d in drafts:
        click.echo(f"{d['draft']}  {_short(d)}   [{d.get('from')}]")
        if d["record"].get("title"):
            click.echo(f"  title: {d['record']['title']}")
        click.echo(
            "  journal: "
            + (
                d.get("journal_match")
                or f"NEW {d['new_journal']['key']} (proposed journals.yaml entry)"
            )
        )
        for a in d["authors"]:
            if "person" in a:
                state = f"= {a['person']} ({a['matched_by']})"
            elif a.get("likely"):
                state = "? " + "; ".join(f"{c['person']}: {c['why']}" for c in a["likely"])
            else:
                state = f"new person {a['new_person']}"
            click.echo(f"  author {a['printed']}  {state}")
        for kind in ("methods", "problems"):
            for s in d.get("suggestions", {}).get(kind, []):
                click.echo(
                    f"  {kind[:-1]:7} {s['concept']}  {float(s['score']):.1f}  "
                    f"{s['field']}: {s['evidence']!r}"
                )
        if d.get("duplicate_of"):
            click.echo(f"  DUPLICATE of {d['duplicate_of']}")
        for q in d["questions"]:
            click.echo(f"  question: {q}")


@click.command()
@click.argument("sources", nargs=-1, metavar="OLD NEW")
@click.option(
    "--git",
    "git",
    is_flag=True,
    help="OLD and NEW are git revisions of the collection (--collection DIR); without NEW, "
    "OLD is compared with the work tree.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table: aligned text; json: stable keys, for tools; markdown: for a pull request.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output.",
)
@store_option
@collection_option
def diff(
    sources: tuple[str, ...],
    git: bool,
    fmt: str,
    out_file: Path | None,
    store: str,
    collection: Collection,
) -> None:
    """What changed from OLD to NEW, in curator terms: papers, their fields and tags, people
    (merged and split too), concepts.

    OLD and NEW are graph files (any RDF format mlcryst reads), or with --git two revisions of
    the collection, each built by the normal build (the work tree is never touched). Exit 0
    whether or not anything changed: the diff is a report.
    """
    from mlcryst.curate.diff import diff_files, diff_revisions, render

    if git:
        if len(sources) not in (1, 2):
            raise click.UsageError("--git takes REV1 [REV2] (without REV2: the work tree)")
        result = diff_revisions(
            collection, sources[0], sources[1] if len(sources) == 2 else None, store=store
        )
    else:
        if len(sources) != 2:
            raise click.UsageError("give two graph files OLD NEW, or --git REV1 [REV2]")
        result = diff_files(Path(sources[0]), Path(sources[1]), store=store)
    text = render(result, fmt)
    if out_file is None:
        click.echo(text, nl=False)
        return
    from mlcryst.fileio import write_atomic

    write_atomic(out_file, text.encode("utf-8"))
    click.echo(f"wrote {out_file}")
