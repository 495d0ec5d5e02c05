from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from pantau.ingest.html import extract_html
from pantau.ingest.readers import read_inputs
from pantau.pipeline import process

PAGE = Path(__file__).parent.parent / "fixtures" / "html" / "polres-sabu.html"


def test_trafilatura_gives_main_text_and_metadata() -> None:
    content = extract_html(PAGE.read_text(encoding="utf-8"))
    assert content.method == "trafilatura"
    assert content.title == "Polres Banyuasin Sita 28 Kilogram Sabu"
    assert content.published == "2024-12-31"
    assert "lebih dari 28 kilogram sabu" in content.text
    assert "Harga Cabai" not in content.text and "Copyright" not in content.text


def test_fast_mode_is_passed_to_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    """``fast=False`` runs trafilatura's readability/jusText comparison; on a news page it keeps the same text."""
    seen: list[bool] = []
    original = trafilatura.bare_extraction

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(bool(kwargs["fast"]))
        return original(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    page = PAGE.read_text(encoding="utf-8")
    fast, full = extract_html(page), extract_html(page, fast=False)
    assert seen == [True, False]
    assert full.text == fast.text and "lebih dari 28 kilogram sabu" in full.text


def test_fallback_when_trafilatura_finds_no_main_text() -> None:
    # trafilatura discards footer content and its baseline finds no paragraph: html2txt keeps it
    html = "<html><body><footer><p>Polisi menyita dua paket sabu di Palembang hari ini.</p></footer></body></html>"
    content = extract_html(html)
    assert content.method == "html2txt"
    assert "Polisi menyita dua paket sabu" in content.text


def test_baseline_fallback_when_precise_extraction_returns_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    content = extract_html(PAGE.read_text(encoding="utf-8"))
    assert content.method == "baseline"
    assert "lebih dari 28 kilogram sabu" in content.text
    assert content.title == "Polres Banyuasin Sita 28 Kilogram Sabu"


def test_html_page_through_the_pipeline() -> None:
    [document] = list(read_inputs([str(PAGE)]))
    article = process(document)  # type: ignore[arg-type]
    assert article.id == "polres-sabu"
    assert article.title == "Polres Banyuasin Sita 28 Kilogram Sabu"
    assert (article.outlet, article.dateline) == ("KORANCONTOH.ID", "Banyuasin")
    assert article.date == "2024-12-30" and article.published == "2024-12-31"
    assert article.body.startswith("Kapolres Banyuasin, AKBP Rury Prastowo")
    assert "BACA JUGA" not in article.body and "Berita Terpopuler" not in article.body
    assert article.body.rstrip().endswith("di seluruh kecamatan.")
    assert article.language == "id"


def test_broken_html_still_yields_text() -> None:
    broken = "<html><body><div><p>Polisi menangkap dua pengedar sabu di Kota Kupang pada malam hari itu.<p>" \
             "<b>Kedua tersangka kini ditahan di Mapolres Kupang Kota untuk diperiksa lebih lanjut.</div"
    content = extract_html(broken)
    assert "Kedua tersangka kini ditahan" in content.text


def test_a_tag_with_a_hundred_thousand_attributes_keeps_the_page() -> None:
    from pantau.ingest.html import _HUGE_TAG, extract_html

    attributes = " ".join(f'data-x{i}="{i}"' for i in range(2000))
    page = (f"<html><body><article {attributes}><p>Polisi menyita lima gram sabu di Kota Kupang pada Senin pagi "
            "dari seorang pengedar yang sudah lama diintai petugas.</p></article></body></html>")
    assert _HUGE_TAG.sub(r"<\1>", page).startswith("<html><body><article><p>")
    assert "lima gram sabu" in extract_html(page).text
