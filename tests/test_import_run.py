"""`run_import`: where files go, what is printed, overwrites, failures, encodings."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml

from sitegen.normalise import run_import

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SAMPLE = FIXTURES / "pak-afghan-talks-final-round.txt"
SAMPLE_OUT = Path("content/articles/2025/10/pak-afghan-last-ditch-talks-enter-final-round.md")


def run(sources: list[Path], into: Path, **flags: bool) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_import(sources, into, stdout=out, stderr=err, **flags)
    return status, out.getvalue(), err.getvalue()


def front_matter(path: Path) -> dict[str, object]:
    _, meta, _ = path.read_text(encoding="utf-8").split("---\n", 2)
    loaded = yaml.safe_load(meta)
    assert isinstance(loaded, dict)
    return loaded


def test_writes_the_article_and_prints_its_path(tmp_path: Path) -> None:
    status, out, err = run([SAMPLE], tmp_path)
    assert (status, err) == (0, "")
    assert out == f"{tmp_path / SAMPLE_OUT}\n"
    meta = front_matter(tmp_path / SAMPLE_OUT)
    assert list(meta) == ["title", "dek", "byline", "date", "section", "images", "credits"]
    assert meta["images"] == [{"caption": meta["images"][0]["caption"], "credit": "Reuters"}]  # type: ignore[index]
    assert str(meta["date"]) == "2025-10-28"


def test_front_matter_round_trips_awkward_strings(tmp_path: Path) -> None:
    run([FIXTURES / "jsonld-figure.html"], tmp_path)
    (written,) = (tmp_path / "content/articles/2025/10").iterdir()
    meta = front_matter(written)
    assert meta["dek"] == "Container traffic rose by a fifth in September, the port authority said."
    assert str(meta["updated"]) == "2025-10-29 09:10:00+05:00"
    assert "updated: 2025-10-29T09:10:00+05:00\n" in written.read_text(encoding="utf-8")


def test_same_source_gives_the_same_bytes(tmp_path: Path) -> None:
    run([SAMPLE], tmp_path)
    first = (tmp_path / SAMPLE_OUT).read_bytes()
    status, out, err = run([SAMPLE], tmp_path)
    assert (status, err) == (0, "")
    assert (tmp_path / SAMPLE_OUT).read_bytes() == first


def test_different_file_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / SAMPLE_OUT
    target.parent.mkdir(parents=True)
    target.write_text("edited by hand\n", encoding="utf-8")
    status, out, err = run([SAMPLE, FIXTURES / "city-colon.txt"], tmp_path)
    assert status == 0
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
    assert err == f"{target}: exists with different content; not overwritten (use --force)\n"
    assert out.strip().endswith("wheat-support-price-raised-ahead-of-sowing-season.md")
    status, out, err = run([SAMPLE], tmp_path, force=True)
    assert (status, out, err) == (0, f"{target}\n", "")
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: Pak-Afghan")


def test_dry_run_prints_instead_of_writing(tmp_path: Path) -> None:
    status, out, _ = run([SAMPLE], tmp_path, dry_run=True)
    assert status == 0
    assert out.startswith(f"{tmp_path / SAMPLE_OUT}\n---\ntitle: Pak-Afghan")
    assert "## Pak-Afghan tensions" in out
    assert not (tmp_path / "content").exists()


def test_folders_are_walked_in_order_and_failures_do_not_stop_the_batch(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("no-date.txt", "city-colon.txt", "reuters-dateline.txt"):
        shutil.copy(FIXTURES / name, inbox / name)
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")  # not walked
    status, out, err = run([inbox], tmp_path / "site")
    assert status == 1
    assert err == (
        f"{inbox / 'no-date.txt'}: no date found (relative dates such as '2 hours ago' "
        "are not used)\n"
    )
    assert [Path(line).name for line in out.splitlines()] == [
        "wheat-support-price-raised-ahead-of-sowing-season.md",
        "taliban-officials-say-border-crossings-to-reopen-next.md",
    ]


def test_tags_are_proposed_from_topic_titles_and_aliases(tmp_path: Path) -> None:
    topics = tmp_path / "content" / "topics"
    topics.mkdir(parents=True)
    (topics / "pak-afghan-talks.md").write_text(
        "---\ntitle: Pak-Afghan talks\n"
        "aliases: [Istanbul talks, Pakistan-Afghanistan talks]\n---\n",
        encoding="utf-8",
    )
    (topics / "ttp.md").write_text("---\ntitle: TTP\n---\n", encoding="utf-8")
    (topics / "wheat.md").write_text("---\ntitle: Wheat prices\n---\n", encoding="utf-8")
    status, _, err = run([SAMPLE], tmp_path)
    assert (status, err) == (0, "")
    assert front_matter(tmp_path / SAMPLE_OUT)["tags"] == ["Pak-Afghan talks", "TTP"]


ARTICLE = (SAMPLE.read_text(encoding="utf-8")).replace("Turkiye", "Türkiye")


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        ARTICLE.encode("utf-16"),
        ARTICLE.replace("\n", "\r\n").encode("utf-8"),
        ARTICLE.replace("“", '"').replace("”", '"').replace("’", "'").encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "crlf", "cp1252"],
)
def test_encodings(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "article.txt"
    source.write_bytes(data)
    status, _, err = run([source], tmp_path / "site")
    assert (status, err) == (0, "")
    written = (tmp_path / "site" / SAMPLE_OUT).read_text(encoding="utf-8")
    assert "mediator Türkiye are making" in written
    assert "\r" not in written and "\ufeff" not in written


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file, not text or HTML"),
        (b"Headline\n\x81\x8d\x8f\x90\x9d text", "unknown encoding: not UTF-8, UTF-16 or cp1252"),
        (b"", "file is empty"),
    ],
)
def test_unreadable_inputs_are_reported(tmp_path: Path, data: bytes, message: str) -> None:
    source = tmp_path / "bad.txt"
    source.write_bytes(data)
    status, out, err = run([source, SAMPLE], tmp_path)
    assert status == 1
    assert err == f"{source}: {message}\n"
    assert out == f"{tmp_path / SAMPLE_OUT}\n"


def test_missing_file_is_reported(tmp_path: Path) -> None:
    status, _, err = run([tmp_path / "nope.txt"], tmp_path)
    assert status == 1
    assert err.startswith(f"{tmp_path / 'nope.txt'}: cannot read file: ")
