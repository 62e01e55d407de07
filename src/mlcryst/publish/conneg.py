"""Content negotiation for the published site: one IRI, a page for people, RDF for machines.

The W3C "Cool URIs for the Semantic Web" recipe with direct serving: a request for an IRI's
path gets ``index.html`` by default, or ``index.ttl``, ``index.nt``, ``index.jsonld`` or
``index.rdf`` when the first type the client's ``Accept`` header names is Turtle,
N-Triples, JSON-LD or RDF/XML (``Vary: Accept``; each file also has its own URL).

* :func:`nginx_rules`: a ``map`` and a ``server`` block for the ``http {}`` context
  (``conneg/nginx.conf`` in the site); :func:`nginx_main` wraps them in a complete,
  non-root configuration (what ``mlcryst serve`` and the tests run).
* :func:`htaccess`: the same for Apache (``.htaccess`` at the site root, mod_rewrite).
* :func:`w3id_htaccess`: the redirect rules for the w3id.org repository, from the base to
  where the site is deployed (303, Accept passed on).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mlcryst.export.formats import EXPORT_FORMATS

#: (suffix, media type, Accept pattern) in the order they are tried: every syntax mlcryst
#: writes (:data:`~mlcryst.export.formats.EXPORT_FORMATS`), "+" escaped in the pattern
RDF_TYPES: tuple[tuple[str, str, str], ...] = tuple(
    (f.suffix, f.media_type, f.media_type.replace("+", "\\+")) for f in EXPORT_FORMATS.values()
)


def nginx_rules(
    root: str,
    listen: str = "80",
    *,
    sparql: str | None = None,
    sparql_timeout: int = 30,
) -> str:
    """The ``map`` and ``server`` blocks (for inclusion in ``http {}``) serving ``root``.

    ``sparql`` (``host:port`` of an Oxigraph server) proxies ``/sparql`` (GET and POST, the
    SPARQL 1.1 protocol) to its ``/query`` with a read time limit of ``sparql_timeout``
    seconds; a GET with no query string is redirected to ``/sparql/yasgui/``, the query
    editor (YASGUI) the server ships.
    """
    maps = "\n".join(f'    "~*^\\s*{pattern}" {suffix};' for suffix, _media, pattern in RDF_TYPES)
    types = "\n".join(f"        {media} {suffix};" for suffix, media, _p in RDF_TYPES)
    proxy = sparql_map = ""
    if sparql:
        sparql_map = """
# a browser asking for /sparql with no query is sent to the query editor
map "$request_method:$args" $mlcryst_sparql_editor {
    default 0;
    "GET:" 1;
}
"""
        limits = f"""proxy_read_timeout {sparql_timeout}s;
        proxy_connect_timeout 5s;
        proxy_set_header Host $host;"""
        # the editor's page, like the site's, makes no request outside the site (YASGUI
        # would fetch prefix.cc for its prefix completion)
        csp = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
        )
        editor = f"""        proxy_pass http://{sparql}@TARGET@;
        limit_except GET {{ deny all; }}
        add_header Content-Security-Policy "{csp}" always;
        add_header X-Content-Type-Options nosniff always;"""
        proxy = f"""
    location = /sparql {{
        limit_except GET POST {{ deny all; }}
        absolute_redirect off;
        if ($mlcryst_sparql_editor) {{ return 303 /sparql/yasgui/; }}
        proxy_pass http://{sparql}/query;
        {limits}
    }}
    # YASGUI, as the Oxigraph server ships it: its page queries <page>/sparql
    location = /sparql/yasgui/sparql {{
        limit_except GET POST {{ deny all; }}
        proxy_pass http://{sparql}/query;
        {limits}
    }}
    location = /sparql/yasgui/ {{
{editor.replace("@TARGET@", "/")}
    }}
    location = /sparql/yasgui/yasgui.min.js {{
{editor.replace("@TARGET@", "/yasgui.min.js")}
    }}
    location = /sparql/yasgui/yasgui.min.css {{
{editor.replace("@TARGET@", "/yasgui.min.css")}
    }}
"""
    return f"""# mlcryst: content negotiation (W3C Cool URIs, direct serving). Include in http {{}}.
map $http_accept $mlcryst_ext {{
    default html;
{maps}
}}
{sparql_map}
server {{
    listen {listen};
    root {root};
    charset utf-8;
    server_tokens off;
    types {{
        text/html html;
        text/css css;
        text/plain txt;
        application/xml xml;
        image/png png;
        image/svg+xml svg;
        application/json json;
{types}
    }}
    default_type application/octet-stream;
    add_header X-Content-Type-Options nosniff always;
    error_page 404 /404.html;
{proxy}
    location / {{
        add_header Vary Accept always;
        add_header X-Content-Type-Options nosniff always;
        try_files $uri/index.$mlcryst_ext $uri $uri/index.html =404;
    }}
}}
"""


def nginx_main(root: str, host: str, port: int, prefix: str, **kwargs: object) -> str:
    """A complete nginx configuration that needs no root: pid, logs and temporary files in
    ``prefix``, one worker (as the same user), listening on ``host:port``."""
    import grp
    import os
    import pwd

    tmp = f"{prefix}/tmp"
    # started by root, nginx would run its workers as "nobody", who cannot read a private
    # folder: keep them as the user who asked (only root may name a user at all)
    user = ""
    if os.geteuid() == 0:
        user = f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(os.getegid()).gr_name};\n"
    server = nginx_rules(root, f"{host}:{port}", **kwargs)  # type: ignore[arg-type]
    indented = "\n".join(("    " + line) if line else "" for line in server.splitlines())
    return f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{indented}
}}
"""


def htaccess() -> str:
    """Apache rules (mod_rewrite, mod_headers) for the site root: the same negotiation."""
    rules = []
    for suffix, _media, pattern in RDF_TYPES:
        rules.append(
            f"RewriteCond %{{HTTP_ACCEPT}} ^\\s*{pattern} [NC]\n"
            f"RewriteCond %{{REQUEST_FILENAME}}/index.{suffix} -f\n"
            f"RewriteRule ^(.*?)/?$ $1/index.{suffix} [L]\n"
        )
    types = "\n".join(f"AddType {media} .{suffix}" for suffix, media, _p in RDF_TYPES)
    return f"""# mlcryst: content negotiation (W3C Cool URIs, direct serving) for Apache 2.4.
Options -Indexes -MultiViews
DirectoryIndex index.html
DirectorySlash Off
ErrorDocument 404 /404.html
{types}
AddType text/html .html
AddDefaultCharset utf-8
<IfModule mod_headers.c>
Header append Vary Accept
</IfModule>
RewriteEngine On
{"".join(rules)}RewriteCond %{{REQUEST_FILENAME}}/index.html -f
RewriteRule ^(.*?)/?$ $1/index.html [L]
"""


def w3id_htaccess(base: str, deploy_url: str) -> str:
    """The w3id.org redirect: every path under the base's folder to the same path under
    ``deploy_url`` (303 See Other; the Accept header travels with the redirected request)."""
    folder = urlsplit(base).path.strip("/")
    target = deploy_url.rstrip("/") + "/"
    return f"""# w3id.org/{folder}: redirect to the mlcryst site
# (content negotiation happens there).
Options +FollowSymLinks
RewriteEngine on
RewriteRule ^$ {target} [R=303,L]
RewriteRule ^(.*)$ {target}$1 [R=303,L]
"""
