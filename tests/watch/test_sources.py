"""The sources file: the bundled list is valid, and a mistake is refused with the source and field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.watch.sources import SourcesError, load_sources, parse_sources


def test_bundled_sources_cover_national_regional_and_official_channels() -> None:
    config = load_sources()
    kinds = {source.kind for source in config.sources}
    assert {"national", "regional", "official"} <= kinds
    keys = [source.key for source in config.sources]
    assert len(keys) == len(set(keys)) >= 20
    assert all(source.feeds or source.sitemaps for source in config.sources)
    assert all(url.startswith("https://") for source in config.sources for url in source.feeds)
    assert {"bnn", "humas-polri", "kemenkumham"} <= set(keys)
    assert all(source.robots_sitemaps is not None and source.robots_sitemaps.search("https://x.id/sitemap-news.xml")
               for source in config.sources)


def test_defaults_apply_and_sources_override_them() -> None:
    config = parse_sources({"defaults": {"delay": 3.0, "max_items": 50, "max_attempts": 4},
                            "source": [{"key": "a", "feeds": ["https://a.test/rss"]},
                                       {"key": "b", "feeds": ["https://b.test/rss"], "delay": 0.5, "enabled": False}]})
    first, second = config.sources
    assert (first.delay, first.max_items, second.delay, config.max_attempts) == (3.0, 50, 0.5, 4)
    assert [source.key for source in config.enabled] == ["a"]


def test_include_patterns_select_article_urls() -> None:
    config = parse_sources({"source": [{"key": "a", "feeds": ["https://a.test/rss"], "include": ["/hukum/"]}]})
    source = config.sources[0]
    assert source.wants("https://a.test/hukum/2026/x") and not source.wants("https://a.test/bola/2026/x")
    assert source.hosts == {"a.test"}


@pytest.mark.parametrize(("entry", "message"), [
    ({"key": "Bad Key", "feeds": ["https://a.test/rss"]}, "'key'"),
    ({"key": "a"}, "at least one of feeds"),
    ({"key": "a", "feeds": ["ftp://a.test/rss"]}, "not an http"),
    ({"key": "a", "feeds": ["https://a.test/rss"], "delay": -1}, "'delay'"),
    ({"key": "a", "feeds": ["https://a.test/rss"], "feed": ["typo"]}, "unknown field"),
    ({"key": "a", "listings": ["https://a.test/indeks"]}, "article_pattern"),
    ({"key": "a", "feeds": ["https://a.test/rss"], "include": ["("]}, "regular expression"),
    ({"key": "a", "feeds": ["https://a.test/rss"], "robots_sitemaps": True}, "robots_sitemaps"),
])
def test_mistakes_name_the_source_and_field(entry: dict[str, object], message: str) -> None:
    with pytest.raises(SourcesError, match=message):
        parse_sources({"source": [entry]}, "mine.toml")


def test_duplicate_keys_and_bad_files(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="twice"):
        parse_sources({"source": [{"key": "a", "feeds": ["https://a.test/rss"]}] * 2})
    broken = tmp_path / "s.toml"
    broken.write_text("[[source]\nkey=", encoding="utf-8")
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(broken)
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "missing.toml")
