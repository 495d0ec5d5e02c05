"""Build pantau's demo corpus: ``src/pantau/data/demo/articles.jsonl`` and ``truth.json``.

    python tools/build_demo_corpus.py [--out DIR] [--check] [--extracted FILE]

A new user's first ``pantau demo`` should show the map, trends, incidents and alerts, so the corpus is written
for the project: realistic Indonesian law-enforcement news (drug busts, raids, destruction of evidence, prison
incidents, clashes, viral videos, trials) over fourteen months, by eight fictional outlets (``.example``
domains), in real regencies and cities. No outlet's text is used: every sentence comes from the templates below.

Every event is a fact sheet (date, place, unit, officials, suspects by initials, seizures, quotes); each outlet
that reports it rewrites it in its own way (headline, lead, order of paragraphs, trimmed quotes, number and date
formats), as portals rewrite one police release. The schedule plants four alert situations (a spike, new
ground, a viral incident, a record seizure) on a steady background, and checks that nothing else looks like
one. ``truth.json`` says what the generator meant: per article its incident and kind and the facts an extractor
should find (in the gold format ``pantau eval`` reads, under ``documents``), per incident its facts, and the
planned situations.

Deterministic: one seed, string-seeded generators per event and per article, no set iteration. ``--check``
runs pantau's pipeline over the written corpus and prints how often the extracted seizures, provinces and
people agree with the truth; ``--extracted FILE`` reads the output of ``pantau extract ... --format json``
instead.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "pantau" / "data" / "demo"
SEED = "pantau-demo-15"
START = date(2025, 9, 1)  # a Monday: weeks of the schedule start on Mondays
END = date(2026, 11, 29)  # a Sunday
HISTORY_DAYS = 365  # "new ground" needs a year of history before it

# --------------------------------------------------------------------------------------------------------------
# Places. Codes are Kemendagri codes (pantau resolves the names to them); districts are real kecamatan of the
# regency or city, used in addresses.
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    code: str
    name: str  # as the register writes it
    short: str  # as news writes it after a unit ("Polda Sumsel")
    polda: str  # the regional police as written ("Polda Sumsel", "Polda Metro Jaya")
    zone: str  # time zone written after an hour
    region: str  # which regional outlet covers it


PROVINCES: dict[str, Province] = {p.code: p for p in [
    Province("11", "Aceh", "Aceh", "Polda Aceh", "WIB", "sumatra"),
    Province("12", "Sumatera Utara", "Sumut", "Polda Sumut", "WIB", "sumatra"),
    Province("14", "Riau", "Riau", "Polda Riau", "WIB", "sumatra"),
    Province("16", "Sumatera Selatan", "Sumsel", "Polda Sumsel", "WIB", "sumatra"),
    Province("18", "Lampung", "Lampung", "Polda Lampung", "WIB", "sumatra"),
    Province("21", "Kepulauan Riau", "Kepri", "Polda Kepri", "WIB", "sumatra"),
    Province("31", "DKI Jakarta", "DKI Jakarta", "Polda Metro Jaya", "WIB", "java"),
    Province("32", "Jawa Barat", "Jabar", "Polda Jabar", "WIB", "java"),
    Province("33", "Jawa Tengah", "Jateng", "Polda Jateng", "WIB", "java"),
    Province("35", "Jawa Timur", "Jatim", "Polda Jatim", "WIB", "java"),
    Province("51", "Bali", "Bali", "Polda Bali", "WITA", "east"),
    Province("52", "Nusa Tenggara Barat", "NTB", "Polda NTB", "WITA", "east"),
    Province("61", "Kalimantan Barat", "Kalbar", "Polda Kalbar", "WIB", "borneo"),
    Province("62", "Kalimantan Tengah", "Kalteng", "Polda Kalteng", "WIB", "borneo"),
    Province("63", "Kalimantan Selatan", "Kalsel", "Polda Kalsel", "WITA", "borneo"),
    Province("64", "Kalimantan Timur", "Kaltim", "Polda Kaltim", "WITA", "borneo"),
    Province("73", "Sulawesi Selatan", "Sulsel", "Polda Sulsel", "WITA", "east"),
]}


@dataclass(frozen=True)
class Place:
    key: str
    name: str  # as written after a unit ("Banyuasin", "Palangka Raya")
    kind: str  # "regency" or "city"
    code: str
    province: str
    police: str  # the resort's kind: Polres, Polresta, Polrestabes, Polres Metro
    districts: tuple[str, ...]
    interval: int  # days between two background busts; 0: no background
    prison: str | None = None  # a lapas or rutan in it, as written
    court: bool = False  # the Pengadilan Negeri carries its name (trials are reported there)

    @property
    def full(self) -> str:
        return f"{'Kabupaten' if self.kind == 'regency' else 'Kota'} {self.name}"

    @property
    def unit(self) -> str:
        return f"{self.police} {self.name}"

    @property
    def prov(self) -> Province:
        return PROVINCES[self.province]


PLACES: dict[str, Place] = {p.key: p for p in [
    # Sumatera Selatan
    Place("banyuasin", "Banyuasin", "regency", "16.07", "16", "Polres",
          ("Banyuasin III", "Talang Kelapa", "Betung", "Sembawa"), 60),
    Place("palembang", "Palembang", "city", "16.71", "16", "Polrestabes",
          ("Sukarami", "Kemuning", "Kalidoni", "Plaju"), 45, "Lapas Narkotika Kelas IIA Palembang", True),
    Place("oki", "Ogan Komering Ilir", "regency", "16.02", "16", "Polres", ("Kayuagung", "Pedamaran"), 150),
    Place("prabumulih", "Prabumulih", "city", "16.74", "16", "Polres", ("Prabumulih Timur", "Prabumulih Barat"), 180),
    # Kalimantan Tengah
    Place("palangkaraya", "Palangka Raya", "city", "62.71", "62", "Polresta", ("Jekan Raya", "Pahandut", "Sebangau"),
          70, "Lapas Kelas IIA Palangka Raya", True),
    Place("kotim", "Kotawaringin Timur", "regency", "62.02", "62", "Polres", ("Mentawa Baru Ketapang", "Baamang"),
          100, "Lapas Kelas IIB Sampit"),
    Place("katingan", "Katingan", "regency", "62.06", "62", "Polres", ("Katingan Hilir", "Tewang Sangalang Garing"),
          150, "Lapas Narkotika Kelas IIB Kasongan"),
    Place("pulangpisau", "Pulang Pisau", "regency", "62.11", "62", "Polres", ("Kahayan Hilir", "Maliku"), 0),
    # Sumatera Utara (Medan carries the planned spike on a steady fortnightly background)
    Place("medan", "Medan", "city", "12.71", "12", "Polrestabes",
          ("Medan Area", "Medan Tembung", "Medan Johor", "Medan Helvetia", "Medan Belawan", "Medan Denai",
           "Medan Amplas", "Medan Sunggal"), 17, "Lapas Kelas I Medan", True),
    Place("deliserdang", "Deli Serdang", "regency", "12.07", "12", "Polresta",
          ("Lubuk Pakam", "Percut Sei Tuan", "Tanjung Morawa"), 100),
    Place("langkat", "Langkat", "regency", "12.05", "12", "Polres", ("Stabat", "Tanjung Pura", "Pangkalan Susu"), 180),
    Place("tanjungbalai", "Tanjungbalai", "city", "12.74", "12", "Polres", ("Teluk Nibung", "Sei Tualang Raso"), 180),
    # Aceh
    Place("acehutara", "Aceh Utara", "regency", "11.08", "11", "Polres", ("Lhoksukon", "Tanah Jambo Aye", "Baktiya"),
          120),
    Place("acehtimur", "Aceh Timur", "regency", "11.03", "11", "Polres", ("Idi Rayeuk", "Peureulak"), 180),
    Place("bandaaceh", "Banda Aceh", "city", "11.71", "11", "Polresta", ("Kuta Alam", "Syiah Kuala"), 200,
          "Lapas Kelas IIA Banda Aceh", True),
    # Riau (Bengkalis: the record seizure)
    Place("pekanbaru", "Pekanbaru", "city", "14.71", "14", "Polresta", ("Bukit Raya", "Marpoyan Damai", "Rumbai"), 90,
          "Lapas Kelas IIA Pekanbaru", True),
    Place("bengkalis", "Bengkalis", "regency", "14.03", "14", "Polres", ("Bantan", "Rupat", "Mandau"), 150,
          court=True),
    Place("dumai", "Dumai", "city", "14.72", "14", "Polres", ("Dumai Timur", "Dumai Barat"), 180),
    # Kepulauan Riau
    Place("batam", "Batam", "city", "21.71", "21", "Polresta", ("Batu Ampar", "Sekupang", "Batam Kota", "Nongsa"), 110,
          "Rutan Kelas IIA Batam", True),
    Place("karimun", "Karimun", "regency", "21.02", "21", "Polres", ("Meral", "Tebing"), 200),
    # Lampung
    Place("bandarlampung", "Bandar Lampung", "city", "18.71", "18", "Polresta", ("Kedaton", "Rajabasa", "Way Halim"),
          120, court=True),
    Place("lamsel", "Lampung Selatan", "regency", "18.01", "18", "Polres", ("Kalianda", "Bakauheni"), 200),
    # DKI Jakarta
    Place("jakbar", "Jakarta Barat", "city", "31.73", "31", "Polres Metro", ("Tambora", "Kalideres", "Cengkareng",
                                                                           "Palmerah"), 110),
    Place("jakut", "Jakarta Utara", "city", "31.72", "31", "Polres Metro", ("Penjaringan", "Koja", "Cilincing"), 180),
    # Jawa Barat
    Place("depok", "Depok", "city", "32.76", "32", "Polres Metro", ("Cimanggis", "Sukmajaya", "Beji"), 180),
    Place("karawang", "Karawang", "regency", "32.15", "32", "Polres", ("Telukjambe Timur", "Cikampek", "Klari"), 200),
    # Jawa Tengah (Nusakambangan's prisons are in Cilacap)
    Place("cilacap", "Cilacap", "regency", "33.01", "33", "Polresta", ("Kesugihan", "Cilacap Selatan"), 220,
          "Lapas Permisan Nusakambangan"),
    # Jawa Timur
    Place("surabaya", "Surabaya", "city", "35.78", "35", "Polrestabes", ("Tambaksari", "Krembangan", "Kenjeran",
                                                                        "Wonokromo"), 90, court=True),
    Place("sidoarjo", "Sidoarjo", "regency", "35.15", "35", "Polresta", ("Waru", "Candi", "Buduran"), 180),
    Place("pamekasan", "Pamekasan", "regency", "35.28", "35", "Polres", ("Pademawu", "Galis"), 200),
    # Bali
    Place("denpasar", "Denpasar", "city", "51.71", "51", "Polresta", ("Denpasar Selatan", "Denpasar Barat"), 150,
          court=True),
    Place("badung", "Badung", "regency", "51.03", "51", "Polres", ("Kuta", "Kuta Utara", "Mengwi"), 180,
          "Lapas Kelas IIA Kerobokan"),
    # Nusa Tenggara Barat
    Place("mataram", "Mataram", "city", "52.71", "52", "Polresta", ("Ampenan", "Cakranegara", "Sekarbela"), 180),
    Place("lotim", "Lombok Timur", "regency", "52.03", "52", "Polres", ("Selong", "Labuhan Haji"), 220),
    # Kalimantan Barat
    Place("pontianak", "Pontianak", "city", "61.71", "61", "Polresta", ("Pontianak Kota", "Pontianak Barat"), 180),
    Place("sanggau", "Sanggau", "regency", "61.03", "61", "Polres", ("Entikong", "Sekayam"), 200),
    # Kalimantan Selatan
    Place("banjarmasin", "Banjarmasin", "city", "63.71", "63", "Polresta",
          ("Banjarmasin Utara", "Banjarmasin Timur", "Banjarmasin Barat"), 110, "Lapas Kelas IIA Banjarmasin", True),
    Place("tanbu", "Tanah Bumbu", "regency", "63.10", "63", "Polres", ("Batulicin", "Kusan Hilir"), 220),
    # Kalimantan Timur (Samarinda: the viral incident)
    Place("samarinda", "Samarinda", "city", "64.72", "64", "Polresta", ("Samarinda Ulu", "Sungai Kunjang",
                                                                       "Sungai Pinang"), 120,
          "Rutan Kelas IIA Samarinda", True),
    Place("balikpapan", "Balikpapan", "city", "64.71", "64", "Polresta", ("Balikpapan Utara", "Balikpapan Selatan"),
          200),
    # Sulawesi Selatan
    Place("makassar", "Makassar", "city", "73.71", "73", "Polrestabes", ("Tamalate", "Panakkukang", "Rappocini",
                                                                        "Tallo"), 90, court=True),
    Place("parepare", "Parepare", "city", "73.72", "73", "Polres", ("Bacukiki", "Soreang"), 220),
]}

# --------------------------------------------------------------------------------------------------------------
# Outlets: fictional, each with its own habits. `masthead` is written at the head of the lead when set (and is
# then the outlet pantau reads); `dateline` is how the lead's city is written.
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    regions: tuple[str, ...]  # "national" or the regions it covers
    lead: str  # format of the lead's head: {CITY} upper case, {City} as written, {M} masthead
    masthead: str | None
    weight_style: tuple[str, ...]  # preferred ways to write a weight of one kilogram or more
    date_styles: tuple[str, ...]
    long: bool  # keeps most paragraphs; short outlets trim to the lead, one quote and the charge
    quote_sentences: int  # how many sentences of a quote it keeps at most


OUTLETS: list[Outlet] = [
    Outlet("Kabar Nusa Hukum", "kabarnusahukum.example", ("national",), "{CITY} – ", None,
           ("kg", "kilogram"), ("paren_full", "paren_full", "long"), True, 3),
    Outlet("DetakSumatra", "detaksumatra.example", ("sumatra",), "{M}, {City} – ", "DetakSumatra",
           ("kilogram", "gram"), ("long", "paren_full", "kemarin"), True, 2),
    Outlet("Borneo Terkini", "borneoterkini.example", ("borneo",), "{City} – ", None,
           ("kilogram", "kg"), ("paren_short", "paren_full", "kemarin"), True, 3),
    Outlet("SuaraLintas", "suaralintas.example", ("national",), "{M}, {City} — ", "SuaraLintas",
           ("kg", "gram"), ("paren_pad", "kemarin", "long"), False, 2),
    Outlet("JurnalPatroli", "jurnalpatroli.example", ("national",), "{CITY}, {M} – ", "JurnalPatroli",
           ("gram", "kilogram"), ("paren_full", "paren_pad"), True, 3),
    Outlet("Nusantara Sepekan", "nusantarasepekan.example", ("national",), "", None,
           ("kilogram", "kg"), ("kemarin", "long", "paren_full"), False, 1),
    Outlet("WARTATIMUR", "wartatimur.example", ("east", "borneo"), "{M}, {CITY} – ", "WARTATIMUR",
           ("kg", "kilogram"), ("paren_full", "long"), True, 2),
    Outlet("WartaJawa", "wartajawa.example", ("java",), "{M}, {CITY} - ", "WartaJawa",
           ("kilogram", "gram"), ("long", "paren_short", "kemarin"), True, 2),
]
OUTLET_BY_NAME = {o.name: o for o in OUTLETS}

# --------------------------------------------------------------------------------------------------------------
# Substances: the record key, the unit the amount is counted in, the written forms.
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Substance:
    key: str
    unit: str  # g, pill or plant
    forms: tuple[str, ...]
    short: str  # in headlines


SUBSTANCES: dict[str, Substance] = {
    "sabu": Substance("methamphetamine", "g", ("sabu", "sabu", "sabu-sabu", "narkotika jenis sabu"), "Sabu"),
    "ganja": Substance("cannabis", "g", ("ganja", "ganja kering", "daun ganja kering"), "Ganja"),
    "pohon_ganja": Substance("cannabis", "plant", ("batang pohon ganja", "batang tanaman ganja"), "Pohon Ganja"),
    "ekstasi": Substance("mdma", "pill", ("pil ekstasi", "ekstasi", "pil ekstasi"), "Ekstasi"),
    "tembakau": Substance("synthetic_cannabinoid", "g", ("tembakau sintetis", "tembakau gorila", "ganja sintetis"),
                          "Tembakau Sintetis"),
    # not "Double L" in capitals: pantau reads a capitalised "Double L" as a person's name
    "doublel": Substance("trihexyphenidyl", "pill", ("pil LL", "pil dobel L", "pil triheksifenidil", "pil hexymer"),
                         "Pil LL"),
    "happyfive": Substance("benzodiazepine", "pill", ("pil happy five",), "Happy Five"),
    "kokain": Substance("cocaine", "g", ("kokain",), "Kokain"),
    "koplo": Substance("other", "pill", ("pil koplo",), "Pil Koplo"),
}

RANKS = {
    "Irjen Pol": "Inspektur Jenderal Polisi", "Brigjen Pol": "Brigadir Jenderal Polisi",
    "Kombes Pol": "Komisaris Besar Polisi", "AKBP": "Ajun Komisaris Besar Polisi", "Kompol": "Komisaris Polisi",
    "AKP": "Ajun Komisaris Polisi", "Iptu": "Inspektur Polisi Satu", "Ipda": "Inspektur Polisi Dua",
}
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")

# Fictional names, written as Indonesian officials' names are; combined per unit, never reused.
FIRST = ("Agus", "Budi", "Hendra", "Rudi", "Dedi", "Ferry", "Yudha", "Arief", "Andi", "Rizal", "Fadli", "Taufik",
         "Irwan", "Joko", "Bambang", "Eko", "Wahyu", "Dimas", "Reza", "Hadi", "Syahrul", "Fajar", "Bayu", "Herman",
         "Nanang", "Sigit", "Teguh", "Doni", "Rahmat", "Yusuf", "Ilham", "Gilang", "Anton", "Heru", "Surya", "Ricky",
         "Hotman", "Benny", "Iwan", "Ronald", "Aditya", "Kurnia", "Erwin", "Gunadi", "Hasan", "Indra", "Johan",
         "Lukman", "Mulyadi", "Novri", "Oki", "Petrus", "Rio", "Samsul", "Tommy", "Vicky", "Wisnu", "Yogi",
         "Zainal", "Rina", "Dewi", "Yuliana", "Ratna", "Novita", "Maria", "Fitri", "Kartika", "Sari", "Anisa")
LAST = ("Prasetyo", "Saputra", "Santoso", "Wibowo", "Nugroho", "Hidayat", "Kurniawan", "Siregar", "Nasution",
        "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Pardede", "Hutapea", "Tarigan", "Ginting", "Sembiring",
        "Daulay", "Rangkuti", "Manurung", "Situmorang", "Saragih", "Purba", "Damanik", "Panjaitan", "Tambunan",
        "Wijaya", "Firmansyah", "Ramadhan", "Syahputra", "Gunawan", "Setiawan", "Susanto", "Permana", "Hakim",
        "Rasyid", "Mahendra", "Sihombing", "Gultom", "Anwar", "Rusli", "Basri", "Marpaung", "Silalahi",
        "Hasibuan", "Pohan", "Effendi", "Sudrajat", "Hartono", "Utomo", "Handoko", "Suryadi", "Maulana",
        "Fauzi", "Rahman", "Iskandar", "Sanjaya", "Pratomo", "Wicaksono")
INITIAL_LETTERS = "ABDEFHIJKMNRSTWYZ"


# --------------------------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------------------------

def idnum(value: float) -> str:
    """Indonesian notation: '.' groups thousands, ',' is the decimal comma ('1.250', '12,45')."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}".replace(",", ".")
    whole, frac = f"{value:.3f}".rstrip("0").split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def fmt_amount(item: Item, style: str) -> str:
    """An amount with its unit, in one of the ways news writes it."""
    if item.unit == "pill":
        return f"{idnum(item.qty)} butir"
    if item.unit == "plant":
        return idnum(item.qty)  # the form carries "batang"
    if item.qty >= 1000 and style in ("kg", "kilogram"):
        return f"{idnum(item.qty / 1000)} {style}"
    return f"{idnum(item.qty)} gram"


def date_phrase(event: date, published: date, style: str, hour: str = "") -> tuple[str, bool]:
    """The event's day as the lead writes it, and whether a reader can tell the date from it."""
    wd = WEEKDAYS[event.weekday()]
    gap = (published - event).days
    if style == "kemarin" and gap == 1:
        return ("kemarin" + (f" {hour}" if hour else "")).strip(), True
    if style == "paren_short" and event.year == published.year:
        return f"{wd} ({event.day}/{event.month}){' ' + hour if hour else ''}", True
    if style == "long":
        return f"{wd}, {event.day} {MONTHS[event.month - 1]} {event.year}{' ' + hour if hour else ''}", True
    if style == "paren_pad":
        return f"{wd} ({event.day:02d}/{event.month:02d}/{event.year}){' ' + hour if hour else ''}", True
    return f"{wd} ({event.day}/{event.month}/{event.year}){' ' + hour if hour else ''}", True


def title_amount(item: Item, style: str) -> str:
    """An amount as headlines write it ('1,2 Kg', '150 Butir', '1.200 Gram')."""
    if item.unit == "pill":
        return f"{idnum(item.qty)} Butir"
    if item.unit == "plant":
        return f"{idnum(item.qty)} Batang"
    if item.qty >= 1000 and style != "gram":
        return f"{idnum(item.qty / 1000)} {'Kg' if style == 'kg' else 'Kilogram'}"
    return f"{idnum(item.qty)} Gram"


def pick(rng: random.Random, *options: Callable[[], str]) -> str:
    """One of several phrasings, built only once chosen: phrasings name people, and only the written ones count."""
    return rng.choice(options)()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70].rstrip("-")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def count_word(n: int) -> str:
    return ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh")[n] \
        if 0 < n <= 10 else idnum(n)


def titled(text: str) -> str:
    """Headline case: every word capitalised but the small ones."""
    small = {"di", "ke", "dari", "dan", "untuk", "yang", "dalam", "atau", "dengan"}
    return " ".join(word if word in small else cap(word) for word in text.split())


def title_count(n: int) -> str:
    return cap(count_word(n)) if n <= 10 else idnum(n)


# --------------------------------------------------------------------------------------------------------------
# The world: officials of each unit (fixed over the period), suspects, seizures.
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Official:
    name: str
    rank: str | None  # abbreviation as written ("AKBP", "Kombes Pol"), None for civilians
    post: str  # as written before the name ("Kapolres Banyuasin")

    @property
    def short(self) -> str:
        return self.name.split()[0]


class Roster:
    """One official per (unit, role), drawn once; full names never repeat."""

    def __init__(self) -> None:
        self._by_role: dict[tuple[str, str], Official] = {}
        self._used: set[str] = set()
        self._firsts: dict[str, set[str]] = defaultdict(set)

    def get(self, unit: str, role: str, post: str, rank: str | None, province: str) -> Official:
        key = (unit, role)
        if key not in self._by_role:
            rng = random.Random(f"{SEED}:official:{unit}:{role}")
            firsts = self._firsts[province]
            while True:
                first = rng.choice(FIRST)
                # one first name per province: an article names officials of one province, and "kata Heru"
                # must point to one of them
                if first in firsts:
                    continue
                name = f"{first} {rng.choice(LAST)}"
                if name not in self._used:
                    break
            self._used.add(name)
            firsts.add(first)
            self._by_role[key] = Official(name, rank, post)
        return self._by_role[key]


ROSTER = Roster()


def kapolres(place: Place) -> Official:
    head = {"Polres": "Kapolres", "Polresta": "Kapolresta", "Polrestabes": "Kapolrestabes",
            "Polres Metro": "Kapolres Metro"}[place.police]
    rank = "Kombes Pol" if place.police in ("Polresta", "Polrestabes", "Polres Metro") else "AKBP"
    return ROSTER.get(place.unit, "head", f"{head} {place.name}", rank, place.province)


def kasat(place: Place) -> Official:
    rank = "Kompol" if place.police in ("Polrestabes", "Polres Metro") else "AKP"
    return ROSTER.get(place.unit, "narkoba", f"Kasat Resnarkoba {place.unit}", rank, place.province)


def kasihumas(place: Place) -> Official:
    return ROSTER.get(place.unit, "humas", f"Kasi Humas {place.unit}", "Iptu", place.province)


def kapolsek(place: Place, district: str) -> Official:
    return ROSTER.get(f"Polsek {district}", "head", f"Kapolsek {district}", "AKP", place.province)


def dirnarkoba(prov: Province) -> Official:
    return ROSTER.get(prov.polda, "narkoba", f"Direktur Reserse Narkoba {prov.polda}", "Kombes Pol", prov.code)


def kabidhumas(prov: Province) -> Official:
    return ROSTER.get(prov.polda, "humas", f"Kabid Humas {prov.polda}", "Kombes Pol", prov.code)


def kabidpropam(prov: Province) -> Official:
    return ROSTER.get(prov.polda, "propam", f"Kabid Propam {prov.polda}", "Kombes Pol", prov.code)


def kepala_bnnp(prov: Province) -> Official:
    return ROSTER.get(f"BNNP {prov.short}", "head", f"Kepala BNNP {prov.short}", "Brigjen Pol", prov.code)


def kabid_berantas(prov: Province) -> Official:
    return ROSTER.get(f"BNNP {prov.short}", "berantas", f"Kabid Pemberantasan BNNP {prov.short}",
                      "Kombes Pol", prov.code)


def kalapas(prison: str, province: str) -> Official:
    head = "Kalapas" if prison.startswith("Lapas") else "Karutan"
    short = re.sub(r"^(Lapas|Rutan) (Narkotika )?Kelas [I]+[AB]? ", r"\1 \2", prison).replace("  ", " ")
    return ROSTER.get(prison, "head", f"{head} {short.split(' ', 1)[1]}", None, province)


def kakanwil(prov: Province) -> Official:
    return ROSTER.get(f"Kanwil Ditjenpas {prov.name}", "head", f"Kepala Kanwil Ditjenpas {prov.name}", None,
                      prov.code)


def customs_head(place: Place) -> Official:
    return ROSTER.get(f"Bea Cukai {place.name}", "head", f"Kepala Bea Cukai {place.name}", None,
                      place.province)


@dataclass(frozen=True)
class Item:
    sub: str  # SUBSTANCES key
    qty: float  # in the substance's unit (grams, pills, plants)

    @property
    def substance(self) -> Substance:
        return SUBSTANCES[self.sub]

    @property
    def unit(self) -> str:
        return self.substance.unit


@dataclass(frozen=True)
class Suspect:
    initials: str
    age: int
    female: bool
    role: str  # kurir, pengedar, bandar, pemakai

    @property
    def label(self) -> str:
        return f"{self.initials} ({self.age})"


@dataclass
class Event:
    id: str
    kind: str  # bust, raid, destruction, prison, clash, viral, follow_up, statement
    subkind: str
    day: date
    place: Place
    agency: str  # polres, polsek, polda, bnnp, customs, lapas, propam, court
    district: str
    items: list[Item] = field(default_factory=list)
    suspects: list[Suspect] = field(default_factory=list)
    coverage: int = 1
    parent: Event | None = None  # the case a follow-up reports on
    tags: list[str] = field(default_factory=list)  # planned situations this event belongs to
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def narkoba(self) -> bool:
        return self.kind in ("bust", "raid", "destruction") or (self.kind == "prison" and self.subkind == "smuggling")


def draw_suspects(rng: random.Random, n: int, roles: Sequence[str],
                  ages: tuple[int, int] = (19, 54)) -> list[Suspect]:
    out: list[Suspect] = []
    while len(out) < n:
        initials = "".join(rng.choice(INITIAL_LETTERS) for _ in range(rng.choice((2, 2, 2, 3))))
        if any(s.initials == initials for s in out):
            continue
        out.append(Suspect(initials, rng.randint(*ages), rng.random() < 0.12, rng.choice(roles)))
    return out


def draw_quantity(rng: random.Random, sub: str, tier: str) -> float:
    """A realistic amount of one substance for a case of this size."""
    if sub == "sabu":
        low, high, step = {"user": (0.3, 5, 0.01), "dealer": (5, 120, 0.01), "big": (120, 990, 1),
                           "courier": (1000, 9000, 50)}[tier]
    elif sub == "ganja":
        low, high, step = {"user": (3, 60, 0.1), "dealer": (100, 2500, 5), "big": (2000, 12000, 50),
                           "courier": (10000, 60000, 500)}[tier]
    elif sub == "pohon_ganja":
        return float(rng.randrange(300, 4200, 50))
    elif sub == "ekstasi":
        low, high, step = {"user": (2, 25, 1), "dealer": (25, 400, 1), "big": (400, 2500, 10),
                           "courier": (2000, 9000, 50)}[tier]
    elif sub == "tembakau":
        low, high, step = {"user": (2, 40, 0.1), "dealer": (40, 600, 1), "big": (500, 3000, 10),
                           "courier": (2000, 8000, 100)}[tier]
    elif sub in ("doublel", "koplo"):
        low, high, step = {"user": (20, 200, 5), "dealer": (200, 5000, 10), "big": (5000, 30000, 100),
                           "courier": (10000, 60000, 1000)}[tier]
    elif sub == "happyfive":
        low, high, step = 3, 120, 1
    else:  # kokain
        low, high, step = 2, 300, 0.1
    steps = int((high - low) / step)
    value = low + step * rng.randint(0, steps)
    return round(value, 2)


# --------------------------------------------------------------------------------------------------------------
# Writing one article
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Draft:
    title: str
    paragraphs: list[str]
    seizures: list[Item]  # the amounts the text reports as seized or destroyed (single case)
    period_seizures: list[tuple[Item, str]]  # period totals and their year
    people: list[tuple[Official, str]]  # officials named, with the post written at their first naming
    date_stated: bool


class Writer:
    """Accumulates one article's paragraphs and remembers what it wrote (people, seizures)."""

    def __init__(self, event: Event, outlet: Outlet, published: date, rng: random.Random) -> None:
        self.event, self.outlet, self.published, self.rng = event, outlet, published, rng
        self.paragraphs: list[str] = []
        self.people: list[tuple[Official, str]] = []
        self._named: set[str] = set()
        self.seizures: list[Item] = []
        self.period_seizures: list[tuple[Item, str]] = []
        self.date_stated = False
        self.last_speaker: str | None = None
        self.weight_style = rng.choice(outlet.weight_style)
        self.date_style = rng.choice(outlet.date_styles)

    # -- people
    def name(self, who: Official, style: int | None = None, *, subject: bool = False) -> str:
        """The official, named in full at the first mention, by first name afterwards.

        A civilian's name is set off by commas after the post ("Kalapas Kerobokan, Yogi Manurung,"), as news
        writes it: without a rank between them the reader (and pantau) cannot tell where the post ends. A
        `subject` is followed by its verb, so a name set off by commas takes its closing comma.
        """
        if who.name in self._named:
            return who.short
        self._named.add(who.name)
        self.people.append((who, who.post))
        if style is None:
            style = self.rng.randrange(2)
        if who.rank is None:
            return f"{who.post}, {who.name}{',' if subject else ''}"
        if style == 1 and subject:
            return f"{who.post}, {who.rank} {who.name},"
        return f"{who.post} {who.rank} {who.name}"

    def pronoun(self, who: Official) -> str:
        """The official as the subject of a sentence."""
        return who.short if who.name in self._named else self.name(who, subject=True)

    # -- amounts
    def amount(self, item: Item, *, backward: bool | None = None, packages: bool = False) -> str:
        """'1,2 kilogram sabu' or 'sabu seberat 1,2 kilogram'; remembered as seized."""
        if item not in self.seizures:
            self.seizures.append(item)
        form = self.rng.choice(item.substance.forms)
        amount = fmt_amount(item, self.weight_style)
        if backward is None:
            backward = self.rng.random() < 0.45
        if item.unit == "plant":
            return f"{amount} {form}"
        if packages and item.unit == "g":
            n = self.event.extra.setdefault(f"packages:{item.sub}", self.rng.randint(3, 40))
            return f"{n} paket {form} dengan berat total {amount}"
        if backward:
            link = "seberat" if item.unit == "g" else "sebanyak"
            if item.unit == "g" and self.rng.random() < 0.3:
                link = "dengan berat"
            return f"{form} {link} {amount}"
        return f"{amount} {form}"

    def amounts(self, items: Sequence[Item]) -> str:
        parts = [self.amount(item) for item in items]
        if len(parts) == 1:
            return parts[0]
        return ", ".join(parts[:-1]) + " dan " + parts[-1]

    # -- dates
    def when(self, day: date | None = None, hour: str = "") -> str:
        day = day or self.event.day
        style = self.date_style
        if style == "kemarin" and (self.published - day).days != 1:
            style = "paren_full"
        phrase, stated = date_phrase(day, self.published, style, hour)
        if day == self.event.day:
            self.date_stated = self.date_stated or stated
        return phrase

    def statement_day(self) -> str:
        """The day of the press statement (the event day or a day after), written with its date."""
        day = self.event.extra.get("statement_day", self.event.day)
        if day > self.published:
            day = self.published
        wd = WEEKDAYS[day.weekday()]
        if self.rng.random() < 0.7:
            return f"{wd} ({day.day}/{day.month}/{day.year})"
        return f"{wd} ({day.day}/{day.month})"

    def hour(self) -> str:
        h = self.event.extra.setdefault("hour", self.rng.choice((1, 2, 9, 10, 13, 15, 16, 19, 20, 21, 22, 23)))
        m = self.event.extra.setdefault("minute", self.rng.choice((0, 10, 15, 20, 30, 45)))
        part = "dini hari" if h < 4 else "pagi" if h < 11 else "siang" if h < 15 else "sore" if h < 18 else "malam"
        if self.rng.random() < 0.5:
            return part
        return f"sekitar pukul {h:02d}.{m:02d} {self.event.place.prov.zone}"

    # -- output
    def lead_head(self, city: str | None = None) -> str:
        city = city or self.event.place.name
        return self.outlet.lead.format(CITY=city.upper(), City=city, M=self.outlet.masthead or "")

    def add(self, text: str) -> None:
        self.paragraphs.append(" ".join(text.split()))

    def quote(self, who: Official, sentences: Sequence[str], cue: str | None = None, *, when: bool = False) -> str:
        """A quote trimmed to the outlet's habit, with its speaker."""
        keep = max(1, min(len(sentences), self.outlet.quote_sentences))
        text = " ".join(sentences[:keep])
        text = text[:-1] if text.endswith(".") else text
        cue = cue or self.rng.choice(("kata", "ujar", "jelas", "tegas", "ungkap", "tutur"))
        day = f", {self.statement_day()}" if when else ""
        first = who.name not in self._named
        # "ujarnya" points back to the last speaker: only when that is this one
        style = self.rng.randrange(3) if self.last_speaker == who.name else self.rng.choice((0, 2))
        self.last_speaker = who.name
        if style == 0:
            return f"“{text},” {cue} {self.name(who, 0) if first else who.short}{day}."
        if style == 1:
            return f"“{text},” {cue}nya{day}."
        return f"{self.name(who, 1, subject=True) if first else who.short} mengatakan{day}, “{text}.”"

    def draft(self, title: str) -> Draft:
        return Draft(title, self.paragraphs, self.seizures, self.period_seizures, self.people, self.date_stated)


def where_phrase(w: Writer, with_province: bool | None = None, *, street: bool = True) -> str:
    """'Jalan Cempaka, Kecamatan Sukarami, Kota Palembang', with or without the street and the province."""
    place = w.event.place
    if with_province is None:
        with_province = w.rng.random() < 0.35
    prov = f", {place.prov.name}" if with_province and place.prov.name != place.name else ""
    name = w.event.extra.get("street")
    head = f"{name}, " if street and name and w.rng.random() < 0.5 else ""
    return f"{head}Kecamatan {w.event.district}, {place.full}{prov}"


STREETS = ("Jalan Flamboyan", "Jalan Cempaka", "Jalan Pelita", "Jalan Melati", "Jalan Kenanga", "Jalan Anggrek",
           "Jalan Teratai", "Jalan Bougenville", "Jalan Beringin", "Jalan Mangga", "Jalan Rambutan", "Jalan Nangka",
           "Jalan Perintis", "Jalan Pendidikan", "Jalan Pramuka", "Jalan Swadaya", "Jalan Bhakti", "Jalan Karya",
           "Jalan Kamboja", "Jalan Seroja", "Jalan Dahlia", "Jalan Mawar", "Jalan Sawo", "Jalan Jambu",
           "Jalan Durian", "Jalan Kelapa Gading", "Jalan Lintas Timur", "Jalan Poros", "Jalan Pasar Baru",
           "Jalan Kampung Baru", "Jalan Bukit Indah", "Jalan Harapan", "Jalan Sejahtera", "Jalan Damai")
VENUES = ("sebuah rumah kontrakan", "sebuah kamar kos", "pinggir jalan", "sebuah warung kopi", "halaman sebuah SPBU",
          "sebuah rumah toko", "sebuah kamar hotel melati", "area parkir sebuah pusat perbelanjaan")
HIDING = ("disembunyikan di dalam jok sepeda motor", "dikemas dalam bungkus teh kemasan", "diselipkan di dalam "
          "kotak rokok", "dililitkan di pinggang tersangka", "disimpan di dalam tas ransel",
          "dimasukkan ke dalam kaleng susu bekas", "disimpan di bawah kasur", "dibungkus lakban cokelat")
TIPS = ("informasi dari masyarakat yang resah dengan maraknya peredaran narkoba di lingkungan mereka",
        "laporan warga tentang transaksi mencurigakan di kawasan tersebut",
        "hasil penyelidikan selama hampir dua pekan",
        "pengembangan kasus yang diungkap sebelumnya",
        "informasi yang diterima petugas tentang adanya kurir yang akan melintas")
EXTRAS = ("satu unit timbangan digital", "dua unit telepon genggam", "satu unit sepeda motor", "sejumlah plastik klip "
          "kosong", "satu buah alat isap (bong)", "satu unit telepon genggam", "buku catatan transaksi")


def role_word(s: Suspect) -> str:
    return {"kurir": "kurir", "pengedar": "pengedar", "bandar": "bandar", "pemakai": "pemakai"}[s.role]


def suspects_text(w: Writer, suspects: Sequence[Suspect]) -> str:
    labels = [s.label for s in suspects]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " dan " + labels[-1]


def unit_name(event: Event) -> str:
    place, prov = event.place, event.place.prov
    return {"polres": f"Satresnarkoba {place.unit}", "polsek": f"Polsek {event.district}",
            "polda": f"Ditresnarkoba {prov.polda}", "bnnp": f"BNNP {prov.short}",
            "customs": f"Ditresnarkoba {prov.polda} bersama Bea Cukai {place.name}"}.get(event.agency, place.unit)


def head_of(event: Event) -> Official:
    place = event.place
    return {"polres": kapolres(place), "polsek": kapolsek(place, event.district), "polda": dirnarkoba(place.prov),
            "bnnp": kepala_bnnp(place.prov), "customs": dirnarkoba(place.prov)}.get(event.agency, kapolres(place))


def operator_of(event: Event) -> Official | None:
    place = event.place
    return {"polres": kasat(place), "bnnp": kabid_berantas(place.prov), "customs": customs_head(place),
            "polda": kabidhumas(place.prov)}.get(event.agency)


def legal_text(w: Writer, items: Sequence[Item], users_only: bool = False) -> str:
    subs = {i.sub for i in items}
    if subs & {"doublel", "koplo"} and not subs & {"sabu", "ganja", "ekstasi", "tembakau", "kokain"}:
        law = w.rng.choice(("Pasal 435 juncto Pasal 138 ayat (2) UU Nomor 17 Tahun 2023 tentang Kesehatan",
                            "Pasal 435 UU Nomor 17 Tahun 2023 tentang Kesehatan"))
        return f"{law} dengan ancaman pidana penjara paling lama 12 tahun"
    if users_only:
        return w.rng.choice(("Pasal 127 ayat (1) huruf a UU Nomor 35 Tahun 2009 tentang Narkotika",
                             "Pasal 127 UU Narkotika")) + " tentang penyalahgunaan narkotika bagi diri sendiri"
    # Pasal 111-114 ayat (2): more than 5 grams, or cannabis over 1 kilogram or more than five plants (a pill of
    # ecstasy weighs about a quarter gram)
    big = any(i.qty > 1000 if i.sub == "ganja" else i.qty > 5 if i.unit == "plant" else i.qty > 20
              if i.unit == "pill" else i.qty > 5 for i in items)
    huge = any(i.qty >= (10000 if i.sub == "ganja" else 1000) for i in items)
    ayat = "2" if big else "1"
    if "ganja" in subs or "pohon_ganja" in subs:
        law = w.rng.choice((f"Pasal 114 ayat ({ayat}) juncto Pasal 111 ayat ({ayat}) UU Nomor 35 Tahun 2009 "
                            "tentang Narkotika", f"Pasal 111 ayat ({ayat}) UU RI Nomor 35 Tahun 2009"))
    else:
        law = w.rng.choice((f"Pasal 114 ayat ({ayat}) subsider Pasal 112 ayat ({ayat}) UU Nomor 35 Tahun 2009 "
                            "tentang Narkotika", f"Pasal 114 ayat ({ayat}) juncto Pasal 132 ayat (1) UU RI Nomor 35 "
                            "Tahun 2009 tentang Narkotika", f"Pasal 112 ayat ({ayat}) UU Narkotika"))
    if huge and w.rng.random() < 0.7:
        threat = "pidana mati atau penjara seumur hidup"
    elif big:
        threat = w.rng.choice(("penjara paling singkat 6 tahun dan paling lama 20 tahun",
                               "hukuman penjara di atas lima tahun"))
    else:
        threat = w.rng.choice(("penjara paling singkat 5 tahun dan paling lama 20 tahun",
                               "penjara minimal 4 tahun dan maksimal 12 tahun"))
    return f"{law} dengan ancaman {threat}"


# -- busts -----------------------------------------------------------------------------------------------------


def bust_title(w: Writer) -> str:
    e, rng = w.event, w.rng
    main = e.items[0]
    sub = main.substance.short
    amt = title_amount(main, w.weight_style)
    place = e.place.name
    n = len(e.suspects)
    who = e.suspects[0]
    unit = {"polres": e.place.unit, "polsek": f"Polsek {e.district}", "polda": e.place.prov.polda,
            "bnnp": f"BNNP {e.place.prov.short}", "customs": e.place.prov.polda}[e.agency]
    people = "Wanita" if n == 1 and who.female else "Pria" if n == 1 else f"{title_count(n)} Orang"
    verbs = ("Bekuk", "Ringkus", "Tangkap", "Amankan")
    options = [
        f"{unit} {rng.choice(verbs)} {title_count(n)} {cap(role_word(who))}, {amt} {sub} Disita",
        f"Bawa {amt} {sub}, {people} Diringkus di {place}",
        f"{amt} {sub} Gagal Beredar di {place}",
        f"Polisi Sita {amt} {sub} dari {people} di {place}",
        f"{cap(role_word(who))} {sub} Asal {e.district} Dibekuk, {amt} Barang Bukti Diamankan",
        f"{unit} Ungkap Peredaran {sub} {amt}",
        f"Simpan {sub}, {who.initials} Ditangkap {unit}",
        f"Transaksi di {e.district} Digagalkan, {people} Ditangkap Bawa {sub}",
        f"{title_count(n)} Tersangka Narkoba Diamankan di {place}, Barang Bukti {amt} {sub}",
    ]
    if e.agency == "bnnp":
        options.append(f"BNNP {e.place.prov.short} Gagalkan Peredaran {amt} {sub} di {place}")
    if e.agency == "customs":
        options.append(f"Penyelundupan {amt} {sub} Digagalkan di Perairan {place}")
    if "spike" in e.tags and rng.random() < 0.5:
        options.append(f"Lagi, {e.place.unit} Ungkap Kasus {sub}: {people} Ditangkap")
    return rng.choice(options)


def bust_lead(w: Writer) -> None:
    e, rng = w.event, w.rng
    unit = unit_name(e)
    n = len(e.suspects)
    sus = suspects_text(w, e.suspects)
    main = e.items[0]
    where = where_phrase(w, street=main.unit != "plant")
    head = w.lead_head()
    verb = rng.choice(("membekuk", "meringkus", "menangkap", "mengamankan"))
    pverb = rng.choice(("dibekuk", "diringkus", "ditangkap", "diamankan"))
    when = w.when(hour=w.hour() if rng.random() < 0.6 else "")
    people = f"{count_word(n)} orang" if n > 1 else ("seorang wanita" if e.suspects[0].female else "seorang pria")
    if main.unit == "plant":  # a field, not a carried amount
        w.add(f"{w.lead_head()}{unit} menemukan ladang ganja di perbukitan {where}, {when}. Petugas mencabut "
              f"{w.amount(main)} dan menangkap {people} berinisial {sus} yang diduga sebagai penggarap.")
        return
    if e.agency == "customs":
        vessel = e.extra.setdefault("vessel", rng.choice(("kapal motor tanpa nama", "speedboat bermesin ganda",
                                                         "kapal kayu pengangkut ikan")))
        packs = e.extra.setdefault("packs", int(main.qty // 1000))
        w.add(rng.choice((
            f"{head}{unit} menggagalkan penyelundupan {w.amount(main)} dari Malaysia di perairan "
            f"Kecamatan {e.district}, {place_short(e)}, {when}. {cap(people)} awak {vessel} ditangkap.",
            f"{head}Sebanyak {w.amount(main, backward=False)} yang diangkut {vessel} dari Malaysia disita "
            f"{unit} di perairan Kecamatan {e.district}, {place_short(e)}, {when}. Barang haram itu dikemas "
            f"dalam {idnum(packs)} bungkus teh.",
        )))
        w.add(rng.choice((
            f"Pengungkapan ini tercatat sebagai yang terbesar di wilayah {e.place.prov.name} dalam beberapa tahun "
            f"terakhir.",
            "Petugas menyebut jumlah sabu itu merupakan tangkapan terbesar sepanjang tahun ini.",
        )))
        return
    options = [
        f"{head}{unit} {verb} {people} yang diduga terlibat peredaran narkoba di {where}, {when}. "
        f"Dari tangan {'para tersangka' if n > 1 else 'tersangka'}, petugas menyita {w.amount(main)}.",
        f"{head}Sebanyak {w.amount(main, backward=False)} disita {unit} dari "
        f"{'tersangka' if n == 1 else count_word(n) + ' tersangka'} berinisial {sus}. Mereka {pverb} di {where}, "
        f"{when}.",
        f"{head}{cap(people)} berinisial {sus} {pverb} petugas {unit} karena kedapatan membawa "
        f"{w.amount(main)}. Penangkapan berlangsung di {where}, {when}.",
        f"{head}Upaya peredaran {w.amount(main)} di {place_short(e)} berhasil digagalkan {unit}. "
        f"{cap(people)} {pverb} dalam penggerebekan di {rng.choice(VENUES)} di {where}, {when}.",
        f"{head}{unit} kembali mengungkap kasus peredaran narkoba. Kali ini {people} berinisial {sus} "
        f"{pverb} bersama barang bukti {w.amount(main)} di {where}, {when}.",
        f"{head}Polisi menggerebek {rng.choice(VENUES)} di {where} yang diduga menjadi tempat transaksi narkoba, "
        f"{when}. Dalam penggerebekan itu, {unit} {verb} {people} dan menyita {w.amount(main)}.",
    ]
    if n == 1:
        options.append(
            f"{head}Seorang {role_word(e.suspects[0])} narkoba berinisial {sus} tak berkutik saat disergap "
            f"petugas {unit} di {where}, {when}. Ia kedapatan menyimpan {w.amount(main)}.")
    w.add(rng.choice(options))
    if "new_ground" in e.tags:
        w.add(f"Menurut polisi, ini merupakan pengungkapan kasus narkoba pertama di {e.place.full} dalam dua tahun "
              f"terakhir.")
    if "spike" in e.tags:
        w.add(rng.choice((
            f"Penangkapan ini merupakan bagian dari operasi pemberantasan sabu yang digelar {e.place.unit} sejak "
            f"awal September. Dalam dua pekan terakhir, polisi berulang kali menangkap pengedar di sejumlah "
            f"kecamatan di Kota Medan.",
            "Dalam sepekan terakhir, ini bukan pengungkapan pertama di Medan. Polisi menduga para pengedar "
            "berasal dari jaringan yang sama dan kini tengah memetakan jalur pasokannya.",
        )))


def place_short(e: Event) -> str:
    return e.place.full if e.place.kind == "regency" else f"Kota {e.place.name}"


def bust_chronology(w: Writer) -> None:
    e, rng = w.event, w.rng
    tip = e.extra.setdefault("tip", rng.choice(TIPS))
    hide = e.extra.setdefault("hide", rng.choice(HIDING))
    first = e.suspects[0]
    options = [
        f"Pengungkapan ini berawal dari {tip}. Petugas kemudian membuntuti {first.initials} dan menghentikannya. "
        f"Saat digeledah, barang haram itu ditemukan {hide}.",
        f"Menurut keterangan polisi, penangkapan bermula dari {tip}. Setelah memastikan ciri-ciri pelaku, tim "
        f"langsung bergerak ke lokasi dan mendapati barang bukti {hide}.",
        f"Kasus ini terungkap berkat {tip}. Tim opsnal lalu bergerak dan menggerebek lokasi. "
        f"Narkoba tersebut {hide}.",
    ]
    w.add(rng.choice(options))
    if len(e.suspects) > 1:
        second = e.suspects[1]
        w.add(rng.choice((
            f"Dari hasil pengembangan, petugas kemudian menangkap {second.label} di lokasi berbeda. "
            f"{second.initials} diduga berperan sebagai {role_word(second)}.",
            f"Pengembangan dari keterangan {first.initials} membawa petugas kepada {second.label}, yang berperan "
            f"sebagai {role_word(second)} dalam jaringan tersebut.",
        )))


def bust_evidence(w: Writer) -> None:
    e, rng = w.event, w.rng
    extras = rng.sample(EXTRAS, 2)
    items = e.items
    if len(items) == 1:
        w.add(rng.choice((
            f"Selain {items[0].substance.forms[0]}, petugas juga menyita {extras[0]} dan {extras[1]} yang diduga "
            f"digunakan untuk bertransaksi.",
            f"Barang bukti lain yang turut diamankan antara lain {extras[0]} serta {extras[1]}.",
        )))
        return
    w.add(rng.choice((
        f"Total barang bukti yang disita berupa {w.amounts(items)}, ditambah {extras[0]} dan {extras[1]}.",
        f"Dalam penggeledahan itu petugas juga menemukan {w.amounts(items[1:])}. Selain narkoba, polisi menyita "
        f"{extras[0]}.",
    )))


HEAD_QUOTES = (
    ("Kami tidak akan memberi ruang sedikit pun bagi pelaku peredaran narkoba di wilayah ini.",
     "Siapa pun yang terlibat akan kami tindak tegas sesuai hukum yang berlaku.",
     "Kami juga mengajak masyarakat untuk terus memberikan informasi."),
    ("Pengungkapan ini adalah hasil kerja keras anggota di lapangan dan dukungan masyarakat.",
     "Jaringan di atasnya masih kami kejar.",
     "Kami yakin pelaku lain akan segera tertangkap."),
    ("Dengan pengungkapan ini, kami telah menyelamatkan ribuan generasi muda dari bahaya narkoba.",
     "Kami pastikan kasus ini diusut sampai tuntas.",
     "Tidak ada kompromi untuk bandar narkoba."),
    ("Tersangka mengaku sudah beberapa kali mengedarkan barang tersebut.",
     "Kami masih mendalami asal barang dan siapa pemesannya.",
     "Hasil pemeriksaan laboratorium akan memperkuat berkas perkara."),
    ("Narkoba adalah musuh bersama, dan kami berkomitmen memberantasnya sampai ke akar.",
     "Kami terus berkoordinasi dengan BNN dan instansi terkait.",
     "Peran orang tua dan tokoh masyarakat sangat penting."),
)
OPERATOR_QUOTES = (
    ("Tersangka kami tangkap tanpa perlawanan.",
     "Saat ini yang bersangkutan masih menjalani pemeriksaan intensif.",
     "Kami juga melakukan tes urine dan hasilnya positif."),
    ("Barang bukti langsung kami bawa untuk ditimbang dan diuji di laboratorium forensik.",
     "Tersangka mengaku diupah untuk mengantar barang tersebut.",
     "Kami sedang memburu orang yang menyuruhnya."),
    ("Tim sudah memantau pergerakan tersangka sejak beberapa hari sebelumnya.",
     "Begitu ada kepastian transaksi, kami langsung bergerak.",
     "Semua barang bukti kami amankan di lokasi."),
)
APPEALS = (
    "Polisi mengimbau masyarakat segera melapor jika mengetahui adanya aktivitas peredaran narkoba di "
    "lingkungannya. Identitas pelapor dijamin kerahasiaannya.",
    "Kasus ini menambah daftar pengungkapan narkoba di wilayah tersebut dalam beberapa bulan terakhir. Polisi "
    "berjanji akan meningkatkan patroli di titik-titik rawan.",
    "Saat ini para tersangka beserta barang bukti telah diamankan untuk proses penyidikan lebih lanjut.",
    "Penyidik masih mendalami kemungkinan keterlibatan jaringan lintas daerah dalam kasus ini.",
)


def render_bust(w: Writer) -> str:
    e, rng = w.event, w.rng
    title = bust_title(w)
    bust_lead(w)
    head = head_of(e)
    op = operator_of(e)
    sections: list[Callable[[], None]] = []

    def head_quote() -> None:
        q = e.extra.setdefault("head_quote", rng.randrange(len(HEAD_QUOTES)))
        w.add(w.quote(head, HEAD_QUOTES[q], when=True))

    def op_quote() -> None:
        if op is None or op.name == head.name:
            return
        q = e.extra.setdefault("op_quote", rng.randrange(len(OPERATOR_QUOTES)))
        w.add(w.quote(op, OPERATOR_QUOTES[q]))

    def suspects() -> None:
        s = e.suspects
        roles = ", ".join(f"{x.initials} sebagai {role_word(x)}" for x in s)
        w.add(pick(
            rng,
            lambda: f"Kepada penyidik, para tersangka mengakui perannya masing-masing: {roles}." if len(s) > 1 else
            f"Kepada penyidik, {s[0].initials} mengaku berperan sebagai {role_word(s[0])} dan dijanjikan upah "
            f"Rp{rng.choice(('500 ribu', '1 juta', '2 juta', '5 juta'))} sekali antar.",
            lambda: f"{cap(w.pronoun(head))} menyebut {suspects_text(w, s)} merupakan warga {e.district}. "
            f"{'Salah satu di antaranya' if len(s) > 1 else 'Tersangka'} diketahui residivis kasus serupa.",
        ))

    users = all(x.role == "pemakai" for x in e.suspects)

    def legal() -> None:
        w.add(rng.choice((
            f"Atas perbuatannya, {'para tersangka' if len(e.suspects) > 1 else 'tersangka'} dijerat "
            f"{legal_text(w, e.items, users)}.",
            f"Tersangka kini mendekam di sel tahanan dan dijerat {legal_text(w, e.items, users)}.",
        )))

    sections = [lambda: bust_chronology(w), head_quote, lambda: bust_evidence(w), suspects, op_quote, legal]
    if w.outlet.long:
        order = [0, 1, 2, 3, 4, 5] if rng.random() < 0.5 else [1, 0, 2, 4, 3, 5]
    else:
        order = [1, 5] if rng.random() < 0.5 else [0, 1, 5]
    for i in order:
        sections[i]()
    previous = e.extra.get("previous")
    if w.outlet.long and previous and rng.random() < 0.5:
        day, district = previous
        w.add(rng.choice((
            f"Sebelumnya, pada {MONTHS[day.month - 1]} {day.year}, jajaran {e.place.unit} juga mengungkap kasus "
            f"narkoba di Kecamatan {district}. Polisi belum memastikan apakah kedua kasus itu saling berkaitan.",
            f"Kasus ini bukan yang pertama di wilayah tersebut. Pada {MONTHS[day.month - 1]} {day.year}, petugas "
            f"juga menangkap pengedar di Kecamatan {district}.",
        )))
    if w.outlet.long and rng.random() < 0.4:
        w.add(f"Barang bukti selanjutnya dikirim ke Laboratorium Forensik {e.place.prov.polda} untuk memastikan "
              f"kandungannya, sementara para tersangka menjalani tes urine.")
    if w.outlet.long and rng.random() < 0.6:
        w.add(rng.choice(APPEALS))
    return title


# -- raids ----------------------------------------------------------------------------------------------------


def render_raid(w: Writer) -> str:
    e, rng = w.event, w.rng
    head = kapolres(e.place)
    tested, positive = e.extra["tested"], e.extra["positive"]
    venue = e.extra["venue"]
    title = rng.choice((
        f"Razia Tempat Hiburan Malam di {e.place.name}, {title_count(positive)} Pengunjung Positif Narkoba",
        f"Operasi Pekat, {e.place.unit} Gelar Tes Urine di {titled(venue)}",
        f"Razia Narkoba di {e.district}: {idnum(tested)} Orang Dites Urine",
        f"Polisi Razia {titled(venue)} di {e.place.name}, Temukan Pil Ekstasi",
        f"{title_count(positive)} Pengunjung {titled(venue)} di {e.district} Positif Narkoba",
        f"Operasi Pekat {e.place.unit}: Ekstasi Ditemukan di Toilet {titled(venue)}",
        f"Tes Urine Mendadak di {e.place.name}, {title_count(positive)} Orang Positif",
    ))
    where, when = where_phrase(w), w.when(hour="malam")
    w.add(rng.choice((
        f"{w.lead_head()}{e.place.unit} bersama BNN menggelar razia di sejumlah {venue} di {where}, {when}. "
        f"Sebanyak {idnum(tested)} pengunjung dan pekerja menjalani tes urine di tempat.",
        f"{w.lead_head()}Ratusan personel gabungan menyisir {venue} di {where}, {when}. Razia dalam rangka "
        f"operasi pekat itu menyasar peredaran narkoba di kalangan pengunjung; {idnum(tested)} orang dites urine.",
        f"{w.lead_head()}Sebanyak {idnum(tested)} pengunjung {venue} di {where} menjalani tes urine mendadak saat "
        f"{e.place.unit} menggelar razia, {when}.",
    )))
    w.add(rng.choice((
        f"Hasilnya, {count_word(positive)} orang dinyatakan positif mengandung zat narkotika. Petugas juga "
        f"menemukan {w.amounts(e.items)} yang dibuang di dalam toilet.",
        f"Dari pemeriksaan tersebut, {count_word(positive)} orang positif narkoba. Di salah satu ruangan, petugas "
        f"mendapati {w.amounts(e.items)} yang diduga milik pengunjung.",
    )))
    w.add(w.quote(head, (
        "Razia ini bagian dari operasi penyakit masyarakat menjelang akhir tahun.",
        "Pengelola tempat hiburan yang terbukti membiarkan peredaran narkoba akan kami rekomendasikan untuk "
        "dicabut izinnya.",
        "Mereka yang positif akan kami asesmen untuk rehabilitasi."), when=True))
    if w.outlet.long:
        w.add(f"Razia yang berlangsung hingga dini hari itu melibatkan personel gabungan dari Satresnarkoba, "
              f"Satsamapta dan Propam. {cap(count_word(positive))} pengunjung yang positif dibawa ke Mapolres "
              f"untuk pemeriksaan lanjutan.")
    return title


# -- destruction of evidence ----------------------------------------------------------------------------------


def render_destruction(w: Writer) -> str:
    e, rng = w.event, w.rng
    head = kapolres(e.place) if e.agency == "polres" else kepala_bnnp(e.place.prov)
    unit = e.place.unit if e.agency == "polres" else f"BNNP {e.place.prov.short}"
    cases = e.extra["cases"]
    method = e.extra.setdefault("method", rng.choice((
        "dilarutkan ke dalam air bercampur cairan pembersih", "dibakar di dalam mesin insinerator",
        "diblender lalu dibuang ke saluran pembuangan")))
    main = e.items[0]
    title = rng.choice((
        f"{unit} Musnahkan {title_amount(main, 'kilogram')} {main.substance.short}",
        f"Pemusnahan Barang Bukti Narkoba dari {title_count(cases)} Kasus di {e.place.name}",
        f"Barang Bukti {main.substance.short} Hasil {title_count(cases)} Kasus Dimusnahkan",
        f"{unit} Musnahkan Barang Bukti Narkoba, Disaksikan Kejaksaan dan Tokoh Agama",
        f"Narkoba Sitaan {title_count(cases)} Kasus di {e.place.name} Diblender dan Dibakar",
        f"Pemusnahan {main.substance.short} di {e.place.name}: {title_amount(main, 'kilogram')} Dimusnahkan",
    ))
    venue = "halaman Mapolres" if e.agency == "polres" else f"halaman kantor BNNP di {place_short(e)}"
    when = w.when()
    w.add(pick(
        rng,
        lambda: f"{w.lead_head()}{unit} memusnahkan barang bukti narkotika hasil pengungkapan {count_word(cases)} "
        f"kasus di {venue}, {when}. Barang bukti yang dimusnahkan yakni {w.amounts(e.items)}.",
        lambda: f"{w.lead_head()}Sebanyak {w.amounts(e.items)} dimusnahkan {unit} di {venue}, {when}. Barang "
        f"bukti itu merupakan hasil pengungkapan {count_word(cases)} kasus dalam beberapa bulan terakhir.",
        lambda: f"{w.lead_head()}Barang bukti narkotika dari {count_word(cases)} kasus dimusnahkan di {venue}, "
        f"{when}. Pemusnahan oleh {unit} itu meliputi {w.amounts(e.items)}.",
    ))
    w.add(f"Seluruh barang bukti itu {method}. Pemusnahan disaksikan perwakilan kejaksaan negeri, pengadilan, "
          f"tokoh agama serta para tersangka.")
    w.add(w.quote(head, (
        "Pemusnahan ini kami lakukan agar barang bukti tidak disalahgunakan dan sebagai bentuk transparansi kepada "
        "publik.",
        "Sebagian kecil barang bukti disisihkan untuk kepentingan pembuktian di persidangan.",
        "Kami berterima kasih atas dukungan masyarakat.")))
    if w.outlet.long:
        w.add(f"Sebelum dimusnahkan, barang bukti terlebih dahulu diuji untuk memastikan keasliannya. Dari "
              f"{count_word(cases)} kasus tersebut, polisi menetapkan {count_word(e.extra['suspects'])} tersangka.")
    return title


# -- prisons --------------------------------------------------------------------------------------------------


def prison_short(prison: str) -> str:
    return re.sub(r" Kelas [I]+[AB]?", "", prison)


def render_prison(w: Writer) -> str:
    e, rng = w.event, w.rng
    prison = e.extra["prison"]
    head = kalapas(prison, e.place.province)
    kanwil = kakanwil(e.place.prov)
    short = prison_short(prison)
    if e.subkind == "smuggling":
        title = rng.choice((
            f"Penyelundupan Sabu ke {short} Digagalkan Petugas",
            f"Paket Narkoba Dilempar ke {short}, Petugas Sigap Mengamankan",
            f"Sabu Disembunyikan dalam Makanan Kiriman untuk Napi {short}",
            f"Upaya Selundupkan Narkoba ke {short} Kembali Digagalkan",
            f"Petugas {short} Temukan Paket Sabu, Pengirim Diserahkan ke Polisi",
        ))
        trick = e.extra.setdefault("trick", rng.choice((
            "dilempar dari luar tembok sisi belakang",
            "diselipkan di dalam nasi bungkus kiriman keluarga",
            "disembunyikan di dalam sol sandal milik pengunjung")))
        w.add(f"{w.lead_head()}Petugas {prison} menggagalkan upaya penyelundupan narkoba ke dalam lapas, "
              f"{w.when(hour=w.hour())}. Paket yang {trick} itu berisi {w.amounts(e.items)} dan langsung "
              f"disita petugas.")
        w.add(w.quote(head, (
            "Petugas kami curiga dan langsung memeriksa paket tersebut.",
            "Kami sudah berkoordinasi dengan kepolisian untuk mengusut siapa pengirim dan penerimanya.",
            "Tidak ada toleransi bagi narkoba di dalam lapas."), when=True))
        w.add(f"Barang bukti beserta {e.suspects[0].label}, yang diduga sebagai pengirim, diserahkan kepada "
              f"{e.place.unit} untuk diproses lebih lanjut.")
    elif e.subkind == "escape":
        n = len(e.suspects)
        title = rng.choice((
            f"{title_count(n)} Tahanan Kabur dari {short}, Polisi Lakukan Pengejaran",
            f"Napi Kabur dari {short} Jebol Teralis Kamar Mandi",
            f"{title_count(n)} Warga Binaan {short} Melarikan Diri",
            f"Buron Napi Kabur dari {short}, Kanwil Ditjenpas Bentuk Tim",
        ))
        w.add(f"{w.lead_head()}{cap(count_word(n))} warga binaan kabur dari {prison}, {w.when(hour='dini hari')}. "
              f"Mereka masing-masing berinisial {suspects_text(w, e.suspects)}, tahanan kasus narkotika dan "
              f"pencurian.")
        w.add("Para napi itu diduga menggergaji teralis kamar mandi blok hunian lalu memanjat tembok dengan "
              "bantuan kain sarung yang disambung. Petugas baru menyadari saat apel pagi.")
        w.add(w.quote(kanwil, (
            "Kami sudah membentuk tim gabungan bersama kepolisian untuk melakukan pengejaran.",
            "Petugas jaga malam itu juga sedang kami periksa.",
            "Kami minta warga segera melapor jika melihat mereka."), when=True))
        if w.outlet.long:
            w.add(f"{cap(count_word(max(1, n - 1)))} di antaranya kemudian berhasil ditangkap kembali di sebuah "
                  f"kebun warga tidak jauh dari lapas.")
    elif e.subkind == "riot":
        title = rng.choice((
            f"Kerusuhan Pecah di {short}, Sejumlah Fasilitas Dibakar",
            f"Ricuh di {short}, Aparat Gabungan Diterjunkan",
            f"Napi {short} Mengamuk Usai Razia, Polisi Berjaga",
            f"Kericuhan di {short} Berhasil Diredam, Dua Petugas Luka Ringan",
        ))
        when = w.when(hour=w.hour())
        w.add(rng.choice((
            f"{w.lead_head()}Kerusuhan terjadi di {prison}, {when}. Puluhan warga binaan membakar kasur dan "
            f"merusak sejumlah fasilitas setelah petugas menggelar razia barang terlarang.",
            f"{w.lead_head()}Suasana {prison} mencekam, {when}. Sejumlah warga binaan mengamuk, membakar kasur "
            f"dan melempari petugas usai razia barang terlarang di blok hunian.",
        )))
        if "new_ground" in e.tags:
            w.add(f"Kericuhan seperti ini belum pernah terjadi di {short} sebelumnya, menurut petugas yang "
                  f"sudah bertahun-tahun bertugas di sana.")
        w.add(f"Situasi baru bisa dikendalikan setelah personel {e.place.unit} dan Brimob "
              f"{e.place.prov.polda} tiba di lokasi. Tidak ada korban jiwa dalam kejadian itu, namun dua petugas "
              f"mengalami luka ringan.")
        w.add(w.quote(kanwil, (
            "Kondisi saat ini sudah kondusif dan aktivitas di dalam lapas berangsur normal.",
            "Kami akan mengevaluasi penyebab kericuhan ini secara menyeluruh.",
            "Provokator kerusuhan akan kami pindahkan ke lapas dengan pengamanan lebih ketat."), when=True))
        if w.outlet.long:
            w.add(w.quote(head, ("Razia tetap akan kami lakukan secara rutin.",
                                 "Kami tidak akan mundur karena ada perlawanan.")))
    else:  # search of the cells
        title = rng.choice((
            f"Sidak Kamar Hunian {short}, Petugas Temukan Ponsel dan Senjata Tajam",
            f"Razia Blok Hunian di {short}, Puluhan Barang Terlarang Disita",
        ))
        phones = e.extra.setdefault("phones", rng.randint(6, 35))
        w.add(f"{w.lead_head()}Petugas gabungan menggelar penggeledahan kamar hunian di {prison}, "
              f"{w.when(hour='malam')}. Dari razia itu, petugas menyita {idnum(phones)} unit telepon genggam, "
              f"senjata tajam rakitan dan alat isap sabu.")
        w.add(w.quote(head, (
            "Razia ini kami lakukan untuk memastikan lapas bebas dari handphone, pungli dan narkoba.",
            "Semua barang temuan akan kami musnahkan.",
            "Warga binaan yang kedapatan menyimpan barang terlarang akan dicatat dalam register F."), when=True))
        w.add("Selain penggeledahan, petugas juga melakukan tes urine secara acak kepada 40 warga binaan. "
              "Hasilnya seluruhnya negatif.")
    return title


# -- clashes --------------------------------------------------------------------------------------------------


def render_clash(w: Writer) -> str:
    e, rng = w.event, w.rng
    head = kapolres(e.place)
    n = len(e.suspects)
    weapons = e.extra.setdefault("weapons", rng.choice(("celurit", "parang", "busur panah rakitan", "samurai")))
    title = rng.choice((
        f"Tawuran Remaja di {e.district}, {title_count(n)} Pelajar Diamankan",
        f"Polisi Bubarkan Tawuran di {e.place.name}, {cap(weapons)} Disita",
        f"Dua Kelompok Pemuda Bentrok di {e.district}, Satu Orang Luka",
        f"Dipicu Saling Ejek di Medsos, Remaja {e.place.name} Terlibat Tawuran",
        f"Tawuran Pecah Dini Hari di {e.district}, Polisi Sita {cap(weapons)}",
    ))
    where, when = where_phrase(w), w.when(hour="dini hari")
    w.add(rng.choice((
        f"{w.lead_head()}Tawuran antarkelompok pemuda pecah di {where}, {when}. Polisi yang datang ke lokasi "
        f"mengamankan {count_word(n)} orang, sementara sisanya melarikan diri.",
        f"{w.lead_head()}Polisi membubarkan tawuran dua kelompok remaja di {where}, {when}. Sebanyak "
        f"{count_word(n)} remaja diamankan, sebagian besar masih berstatus pelajar.",
    )))
    w.add(f"Dari lokasi kejadian, petugas menyita beberapa bilah {weapons} dan batu yang digunakan untuk saling "
          f"serang. Seorang remaja mengalami luka bacok di lengan dan dirawat di rumah sakit.")
    w.add(w.quote(head, (
        "Tawuran ini dipicu saling ejek di media sosial.",
        "Mereka yang membawa senjata tajam akan kami proses hukum.",
        "Kami minta orang tua lebih mengawasi anak-anaknya pada malam hari."), when=True))
    if w.outlet.long:
        w.add(f"Polisi menetapkan {suspects_text(w, e.suspects[:2])} sebagai tersangka dan menjerat mereka "
              f"dengan Pasal 2 ayat (1) UU Darurat Nomor 12 Tahun 1951 serta Pasal 170 KUHP.")
    return title


# -- viral videos ---------------------------------------------------------------------------------------------


def render_viral(w: Writer) -> str:
    e, rng = w.event, w.rng
    prov = e.place.prov
    if e.subkind == "extortion":  # the planned viral incident: a video of an officer asking a motorist for money
        propam, humas = kabidpropam(prov), kabidhumas(prov)
        first_day = e.day
        title = rng.choice((
            f"Viral Video Oknum Polisi Diduga Peras Pengendara di {e.place.name}, Propam Turun Tangan",
            f"Video Viral Pungli di Jalan, Oknum Polisi {e.place.name} Diperiksa Propam",
            f"Heboh Video Oknum Polisi Minta Uang ke Sopir Truk di {e.place.name}",
            f"{prov.polda} Tanggapi Video Viral Oknum Anggota Minta Uang",
            f"Oknum Polisi dalam Video Viral di {e.place.name} Dipatsus",
            f"Video Pungli Viral, Kapolresta {e.place.name} Minta Maaf",
            f"Beredar Video Oknum Polisi Terima Uang di {e.district}, Ini Kata Polda",
            f"Rekaman Oknum Polisi Terima Uang dari Sopir Truk Viral, Propam {prov.polda} Bergerak",
            f"Videonya Viral, Oknum Brigadir di {e.place.name} Jalani Pemeriksaan",
            f"Warganet Soroti Video Pungli di {e.place.name}, Polisi Janji Transparan",
            f"Propam Periksa Oknum Polisi yang Viral Minta Uang di Jalan {e.place.name}",
        ))
        w.add(f"{w.lead_head()}Sebuah rekaman video yang memperlihatkan seorang oknum polisi diduga meminta uang "
              f"kepada sopir truk di {where_phrase(w)} viral di media sosial. Video berdurasi 47 detik itu "
              f"beredar sejak {w.when(first_day)} dan telah ditonton ratusan ribu kali.")
        w.add(rng.choice((
            "Dalam video tersebut, sang sopir terlihat menyerahkan beberapa lembar uang setelah kendaraannya "
            "dihentikan. Perekam video terdengar mempertanyakan alasan pemberhentian itu.",
            "Rekaman diambil dari dalam kabin truk. Oknum berseragam itu terlihat menghampiri jendela sopir dan "
            "menerima lipatan uang sebelum mempersilakan truk melanjutkan perjalanan.",
        )))
        w.add(w.quote(humas, (
            "Kami sudah melihat video yang beredar dan langsung menindaklanjutinya.",
            "Oknum anggota tersebut sudah kami amankan dan menjalani pemeriksaan.",
            "Polri tidak akan menoleransi perilaku seperti ini."), when=True))
        w.add(pick(
            rng,
            lambda: f"Menurut {w.name(propam, 0)}, oknum berinisial {e.suspects[0].initials} yang berpangkat "
            f"brigadir itu kini ditempatkan di tempat khusus (patsus) selama pemeriksaan berlangsung.",
            lambda: f"Bidang Propam telah memeriksa oknum berinisial {e.suspects[0].initials} beserta dua saksi. "
            f"Sanksi kode etik menanti jika pelanggaran terbukti, kata {w.name(propam, 0)}.",
        ))
        if w.outlet.long:
            w.add("Warganet ramai mengomentari video itu dan meminta kepolisian bersikap transparan. Polda "
                  "membuka layanan pengaduan bagi pengendara yang pernah mengalami kejadian serupa.")
        return title
    # a smaller viral video: a lapas inmate's video call, or a man threatening residents
    if e.subkind == "lapas_video":
        prison = e.extra["prison"]
        head = kalapas(prison, e.place.province)
        title = rng.choice((
            f"Video Napi {prison_short(prison)} Pamer Ponsel Viral, Kalapas Buka Suara",
            f"Viral Napi Siaran Langsung dari Dalam Sel, {prison_short(prison)} Lakukan Razia",
        ))
        w.add(f"{w.lead_head()}Video seorang narapidana {prison} yang melakukan siaran langsung dari dalam sel "
              f"menjadi viral di media sosial, {w.when()}. Dalam rekaman itu, napi tersebut terlihat santai "
              f"memamerkan telepon genggam.")
        w.add(w.quote(head, (
            "Begitu video itu kami terima, petugas langsung menggeledah kamar yang bersangkutan.",
            "Ponselnya sudah kami sita dan napi tersebut kami tempatkan di sel pengasingan.",
            "Petugas yang lalai juga akan kami periksa."), when=True))
        return title
    head = kapolres(e.place)
    title = rng.choice((
        f"Viral Pria Acungkan Parang ke Warga di {e.district}, Pelaku Ditangkap",
        "Video Pria Mengamuk Bawa Senjata Tajam Viral, Polisi Bergerak Cepat",
    ))
    w.add(f"{w.lead_head()}Video seorang pria mengacungkan parang kepada warga di {where_phrase(w)} viral di "
          f"media sosial. Kurang dari 24 jam, polisi menangkap pria berinisial {e.suspects[0].label} itu, "
          f"{w.when()}.")
    w.add(w.quote(head, (
        "Pelaku diduga dalam pengaruh minuman keras saat kejadian.",
        "Kami juga akan memeriksa urinenya untuk memastikan ada tidaknya penggunaan narkoba."), when=True))
    return title


# -- follow-ups: trials and sentences --------------------------------------------------------------------------


def render_follow_up(w: Writer) -> str:
    e, rng = w.event, w.rng
    case = e.parent
    assert case is not None
    court = f"Pengadilan Negeri {e.place.name}"
    judge = ROSTER.get(court, "judge", f"Ketua Majelis Hakim {court}", None, e.place.province)
    prosecutor = ROSTER.get(f"Kejari {e.place.name}", "jpu", f"Jaksa Penuntut Umum Kejari {e.place.name}", None,
                            e.place.province)
    defendants = case.suspects[:2]
    main = case.items[0]
    months = e.extra["sentence"]
    demand = e.extra["demand"]
    case_day = case.day
    ago = f"{MONTHS[case_day.month - 1]} {case_day.year}"
    if e.subkind == "demand":
        title = rng.choice((
            f"Kurir {title_amount(main, 'kg')} {main.substance.short} Dituntut {titled(demand)}",
            f"JPU Tuntut {titled(demand)} untuk Terdakwa Kasus {main.substance.short} {e.place.name}",
        ))
        w.add(f"{w.lead_head()}Jaksa penuntut umum menuntut {demand.lower()} terhadap terdakwa "
              f"{suspects_text(w, defendants)} dalam sidang di {court}, {w.when()}. Keduanya didakwa menjadi "
              f"kurir {w.amount(main)} yang diungkap pada {ago}.")
        w.add(w.quote(prosecutor, (
            "Perbuatan para terdakwa tidak mendukung program pemerintah dalam memberantas narkotika.",
            "Tidak ada hal yang meringankan.")))
        w.add("Menurut jaksa, terdakwa terbukti melanggar Pasal 114 ayat (2) juncto Pasal 132 ayat (1) UU Nomor "
              "35 Tahun 2009 tentang Narkotika. Sidang dilanjutkan pekan depan dengan agenda pembelaan.")
        return title
    sentence = "penjara seumur hidup" if months == 0 else f"{months // 12} tahun penjara"
    title = rng.choice((
        f"Terdakwa Kasus {main.substance.short} di {e.place.name} Divonis {titled(sentence)}",
        f"Vonis {titled(sentence)} untuk {cap(role_word(defendants[0]))} {main.substance.short}",
        f"Hakim {court} Jatuhkan Vonis {titled(sentence)} kepada {defendants[0].initials}",
    ))
    w.add(f"{w.lead_head()}Majelis hakim {court} menjatuhkan vonis {sentence} kepada terdakwa "
          f"{suspects_text(w, defendants)}, {w.when()}. Terdakwa terbukti bersalah dalam kasus peredaran "
          f"{w.amount(main)} yang diungkap pada {ago}.")
    w.add(f"Vonis itu {'lebih ringan dari' if e.extra['lighter'] else 'sama dengan'} tuntutan jaksa, yakni "
          f"{demand.lower()}. Terdakwa dinyatakan melanggar Pasal 114 ayat (2) UU Nomor 35 Tahun 2009 tentang "
          f"Narkotika.")
    w.add(w.quote(judge, (
        "Menyatakan terdakwa terbukti secara sah dan meyakinkan bersalah melakukan tindak pidana narkotika.",
        "Menetapkan barang bukti dirampas untuk dimusnahkan."), cue="ucap"))
    if w.outlet.long:
        w.add(f"Atas putusan itu, terdakwa melalui penasihat hukumnya menyatakan pikir-pikir. Hal serupa "
              f"disampaikan {w.name(prosecutor, 0)}.")
    return title


# -- statements: year-end releases, HANI, cooperation -----------------------------------------------------------


def render_statement(w: Writer) -> str:
    e, rng = w.event, w.rng
    prov = e.place.prov
    if e.subkind == "year_end":
        year = e.extra["year"]
        head = ROSTER.get(prov.polda, "head", f"Kapolda {prov.short}", "Irjen Pol", prov.code)
        cases, suspects = e.extra["cases"], e.extra["suspects_total"]
        total = Item("sabu", e.extra["sabu_total"])
        w.period_seizures.append((total, str(year)))
        title = rng.choice((
            f"Sepanjang {year}, {prov.polda} Ungkap {idnum(cases)} Kasus Narkoba",
            f"Rilis Akhir Tahun {prov.polda}: Kasus Narkoba Masih Mendominasi",
        ))
        w.add(f"{w.lead_head()}{prov.polda} mengungkap {idnum(cases)} kasus narkoba dengan {idnum(suspects)} "
              f"tersangka sepanjang {year}. Hal itu disampaikan dalam rilis akhir tahun yang digelar di "
              f"{place_short(e)}, "
              f"{w.when()}.")
        w.add(f"Barang bukti yang disita sepanjang {year} di antaranya {fmt_amount(total, 'kilogram')} sabu. "
              f"Jumlah kasus tersebut meningkat dibandingkan tahun sebelumnya.")
        w.add(w.quote(head, (
            "Narkoba masih menjadi ancaman serius di wilayah kami.",
            "Tahun depan kami akan fokus memutus jaringan yang dikendalikan dari dalam lapas.")))
        return title
    if e.subkind == "hani":
        head = kepala_bnnp(prov)
        title = rng.choice((
            f"Peringatan HANI {e.day.year}, BNNP {prov.short} Ajak Pelajar Jauhi Narkoba",
            f"BNNP {prov.short} Gelar Peringatan Hari Anti Narkotika Internasional",
        ))
        w.add(f"{w.lead_head()}BNNP {prov.short} memperingati Hari Anti Narkotika Internasional (HANI) bersama "
              f"ratusan pelajar dan mahasiswa, {w.when()}. Kegiatan diisi dengan sosialisasi bahaya narkoba dan "
              f"tes urine sukarela.")
        w.add(w.quote(head, (
            "Pencegahan harus dimulai dari keluarga dan sekolah.",
            "Kami membuka layanan rehabilitasi gratis bagi pecandu yang melapor secara sukarela.")))
        w.add("Dalam kesempatan itu juga ditandatangani komitmen bersama sekolah-sekolah untuk membentuk satgas "
              "antinarkoba di lingkungan pendidikan.")
        return title
    # cooperation between BNNP and the prison service
    head, kanwil = kepala_bnnp(prov), kakanwil(prov)
    title = rng.choice((
        f"BNNP {prov.short} dan Kanwil Ditjenpas Perkuat Sinergi Cegah Narkoba di Lapas",
        f"Cegah Peredaran Narkoba dari Balik Jeruji, BNNP {prov.short} Gandeng Pemasyarakatan",
    ))
    w.add(f"{w.lead_head()}{w.name(head, 0, subject=True)} berkunjung ke Kanwil Ditjenpas {prov.name}, {w.when()}. "
          f"Kunjungan itu membahas pengawasan peredaran narkoba di lapas dan rutan.")
    w.add("Sejak pemasyarakatan dipisahkan dari Kemenkumham dan kini berada di bawah Kementerian Imigrasi dan "
          "Pemasyarakatan, koordinasi antarinstansi dinilai perlu diperbarui.")
    w.add(w.quote(kanwil, (
        "Kami terbuka terhadap tes urine mendadak bagi petugas maupun warga binaan.",
        "Petugas yang terlibat narkoba akan kami tindak tegas.")))
    return title


RENDERERS: dict[str, Callable[[Writer], str]] = {
    "bust": render_bust, "raid": render_raid, "destruction": render_destruction, "prison": render_prison,
    "clash": render_clash, "viral": render_viral, "follow_up": render_follow_up, "statement": render_statement,
}


# --------------------------------------------------------------------------------------------------------------
# The schedule
# --------------------------------------------------------------------------------------------------------------


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Schedule:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.rng = random.Random(f"{SEED}:schedule")

    def new(self, kind: str, subkind: str, day: date, place: str, agency: str, **extra: Any) -> Event:
        rng = random.Random(f"{SEED}:event:{len(self.events)}")
        p = PLACES[place]
        event = Event(f"inc-{len(self.events) + 1:04d}", kind, subkind, day, p, agency, rng.choice(p.districts),
                      extra=dict(extra))
        event.extra.setdefault("street", rng.choice(STREETS))
        event.extra["statement_day"] = day + timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        self.events.append(event)
        return event


SUB_MIX = {  # background substances by province: sabu everywhere, ganja in Sumatra, pills in Java and Sulsel
    "default": (("sabu", 70), ("ganja", 12), ("ekstasi", 10), ("tembakau", 8)),
    "11": (("sabu", 45), ("ganja", 45), ("pohon_ganja", 10)),
    "12": (("sabu", 70), ("ganja", 20), ("ekstasi", 10)),
    "31": (("sabu", 50), ("ekstasi", 20), ("tembakau", 20), ("ganja", 10)),
    "32": (("sabu", 40), ("doublel", 30), ("tembakau", 20), ("ganja", 10)),
    "35": (("sabu", 45), ("doublel", 35), ("ekstasi", 20)),
    "51": (("sabu", 40), ("ekstasi", 25), ("kokain", 10), ("ganja", 25)),
    "73": (("sabu", 60), ("doublel", 25), ("ganja", 15)),
}


def weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def fill_bust(event: Event, rng: random.Random, *, sub: str | None = None, tier: str | None = None,
              n_suspects: int | None = None) -> None:
    prov = event.place.province
    sub = sub or weighted(rng, SUB_MIX.get(prov, SUB_MIX["default"]))
    if tier is None:
        tier = weighted(rng, {"polsek": (("user", 80), ("dealer", 20)),
                              "polres": (("user", 35), ("dealer", 45), ("big", 15), ("courier", 5)),
                              "polda": (("dealer", 20), ("big", 45), ("courier", 35)),
                              "bnnp": (("dealer", 25), ("big", 40), ("courier", 35)),
                              "customs": (("courier", 100),)}[event.agency])
    items = [Item(sub, draw_quantity(rng, sub, tier))]
    if sub == "sabu" and rng.random() < 0.3:
        items.append(Item("ekstasi", draw_quantity(rng, "ekstasi", "user" if tier == "user" else "dealer")))
    elif sub == "ekstasi" and rng.random() < 0.3:
        items.append(Item("sabu", draw_quantity(rng, "sabu", "dealer")))
    elif sub == "ganja" and rng.random() < 0.15:
        items.append(Item("tembakau", draw_quantity(rng, "tembakau", "user")))
    event.items = items
    n = n_suspects or weighted(rng, (("1", 45), ("2", 35), ("3", 15), ("4", 5)))
    roles = ("pemakai", "pengedar") if tier == "user" else ("kurir", "pengedar", "bandar")
    event.suspects = draw_suspects(rng, int(n), roles)


def build_schedule() -> tuple[list[Event], list[dict[str, Any]]]:
    s = Schedule()
    rng = s.rng
    horizon = (END - START).days

    # Background busts: each place at its own steady interval with a few days' jitter, so no place and no week
    # clusters by chance (a cluster would read as a spike).
    for key, place in PLACES.items():
        if not place.interval:
            continue
        offset = rng.randrange(place.interval) if key != "medan" else 3
        day = offset
        while day <= horizon:
            jitter = rng.randint(-3, 3) if place.interval <= 20 else rng.randint(-6, 6)
            when = START + timedelta(days=min(max(day + jitter, 0), horizon))
            agency = weighted(rng, (("polres", 70), ("polsek", 12), ("polda", 10), ("bnnp", 8)))
            if key == "medan":
                agency = weighted(rng, (("polres", 75), ("polsek", 20), ("polda", 5)))
            event = s.new("bust", "seizure", when, key, agency)
            fill_bust(event, random.Random(f"{SEED}:bust:{event.id}"))
            day += place.interval

    situations: list[dict[str, Any]] = []

    # Spike: Medan's narkoba incidents, steady at one every two and a half weeks for a year, jump to four and then
    # three in two consecutive weeks of September 2026 (an operation against a network), then go back to normal.
    spike_weeks = (date(2026, 9, 7), date(2026, 9, 14))
    for week, days in zip(spike_weeks, ((0, 2, 3, 5), (1, 3, 5)), strict=True):
        for d in days:
            event = s.new("bust", "seizure", week + timedelta(days=d), "medan",
                          weighted(rng, (("polres", 80), ("polda", 20))))
            event.tags.append("spike")
            fill_bust(event, random.Random(f"{SEED}:bust:{event.id}"), sub="sabu")
    situations.append({"type": "spike", "region": "12.71", "region_name": "Kota Medan", "province": "12",
                       "topic": "narkoba", "weeks": [w.isoformat() for w in spike_weeks]})

    # Record seizure: 212 kg of sabu off Bengkalis, far above any other sabu amount (at most 9 kg).
    record = s.new("bust", "seizure", date(2026, 4, 14), "bengkalis", "customs")
    record.district = "Rupat"
    record.items = [Item("sabu", 212000.0)]
    record.suspects = draw_suspects(random.Random(f"{SEED}:record"), 3, ("kurir",))
    record.tags.append("record")
    record.extra["record"] = True
    situations.append({"type": "record_seizure", "incident": record.id, "substance": "methamphetamine",
                       "quantity": 212000.0, "unit": "g", "region": "14.03", "province": "14",
                       "date": record.day.isoformat()})

    # Viral: a video of an officer taking money from a lorry driver in Samarinda, reported by every outlet that
    # covers Kalimantan within two days (other events get one to three articles, other viral videos one or two).
    viral = s.new("viral", "extortion", date(2026, 7, 14), "samarinda", "propam")
    viral.suspects = draw_suspects(random.Random(f"{SEED}:viral"), 1, ("oknum",))
    viral.tags.append("viral")
    situations.append({"type": "viral", "incident": viral.id, "region": "64.72", "province": "64",
                       "date": viral.day.isoformat()})

    # New ground: the first prison incident ever reported in Kotawaringin Timur (which has drug busts all
    # along), and the first incident of any kind in Pulang Pisau, both after more than a year of history.
    riot = s.new("prison", "riot", date(2026, 10, 19), "kotim", "lapas", prison="Lapas Kelas IIB Sampit")
    riot.tags.append("new_ground")
    first = s.new("bust", "seizure", date(2026, 11, 11), "pulangpisau", "polres")
    fill_bust(first, random.Random(f"{SEED}:bust:{first.id}"), sub="sabu", tier="dealer", n_suspects=2)
    first.tags.append("new_ground")
    situations.append({"type": "new_ground", "incident": riot.id, "kind": "prison", "region": "62.02",
                       "province": "62", "date": riot.day.isoformat(),
                       "note": "first prison incident in Kotawaringin Timur; its drug busts run all along"})
    situations.append({"type": "new_ground", "incident": first.id, "kind": "bust", "region": "62.11",
                       "province": "62", "date": first.day.isoformat(),
                       "note": "first incident of any kind in Pulang Pisau"})

    # Founding spirit: a BNNP Kalimantan Tengah case in Palangka Raya and a Polres Banyuasin bust, with hard
    # negatives in the same province and weeks (same substance, another unit and regency).
    bnnp = s.new("bust", "seizure", date(2025, 11, 18), "palangkaraya", "bnnp")
    fill_bust(bnnp, random.Random(f"{SEED}:bnnp"), sub="sabu", tier="big", n_suspects=2)
    twin = s.new("bust", "seizure", date(2025, 11, 20), "katingan", "polres")
    fill_bust(twin, random.Random(f"{SEED}:twin"), sub="sabu", tier="dealer", n_suspects=1)
    banyu = s.new("bust", "seizure", date(2026, 2, 3), "banyuasin", "polres")
    fill_bust(banyu, random.Random(f"{SEED}:banyu"), sub="sabu", tier="courier", n_suspects=2)
    banyu.items = [Item("sabu", 1200.0), Item("ekstasi", 150.0)]
    twin2 = s.new("bust", "seizure", date(2026, 2, 5), "palembang", "polres")
    fill_bust(twin2, random.Random(f"{SEED}:twin2"), sub="sabu", tier="courier", n_suspects=1)
    twin2.items = [Item("sabu", 1100.0)]
    for e in (bnnp, twin, banyu, twin2):
        e.extra["founding"] = True

    # Raids, destructions, prison incidents, clashes and smaller viral videos: early enough that each kind is
    # known in its place within the first year (a late first one would read as new ground).
    late = START + timedelta(days=HISTORY_DAYS - 30)
    def early(span: int = (late - START).days) -> date:
        return START + timedelta(days=rng.randrange(10, span))

    for key in ("medan", "palembang", "jakbar", "denpasar", "makassar", "surabaya", "banjarmasin", "batam",
                "pekanbaru", "badung", "samarinda", "mataram", "bandarlampung", "palangkaraya"):
        day = early()
        e = s.new("raid", "razia", day, key, "polres", venue=rng.choice(("tempat hiburan malam", "karaoke",
                                                                        "kafe remang-remang")))
        e.extra["tested"] = rng.randint(40, 160)
        e.extra["positive"] = rng.randint(2, 9)
        e.items = [Item("ekstasi", float(rng.randint(3, 30)))]
        if key in ("medan", "palembang", "jakbar", "denpasar") and rng.random() < 0.7:
            again = s.new("raid", "razia", min(day + timedelta(days=rng.randint(120, 300)), END), key, "polres",
                          venue=e.extra["venue"])
            again.extra.update(tested=rng.randint(40, 160), positive=rng.randint(2, 9))
            again.items = [Item("ekstasi", float(rng.randint(3, 30)))]
    for key, agency in (("banyuasin", "polres"), ("palembang", "polres"), ("deliserdang", "polres"),
                        ("acehutara", "polres"), ("palangkaraya", "bnnp"), ("pekanbaru", "polres"),
                        ("batam", "bnnp"), ("surabaya", "polres"), ("makassar", "polres"),
                        ("banjarmasin", "polres"), ("jakbar", "polres"), ("lamsel", "polres"),
                        ("samarinda", "bnnp"), ("denpasar", "polres")):
        e = s.new("destruction", "pemusnahan", early(), key, agency)
        drng = random.Random(f"{SEED}:destroy:{e.id}")
        e.items = [Item("sabu", draw_quantity(drng, "sabu", drng.choice(("big", "courier"))))]
        if drng.random() < 0.6:
            e.items.append(Item("ganja", draw_quantity(drng, "ganja", "dealer")))
        if drng.random() < 0.4:
            e.items.append(Item("ekstasi", draw_quantity(drng, "ekstasi", "dealer")))
        e.extra["cases"] = drng.randint(3, 12)
        e.extra["suspects"] = e.extra["cases"] + drng.randint(1, 6)
    prison_plan = (("palembang", "smuggling"), ("palembang", "search"), ("medan", "riot"), ("medan", "search"),
                   ("katingan", "smuggling"), ("palangkaraya", "escape"), ("banjarmasin", "smuggling"),
                   ("banjarmasin", "search"), ("badung", "smuggling"), ("bandaaceh", "escape"),
                   ("pekanbaru", "escape"), ("batam", "smuggling"), ("samarinda", "riot"), ("cilacap", "search"))
    for key, sub in prison_plan:
        place = PLACES[key]
        e = s.new("prison", sub, early(), key, "lapas", prison=place.prison)
        prng = random.Random(f"{SEED}:prison:{e.id}")
        if sub == "smuggling":
            e.items = [Item("sabu", draw_quantity(prng, "sabu", "dealer"))]
            if prng.random() < 0.5:
                e.items.append(Item("ekstasi", draw_quantity(prng, "ekstasi", "user")))
            e.suspects = draw_suspects(prng, 1, ("pengirim",))
        elif sub == "escape":
            e.suspects = draw_suspects(prng, prng.randint(2, 4), ("napi",))
    for key in ("jakbar", "jakbar", "makassar", "makassar", "palembang", "jakut", "depok", "surabaya",
                "medan", "bandarlampung"):
        e = s.new("clash", "tawuran", early(), key, "polres")
        e.suspects = draw_suspects(random.Random(f"{SEED}:clash:{e.id}"), rng.randint(3, 9), ("pelajar",),
                                   ages=(15, 19))
    lapas_video = s.new("viral", "lapas_video", early(), "katingan", "lapas", prison=PLACES["katingan"].prison)
    lapas_video.suspects = []
    for key in ("makassar", "deliserdang"):
        e = s.new("viral", "threat", early(), key, "polres")
        e.suspects = draw_suspects(random.Random(f"{SEED}:viral:{e.id}"), 1, ("pelaku",))

    # Statements: year-end releases (with period totals), HANI, cooperation. No incident.
    for key in ("palembang", "medan", "palangkaraya", "surabaya"):
        e = s.new("statement", "year_end", date(2025, 12, rng.randint(27, 30)), key, "polda", year=2025)
        e.extra.update(cases=rng.randint(600, 1900), suspects_total=rng.randint(800, 2500),
                       sabu_total=float(rng.randrange(40000, 180000, 500)))
    for key in ("palangkaraya", "mataram"):
        s.new("statement", "hani", date(2026, 6, 26), key, "bnnp")
    s.new("statement", "synergy", date(2025, 10, 14), "palangkaraya", "bnnp")
    s.new("statement", "synergy", date(2026, 3, 10), "banjarmasin", "bnnp")

    # Follow-ups: trials of earlier busts, months later, in the court of the place.
    busts = [e for e in s.events if e.kind == "bust" and e.place.court and e.items[0].sub == "sabu"
             and e.items[0].qty >= 500 and e.day < date(2026, 3, 1) and not e.tags]
    picks = [busts[i] for i in sorted(random.Random(f"{SEED}:follow").sample(range(len(busts)), min(6, len(busts))))]
    for case in [*picks, record]:
        frng = random.Random(f"{SEED}:follow:{case.id}")
        lag = frng.randint(130, 220)
        if case is record:
            demand = s.new("follow_up", "demand", date(2026, 9, 29), "bengkalis", "court")
            demand.parent = case
            demand.extra.update(demand="Hukuman mati", sentence=0, lighter=True)
            day = date(2026, 10, 27)
        else:
            day = case.day + timedelta(days=lag)
        if day > END - timedelta(days=3):
            continue
        verdict = s.new("follow_up", "verdict", day, case.place.key, "court")
        verdict.parent = case
        years = frng.randint(6, 18)
        verdict.extra.update(demand=f"{years + frng.randint(1, 4)} tahun penjara",
                             sentence=0 if case is record else years * 12, lighter=True)
        if case is record:
            verdict.extra["demand"] = "Hukuman mati"
    spread_out(s.events, {date.fromisoformat(w) for w in situations[0]["weeks"]})
    # what a long article may recall: the place's previous bust (month and district, no amounts)
    last: dict[str, Event] = {}
    for e in sorted(s.events, key=lambda e: (e.day, int(e.id[4:]))):
        if e.kind == "bust":
            before = last.get(e.place.key)
            if before is not None and (e.day - before.day).days > 20:
                e.extra["previous"] = (before.day, before.district)
            last[e.place.key] = e
    return s.events, situations


def spread_out(events: list[Event], spike_weeks: set[date]) -> None:
    """Move background events out of weeks that would look like a spike of their regency or province.

    The background is steady by construction, but several places of one province, raids and destructions can
    still meet in one week by chance; such an event moves to the nearest day whose week is quiet.
    """
    def counts() -> tuple[Counter[tuple[str, date]], Counter[tuple[str, date]]]:
        local: Counter[tuple[str, date]] = Counter()
        provincial: Counter[tuple[str, date]] = Counter()
        for e in events:
            if e.narkoba:
                local[(e.place.code, week_of(e.day))] += 1
                provincial[(e.place.province, week_of(e.day))] += 1
        return local, provincial

    for _ in range(200):
        local, provincial = counts()
        crowded = [e for e in events if e.narkoba and not e.tags and not e.extra.get("founding")
                   and week_of(e.day) not in spike_weeks
                   and (local[(e.place.code, week_of(e.day))] >= 3
                        or provincial[(e.place.province, week_of(e.day))] >= 4)]
        if not crowded:
            return
        # move the last-listed event of the first crowded week (background busts are listed first)
        crowded.sort(key=lambda e: (week_of(e.day), -int(e.id[4:])))
        event = crowded[0]
        for shift in (7, -7, 8, -8, 6, -6, 9, -9, 10, -10, 14, -14):
            day = event.day + timedelta(days=shift)
            week = week_of(day)
            if START <= day <= END and week not in spike_weeks and local[(event.place.code, week)] <= 1 \
                    and provincial[(event.place.province, week)] <= 2:
                event.extra["statement_day"] += day - event.day
                event.day = day
                break
        else:
            raise SystemExit(f"cannot spread {event.id} out of the week of {week_of(event.day)}")
    raise SystemExit("spreading the schedule did not settle")


def spread_coverage(events: list[Event]) -> None:
    """How many outlets report each event: most once or twice, the planned viral video by every outlet."""
    for e in events:
        rng = random.Random(f"{SEED}:coverage:{e.id}")
        if "viral" in e.tags:
            e.coverage = 8
        elif "record" in e.tags:
            e.coverage = 5
        elif e.kind == "statement":
            e.coverage = 1
        elif e.kind == "follow_up":
            e.coverage = rng.choice((1, 1, 2))
        elif e.kind == "viral":
            e.coverage = rng.choice((1, 2))
        elif "new_ground" in e.tags:
            e.coverage = 3 if e.kind == "prison" else 2
        elif e.extra.get("founding"):
            e.coverage = 3
        else:
            e.coverage = int(weighted(rng, (("1", 58), ("2", 29), ("3", 10), ("4", 3))))


def outlets_for(event: Event) -> list[Outlet]:
    region = event.place.prov.region
    return [o for o in OUTLETS if "national" in o.regions or region in o.regions]


# --------------------------------------------------------------------------------------------------------------
# Checks of the schedule: the planned situations are there, nothing else looks like one.
# --------------------------------------------------------------------------------------------------------------


def check_schedule(events: Sequence[Event], situations: Sequence[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    incidents = [e for e in events if e.kind not in ("follow_up", "statement")]
    weekly: dict[tuple[str, date], int] = Counter()
    prov_weekly: dict[tuple[str, date], int] = Counter()
    for e in incidents:
        if e.narkoba:
            weekly[(e.place.code, week_of(e.day))] += 1
            prov_weekly[(e.place.province, week_of(e.day))] += 1
    spike = next(s for s in situations if s["type"] == "spike")
    spike_weeks = {date.fromisoformat(w) for w in spike["weeks"]}
    first_spike = min(spike_weeks)
    before = [weekly.get((spike["region"], first_spike - timedelta(weeks=k)), 0) for k in range(1, 53)]
    usual = sum(before) / len(before)
    for w in sorted(spike_weeks):
        count = weekly[(spike["region"], w)]
        if count < 3 or count < 3 * usual:
            problems.append(f"spike week {w}: {count} incidents against a usual {usual:.2f} a week")
    for (code, w), count in sorted(weekly.items()):
        if count >= 3 and not (code == spike["region"] and w in spike_weeks):
            problems.append(f"unplanned cluster: {count} narkoba incidents in {code} in the week of {w}")
    for (code, w), count in sorted(prov_weekly.items()):
        if count >= 4 and not (code == spike["province"] and w in spike_weeks):
            problems.append(f"unplanned provincial cluster: {count} narkoba incidents in {code}, week of {w}")
    planned_new = {(s["region"], s["kind"]) for s in situations if s["type"] == "new_ground"}
    first_seen: dict[tuple[str, str], date] = {}
    for e in sorted(incidents, key=lambda e: e.day):
        first_seen.setdefault((e.place.code, e.kind), e.day)
    cutoff = START + timedelta(days=HISTORY_DAYS)
    for (code, kind), day in sorted(first_seen.items()):
        if day >= cutoff and (code, kind) not in planned_new:
            problems.append(f"unplanned new ground: first {kind} in {code} on {day}")
    for code, kind in planned_new:
        day = first_seen.get((code, kind))
        if day is None or day < cutoff:
            problems.append(f"new ground {kind} in {code} is not after a year of history")
    record = next(s for s in situations if s["type"] == "record_seizure")
    others = [i.qty for e in events if e.kind in ("bust", "prison", "raid") and "record" not in e.tags
              for i in e.items if i.sub == "sabu"]
    if max(others) * 10 > record["quantity"]:
        problems.append(f"record seizure {record['quantity']} g is not far above the largest other {max(others)} g")
    return problems


# --------------------------------------------------------------------------------------------------------------
# Assembling the corpus and its truth
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Written:
    doc_id: str
    event: Event
    outlet: Outlet
    published: date
    draft: Draft


LINKING_OUTLETS = ("SuaraLintas", "JurnalPatroli", "DetakSumatra")  # portals that break stories with links


def write_articles(events: Sequence[Event]) -> list[Written]:
    out: list[tuple[date, str, Event, Outlet, Draft]] = []
    earlier: dict[str, list[str]] = defaultdict(list)  # an outlet's headlines so far, for its "Baca juga" links
    titles: set[str] = set()
    for e in sorted(events, key=lambda e: (e.day, int(e.id[4:]))):
        rng = random.Random(f"{SEED}:outlets:{e.id}")
        candidates = outlets_for(e)
        regional = [o for o in candidates if "national" not in o.regions]
        national = [o for o in candidates if "national" in o.regions]
        # the regional outlet reports most of its region's events first; nationals pick up the rest
        ordered = (regional if rng.random() < 0.7 else []) + rng.sample(national, len(national))
        ordered += [o for o in regional if o not in ordered]
        # a story bigger than the outlets covering it gets updates from the first ones (the viral video)
        chosen = [ordered[i % len(ordered)] for i in range(e.coverage)]
        for rank, outlet in enumerate(chosen):
            if e.kind == "statement":
                lag = 0
            elif "viral" in e.tags:
                lag = min(rank // 3, 1)  # everyone within two days
            elif rank == 0 and rng.random() < 0.6:
                lag = 0
            else:
                lag = rng.choice((0, 1, 1, 2))
            published = min(e.day + timedelta(days=lag), END)
            for attempt in range(8):  # every article gets a headline of its own
                arng = random.Random(f"{SEED}:article:{e.id}:{outlet.name}:{rank}:{attempt}")
                writer = Writer(e, outlet, published, arng)
                title = RENDERERS[e.kind](writer)
                if title not in titles:
                    break
            titles.add(title)
            draft = writer.draft(title)
            # a link to one of the outlet's earlier stories, set between paragraphs as portals do: its
            # places and amounts belong to another story
            if outlet.name in LINKING_OUTLETS and len(draft.paragraphs) >= 3 and earlier[outlet.name] \
                    and arng.random() < 0.35:
                link = arng.choice(earlier[outlet.name][-12:])
                draft.paragraphs.insert(2, f"Baca juga: {link}")
            earlier[outlet.name].append(title)
            out.append((published, outlet.name, e, outlet, draft))
    out.sort(key=lambda t: (t[0], t[2].id, t[1]))
    return [Written(f"demo-{i + 1:04d}", e, outlet, pub, draft)
            for i, (pub, _, e, outlet, draft) in enumerate(out)]


def seizure_truth(item: Item, period: str | None = None) -> dict[str, Any]:
    qty = float(item.qty)
    return {"substance": item.substance.key, "term": None, "quantity": qty, "unit": item.unit,
            "qualifier": None, "period": period}


def jsonl_record(w: Written) -> dict[str, Any]:
    title = w.draft.title
    return {
        "id": w.doc_id,
        "url": f"https://{w.outlet.domain}/{w.published:%Y/%m/%d}/{slug(title)}",
        "outlet": w.outlet.name,
        "published": w.published.isoformat(),
        "title": title,
        "text": "\n\n".join(w.draft.paragraphs),
    }


def document_truth(w: Written) -> dict[str, Any]:
    e = w.event
    seizures = [{k: v for k, v in seizure_truth(i).items() if k != "term"} for i in w.draft.seizures]
    seizures += [{k: v for k, v in seizure_truth(i, p).items() if k != "term"} for i, p in w.draft.period_seizures]
    return {
        "incident": None if e.kind == "statement" else (e.parent.id if e.parent else e.id),
        "kind": e.kind,
        "subkind": e.subkind,
        "follow_up": e.kind == "follow_up",
        "situations": list(e.tags) or ([f"follow_up:{t}" for t in e.parent.tags] if e.parent else []),
        "title": w.draft.title,
        "outlet": w.outlet.masthead or w.outlet.name,
        "published": w.published.isoformat(),
        "date": e.day.isoformat() if w.draft.date_stated else w.published.isoformat(),
        "province_codes": [e.place.province],
        "regency_codes": [e.place.code],
        "seizures": seizures,
        "people": [{"name": o.name, "rank": RANKS.get(o.rank or ""), "position": post} for o, post in w.draft.people],
    }


def incident_truth(e: Event, docs: list[str]) -> dict[str, Any]:
    return {
        "kind": e.kind, "subkind": e.subkind, "date": e.day.isoformat(), "province": e.place.province,
        "regency": e.place.code, "place": e.place.full, "district": e.district, "unit": unit_name(e),
        "narkoba": e.narkoba,
        "seizures": [{k: v for k, v in seizure_truth(i).items() if k not in ("term", "period")} for i in e.items],
        "suspects": [s.label for s in e.suspects], "situations": list(e.tags), "articles": docs,
    }


def hard_negatives(events: Sequence[Event]) -> list[list[str]]:
    """Pairs of different busts with the same substance in the same province within a week."""
    busts = sorted((e for e in events if e.kind == "bust"), key=lambda e: (e.day, e.id))
    pairs: list[list[str]] = []
    for i, a in enumerate(busts):
        for b in busts[i + 1:]:
            if (b.day - a.day).days > 7:
                break
            if a.place.province == b.place.province and a.items[0].sub == b.items[0].sub:
                pairs.append([a.id, b.id])
    return pairs


def dump_truth(truth: dict[str, Any]) -> str:
    """JSON with one line per situation, incident and document: small, and a change shows as a line's diff."""
    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = []
    for key, value in truth.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            inner = ",\n".join(f"  {compact(k)}:{compact(v)}" for k, v in value.items())
            parts.append(f" {compact(key)}:{{\n{inner}\n }}")
        elif isinstance(value, list) and value and all(isinstance(v, dict | list) for v in value):
            inner = ",\n".join(f"  {compact(v)}" for v in value)
            parts.append(f" {compact(key)}:[\n{inner}\n ]")
        else:
            parts.append(f" {compact(key)}:{compact(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def build(out_dir: Path) -> tuple[list[Written], dict[str, Any]]:
    events, situations = build_schedule()
    problems = check_schedule(events, situations)
    if problems:
        raise SystemExit("schedule problems:\n  " + "\n  ".join(problems))
    spread_coverage(events)
    written = write_articles(events)
    by_incident: dict[str, list[str]] = defaultdict(list)
    for w in written:
        by_incident[w.event.parent.id if w.event.parent else w.event.id].append(w.doc_id)
    for sit in situations:
        if "incident" in sit:
            sit["articles"] = by_incident[sit["incident"]]
        if sit["type"] == "spike":
            sit["incidents"] = [e.id for e in events if "spike" in e.tags]
            sit["articles"] = [d for i in sit["incidents"] for d in by_incident[i]]
    incidents = {e.id: incident_truth(e, by_incident[e.id]) for e in events if e.kind not in ("statement",
                                                                                             "follow_up")}
    for e in events:
        if e.kind == "follow_up" and e.parent is not None:
            incidents[e.parent.id].setdefault("follow_ups", []).append(
                {"subkind": e.subkind, "date": e.day.isoformat()})
    truth = {
        "about": "What tools/build_demo_corpus.py meant when it wrote articles.jsonl: per article (documents, in "
                 "the gold format pantau eval reads, plus incident, kind and situations) the incident it reports "
                 "and the facts an extractor should find; per incident its facts; the planned alert situations "
                 "and the hard negatives (different busts, same substance and province, within a week). "
                 "Fictional outlets, officials and suspects; real place names.",
        "seed": SEED,
        "range": {"start": START.isoformat(), "end": END.isoformat()},
        "outlets": [{"name": o.name, "domain": o.domain, "masthead": o.masthead, "covers": list(o.regions)}
                    for o in OUTLETS],
        "situations": situations,
        "hard_negatives": hard_negatives(events),
        "incidents": incidents,
        "documents": {w.doc_id: document_truth(w) for w in written},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "articles.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for w in written:
            fh.write(json.dumps(jsonl_record(w), ensure_ascii=False) + "\n")
    (out_dir / "truth.json").write_text(dump_truth(truth), encoding="utf-8")
    return written, truth


# --------------------------------------------------------------------------------------------------------------
# Agreement with pantau's extraction
# --------------------------------------------------------------------------------------------------------------


def _seizure_keys(items: Iterable[dict[str, Any]], *, period: bool) -> list[tuple[str, float, str]]:
    return sorted({(s["substance"], round(float(s["quantity"] or 0), 3), s["unit"]) for s in items
                   if (s.get("period") is not None) == period})


def agreement(expected: dict[str, Any], record: dict[str, Any]) -> dict[str, bool]:
    """Whether the record's seizures, provinces and people are what the truth meant (one flag each)."""
    provinces = sorted({loc.get("province_code") or (loc.get("code") or "").split(".")[0]
                        for loc in record["locations"]} - {""})
    names = {p["name"] for p in record["people"]}
    regencies = {loc["code"] for loc in record["locations"] if loc.get("level") in ("regency", "city")}
    return {
        "seizures": _seizure_keys(expected["seizures"], period=False) == _seizure_keys(record["seizures"],
                                                                                        period=False),
        "provinces": provinces == sorted(expected["province_codes"]),
        "people": all(p["name"] in names for p in expected["people"]),
        "people_exact": names == {p["name"] for p in expected["people"]},
        "regency": all(c in regencies for c in expected["regency_codes"]),
        "date": record.get("date") == expected["date"],
    }


def extract_records(path: Path) -> dict[str, dict[str, Any]]:
    from pantau.ingest.readers import read_inputs
    from pantau.pipeline import process_all
    return {a.id: json.loads(a.to_json()) for a in process_all(read_inputs([str(path)])) if hasattr(a, "to_json")}


def report(truth: dict[str, Any], records: dict[str, dict[str, Any]], *, verbose: bool = False) -> dict[str, float]:
    totals: Counter[str] = Counter()
    all_ok = 0
    for doc_id, expected in truth["documents"].items():
        record = records.get(doc_id)
        if record is None:
            print(f"{doc_id}: not extracted")
            continue
        flags = agreement(expected, record)
        totals.update(k for k, ok in flags.items() if ok)
        main = flags["seizures"] and flags["provinces"] and flags["people"]
        all_ok += main
        if verbose and not main:
            print(f"{doc_id} [{expected['kind']}] {expected['title']}")
            for key in ("seizures", "provinces", "people"):
                if not flags[key]:
                    got = {"seizures": [(s["substance"], s["quantity"], s["unit"], s["period"])
                                        for s in record["seizures"]],
                           "provinces": [(loc["name"], loc["code"]) for loc in record["locations"]],
                           "people": [(p["name"], p["position"]) for p in record["people"]]}[key]
                    want = {"seizures": expected["seizures"], "provinces": expected["province_codes"],
                            "people": [p["name"] for p in expected["people"]]}[key]
                    print(f"   {key}: want {want}\n   {' ' * len(key)}  got  {got}")
    n = len(truth["documents"])
    rates = {k: totals[k] / n for k in ("seizures", "provinces", "people", "people_exact", "regency", "date")}
    rates["all_three"] = all_ok / n
    return rates


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: the package's demo/)")
    parser.add_argument("--check", action="store_true", help="extract the corpus with pantau and report agreement")
    parser.add_argument("--extracted", type=Path, help="a 'pantau extract --format json' output to check instead")
    parser.add_argument("--verbose", action="store_true", help="with --check: print each disagreement")
    args = parser.parse_args(argv)
    written, truth = build(args.out)
    events = {w.event.id for w in written}
    provinces = {w.event.place.province for w in written}
    regencies = {w.event.place.code for w in written}
    size = (args.out / "articles.jsonl").stat().st_size
    print(f"{len(written)} articles, {len(events)} events, {len(OUTLETS)} outlets, {len(provinces)} provinces, "
          f"{len(regencies)} regencies/cities, {size / 1024:.0f} KiB -> {args.out}")
    if args.check or args.extracted:
        if args.extracted:
            records = {r["id"]: r for r in json.loads(args.extracted.read_text(encoding="utf-8"))}
        else:
            records = extract_records(args.out / "articles.jsonl")
        rates = report(truth, records, verbose=args.verbose)
        print("agreement: " + ", ".join(f"{k} {v:.3f}" for k, v in rates.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
