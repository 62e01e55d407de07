"""YAML written the way the curated files are written by hand: block style, lists indented
under their key, text quoted only where a reader would take it for something else.

Used to append records to ``papers.yaml``, ``people.yaml`` and ``journals.yaml`` as plain
text, so that every comment and the layout of the rest of the file stay byte for byte.

>>> rec = {"journal": "acta-a", "year": 2019, "authors": ["Gao, Z."], "pages": "1–2"}
>>> print(dump([rec]), end="")
- journal: acta-a
  year: 2019
  authors:
    - Gao, Z.
  pages: 1–2
>>> scalar("076"), scalar("no"), scalar("Gao, Z."), scalar("a: b")
("'076'", "'no'", 'Gao, Z.', "'a: b'")
"""

from __future__ import annotations

from typing import Any


def scalar(value: Any) -> str:
    """One scalar as YAML text that the data loader (YAML 1.2 core) reads back as ``value``."""
    import yaml

    from mlcryst.load.yamlio import resolve_plain

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)

    def dumped(style: str | None) -> str:
        out = yaml.safe_dump(text, allow_unicode=True, width=1 << 30, default_style=style)
        return str(out).removesuffix("\n...\n").removesuffix("\n")

    plain = dumped(None)
    if plain == text and resolve_plain(text) == text and type(resolve_plain(text)) is str:
        return plain
    if "\n" in plain or plain.startswith(("'", '"')):
        return plain
    return dumped("'")


def dump(value: Any, indent: int = 0) -> str:
    """Block-style YAML of lists, mappings and scalars."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                body = dump(item, indent + 2)
                lines.append(pad + "- " + body[indent + 2 :].rstrip("\n"))
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}- {'[]' if isinstance(item, list) else '{}'}")
            else:
                lines.append(f"{pad}- {scalar(item)}")
    elif isinstance(value, dict):
        for k, v in value.items():
            if (isinstance(v, list) and v) or (isinstance(v, dict) and v):
                lines.append(f"{pad}{k}:")
                lines.append(dump(v, indent + 2).rstrip("\n"))
            elif isinstance(v, (list, dict)):
                lines.append(f"{pad}{k}: {'[]' if isinstance(v, list) else '{}'}")
            else:
                lines.append(f"{pad}{k}: {scalar(v)}")
    else:
        lines.append(pad + scalar(value))
    return "\n".join(lines) + "\n"


def append_text(original: bytes, addition: str) -> bytes:
    """``original`` with ``addition`` after it, on a line of its own."""
    if original and not original.endswith(b"\n"):
        original += b"\n"
    return original + addition.encode("utf-8")
