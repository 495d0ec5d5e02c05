"""The collector's sources file: outlets with their feeds, sitemaps and listing pages.

The default list ships as ``data/sources.toml``; ``pantau watch --sources FILE`` replaces it with a
file of the same shape. A file with a mistake is refused as a whole with the source and field named:
a collector that quietly drops a misspelt source would leave a hole in the record nobody sees.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SOURCES = "sources.toml"
_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_LIST_FIELDS = ("feeds", "sitemaps", "listings", "include")
_KNOWN = {"key", "name", "kind", "province", "delay", "enabled", "max_items", "article_pattern", "robots_sitemaps",
          *_LIST_FIELDS}
_DEFAULT_FIELDS = {"delay", "max_items", "max_attempts", "max_sitemaps", "robots_sitemaps"}


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the file, the source and the field."""


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    article_pattern: re.Pattern[str] | None = None  # which links of a listing page are articles
    include: tuple[re.Pattern[str], ...] = ()  # when given, only article URLs matching one are fetched
    # sitemaps its hosts' robots.txt declare (Sitemap: lines) are read too when their URL matches this
    robots_sitemaps: re.Pattern[str] | None = None
    delay: float = 2.0
    enabled: bool = True
    kind: str | None = None
    province: str | None = None
    max_items: int = 300

    @property
    def hosts(self) -> set[str]:
        """The hosts its feeds, sitemaps and listing pages live on: what its articles may be linked from."""
        return {urlsplit(url).hostname or "" for url in (*self.feeds, *self.sitemaps, *self.listings)} - {""}

    def wants(self, url: str) -> bool:
        return not self.include or any(pattern.search(url) for pattern in self.include)


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    sources: tuple[Source, ...]
    max_attempts: int = 3
    max_sitemaps: int = 20
    origin: str = DEFAULT_SOURCES

    @property
    def enabled(self) -> tuple[Source, ...]:
        return tuple(source for source in self.sources if source.enabled)


def load_sources(path: str | Path | None = None) -> SourcesConfig:
    """Read and check a sources file (the bundled ``data/sources.toml`` when ``path`` is None)."""
    if path is None:
        raw = resources.files("pantau.data").joinpath(DEFAULT_SOURCES).read_text(encoding="utf-8")
        origin = DEFAULT_SOURCES
    else:
        origin = str(path)
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SourcesError(f"{origin}: cannot read the sources file: {error}") from error
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise SourcesError(f"{origin}: not valid TOML: {error}") from error
    return parse_sources(data, origin)


def parse_sources(data: dict[str, Any], origin: str = "sources") -> SourcesConfig:
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict) or set(defaults) - _DEFAULT_FIELDS:
        raise SourcesError(f"{origin}: [defaults] takes only {', '.join(sorted(_DEFAULT_FIELDS))}")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{origin}: no [[source]] entries")
    sources: list[Source] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        source = _source(entry, defaults, f"{origin}: source #{number}")
        if source.key in seen:
            raise SourcesError(f"{origin}: source key {source.key!r} appears twice")
        seen.add(source.key)
        sources.append(source)
    return SourcesConfig(
        tuple(sources),
        max_attempts=_positive_int(defaults.get("max_attempts", 3), f"{origin}: [defaults] max_attempts"),
        max_sitemaps=_positive_int(defaults.get("max_sitemaps", 20), f"{origin}: [defaults] max_sitemaps"),
        origin=origin,
    )


def _source(entry: Any, defaults: dict[str, Any], where: str) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: not a table")
    key = entry.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise SourcesError(f"{where}: 'key' must be lower-case letters, digits, '.', '_' or '-' (got {key!r})")
    where = f"{where} ({key})"
    unknown = set(entry) - _KNOWN
    if unknown:
        raise SourcesError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    lists = {name: _strings(entry.get(name, []), f"{where}: {name}") for name in _LIST_FIELDS}
    for name in ("feeds", "sitemaps", "listings"):
        for url in lists[name]:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise SourcesError(f"{where}: {name}: not an http(s) URL: {url!r}")
    if not (lists["feeds"] or lists["sitemaps"] or lists["listings"]):
        raise SourcesError(f"{where}: needs at least one of feeds, sitemaps, listings")
    pattern = entry.get("article_pattern")
    if lists["listings"] and pattern is None:
        raise SourcesError(f"{where}: listings need an 'article_pattern' to tell articles from other links")
    delay = entry.get("delay", defaults.get("delay", 2.0))
    if not isinstance(delay, int | float) or isinstance(delay, bool) or delay < 0:
        raise SourcesError(f"{where}: 'delay' must be a number of seconds >= 0")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourcesError(f"{where}: 'enabled' must be true or false")
    robots = entry.get("robots_sitemaps", defaults.get("robots_sitemaps", False))
    if robots is not False and not isinstance(robots, str):
        raise SourcesError(f"{where}: 'robots_sitemaps' must be a regular expression or false")
    name = entry.get("name", key)
    if not isinstance(name, str):
        raise SourcesError(f"{where}: 'name' must be text")
    return Source(
        key=key,
        name=name,
        feeds=tuple(lists["feeds"]),
        sitemaps=tuple(lists["sitemaps"]),
        listings=tuple(lists["listings"]),
        article_pattern=_regex(pattern, f"{where}: article_pattern") if pattern is not None else None,
        include=tuple(_regex(value, f"{where}: include") for value in lists["include"]),
        robots_sitemaps=_regex(robots, f"{where}: robots_sitemaps") if isinstance(robots, str) else None,
        delay=float(delay),
        enabled=enabled,
        kind=_optional_str(entry.get("kind"), f"{where}: kind"),
        province=_optional_str(entry.get("province"), f"{where}: province"),
        max_items=_positive_int(entry.get("max_items", defaults.get("max_items", 300)), f"{where}: max_items"),
    )


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise SourcesError(f"{where}: must be a list of non-empty strings")
    return [item.strip() for item in value]


def _regex(value: Any, where: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise SourcesError(f"{where}: must be a regular expression string")
    try:
        return re.compile(value)
    except re.error as error:
        raise SourcesError(f"{where}: not a valid regular expression: {error}") from error


def _positive_int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SourcesError(f"{where}: must be a whole number >= 1")
    return value


def _optional_str(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise SourcesError(f"{where}: must be text")
    return value
