"""Route numbers of Chinese roads, however they are written: 107国道 = 国道107 = G107 = G107国道 → ``G107``.

National roads (国道) are G + number, provincial roads (省道) S + number, county and township roads X/Y + number;
expressways are G/S + number too (G4, G0422, S31). A route number is a place name only where its digits stand
alone: S31 is not inside S318, and 2025 in 2025年 is no road.

>>> [(m.text, m.ref) for m in find_routes("沿107国道、G351双溪至横沟段和329省道")]
[('107国道', 'G107'), ('G351', 'G351'), ('329省道', 'S329')]
>>> normalise("国道 106")
'G106'
>>> normalise("S318") == normalise("S31")
False
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: Chinese route class words and the letter they stand for.
_CLASS_LETTER = {"国道": "G", "省道": "S", "县道": "X", "乡道": "Y"}
_GLUE = re.compile(r"[0-9A-Za-z]")
_ANCHOR = re.compile(r"[GSXY国省县乡][0-9道]")
_ROUTE = re.compile(  # boundaries are checked in Python: lookbehinds here would make every scan ~3x slower
    r"(?P<letter>[GS])(?P<n1>\d{1,4})(?P<tail1>国道|省道|县道|乡道)?"
    r"|(?P<letter_xy>[XY])(?P<n1_xy>\d{3})(?P<tail_xy>县道|乡道)?"
    r"|(?P<n2>\d{1,4})\s?(?P<class2>国道|省道|县道|乡道)"
    r"|(?P<class3>国道|省道|县道|乡道)\s?(?P<n3>\d{1,4})"
)


@dataclass(frozen=True, slots=True)
class Route:
    """A route number found in a text: where it stands, as written, and its canonical reference."""

    start: int
    end: int
    text: str
    ref: str


def find_routes(text: str) -> Iterator[Route]:
    """Every route number in ``text``, left to right, with its canonical reference."""
    done = 0
    for anchor in _ANCHOR.finditer(text):  # a cheap scan for G1…, S3…, 国道, 省道…; the full pattern runs only there
        at = anchor.start()
        if anchor.group(0)[1] == "道":  # 107国道 or 国道107: the digits may stand before the class word
            before = at - (at > 0 and text[at - 1] == " ")
            digits = before
            while digits > 0 and before - digits < 4 and text[digits - 1].isdigit():
                digits -= 1
            starts = (digits, at) if digits < before else (at,)
        else:
            starts = (at,)
        for start in starts:
            match = _ROUTE.match(text, start) if start >= done else None
            ref = None if match is None else _ref(match)
            if ref is not None:
                yield Route(match.start(), match.end(), match.group(0), ref)
                done = match.end()
                break


def stands_alone(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` has no letter or digit glued to either side (S31 in S318 does not).

    >>> stands_alone("S318", 0, 3), stands_alone("经S31至", 1, 4)
    (False, True)
    """
    return not ((start > 0 and _GLUE.match(text, start - 1)) or (end < len(text) and _GLUE.match(text, end)))


def normalise(written: str) -> str | None:
    """The canonical reference of a name that is only a route number (``None`` for anything else).

    >>> normalise("G107国道"), normalise("107 国道"), normalise("京港澳高速")
    ('G107', 'G107', None)
    """
    match = _ROUTE.fullmatch(written.strip())
    return None if match is None else _ref(match)


def _ref(match: re.Match[str]) -> str | None:
    text, start, end = match.string, match.start(), match.end()
    number_end = match.end("n1") if match.group("n1") else match.end("n1_xy") if match.group("n1_xy") else \
        match.end("n3") if match.group("n3") else match.end("n2")
    if (start > 0 and _GLUE.match(text, start - 1)) or (number_end < len(text) and text[number_end].isdigit()):
        return None  # digits or letters run on: S31 in S318, 2025 in 12025
    letter = match.group("letter") or match.group("letter_xy")
    if letter:
        tail = match.group("tail1") or match.group("tail_xy")
        if tail and _CLASS_LETTER[tail] != letter:
            return None  # G107省道 contradicts itself
        return letter + (match.group("n1") or match.group("n1_xy"))
    number, word = (match.group("n2"), match.group("class2")) if match.group("n2") else \
        (match.group("n3"), match.group("class3"))
    return _CLASS_LETTER[word] + number
