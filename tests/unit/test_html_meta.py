"""Headline choice, byline parsing and date choice (transforms/html_title, html_byline, html_dates) on
small hand-written inputs, exact results."""

from __future__ import annotations

from lxml import html as lxml_html

from transforms.html_byline import clean_author, text_byline, visible_byline
from transforms.html_dates import choose_date, publication_date, url_date
from transforms.html_meta import not_sites, page_meta
from transforms.html_title import (
    Headline,
    TitleSources,
    choose_title,
    is_site,
    site_keys,
    strip_site,
    visible_headlines,
)


def tree(body: str, head: str = "") -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


# ---------------------------------------------------------------- headline


def test_site_keys_and_strip_site() -> None:
    keys = site_keys(["Elavegan", "elavegan.com"])
    assert keys == {"elavegan", "elavegancom"}
    assert strip_site("Peanut Butter Truffles - Elavegan", keys) == "Peanut Butter Truffles"
    assert strip_site("BMAS - Änderung der Anforderungen", site_keys(["bmas.de"])) == "Änderung der Anforderungen"
    # Hyphens inside words and slashes without spaces are no separators.
    assert strip_site("Corona-Pandemie in Halle/Saale", keys) == "Corona-Pandemie in Halle/Saale"
    # Nothing is left when only the site would remain: keep the title.
    assert strip_site("Elavegan", keys) == "Elavegan"
    assert is_site("ProNATs e.V.", site_keys(["pronats.de"]))
    assert is_site("Nalas Löwenseiten", site_keys(["nalas-loewenseiten.info"]))
    assert not is_site("Matthew Davis", site_keys(["Matthew Davis's Blog"]))
    assert is_site("OÖ Volksblatt", site_keys(["volksblatt.at"]), loose=True)
    assert not is_site("OÖ Volksblatt", site_keys(["volksblatt.at"]))


def test_visible_headline_confirmed_by_metadata_wins() -> None:
    src = TitleSources([Headline("PEANUT BUTTER TRUFFLES", True, False)],
                       ["Peanut Butter Truffles - Elavegan"], "Peanut Butter Truffles - Elavegan", ["elavegan.com"])
    assert choose_title(src) == "PEANUT BUTTER TRUFFLES"


def test_kicker_before_the_headline_is_dropped() -> None:
    src = TitleSources([Headline("Abstandsregeln und Fieberkontrollen : Wie Firmen ihre Beschäftigten schützen",
                                 True, False)],
                       ["Wie Firmen ihre Beschäftigten schützen"],
                       "Abstandsregeln: Wie Firmen ihre Beschäftigten schützen - Wirtschaft - Tagesspiegel",
                       ["Tagesspiegel"])
    assert choose_title(src) == "Wie Firmen ihre Beschäftigten schützen"


def test_site_banner_h1_is_not_the_headline() -> None:
    # The <h1> is the last piece of <title>: the blog's name, not the story's headline.
    src = TitleSources([Headline("DimidoBlog", False, False)], [], "Was ist Virales Marketing? | DimidoBlog", [])
    assert choose_title(src) == "Was ist Virales Marketing?"


def test_machine_titles_vote_without_a_visible_headline() -> None:
    src = TitleSources([], ["Bridge shut", "Bridge to close for repairs"], "Bridge shut | The Post", ["The Post"])
    assert choose_title(src) == "Bridge shut"
    assert choose_title(TitleSources()) is None


def test_visible_headlines_positions() -> None:
    t = tree("<header><h1>The Post</h1></header><nav><h1>Menu</h1></nav>"
             "<article><h1>Bridge shut</h1><h2 class='entry-title'>Second</h2></article>")
    assert visible_headlines(t) == [Headline("The Post", False, True), Headline("Menu", False, True),
                                    Headline("Bridge shut", True, False), Headline("Second", True, False)]


def test_page_meta_title_from_h1_and_og() -> None:
    head = ('<title>Bridge shut after cracks found | The Estuary Post</title>'
            '<meta property="og:title" content="Bridge shut after cracks found - The Estuary Post">'
            '<meta property="og:site_name" content="The Estuary Post">')
    t = tree("<header><h1>The Estuary Post</h1></header><article><h1>Bridge shut after cracks found</h1>"
             "<p>Text.</p></article>", head)
    assert page_meta(t).title == "Bridge shut after cracks found"


# ---------------------------------------------------------------- bylines


def test_clean_author_structure() -> None:
    assert clean_author("By JANE DOE and John Smith, Staff Writer | 3 May 2021") == ["Jane Doe", "John Smith"]
    assert clean_author("ByAlex Bozarjian Thursday") == ["Alex Bozarjian"]
    assert clean_author("Veröffentlicht vonChris Jung") == ["Chris Jung"]
    assert clean_author("karstenruppertMore Posts") == ["karstenruppert"]
    assert clean_author("Zeige alle Beiträge von mywakenews") == ["mywakenews"]
    assert clean_author("Autor: Rechtsanwalt Sebastian Einbock") == ["Sebastian Einbock"]
    assert clean_author("Lisa Petrich Mi, 13. Oktober 2021") == ["Lisa Petrich"]
    assert clean_author("freeman1984") == ["freeman1984"]
    assert clean_author("Redacci&oacute;n Diario") == ["Redacción Diario"]


def test_clean_author_refusals() -> None:
    assert clean_author("Art Edwards says:") == []  # a comment's author
    assert clean_author("LAOLA1.at") == []
    assert clean_author("Web Commerce GmbH") == []
    assert clean_author("Copyright Haufe-Lexware GmbH & Co. KG all rights reserved") == []
    assert clean_author("Name (erforderlich)") == []
    assert clean_author("Posted by admin") == []
    # Visible text is read strictly: lower-case words other than particles make a phrase.
    assert clean_author("Helsingborg nach Göteborg", strict=True) == []
    assert clean_author("Ursula von der Leyen", strict=True) == ["Ursula von der Leyen"]
    assert clean_author("Contributors to Wikimedia projects") == ["Contributors to Wikimedia projects"]


def test_visible_and_text_bylines() -> None:
    t = tree('<article><div data-testid="prism-byline"><span>By</span><a>J.R. Stone</a></div></article>')
    assert visible_byline(t) == ["J.R. Stone"]
    t = tree("<article><p>Von Andreas Kürten</p><p>Von Berlin aus fährt der Zug.</p></article>")
    assert text_byline(t) == ["Andreas Kürten"]
    assert text_byline(tree("<article><p>Von Berlin</p></article>")) == []


def test_site_named_authors_are_dropped() -> None:
    keys = site_keys(["Kath.net", "kath.net"])
    assert not_sites(["Kath Net", "Petra Lorleberg"], keys) == ["Petra Lorleberg"]
    head = '<meta name="author" content="Happy Coffee Deutschland"><meta property="og:site_name" ' \
           'content="Happy Coffee Deutschland">'
    assert page_meta(tree("<article><p>Text</p></article>", head)).authors == []


# ---------------------------------------------------------------- dates


def test_choose_date_reads_local_time() -> None:
    # JSON-LD in UTC, the page's <time> in local clock time six hours earlier: the reader's day.
    assert choose_date(["2023-11-09T05:30:59+00:00", "2023-11-08T23:30:59"]) == "2023-11-08T23:30:59"
    assert choose_date(["2023-11-09T05:30:59+00:00", "2023-11-09T06:30:59+01:00"]) == "2023-11-09T06:30:59+01:00"
    assert choose_date(["2024-06-11", "2024-06-12"]) == "2024-06-11"
    assert choose_date([]) is None


def test_publication_date_sources() -> None:
    head = ('<meta property="article:modified_time" content="2024-07-01T10:00:00+02:00">'
            '<meta property="article:published_time" content="2024-06-11T09:30:00+02:00">')
    t = tree("<article><p>Text</p></article>", head)
    meta = {"article:modified_time": ["2024-07-01T10:00:00+02:00"],
            "article:published_time": ["2024-06-11T09:30:00+02:00"]}
    assert publication_date(t, meta, []) == "2024-06-11T09:30:00+02:00"
    # Modified only as a last resort.
    assert publication_date(t, {"article:modified_time": ["2024-07-01T10:00:00+02:00"]}, []) == \
        "2024-07-01T10:00:00+02:00"
    # JSON-LD first; an earlier date in the URL is the first publication.
    ld = [{"@type": "NewsArticle", "datePublished": "2019-06-17T18:28:00+0200"}]
    assert publication_date(t, {}, ld) == "2019-06-17T18:28:00+02:00"
    assert publication_date(t, {}, ld, "https://example.org/home/2017/7/12/story") == "2017-07-12"
    assert publication_date(t, {}, ld, "https://example.org/2020/01/02/story") == "2019-06-17T18:28:00+02:00"


def test_url_date() -> None:
    assert url_date("https://example.org/2017/7/12/story") == "2017-07-12"
    assert url_date("https://example.org/2017-07-12-story") == "2017-07-12"
    assert url_date("https://example.org/2017/13/40/x") is None
    assert url_date("https://example.org/story-2017") is None
    assert url_date(None) is None
