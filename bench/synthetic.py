"""A synthetic corpus of realistic Indonesian police reports built from pantau's own vocabularies.

    python bench/synthetic.py --count 100000 -o bench/results/synthetic.jsonl

Each article: a dateline lead with a Polres of a real regency, a Kapolres with a real rank, a seizure
of a real substance in Indonesian notation, a case count, a quote with a -nya cue and a legal
reference. Syndicated copies (a fraction of the articles rewritten by other outlets) exercise
story grouping. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from pantau.record import Article, LegalRef, Location, Organization, Person, Quote, Seizure, Statistic
from pantau.regions import Region, regions
from pantau.vocab import load_toml

FIRST = ["Rury", "Budi", "Agus", "Hendra", "Dedi", "Andi", "Rudi", "Eko", "Yudi", "Fajar", "Bayu", "Irfan", "Dian",
         "Rizky", "Arif", "Heri", "Joko", "Sigit", "Teguh", "Wahyu", "Adi", "Bambang", "Slamet", "Hadi"]
LAST = ["Prastowo", "Santoso", "Wibowo", "Saputra", "Kurniawan", "Setiawan", "Nugroho", "Hidayat", "Siregar",
        "Simanjuntak", "Harahap", "Lubis", "Pratama", "Gunawan", "Susanto", "Rahman", "Hakim", "Firmansyah"]
OUTLETS = ["KORANHARIANBANYUASIN.ID", "KabarNTB", "BALANGANEWS", "TRIBUNNEWS.COM", "Jbm.co.id", "SRIPOKU.COM",
           "RADARMEDAN.COM", "SUARAKALTENG.ID"]
SUBSTANCES = [("sabu", "gram"), ("sabu", "kilogram"), ("ganja", "gram"), ("ganja", "kilogram"), ("ekstasi", "butir"),
              ("tembakau gorila", "gram"), ("pil koplo", "butir")]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
CUES = ["ujarnya", "katanya", "tegasnya", "jelasnya", "ungkapnya", "tuturnya"]


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@dataclass(slots=True, frozen=True)
class Facts:
    """What an article generated here says, so a record can be built without the text pipeline."""

    place: str
    region_code: str
    province_code: str
    province: str
    name: str
    rank: str
    term: str
    unit: str
    amount: int
    year: int
    cases: int
    suspects: int
    outlet: str


def article(rng: random.Random, index: int, when: date | None = None) -> dict[str, str]:
    return article_with_facts(rng, index, when)[0]


@cache
def _regencies() -> list[Region]:
    return [r for r in regions().values() if r.level == "regency"]


def article_with_facts(rng: random.Random, index: int, when: date | None = None) -> tuple[dict[str, str], Facts]:
    """One article and the facts it states; its event on ``when``, or on a random day of 2019-2025."""
    regencies = _regencies()
    region = rng.choice(regencies)
    place = region.name.removeprefix("Kabupaten ")
    province = regions()[region.province_code].name
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    rank = rng.choice(["AKBP", "AKBP", "Kompol", "Kombes Pol"])
    term, unit = rng.choice(SUBSTANCES)
    amount = rng.randint(2, 30) if unit == "kilogram" else rng.randint(3, 25_000)
    year = rng.randint(2019, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    if when is not None:  # drawn all the same, so that the rest of a seed's corpus does not change
        year, month, day = when.year, when.month, when.day
    cases = rng.randint(20, 300)
    suspects = cases + rng.randint(0, 80)
    outlet = rng.choice(OUTLETS)
    title = f"Polres {place} Ungkap {_number(amount)} {unit.title()} {term.title()}, {suspects} Tersangka Diamankan"
    lead = rng.choice([
        f"Kapolres {place}, {rank} {name}, mengungkap peredaran narkoba di wilayah hukumnya",
        f"Jajaran Satresnarkoba Polres {place} di bawah pimpinan {rank} {name} menggagalkan peredaran {term}",
        f"Polres {place} kembali menangkap pengedar {term} dalam operasi yang dipimpin Kapolres {rank} {name}",
        f"Sebanyak {rng.randint(2, 9)} pengedar {term} dibekuk petugas Polres {place}, kata Kapolres {rank} {name}",
    ])
    middle = [
        rng.choice([
            f"Dalam pengungkapan itu, petugas berhasil mengamankan barang bukti {_number(amount)} {unit} {term} "
            f"dari tangan para tersangka di Kabupaten {place}, {province}.",
            f"Dari penggeledahan di sebuah rumah di {place}, polisi menyita {_number(amount)} {unit} {term} yang "
            f"disimpan di {rng.choice(['lemari', 'kamar mandi', 'bagasi mobil', 'tas ransel', 'gudang'])}.",
            f"Barang bukti berupa {_number(amount)} {unit} {term} diamankan bersama "
            f"{rng.randint(2, 6)} telepon genggam dan timbangan digital.",
        ]),
        rng.choice([
            f"Sepanjang tahun {year}, tercatat {cases} kasus narkoba dengan {suspects} tersangka yang ditangani "
            f"jajaran Polres {place}.",
            f"Data Polres {place} menunjukkan {cases} kasus narkoba ditangani selama {year}.",
            f"Sejak awal {year}, Polres {place} telah mengungkap {cases} kasus narkoba.",
        ]),
        rng.choice([
            f"“Kami tidak akan memberi ruang bagi pengedar narkoba di {place}. Semua pelaku akan kami proses "
            f"sesuai hukum yang berlaku,” {rng.choice(CUES)}.",
            f"“Kami berterima kasih kepada warga {place} yang memberikan informasi kepada petugas. Tanpa "
            f"dukungan warga, jaringan ini sulit diungkap,” {rng.choice(CUES)}.",
            f"“Pengembangan kasus masih terus kami lakukan untuk mengejar bandar yang memasok barang ke "
            f"{place},” {rng.choice(CUES)}.",
        ]),
    ]
    rng.shuffle(middle)
    paragraphs = [
        f"{outlet}, {place.upper()} – {lead}, {rng.choice(DAYS)} ({day:02d}/{month:02d}/{year}).",
        *middle,
        rng.choice([
            "Para tersangka dijerat Pasal 114 ayat (2) jo Pasal 112 ayat (1) UU RI No. 35 Tahun 2009 tentang "
            "Narkotika dengan ancaman hukuman maksimal 20 tahun penjara.",
            f"Tersangka kini ditahan di Mapolres {place} untuk pemeriksaan lebih lanjut.",
            "Kasus ini masih dikembangkan untuk mengungkap jaringan yang lebih besar.",
        ]),
        rng.choice([
            f"Kapolres juga mengajak masyarakat {place} untuk aktif memberikan informasi terkait peredaran "
            f"narkoba pada bulan {MONTHS[month - 1]} ini.",
            f"Warga {place} diminta melapor ke kantor polisi terdekat bila melihat transaksi mencurigakan.",
            "",
        ]),
    ]
    paragraphs = [p for p in paragraphs if p]
    item = {"id": f"syn-{index}", "url": f"https://contoh.id/{index}", "title": title, "text": "\n\n".join(paragraphs)}
    return item, Facts(place, region.code, region.province_code, province, name, rank, term, unit, amount, year,
                       cases, suspects, outlet)


SUBSTANCE_KEYS = {"sabu": "methamphetamine", "ganja": "cannabis", "ekstasi": "mdma",
                  "tembakau gorila": "synthetic_cannabinoid", "pil koplo": "pil_koplo"}
UNIT_KEYS = {"gram": "g", "kilogram": "g", "butir": "pill"}


def _span(body: str, text: str) -> tuple[int, int]:
    start = max(body.find(text), 0)
    return start, start + len(text)


def record(item: dict[str, str], facts: Facts, date: str, outlet: str | None = None) -> Article:
    """The record the pipeline would make of ``item``, built from what generated it (for store benchmarks
    that need a million records faster than extraction makes them)."""
    body = item["text"]
    grams = facts.amount * 1000 if facts.unit == "kilogram" else facts.amount
    police = f"Polres {facts.place}"
    return Article(
        id=item["id"], source=item["url"], url=item["url"], title=item["title"], outlet=outlet or facts.outlet,
        dateline=facts.place.title(), date=date, published=date, language="id", topics=["drugs"], body=body,
        people=[Person(name=facts.name, rank_abbr=facts.rank, position=f"Kapolres {facts.place}",
                       organization=police, mentions=[_span(body, facts.name)])],
        organizations=[Organization(name=police, type="police", region_code=facts.region_code,
                                    mentions=[_span(body, police)])],
        locations=[Location(name=facts.place, level="regency", code=facts.region_code,
                            province_code=facts.province_code, mentions=[_span(body, facts.place)]),
                   Location(name=facts.province, level="province", code=facts.province_code,
                            province_code=facts.province_code, mentions=[_span(body, facts.province)])],
        seizures=[Seizure(substance=SUBSTANCE_KEYS[facts.term], term=facts.term, quantity=float(grams),
                          unit=UNIT_KEYS[facts.unit], span=_span(body, facts.term))],
        statistics=[Statistic(measure="cases", subject="drugs", period=str(facts.year), value=float(facts.cases),
                              span=_span(body, f"{facts.cases} kasus"))],
        quotes=[Quote(text="Kami", speaker=facts.name, cue="ujarnya", span=_span(body, "“"))],
        legal_refs=[LegalRef(law="UU 35/2009", article="114", paragraph="2", span=_span(body, "Pasal 114"))]
        if "Pasal 114" in body else [],
    )


FIRST_DAY = date(2019, 1, 1)


def corpus(count: int, seed: int = 7, copies: float = 0.1, per_day: int | None = None) -> Iterator[dict[str, str]]:
    """``count`` articles; about ``copies`` of them are rewrites of an earlier one by another outlet.

    Events fall on random days of 2019-2025, as in a backlog collected at once: the more articles, the more
    of them each province and month holds. With ``per_day`` they follow one another as a feed's do, that
    many a day from 2019, so a province's month holds the same number however long the corpus."""
    rng = random.Random(seed)
    load_toml("ranks")
    made: list[dict[str, str]] = []
    for index in range(count):
        if made and rng.random() < copies:
            original = rng.choice(made[-500:])
            paragraphs = original["text"].split("\n\n")
            lead = paragraphs[0].split("– ", 1)[-1]
            rewritten = [f"{rng.choice(OUTLETS)} – {lead}", *paragraphs[2:], paragraphs[1]]
            yield {"id": f"syn-{index}", "url": f"https://lain.id/{index}", "title": original["title"],
                   "text": "\n\n".join(rewritten)}
            continue
        item = article(rng, index, FIRST_DAY + timedelta(days=index // per_day) if per_day else None)
        made.append(item)
        yield item


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-day", type=int, help="articles a day, dated in order from 2019 (default: random days)")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    stream = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    for item in corpus(args.count, args.seed, per_day=args.per_day):
        stream.write(json.dumps(item, ensure_ascii=False) + "\n")
    if args.output:
        stream.close()


if __name__ == "__main__":
    main()
