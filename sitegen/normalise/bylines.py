"""Bylines: the names of who wrote a story, as printed.

"By Zarmeen Zehra", "By A and B", "A | B", "Tom Krisher, AP Auto Writer",
"Reuters", "Our Correspondent": the names are kept, job titles and
publication names printed after them are not.
"""

from __future__ import annotations

import re

_BY = re.compile(r"^(?:written\s+|posted\s+|reported\s+)?by[:\s]+", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:\||/|;|,|&|\band\b|\bwith\b| - | – | — )\s*", re.IGNORECASE)
# Words that name a job, not a person: what follows a name in "Name, Staff Writer".
# Generic newsroom vocabulary, not any site's wording.
_ROLE_WORDS = {
    "writer", "staff", "reporter", "correspondent", "editor", "contributor", "columnist",
    "producer", "analyst", "bureau", "desk", "team", "special", "senior", "chief",
    "associate", "contributing", "freelance", "journalist", "photographer", "opinion",
}  # fmt: skip
_DESK_WORDS = {"bureau", "desk", "team", "newsroom"}
_PARTICLES = {"de", "da", "del", "della", "der", "di", "du", "la", "le", "van", "von", "bin", "al"}
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.|al-\w+|O’\w+)$")
_HANDLE = re.compile(r"@\w+")
# Copying glues adjacent elements: "By Meg JamesStaff Writer".
_GLUED_ROLE = re.compile(
    r"(?<=[a-z])(?=(?:{})\b)".format("|".join(sorted(w.title() for w in _ROLE_WORDS)))
)

# Two elements run together, the second capitalised straight after the first's
# last word: "Marcus De GuzmanView More Articles". Four lower-case letters must
# come before the join, so that "McDonald", "MacBook" and "DeShawn" stay whole.
_GLUE = re.compile(r"(?<=[a-z]{4})(?=[A-Z][a-z])")


def is_name(text: str, *, max_words: int = 4) -> bool:
    """True when `text` has the shape of a person's or an agency's name."""
    words = text.split()
    if not 1 <= len(words) <= max_words or any(ch.isdigit() for ch in text):
        return False
    if words[0].lower() in _PARTICLES:
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words)


def _is_role(segment: str) -> bool:
    words = {w.lower().strip(".,") for w in segment.split()}
    return bool(words & _ROLE_WORDS) and not segment.lower().startswith("our ")


def is_desk(text: str) -> bool:
    """ "News Nation Bureau", "Metro Desk": a newsroom desk printed as a byline.

    Unlike a job title ("AP Auto Writer"), a desk is not printed after a
    person's name: it stands for the byline itself.
    """
    return is_name(text) and bool({w.lower().strip(".,") for w in text.split()} & _DESK_WORDS)


def parse_byline(text: str) -> tuple[str, ...]:
    """The names in a byline; () when the text does not read as one.

    The first segment is the name even when it is a role-like phrase such as
    "Our Correspondent"; later segments are kept only when they are names too.
    """
    text = _HANDLE.sub(" ", text).strip().strip(",;|-–— ")
    text = _GLUED_ROLE.sub(" - ", _BY.sub("", text).strip())
    text = glued_name(text) or text
    names: list[str] = []
    for index, segment in enumerate(s.strip(" .,") for s in _SEPARATORS.split(text)):
        if not segment:
            continue
        if index > 0 and (_is_role(segment) or " " not in segment):
            continue  # "Staff Writer", "Cleveland.com", "Reuters, Washington"
        if is_name(segment) and segment not in names:
            names.append(segment)
        elif index == 0:
            return ()
    return tuple(names)


def starts_with_by(line: str) -> bool:
    """A line that opens with "By" (or "written by") followed by a capitalised word."""
    return bool(re.match(r"^(?:[Ww]ritten\s+)?[Bb][Yy][:\s]+[A-Z]", line.strip()))


def has_role(line: str) -> bool:
    """ "Tom Krisher, AP Auto Writer": a name followed by a job title."""
    segments = [s for s in _SEPARATORS.split(line) if s.strip()]
    return len(segments) > 1 and is_name(segments[0]) and any(_is_role(s) for s in segments[1:])


def glued_name(line: str) -> str | None:
    """The name of "Marcus De GuzmanView More Articles": a full name glued to a link."""
    parts = _GLUE.split(line, maxsplit=1)
    # Both sides of more than one word: "Search SlashGear" is a brand, not a join.
    if len(parts) == 2 and all(len(p.split()) >= 2 for p in parts) and is_name(parts[0]):
        return parts[0]
    return None
