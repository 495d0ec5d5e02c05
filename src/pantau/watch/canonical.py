"""One article, one URL: the canonical form of an article link, and the key the collector stores it under.

Feeds, sitemaps and listing pages link the same article in many spellings: with tracking parameters,
with a fragment, as its AMP copy ("/amp/..." or "?amp=1" or "amp.host"), as the mobile site's copy
("m.host"), with the host in capitals or the default port spelt out. :func:`canonical_url` folds
these into one URL that is still fetchable and still names the article the site means; :func:`url_key`
hashes a looser form (scheme and "www." ignored too) so that the store sees one article once.

courlan (under trafilatura) does the general normalisation (case, default port, percent-encoding,
its tracker list, sorted query); the rules specific to news sites are in ``data/watch.toml``
``[canonical]``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import courlan
import tld

from pantau.vocab import load_toml

_SLASHES = re.compile(r"/{2,}")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class CanonicalRules:
    drop_names: frozenset[str]
    drop_prefixes: tuple[str, ...]
    amp_names: frozenset[str]
    amp_pairs: frozenset[tuple[str, str]]
    amp_segments: frozenset[str]
    amp_suffixes: tuple[str, ...]
    host_prefixes: tuple[str, ...]
    keep_hosts: frozenset[str]
    key_host_prefixes: tuple[str, ...]
    session_params: re.Pattern[str] | None  # ";jsessionid=..." in a path segment

    def drops(self, name: str, value: str) -> bool:
        """Whether a query parameter is tracking or an AMP marker, not part of what the URL names."""
        lowered = name.lower()
        return (lowered in self.drop_names or lowered.startswith(self.drop_prefixes) or lowered in self.amp_names
                or (lowered, value.lower()) in self.amp_pairs)


@cache
def rules() -> CanonicalRules:
    data = load_toml("watch")["canonical"]
    drop = [str(name).lower() for name in data.get("drop_params", [])]
    amp = [str(entry).lower() for entry in data.get("amp_params", [])]
    return CanonicalRules(
        drop_names=frozenset(name for name in drop if not name.endswith("*")),
        drop_prefixes=tuple(name[:-1] for name in drop if name.endswith("*")),
        amp_names=frozenset(entry for entry in amp if "=" not in entry),
        amp_pairs=frozenset(tuple(entry.split("=", 1)) for entry in amp if "=" in entry),  # type: ignore[misc]
        amp_segments=frozenset(str(segment).lower() for segment in data.get("amp_segments", [])),
        amp_suffixes=tuple(str(suffix).lower() for suffix in data.get("amp_suffixes", [])),
        host_prefixes=tuple(str(prefix).lower() for prefix in data.get("host_prefixes", [])),
        keep_hosts=frozenset(str(host).lower() for host in data.get("keep_hosts", [])),
        key_host_prefixes=tuple(str(prefix).lower() for prefix in data.get("key_host_prefixes", [])),
        session_params=_session_pattern([str(name) for name in data.get("path_session_params", [])]),
    )


def _session_pattern(names: list[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf";(?:{alternatives})=[^/;?#]*", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """The one spelling of an article URL. Raises ``ValueError`` for anything but an http(s) URL with a host."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {text[:200]!r}")
    normal = urlsplit(courlan.normalize_url(text, strict=False, trailing_slash=True))
    applied = rules()
    host = _host(normal.hostname or "", applied)
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    port = _port(normal)
    netloc = host if port is None else f"{host}:{port}"
    # sorted by name only: repeated parameters keep their order, which a site may read
    query = urlencode(sorted(((name, value) for name, value in parse_qsl(normal.query, keep_blank_values=True)
                              if not applied.drops(name, value)), key=lambda pair: pair[0]))
    # the path is taken as the site wrote it (courlan would escape ";" and others that servers read)
    return urlunsplit((normal.scheme, netloc, _path(parts.path, applied), query, ""))


def url_key(url: str) -> str:
    """sha256 hex of the article's identity: its canonical URL without scheme and without a "www." host prefix.

    http and https, "www.contoh.id" and "contoh.id" serve the same article on every news site seen;
    the canonical URL keeps the spelling the site links to (fetchable without a redirect), the key
    does not care.
    """
    parts = urlsplit(canonical_url(url))
    host = parts.netloc
    for prefix in rules().key_host_prefixes:
        host = _strip(host, prefix) or host
    identity = urlunsplit(("", host, parts.path, parts.query, ""))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def site_host(host_or_url: str) -> str:
    """The host a URL (or a bare host) belongs to, with mobile/AMP and "www." prefixes dropped, lower case."""
    text = host_or_url.strip()
    hostname = urlsplit(text if "//" in text else f"http://{text}").hostname or ""
    applied = rules()
    host = _host(hostname, applied)
    for prefix in applied.key_host_prefixes:
        host = _strip(host, prefix) or host
    return host


def site_matcher(hosts: Iterable[str]) -> Callable[[str], bool]:
    """A test of whether a URL belongs to the site of one of ``hosts``: the same host once mobile, AMP and
    "www." prefixes are dropped, a subdomain of it, or the same registered domain (rss.detik.com lists
    news.detik.com). Built once for a source's hosts and asked for each of its links."""
    sites = {site_host(host) for host in hosts} - {""}
    domains = {courlan.extract_domain(f"http://{site}/", fast=True) for site in sites} - {None, ""}

    def on_site(url: str) -> bool:
        try:
            mine = site_host(url)
        except ValueError:  # a link no URL parser accepts ("http://[::1/x")
            return False
        if not mine:
            return False
        if mine in sites or any(mine.endswith("." + site) for site in sites):
            return True
        return bool(domains) and courlan.extract_domain(url, fast=True) in domains

    return on_site


def same_site(url: str, hosts: str | Iterable[str]) -> bool:
    """Whether ``url`` belongs to the site of ``hosts`` (a host or URL, or several): see :func:`site_matcher`."""
    return site_matcher([hosts] if isinstance(hosts, str) else hosts)(url)


def _host(hostname: str, applied: CanonicalRules) -> str:
    host = hostname.lower().rstrip(".")
    if host in applied.keep_hosts:
        return host
    for prefix in applied.host_prefixes:
        stripped = _strip(host, prefix)
        if stripped:
            return stripped
    return host


def _strip(host: str, prefix: str) -> str | None:
    """``host`` without ``prefix`` when the prefix is a subdomain label: "m.co.id" is a registered domain, not
    the mobile copy of "co.id"; IP addresses and single labels have no prefixes."""
    if not host.startswith(prefix):
        return None
    registered = tld.get_fld(f"http://{host}/", fail_silently=True)
    return host[len(prefix):] if registered and len(host) > len(registered) else None


def _port(parts: object) -> int | None:
    try:
        port = parts.port  # type: ignore[attr-defined]
    except ValueError:  # a port that is not a number: keep the URL fetchable rather than guess
        return None
    scheme = parts.scheme  # type: ignore[attr-defined]
    return None if (scheme, port) in (("http", 80), ("https", 443)) else port


def _path(path: str, applied: CanonicalRules) -> str:
    path = applied.session_params.sub("", path) if applied.session_params else path
    path = _SLASHES.sub("/", path)  # "//" comes from careless joining in feeds, never names another page
    segments = _remove_dots(_percent(path) or "/").split("/")
    kept = [segment for segment in segments if segment.lower() not in applied.amp_segments]
    if kept and kept[-1]:
        last = kept[-1].lower()
        for suffix in applied.amp_suffixes:
            if last.endswith(suffix) and len(last) > len(suffix):
                ending = ".html" if suffix.endswith(".html") else ""
                kept[-1] = kept[-1][: -len(suffix)] + ending
                break
    rebuilt = "/".join(kept)
    if not rebuilt.startswith("/"):
        rebuilt = "/" + rebuilt
    # "/judul/amp" leaves "/judul/": the AMP segment was the whole last step, not a folder
    if rebuilt != "/" and path.rstrip("/").lower().endswith(tuple("/" + s for s in applied.amp_segments)):
        rebuilt = rebuilt.rstrip("/") or "/"
    return rebuilt


def _remove_dots(path: str) -> str:
    """RFC 3986 dot-segment removal, keeping a trailing slash (it can name a different resource)."""
    if "/." not in path:
        return path
    cleaned = posixpath.normpath(path)
    cleaned = "/" + cleaned.lstrip("/")  # normpath keeps a leading "//"
    if path.endswith(("/", "/.", "/..")) and cleaned != "/":
        cleaned += "/"
    return cleaned


def _percent(path: str) -> str:
    """Percent-escapes in one spelling: unreserved characters decoded, the rest upper-case hex."""
    def fix(match: re.Match[str]) -> str:
        char = unquote(match.group(0))
        return char if char in _UNRESERVED else match.group(0).upper()

    # quote() escapes raw spaces and non-ASCII the way a browser sends them; existing escapes stay
    return _PERCENT.sub(fix, quote(path, safe="/%:@!$&'()*+,;=~-._"))
