"""The `url` filter that every theme link goes through."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from sitegen.render import site_url_filter


@pytest.mark.parametrize("base_path", ["/archive/", "/archive"])
def test_site_paths_go_under_the_base_path(base_path: str) -> None:
    url = site_url_filter(base_path)
    assert url("/2025/") == "/archive/2025/"
    assert url("/") == "/archive/"
    assert url(PurePosixPath("/topics/floods")) == "/archive/topics/floods"


@pytest.mark.parametrize("base_path", ["/", "/archive/"])
def test_other_urls_are_left_as_they_are(base_path: str) -> None:
    url = site_url_filter(base_path)
    for other in ("https://example.org/a/", "//cdn.example.org/x.js", "#latest", "a/b/",
                  "mailto:desk@example.org"):
        assert url(other) == other


def test_a_site_at_the_root_keeps_its_paths() -> None:
    url = site_url_filter("/")
    assert url("/2025/") == "/2025/"
    assert url(PurePosixPath("/topics/floods")) == "/topics/floods"
