"""The shapes of single lines of article text: prose, captions, credits, datelines.

These are rules about how news text is typeset (a caption ends with its
credit after a dash; a dateline is a capitalised place before a colon or a
dash), never lists of any one site's phrases. Both importers use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.normalise.bylines import is_name

_SENTENCE_END = tuple(".!?:;\"'”’)…")
_WORD = re.compile(r"\w+")
# A photo credit line: "Photo: AFP", "Photograph: Tim Robberts/Getty Images",
# "Image Credit: WeWork", "(Image: © TNG Collaboration)", "Credit...".
_CREDIT_LINE = re.compile(
    r"^\(?(?:(?:photo|image|picture|video)\s+)?(?:photo(?:graph)?|image|picture|illustration"
    r"|credit|courtesy)s?(?:\s+(?:credit|by))?\s*(?::|\.\.\.|…|-|—)\s*(?P<credit>.*?)\)?$",
    re.IGNORECASE,
)
# "Doug Mills/The New York Times", "Natalie Naccache | Bloomberg | Getty Images".
_AGENCY_CHAIN = re.compile(r"^[A-Z][\w.'’ -]{1,40}(?:\s*[/|]\s*[A-Z][\w.'’ -]{1,40})+$")
_TRAILING_CREDIT = re.compile(r"^(?P<caption>.{15,}?)\s*[—–]\s*(?P<credit>[^—–]{2,60})$")
_TRAILING_PAREN = re.compile(r"^(?P<caption>.{15,}?)\s*\((?P<credit>[^()]{2,60})\)$")
_TRAILING_PHOTO = re.compile(
    r"^(?P<caption>.{15,}?[.!?”\"’)])\s+(?P<credit>(?:photo|image|picture)s?(?:\s+credit)?:.{2,60})$",
    re.IGNORECASE,
)
# "... to the Moon [SpaceX via Nasa]", "... in La Paz. © Reuters / Jane Roe",
# "... in New York. REUTERS/John Doe": the credit closing a caption.
_TRAILING_BRACKET = re.compile(r"^(?P<caption>.{15,}?)\s*\[(?P<credit>[^\[\]]{2,60})\]$")
_TRAILING_COPYRIGHT = re.compile(r"^(?P<caption>.{15,}?[.!?”\"’)])\s*©\s*(?P<credit>[^©]{2,60})$")
_TRAILING_AGENCY = re.compile(
    r"^(?P<caption>.{15,}?[.!?”\"’)])\s+(?P<credit>[A-Z]{2,}(?:\s+[A-Z]{2,})?\s*/\s*[A-Z].{1,40})$"
)
_CREDIT_PREFIX = re.compile(r"^(?:photo|image|picture|file photo)(?:\s+credit)?:\s*", re.I)
_CLOSING_CREDIT = re.compile(
    r"^\(?(?:with\s+(?:additional\s+)?(?:input|reporting|inputs|contributions)\s+(?:from|by)"
    r"|(?:additional|further)\s+reporting\s+by|(?:reporting|writing|editing)\s+by"
    r"|compiled\s+by|edited\s+by|with\s+\w+(?:\s+\w+)?\s+wires?\b)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3}"
    r"(?:,\s+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)"
    r"[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,3})?)"
    r"(?P<rest>(?:,\s+[^()—–:]{3,30}?)?\s*(?:\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?\s*"
    r"(?:[:—–]|\s-)\s*)(?=\S)"
)


def words(text: str) -> int:
    return len(text.split())


def is_prose(line: str) -> bool:
    """A line that reads as running text: long, or a sentence of some length."""
    n = words(line)
    if n >= 10 and line.rstrip().endswith(_SENTENCE_END):
        return True
    # A long line of capitalised words without punctuation is a menu, not a sentence.
    capitalised = sum(w[0].isupper() for w in line.split())
    return n >= 20 and (capitalised < 0.5 * n or bool(re.search(r"[,.;:!?]\s", line)))


def is_sentence(line: str) -> bool:
    """Shorter running text, as a standfirst or a caption is written."""
    return words(line) >= 7 and not is_link_like(line)


def is_link_like(line: str) -> bool:
    return bool(re.search(r"https?://|www\.|\S+@\S+\.\w", line))


def credit_of(line: str) -> str | None:
    """The credit when the whole line is a photo credit, "" for a bare "Credit..." label."""
    m = _CREDIT_LINE.match(line)
    if m and words(m["credit"]) <= 8 and not m["credit"].endswith("."):
        return m["credit"].lstrip("© ").strip()
    if _AGENCY_CHAIN.match(line) and words(line) <= 10:
        return line.strip()
    return None


def _credit_shaped(text: str) -> bool:
    text = _CREDIT_PREFIX.sub("", text).strip()
    parts = [p.strip() for p in re.split(r"[/|,]| via ", text) if p.strip()]
    return bool(parts) and all(
        is_name(p, max_words=5) or p.lower() in {"file", "file photo", "handout"} for p in parts
    )


def _title_case(text: str) -> bool:
    capitalised = [w for w in text.split() if len(w) > 3]
    return bool(capitalised) and sum(w[0].isupper() for w in capitalised) > 0.6 * len(capitalised)


@dataclass(frozen=True)
class Caption:
    caption: str
    credit: str | None


def caption_with_credit(line: str) -> Caption | None:
    """A caption that ends with its credit: "... in Doha. — Reuters", "... (AFP)"."""
    patterns = (_TRAILING_CREDIT, _TRAILING_PAREN, _TRAILING_PHOTO, _TRAILING_BRACKET)
    for pattern in (*patterns, _TRAILING_COPYRIGHT, _TRAILING_AGENCY):
        m = pattern.match(line.strip())
        if pattern is _TRAILING_BRACKET and m and _title_case(m["caption"]):
            continue  # "Headline Of A Linked Story [Source]": a citation, not a caption
        if m and _credit_shaped(m["credit"]):
            credit = _CREDIT_PREFIX.sub("", m["credit"]).strip()
            return Caption(m["caption"].strip(), credit)
    return None


def is_closing_credit(line: str) -> bool:
    """True for "With additional input from Reuters", "Additional reporting by ..." and kin."""
    return words(line) <= 40 and bool(_CLOSING_CREDIT.match(line.strip()))


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """("ISLAMABAD", rest) for "ISLAMABAD: rest"; (None, paragraph) when there is none."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    place = m["place"].strip().rstrip(",")
    city = place.split(",")[0]
    if sum(ch.isupper() for ch in city) < 2 or any(ch.islower() for ch in city):
        return None, paragraph  # "The", "Mr" or a sentence, not a capitalised place
    return place, paragraph[m.end() :]


def is_heading(line: str) -> bool:
    """A sub-heading's shape: a few words, capitalised, not a sentence."""
    n = words(line)
    return (
        2 <= n <= 12
        and line[0].isupper()
        and not line.rstrip().endswith((".", ",", ";", ":", ">", "»"))
        and not is_link_like(line)
        and len(_WORD.findall(line)) >= 2
    )
