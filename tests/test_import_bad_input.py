"""Bad input to `sitegen import`: one `path: message` per bad file, the batch goes on.

Every case runs in one batch with good files through the real command line, so the
test also shows that a failure never stops the others, that an edited article is
never overwritten, and that the exit status is 1.
"""

from __future__ import annotations

import random
from pathlib import Path

from sitegen.frontmatter import MAX_FILE_BYTES
from sitegen.normalise.sources import MAX_SOURCE_BYTES

from conftest import FIXTURES, run_sitegen

IMPORT = FIXTURES / "import"
GOOD = IMPORT / "reuters-dateline.txt"
ARTICLES = Path("content/articles/2025/10")
GOOD_TARGET = ARTICLES / "taliban-officials-say-border-crossings-to-reopen-next.md"
KEPT = IMPORT / "city-colon.txt"
KEPT_TARGET = ARTICLES / "wheat-support-price-raised-ahead-of-sowing-season.md"
EDITED = "---\ntitle: Edited by hand\ndate: 2025-10-01\n---\nA reporter's corrections.\n"


def _long_article(size: int) -> str:
    """A real article whose body runs on past `size` bytes of distinct paragraphs."""
    words = ("wheat", "price", "farmers", "said", "the", "growers", "sowing", "support")
    rng = random.Random(10)
    paragraphs = [KEPT.read_text(encoding="utf-8")]
    total = 0
    while total < size:
        paragraph = " ".join(rng.choice(words) for _ in range(60)) + ".\n\n"
        paragraphs.append(paragraph)
        total += len(paragraph)
    return "".join(paragraphs)


def _bad_inputs(inbox: Path) -> dict[Path, str]:
    """Each bad source and the message it must get."""
    inbox.mkdir()
    cases = {
        "empty.txt": (b"", "file is empty"),
        "photo.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text or HTML"),
        "no-headline.txt": (b"and then some words.\n", "no headline found"),
        "long.txt": (_long_article(MAX_FILE_BYTES).encode("utf-8"),
                     "the article would be 5.0 MB; the build's limit is 5 MB"),
    }
    expected = {}
    for name, (data, message) in cases.items():
        (inbox / name).write_bytes(data)
        expected[inbox / name] = message
    huge = inbox / "huge.txt"
    with huge.open("wb") as file:  # sparse: the size is refused before anything is read
        file.truncate(MAX_SOURCE_BYTES + 1)
    expected[huge] = "file is too large (20.0 MB; the limit is 20 MB)"
    expected[IMPORT / "no-date.txt"] = (
        "no date found (relative dates such as '2 hours ago' are not used)")
    expected[IMPORT / "no-article.html"] = "no article text found in the page"
    return expected


def test_each_bad_file_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    site = tmp_path / "site"
    existing = site / KEPT_TARGET
    existing.parent.mkdir(parents=True)
    existing.write_text(EDITED, encoding="utf-8")
    bad = _bad_inputs(tmp_path / "inbox")
    sources = [*bad, KEPT, GOOD]

    result = run_sitegen("import", *sources, "--into", site)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = [f"{path}: {message}" for path, message in bad.items()]
    expected.append(f"{existing}: exists with different content; not overwritten (use --force)")
    assert result.stderr.splitlines() == expected
    assert result.stdout == f"{site / GOOD_TARGET}\n"
    assert existing.read_text(encoding="utf-8") == EDITED
    assert (site / GOOD_TARGET).read_text(encoding="utf-8").startswith("---\ntitle: Taliban")
    written = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert written == sorted([GOOD_TARGET, KEPT_TARGET])  # no partial or temporary files


def test_a_long_article_is_reported_even_when_the_rest_is_fine(tmp_path: Path) -> None:
    """The build refuses files over its limit, so the importer must not write one."""
    source = tmp_path / "long.txt"
    source.write_text(_long_article(MAX_FILE_BYTES), encoding="utf-8")
    result = run_sitegen("import", source, "--dry-run", "--into", tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{source}: the article would be ")
