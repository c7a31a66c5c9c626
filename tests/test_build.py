"""Whole builds: the example archive, feeds, drafts, themes, atomicity, determinism."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
from pathlib import Path

import feedparser
import jinja2
import pytest

from sitegen import pipeline, stamp
from sitegen.build import BuildOptions, build
from sitegen.content import load_site
from sitegen.errors import SitegenError
from sitegen.render import compile_templates, site_environment
from sitegen.views import article_summary

from conftest import FIXTURES, REPO, run_sitegen, tree

SAMPLE_URL = "2025/10/pak-afghan-last-ditch-talks-enter-final-round"



@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "public"
    result = run_sitegen("build", "--source", REPO, "--output", out)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"built \d+ pages \(\d+ files\) in \d+\.\d\d s\n", result.stdout)
    return out


def test_example_archive_pages(example: Path) -> None:
    page = (example / SAMPLE_URL / "index.html").read_text()
    assert "<h1" in page and "final round" in page
    assert '<a rel="author" href="/authors/zarmeen-zehra/">Zarmeen Zehra</a>' in page
    assert '<time datetime="2025-10-28T00:00:00+00:00"' in page
    assert "<figcaption>" in page and '<span class="credit">Reuters</span>' in page
    assert '<h2 id="pak-afghan-tensions">Pak-Afghan tensions</h2>' in page
    assert "With additional input from Reuters" in page
    for boilerplate in ("Advertisement", "Next Story", "More From Pakistan"):
        assert boilerplate not in page
    assert (example / "topics/pak-afghan-talks/index.html").is_file()
    assert (example / "pagefind/pagefind.js").is_file()
    assert "Sitemap: https://sitegen-archive.netlify.app/sitemap.xml" in (
        example / "robots.txt").read_text()


def test_article_metadata(example: Path) -> None:
    page = (example / SAMPLE_URL / "index.html").read_text()
    assert page.startswith('<!doctype html>\n<html lang="en" dir="ltr">')
    assert f'<link rel="canonical" href="https://sitegen-archive.netlify.app/{SAMPLE_URL}/">' \
        in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert '<meta name="description" content="Taliban delegation acknowledges' in page
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert raw is not None
    data = json.loads(raw.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["author"][0] == {"@type": "Person", "name": "Zarmeen Zehra",
                                 "url": "https://sitegen-archive.netlify.app/authors/"
                                        "zarmeen-zehra/"}
    assert data["articleSection"] == "Pakistan"
    assert "Pak-Afghan talks" in data["keywords"]
    assert data["publisher"]["name"] == "The sitegen Archive"
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == "2025-10-28T00:00:00+00:00"


def test_every_feed_parses(example: Path) -> None:
    feeds = sorted(example.rglob("feed.xml"))
    assert len(feeds) >= 5
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", path
    site_feed = feedparser.parse((example / "feed.xml").read_bytes())
    assert site_feed.entries[0].link.endswith(f"/{SAMPLE_URL}/")
    topic_feed = feedparser.parse((example / "topics/ttp/feed.xml").read_bytes())
    assert [e.title for e in topic_feed.entries] == [site_feed.entries[0].title]


def test_sitemap_lists_pages_with_lastmod(example: Path) -> None:
    sitemap = (example / "sitemap.xml").read_text()
    assert f"<loc>https://sitegen-archive.netlify.app/{SAMPLE_URL}/</loc>" \
           "<lastmod>2025-10-28T00:00:00+00:00</lastmod>" in sitemap
    assert "404.html" not in sitemap


def test_the_sitemap_is_planned_first_and_lists_every_other_page() -> None:
    """The sitemap is the longest page to render: first in the plan, a render worker
    takes it at the start instead of finishing it alone at the end."""
    plan = pipeline.plan_site(load_site(FIXTURES / "site")).routes
    assert plan[0].url == "/sitemap.xml"
    listed = {url for url, _ in plan[0].key}
    assert listed == {r.url for r in plan[1:] if r.sitemap and r.url.endswith("/")}
    assert len(listed) > 10


def build_fixture(tmp_path: Path, *args: str) -> Path:
    site = tmp_path / "site"
    if not site.exists():
        shutil.copytree(FIXTURES / "site", site)
    result = run_sitegen("build", "--no-search", *args, cwd=site)
    assert result.returncode == 0, result.stderr
    return site / "public"


def test_drafts_only_with_flag(tmp_path: Path) -> None:
    public = build_fixture(tmp_path)
    assert not list(public.rglob("draft-budget-preview"))
    public = build_fixture(tmp_path, "--drafts")
    assert (public / "2025/03/draft-budget-preview/index.html").is_file()


def test_listing_pages_and_pagination(tmp_path: Path) -> None:
    public = build_fixture(tmp_path)
    home = (public / "index.html").read_text()
    assert home.index("Border agreement signed") < home.index("Mediators propose")
    assert '<a rel="next" href="/page/2/">' in home
    assert (public / "page/3/index.html").is_file()
    for path in ("topics/index.html", "topics/border-talks/index.html", "authors/index.html",
                 "authors/amina-qureshi/index.html", "sections/world/index.html",
                 "archive/index.html", "archive/2024/index.html", "archive/2025/02/index.html",
                 "404.html", "search/index.html"):
        assert (public / path).is_file(), path


def test_caption_without_image_is_a_figure(tmp_path: Path) -> None:
    page = (build_fixture(tmp_path) / "2025/02/first-round-ends-without-a-deal/index.html")
    html = page.read_text()
    figure = re.search(r'<figure class="figure figure-caption-only">(.*?)</figure>', html, re.S)
    assert figure and "<img" not in figure.group(1)
    assert "<figcaption><span class=\"caption\">A caption with no photograph" in figure.group(1)


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    result = run_sitegen("build", "--no-search", "--quiet", cwd=site)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_failed_build_leaves_previous_output(tmp_path: Path) -> None:
    public = build_fixture(tmp_path)
    before = tree(public)
    broken = tmp_path / "site/content/articles/2025/03/broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n")
    result = run_sitegen("build", "--no-search", cwd=tmp_path / "site")
    assert result.returncode == 1
    assert tree(public) == before
    assert [p.name for p in (tmp_path / "site").iterdir() if "staging" in p.name] == []


def test_output_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": "Asia/Karachi" if seed == "1"
               else "America/New_York"}
        out = tmp_path / f"out{seed}"
        result = run_sitegen("build", "--no-search", "--output", out, cwd=site, env=env)
        assert result.returncode == 0, result.stderr
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]


def test_site_theme_overrides_one_template(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    override = site / "themes/default/templates/404.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "base.html" %}{% block main %}<h1>Lost at sea</h1>'
                        "{% endblock %}")
    public = build_fixture(tmp_path)
    assert "Lost at sea" in (public / "404.html").read_text()
    assert "Fixture Gazette" in (public / "404.html").read_text()  # base.html still default
    assert "Topics" in (public / "topics/index.html").read_text()


def test_a_site_theme_calling_entry_per_item_lists_what_the_default_lists(
        tmp_path: Path) -> None:
    """The default theme renders a listing with one `entries` call; the `entry` macro
    it keeps for site themes gives each item the same markup."""
    default = (build_fixture(tmp_path / "default") / "index.html").read_text()
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    override = site / "themes/default/templates/list.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "base.html" %}'
                        '{% from "partials/macros.html" import entry with context %}'
                        "{% block main %}{% for item in items %}{{ entry(item) }}{% endfor %}"
                        "{% endblock %}")
    themed = (build_fixture(tmp_path) / "index.html").read_text()
    entries = re.compile(r'<article class="entry".*?</article>', re.S)
    assert entries.findall(themed) == entries.findall(default)
    assert len(entries.findall(default)) > 1 and " · By <a rel=\"author\"" in default


def test_bylines_written_out_are_what_the_byline_macro_writes(tmp_path: Path) -> None:
    """The article page and topic timelines write bylines out, for speed; the `byline`
    macro kept for site themes writes the same markup."""
    public = build_fixture(tmp_path)
    site = load_site(tmp_path / "site")
    macro = site_environment(site.root, site.config).from_string(
        '{% from "partials/macros.html" import byline %}{{ byline(names) }}')
    expected = {article.url: macro.render(names=article_summary(article)["byline"])
                for article in site.articles if article.byline}
    assert any(" and " in text for text in expected.values())  # two names, joined
    for url, text in expected.items():
        page = (public / url.strip("/") / "index.html").read_text()
        assert f'<span class="byline">By {text}</span>' in page
    timelines = "".join(p.read_text() for p in (public / "topics").glob("*/index.html"))
    written = set(re.findall(r'<p class="entry-byline">By (.*?)</p>', timelines))
    assert written and written <= set(expected.values())


def test_base_url_sub_path(tmp_path: Path) -> None:
    public = build_fixture(tmp_path, "--base-url", "https://example.org/archive/")
    home = (public / "index.html").read_text()
    assert 'href="/archive/topics/"' in home
    assert '<link rel="canonical" href="https://example.org/archive/">' in home


def test_rebuild_rewrites_only_changed_files(tmp_path: Path) -> None:
    public = build_fixture(tmp_path)
    untouched = public / "2024/03/city-library-opens-late-on-weekdays/index.html"
    edited = public / "2025/01/clash-at-the-river-crossing/index.html"
    removed = public / "2024/11/harbour-festival-returns-after-a-decade/index.html"
    stamp = untouched.stat()
    source = tmp_path / "site/content/articles/2025/01/clash-at-the-river-crossing.md"
    source.write_text(source.read_text().replace("Nobody was hurt.", "Two guards were hurt."))
    (tmp_path / "site/content/articles/2024/11/harbour-festival-returns.md").unlink()
    public = build_fixture(tmp_path)
    assert (untouched.stat().st_ino, untouched.stat().st_mtime_ns) == (stamp.st_ino,
                                                                     stamp.st_mtime_ns)
    assert "Two guards were hurt." in edited.read_text()
    assert not removed.exists() and not removed.parent.exists()
    fresh = tmp_path / "fresh"
    result = run_sitegen("build", "--no-search", "--output", fresh, cwd=tmp_path / "site")
    assert result.returncode == 0
    assert tree(public) == tree(fresh)


def test_a_rebuild_renders_only_pages_whose_content_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    first = build(BuildOptions(source=site, search=False))
    assert first.rendered == first.pages
    article = site / "content/articles/2024/03/library-opens-late.md"
    article.write_text(article.read_text() + "\nA closing line added later.\n")
    page = site / "public/2024/03/city-library-opens-late-on-weekdays/index.html"
    other = site / "public/2024/11/harbour-festival-returns-after-a-decade/index.html"
    other_bytes = other.read_bytes()
    other.write_bytes(b"edited by hand")  # a page changed behind the build's back
    second = build(BuildOptions(source=site, search=False))
    assert second.rendered < second.pages / 2
    assert "A closing line added later." in page.read_text()
    assert other.read_bytes() == other_bytes  # never trusted: rendered again
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
    build(BuildOptions(source=clean, search=False))
    assert tree(site / "public") == tree(clean / "public")
    theme = site / "themes/default/templates/404.html"
    theme.parent.mkdir(parents=True)
    theme.write_text('{% extends "base.html" %}{% block main %}Gone{% endblock %}')
    third = build(BuildOptions(source=site, search=False))
    assert third.rendered == third.pages  # a theme file is a site-wide setting


def test_nothing_changed_is_detected_and_any_change_rebuilds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    first = run_sitegen("build", "--no-search", cwd=site)
    assert first.stdout.startswith("built ")
    again = run_sitegen("build", "--no-search", cwd=site)
    assert again.stdout.startswith("nothing changed: ")
    (site / "public/404.html").unlink()  # a damaged output is rebuilt
    assert run_sitegen("build", "--no-search", cwd=site).stdout.startswith("built ")
    assert (site / "public/404.html").is_file()
    nested = site / "public/2024/03/city-library-opens-late-on-weekdays/index.html"
    nested.write_text("edited by hand")  # deep in the tree too
    assert run_sitegen("build", "--no-search", cwd=site).stdout.startswith("built ")
    assert "edited by hand" not in nested.read_text()
    assert run_sitegen("build", "--no-search", "--drafts", cwd=site).stdout.startswith("built ")
    article = site / "content/articles/2024/03/library-opens-late.md"
    article.write_text(article.read_text().replace("ten on weekdays", "nine on weekdays"))
    assert run_sitegen("build", "--no-search", "--drafts", cwd=site).stdout.startswith("built ")
    stamps = site / ".sitegen-cache/last-builds.json"
    assert stamps.is_file()
    stamps.write_text("{not json")  # a corrupt stamp is never trusted
    assert run_sitegen("build", "--no-search", "--drafts", cwd=site).stdout.startswith("built ")
    assert "nine on weekdays" in (
        site / "public/2024/03/city-library-opens-late-on-weekdays/index.html").read_text()


def test_an_edit_during_a_build_is_built_next_time(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    article = site / "content/articles/2024/03/library-opens-late.md"
    load_site = pipeline.load_site

    def load_then_edit(*args: object, **kwargs: object) -> object:
        loaded = load_site(*args, **kwargs)  # type: ignore[arg-type]
        article.write_text(article.read_text().replace("ten on weekdays", "nine on weekdays"))
        return loaded

    monkeypatch.setattr(pipeline, "load_site", load_then_edit)
    build(BuildOptions(source=site, search=False))
    monkeypatch.undo()
    page = site / "public/2024/03/city-library-opens-late-on-weekdays/index.html"
    assert "ten on weekdays" in page.read_text()
    assert not build(BuildOptions(source=site, search=False)).fresh
    assert "nine on weekdays" in page.read_text()


def test_an_edit_to_sitegen_itself_rebuilds(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout of sitegen edited in place keeps its version number."""
    package = tmp_path / "package"
    package.mkdir()
    (package / "module.py").write_text("ANSWER = 1\n")
    monkeypatch.setattr(stamp, "_PACKAGE", package)
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    assert not build(BuildOptions(source=site, search=False)).fresh
    assert build(BuildOptions(source=site, search=False)).fresh
    (package / "module.py").write_text("ANSWER = 2\n")
    assert not build(BuildOptions(source=site, search=False)).fresh


def test_stamps_of_many_output_folders_stay_one_bounded_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    outputs = [tmp_path / f"out{n}" for n in range(stamp.STAMPS_KEPT + 2)]
    for output in outputs:
        run_sitegen("build", "--no-search", "--output", str(output), cwd=site)
    assert [p.name for p in (site / ".sitegen-cache").glob("last-build*")] == ["last-builds.json"]
    newest = run_sitegen("build", "--no-search", "--output", str(outputs[-1]), cwd=site)
    assert newest.stdout.startswith("nothing changed: ")
    oldest = run_sitegen("build", "--no-search", "--output", str(outputs[0]), cwd=site)
    assert oldest.stdout.startswith("built ")  # forgotten: built again, never trusted


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    assert run_sitegen("build", "--no-search", cwd=site).returncode == 0
    reference = tree(site / "public")
    for entry in (site / ".sitegen-cache").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"garbage" + entry.read_bytes()[:50])
    shutil.rmtree(site / "public")
    result = run_sitegen("build", "--no-search", cwd=site)
    assert result.returncode == 0, result.stderr
    assert tree(site / "public") == reference


def test_output_statuses_from_the_files_a_build_left_equal_a_walk(tmp_path: Path) -> None:
    """Names that sort differently as paths and as text (`a-b` before `a/`, `a.html`
    after it) come out in the order a walk finds them."""
    output = tmp_path / "public"
    files = ["a/b/index.html", "a.html", "a-b/index.html", "a/index.html", "a/b.xml",
             "z.txt", "assets/site.css", "./feed.xml"]
    for name in files:
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(name)
    walked = stamp.output_statuses(output)
    assert stamp.output_statuses(output, files) == walked
    assert list(stamp.output_statuses(output, files)) == list(walked)  # the same order
    (output / "stray.html").write_text("left by hand")
    assert stamp.output_statuses(output, files) != stamp.output_statuses(output)


@pytest.mark.parametrize("changed", [
    {"f0": (9, 9, 9, 9)},  # the first run
    {"f4": None, "f6": (9, 9, 9, 9)},  # two runs, one of them the short last one
    {"f3": (9, 9, 9, 9), "new": (1, 2, 3, 4)},  # a name not there goes last, in a new run
    {"new": (1, 2, 3, 4), "newer": None, "f1": (8, 8, 8, 8)},
])
def test_a_digest_kept_up_to_date_equals_one_made_anew(changed: stamp.Statuses,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.setattr(stamp, "_RUN", 3)  # seven statuses: runs of 3, 3 and 1
    statuses: stamp.Statuses = {f"f{n}": (n, n, n, n) for n in range(7)}
    digested = stamp.Digested(tmp_path, statuses)
    # As a build with nothing changed gets it: from the run digests kept with them.
    kept = stamp.Digested(tmp_path, statuses, digested.runs)
    assert digested.hexdigest() == kept.hexdigest() == stamp.output_digest(tmp_path, statuses)
    digested.update(changed)
    kept.update(changed)
    statuses.update(changed)
    assert digested.hexdigest() == kept.hexdigest() == stamp.output_digest(tmp_path, statuses)
    assert digested.hexdigest() != stamp.output_digest(tmp_path, {**statuses, "f2": None})


def test_a_build_leaves_the_cycle_collector_on(tmp_path: Path) -> None:
    """The full build pauses the collector while it makes the site and freezes what it
    made (sitegen.parallel.LongLived); it must be collecting again afterwards, whether
    the build succeeded or failed."""
    gc.unfreeze()
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    build(BuildOptions(source=tmp_path / "site", search=False))
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # the site was frozen, not walked again and again
    (tmp_path / "site/content/articles/2025/03/broken.md").write_text("---\ntitle: [x\n---\n")
    with pytest.raises(SitegenError):
        build(BuildOptions(source=tmp_path / "site", search=False))
    assert gc.isenabled()
    gc.unfreeze()


def test_a_template_that_is_not_utf8_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    partial = site / "themes/default/templates/partials/broken.html"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"<p>caf\xe9</p>")  # Latin-1, not UTF-8
    override = site / "themes/default/templates/404.html"
    override.write_text('{% extends "base.html" %}{% block main %}'
                        '{% include "partials/broken.html" %}{% endblock %}')
    result = run_sitegen("build", "--no-search", cwd=site)
    assert result.returncode != 0
    assert "cannot read 404.html or a template it uses" in result.stderr
    assert "Traceback" not in result.stderr


def test_compiling_templates_ahead_leaves_broken_ones_to_rendering(tmp_path: Path) -> None:
    """Compiling ahead (sitegen.render.compile_templates) is only a speed-up: a template
    that cannot be read or parsed, even one named by a variable, raises nothing there."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text('{% include "bad.html" %}')
    (folder / "by-name.html").write_text("{% include name %}")
    (folder / "bad.html").write_bytes(b"caf\xe9")
    (folder / "syntax.html").write_text("{% if %}")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder))
    compile_templates(env, {"page.html", "by-name.html", "syntax.html", "missing.html"})
    compile_templates(env, {"bad.html"})
    assert env.get_template("page.html") is not None
