"""Unicode checks of curated text: refused characters, NFC, and mixed-script names.

Curated data is read as NFC (composed) Unicode. Characters that cannot be seen, or that change
how the text around them is shown, are refused wherever they occur in a data file: control
characters (Unicode category Cc) other than tab and line feed (and a carriage return that
ends a line), format characters (Cf: zero-width spaces and joiners, direction marks and
overrides, the byte-order mark, the soft hyphen), line and paragraph separators, spaces other
than U+0020, surrogates, private-use and unassigned code points, and a few invisible letters.

>>> [describe(c) for _, c in refused("Juha\\u200bs, P.\\x07")]
['U+200B ZERO WIDTH SPACE', 'U+0007 (a control character)']
>>> mixed_script("Feigenbaum, E. A.") is None
True
>>> mixed_script("Fеigenbaum, E. A.")  # a Cyrillic e
'letters of more than one script: LATIN and CYRILLIC (U+0435 CYRILLIC SMALL LETTER IE)'
"""

from __future__ import annotations

import re
import unicodedata

#: Everything but the characters that are surely fine (printable ASCII, tab, line feed, and
#: the Latin, Greek and Cyrillic letters and punctuation curated text uses most). What this
#: matches is looked at one distinct character at a time (see :func:`refused`); the test suite
#: checks that no character of the ranges left out is refused.
_SUSPECT = re.compile(
    "[^\t\n\x20-\x7e\u00a1-\u00ac\u00ae-\u034e\u0350-\u0377\u037a-\u037f\u0384-\u038a"
    "\u038c\u038e-\u03a1\u03a3-\u052f\u2010-\u2027\u2030-\u205e]"
)
#: categories refused anywhere: control, format, surrogate, private use, unassigned,
#: line and paragraph separators, and (below) every space but U+0020
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})
#: invisible characters of other categories: combining grapheme joiner, Hangul fillers,
#: Khmer inherent vowels, Mongolian free variation selectors, variation selectors
_INVISIBLE = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)


def is_refused(ch: str) -> bool:
    """Whether the character ``ch`` may not occur in curated data (tab and line feed may)."""
    if ch in "\t\n ":
        return False
    return unicodedata.category(ch) in _REFUSED_CATEGORIES or ord(ch) in _INVISIBLE


def refused(text: str, limit: int = 20) -> list[tuple[int, str]]:
    """(index, character) of the first ``limit`` refused characters of ``text``.

    A carriage return directly before a line feed (a Windows line end) is allowed.
    """
    bad = {c for c in set(_SUSPECT.findall(text)) if is_refused(c)}
    if not bad:
        return []
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(bad)) + "]")
    out: list[tuple[int, str]] = []
    for m in pattern.finditer(text):
        if m.group() == "\r" and text.startswith("\n", m.end()):
            continue
        out.append((m.start(), m.group()))
        if len(out) >= limit:
            break
    return out


def describe(ch: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: the code point and its Unicode name."""
    name = unicodedata.name(ch, "")
    if not name:
        cat = unicodedata.category(ch)
        name = {"Cc": "(a control character)", "Cn": "(unassigned)", "Co": "(private use)"}.get(
            cat, f"(category {cat})"
        )
    return f"U+{ord(ch):04X} {name}"


def line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    line = text.count("\n", 0, index) + 1
    return line, index - text.rfind("\n", 0, index)


def nfc(value: str) -> tuple[str, bool]:
    """``value`` in NFC, and whether it already was."""
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value, True
    return unicodedata.normalize("NFC", value), False


def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name (None for modifier letters)."""
    if unicodedata.category(ch) == "Lm":
        return None
    word = unicodedata.name(ch, "?").split(" ", 1)[0]
    return "CJK" if word in ("CJK", "HIRAGANA", "KATAKANA") else word


def mixed_script(name: str) -> str | None:
    """What is wrong when ``name`` has letters of more than one script, else None."""
    if name.isascii():
        return None
    letters: dict[str, list[str]] = {}
    for ch in name:
        script = _script(ch) if ch.isalpha() else None
        if script is not None:
            letters.setdefault(script, []).append(ch)
    if len(letters) < 2:
        return None
    main, *others = sorted(letters, key=lambda s: -len(letters[s]))
    odd = min(others, key=lambda s: name.index(letters[s][0]))
    return f"letters of more than one script: {main} and {odd} ({describe(letters[odd][0])})"
