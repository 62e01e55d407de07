"""The HTML of the site: the page shell, links between pages, escaping, the inline scripts.

Every string from the graph goes through :func:`esc`; data for scripts goes into
``<script type="application/json">`` (:func:`mlcryst.visual.page.script_json`). The only
scripts are the inline ones below, allowed by hash in each page's Content-Security-Policy,
which forbids every request outside the site.

>>> rel("paper/acta-d-58-2043", "person/ioerger-t-r")
'../person/ioerger-t-r'
>>> rel("method/", "method/neural-network"), rel("paper/x", ""), rel("", "paper/")
('neural-network', '../', 'paper/')
>>> rel("paper/x", "paper/x/index.ttl"), rel("editorial/table-1/abbreviations", "editorial/table-1")
('x/index.ttl', '../table-1')
"""

from __future__ import annotations

import base64
import hashlib
import html
import posixpath
from collections.abc import Iterable

from mlcryst import __version__
from mlcryst.export.formats import EXPORT_FORMATS


def esc(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def rel(source: str, target: str) -> str:
    """A link from the page served at ``source`` (a site path: the IRI path under the base)
    to ``target``; relative, so that the site works under any host and prefix."""
    fragment = ""
    if "#" in target:
        target, fragment = target.split("#", 1)
        fragment = "#" + fragment
    folder = "/" + source[: source.rfind("/") + 1]
    if target == "" or target.endswith("/"):
        out = posixpath.relpath("/" + target, folder).rstrip("/") + "/"
        out = "./" if out == "./" else out.removeprefix("./")
    else:
        parent, _, name = ("/" + target).rpartition("/")
        up = posixpath.relpath(parent or "/", folder)
        out = name if up == "." else f"{up}/{name}"
    return out + fragment


def file_of(path: str) -> str:
    """The file holding the page of site path ``path`` (``paper/x`` -> ``paper/x/index.html``)."""
    return (path.rstrip("/") + "/index.html").lstrip("/")


def csp(scripts: Iterable[str]) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes or chr(39) + 'none' + chr(39)}; "
        "style-src 'self'; img-src 'self' data:; connect-src 'none'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


NAV = (
    ("", "Home"),
    ("paper/", "Papers"),
    ("person/", "People"),
    ("method/", "Methods"),
    ("problem/", "Problems"),
    ("journal/", "Journals"),
    ("database/", "Databases"),
    ("network/", "Network"),
    ("figures/", "Figures"),
    ("ontology", "Ontology"),
    ("dataset", "Data"),
    ("sparql/", "SPARQL"),
)

#: (suffix, media type, label) of the descriptions beside every page: every syntax mlcryst
#: writes (:data:`~mlcryst.export.formats.EXPORT_FORMATS`)
ALTERNATES: tuple[tuple[str, str, str], ...] = tuple(
    (f.suffix, f.media_type, f.label) for f in EXPORT_FORMATS.values()
)


def shell(
    path: str,
    title: str,
    body: str,
    *,
    iri: str | None = None,
    rdf: bool = False,
    schema: str = "",
    scripts: tuple[str, ...] = (),
    data: str = "",
) -> str:
    """A whole page: head (CSP, alternates, schema.org JSON-LD), navigation, ``body``."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(scripts))}">',
        f'<meta name="generator" content="mlcryst {esc(__version__)}">',
        f"<title>{esc(title)} · mlcryst</title>",
        '<link rel="icon" href="data:,">',
        f'<link rel="stylesheet" href="{esc(rel(path, "assets/site.css"))}">',
    ]
    if iri:
        head.append(f'<link rel="canonical" href="{esc(iri)}">')
    if rdf:
        doc = path.rstrip("/") + "/index." if path else "index."
        for suffix, media, _name in ALTERNATES:
            head.append(
                f'<link rel="alternate" type="{media}" href="{esc(rel(path, doc + suffix))}">'
            )
    if schema:
        head.append(f'<script type="application/ld+json">{schema}</script>')
    nav = " ".join(f'<a href="{esc(rel(path, target))}">{esc(name)}</a>' for target, name in NAV)
    search = (
        f'<form class="search" action="{esc(rel(path, "search/"))}" method="get" '
        'role="search"><input type="search" name="q" placeholder="Search labels" '
        'aria-label="Search labels"></form>'
    )
    foot = ""
    if rdf:
        doc = path.rstrip("/") + "/index." if path else "index."
        foot = "This description as " + ", ".join(
            f'<a href="{esc(rel(path, doc + suffix))}">{name}</a>'
            for suffix, _media, name in ALTERNATES
        )
        foot += ". "
    if iri:
        foot += f"IRI: <code>{esc(iri)}</code>"
    tail = data + "".join(f"<script>{s}</script>" for s in scripts)
    return (
        "\n".join(head)
        + "\n</head>\n<body>\n"
        + f"<header><nav>{nav}</nav>{search}</header>\n<main>\n{body}\n</main>\n"
        + f"<footer>{foot}</footer>\n{tail}</body>\n</html>\n"
    )


CSS = """\
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fff}
header{background:#12355b;padding:.4em 1em;display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
header nav a{color:#fff;margin-right:.8em;text-decoration:none}
header nav a:hover{text-decoration:underline}
header form{margin-left:auto}
header input{padding:.2em .4em}
main{max-width:70em;margin:0 auto;padding:1em 1.5em}
footer{max-width:77.78em;margin:2em auto;padding:0 1.667em;color:#555;font-size:.9em}
h1{font-size:1.6em;margin:.4em 0 .2em}
.kind{color:#666;font-size:.95em;margin:0}
.cite{font-size:1.05em;background:#f4f6f8;padding:.6em .8em;border-left:4px solid #12355b}
table{border-collapse:collapse;margin:.5em 0}
th,td{text-align:left;vertical-align:top;padding:.2em .6em;border-bottom:1px solid #ddd}
th{background:#f4f6f8}
th.sort{cursor:pointer}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ul.tree{list-style:none;padding-left:1.2em}
ul.tree>li{margin:.15em 0}
.muted{color:#666}
.letters a{margin-right:.5em}
code{font-size:.9em}
img.figure{max-width:100%;border:1px solid #ddd}
details{margin:1em 0}
"""

TABLE_JS = """\
(function(){
var t=document.getElementById('papers');if(!t)return;
var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var f=document.getElementById('filter'),n=document.getElementById('shown');
function show(){var q=f.value.toLowerCase(),k=0;rows.forEach(function(r){
var v=r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!v;if(v)k++;});n.textContent=k;}
f.addEventListener('input',show);
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){
th.classList.add('sort');th.addEventListener('click',function(){
var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-key')||a.cells[i].textContent,
y=b.cells[i].getAttribute('data-key')||b.cells[i].textContent;
var nx=parseFloat(x),ny=parseFloat(y);
if(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x&&String(ny)===y)return dir*(nx-ny);
return dir*x.localeCompare(y);});
rows.forEach(function(r){body.appendChild(r);});});});
show();})();
"""

SEARCH_JS = """\
(function(){
var items=JSON.parse(document.getElementById('labels').textContent);
var f=document.getElementById('q'),out=document.getElementById('results');
var p=new URLSearchParams(location.search);if(p.get('q'))f.value=p.get('q');
function run(){var q=f.value.trim().toLowerCase();out.textContent='';if(!q)return;
var k=0;for(var i=0;i<items.length&&k<200;i++){var it=items[i];
if(it[0].toLowerCase().indexOf(q)<0)continue;k++;
var li=document.createElement('li'),a=document.createElement('a');
a.href=it[1];a.textContent=it[0];li.appendChild(a);
var s=document.createElement('span');s.className='muted';s.textContent=' '+it[2];
li.appendChild(s);out.appendChild(li);}
if(!k){var li=document.createElement('li');li.textContent='Nothing found.';out.appendChild(li);}}
f.addEventListener('input',run);run();})();
"""
