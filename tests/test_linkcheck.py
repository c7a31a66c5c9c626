"""The link checker over small hand-written site trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.linkcheck import check_links

HEAD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<link rel="stylesheet" href="{root}assets/site.1a2b3c.css">\n'
    '<script src="{root}assets/app.4d5e6f.js" defer></script>\n</head>\n'
)


def page(body: str, root: str = "/") -> str:
    return HEAD.format(root=root) + "<body>\n" + body + "\n</body>\n</html>\n"


def write_tree(site: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def good_files(root: str = "/") -> dict[str, str]:
    """A small site whose every link works: pages, anchors, assets, relative links."""
    return {
        "assets/site.1a2b3c.css": "body{}",
        "assets/app.4d5e6f.js": "",
        "assets/photo-400.jpg": "",
        "assets/photo-800.jpg": "",
        "feed.xml": "<feed/>",
        "index.html": page(
            '<a href="#main">Skip</a>\n<main id="main">\n'
            f'<a href="{root}2025/10/talks/">Talks</a>\n'
            f'<a href="{root}2025/10/talks/#corrections">Corrections</a>\n'
            f'<a href="{root}topics/pak-afghan-talks">Topic, no slash</a>\n'
            f'<a href="{root}feed.xml">Feed</a> <a href="{root}search/?q=talks">Search</a>\n'
            '<a href="https://example.com/nope/">Elsewhere</a>\n'
            '<a href="//cdn.example.com/x/">Protocol-relative</a>\n'
            '<a href="mailto:x@example.com">Mail</a>\n'
            '<a href="tel:+921234">Call</a> <img src="data:image/gif;base64,R0lGOD" alt="">\n'
            '<a href="#">Top</a> <a href="#top">Top again</a>\n</main>',
            root,
        ),
        "2025/10/talks/index.html": page(
            '<h1 id="title">Talks</h1>\n'
            '<picture><source srcset="../../../assets/photo-800.jpg 800w, '
            '../../../assets/photo-400.jpg 400w">\n'
            '<img src="../../../assets/photo-400.jpg" '
            f'srcset="{root}assets/photo-400.jpg 1x, {root}assets/photo-800.jpg 2x" alt="x">'
            "</picture>\n"
            '<section id="corrections"><a href="../../../">Home</a> '
            '<a href="#title">Up</a> <a href="../../../index.html#main">Main</a></section>',
            root,
        ),
        "topics/pak-afghan-talks/index.html": page(
            '<a name="old-anchor"></a><a href="../../2025/10/talks/#title">Talks</a>', root
        ),
        "search/index.html": page('<a href="/{}">Home</a>'.format(root.lstrip("/")), root),
    }


def messages(site: Path, base_path: str = "/") -> list[str]:
    return [str(e) for e in check_links(site, base_path)]


def test_a_good_tree_passes(tmp_path: Path) -> None:
    assert messages(write_tree(tmp_path, good_files())) == []


def test_a_broken_link_names_the_page_and_line(tmp_path: Path) -> None:
    files = good_files()
    files["2025/10/talks/index.html"] = page(
        '<p>Intro</p>\n<a href="/topics/nope/">Nope</a>\n<a href="../missing/">Relative</a>'
    )
    errors = check_links(write_tree(tmp_path, files))
    assert [str(e) for e in errors] == [
        "2025/10/talks/index.html:10: broken link to /topics/nope/",
        "2025/10/talks/index.html:11: broken link to ../missing/",
        # the home page's anchor into the rewritten page now fails too
        "index.html:12: missing anchor #corrections in /2025/10/talks/",
        "topics/pak-afghan-talks/index.html:9: missing anchor #title in ../../2025/10/talks/",
    ]
    assert errors[0].path == Path("2025/10/talks/index.html")
    assert errors[0].line == 10


def test_a_missing_anchor_fails_on_the_same_page_and_on_another(tmp_path: Path) -> None:
    files = good_files()
    files["search/index.html"] = page('<a href="#results">Results</a>\n<a href="/#nope">Home</a>')
    assert messages(write_tree(tmp_path, files)) == [
        "search/index.html:9: missing anchor #results in /search/",
        "search/index.html:10: missing anchor #nope in /",
    ]


def test_a_name_counts_as_an_anchor(tmp_path: Path) -> None:
    files = good_files()
    files["search/index.html"] = page('<a href="/topics/pak-afghan-talks/#old-anchor">Old</a>')
    assert messages(write_tree(tmp_path, files)) == []


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="/assets/gone.png" alt="">',
        '<img src="/assets/photo-400.jpg" srcset="/assets/gone.png 2x" alt="">',
        '<picture><source srcset="/assets/gone.png"><img src="/assets/photo-400.jpg"></picture>',
        '<link rel="icon" href="/assets/gone.png">',
        '<script src="/assets/gone.png"></script>',
        '<video><source src="/assets/gone.png"></video>',
    ],
)
def test_a_missing_asset_fails(tmp_path: Path, markup: str) -> None:
    files = good_files()
    files["search/index.html"] = page(markup)
    assert messages(write_tree(tmp_path, files)) == [
        "search/index.html:9: missing asset /assets/gone.png"
    ]


def test_missing_stylesheet_in_the_head_is_reported_on_every_page(tmp_path: Path) -> None:
    files = good_files()
    del files["assets/site.1a2b3c.css"]
    errors = messages(write_tree(tmp_path, files))
    assert len(errors) == 4
    assert errors[0] == "2025/10/talks/index.html:5: missing asset /assets/site.1a2b3c.css"


def test_a_javascript_url_is_an_error(tmp_path: Path) -> None:
    files = good_files()
    files["search/index.html"] = page('<a href=" JavaScript:alert(1)">Run</a>')
    assert messages(write_tree(tmp_path, files)) == [
        "search/index.html:9: javascript: URL in a link: never allowed in the output"
    ]


def test_a_sub_path_site_strips_the_base_path(tmp_path: Path) -> None:
    site = write_tree(tmp_path, good_files(root="/archive/"))
    assert messages(site, "/archive/") == []
    # The same tree checked as if published at the root: every absolute link misses.
    assert "index.html:11: broken link to /archive/2025/10/talks/" in messages(site, "/")


def test_a_link_outside_the_base_path_fails(tmp_path: Path) -> None:
    files = good_files(root="/archive/")
    files["search/index.html"] = page('<a href="/elsewhere/">Out</a>', root="/archive/")
    assert messages(write_tree(tmp_path, files), "archive") == [
        "search/index.html:9: link to /elsewhere/ is outside the base path /archive/"
    ]


def test_dot_segments_cannot_climb_out_of_the_site(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "public", good_files())
    (tmp_path / "secret.html").write_text("<p>outside</p>")
    files = {"search/index.html": page('<a href="../../../secret.html">Up</a>')}
    write_tree(site, files)
    assert messages(site) == ["search/index.html:9: broken link to ../../../secret.html"]


def test_percent_encoded_paths_and_fragments_resolve(tmp_path: Path) -> None:
    files = good_files()
    files["caf\u00e9/index.html"] = page('<h2 id="d\u00e9j\u00e0">x</h2>')
    files["search/index.html"] = page('<a href="/caf%C3%A9/#d%C3%A9j%C3%A0">Caf\u00e9</a>')
    assert messages(write_tree(tmp_path, files)) == []


def test_results_are_deterministic_and_sorted(tmp_path: Path) -> None:
    files = good_files()
    files["b/index.html"] = page('<a href="/x/">x</a>\n<a href="/y/">y</a>')
    files["a/index.html"] = page('<a href="/z/">z</a>')
    site = write_tree(tmp_path, files)
    first = messages(site)
    assert first == messages(site)
    assert first == [
        "a/index.html:9: broken link to /z/",
        "b/index.html:9: broken link to /x/",
        "b/index.html:10: broken link to /y/",
    ]


def test_no_site_folder_is_one_error(tmp_path: Path) -> None:
    assert messages(tmp_path / "public") == [
        f"{tmp_path / 'public'}: no built site here: run `sitegen build` first"
    ]


def test_an_empty_page_has_no_links(tmp_path: Path) -> None:
    files = good_files()
    files["empty.html"] = ""
    files["comment.html"] = "<!-- nothing -->"
    assert messages(write_tree(tmp_path, files)) == []
