"""Feed reader (transforms/feeds.py): RSS/Atom entries to articles, and XML that must never be trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.feeds import html_to_paragraphs, parse_feed, title_from_body, unsafe_xml_reason

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


CHANNEL = "<title>Wire</title><link>https://wire.example.com/</link>"


def _rss(items: str, head: str = "", channel: str = CHANNEL) -> bytes:
    return f'{head}<rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def test_sample_feed() -> None:
    articles, rejections = parse_feed((SEEDS / "sample_feed.xml").read_bytes(), "sample_feed.xml")
    assert rejections == []
    assert [a.title for a in articles] == ["Flooding forces 1,200 residents from homes in Kendal",
                                           "Windermere ferry operator wins £3.5m contract"]
    kendal, ferry = articles
    assert kendal.entry_key == "lakeside-courier-2024-0311"
    assert kendal.authors == ["Harriet Osei"]
    assert kendal.published_at == "2024-03-11T07:45:00+00:00"
    assert kendal.language == "en"
    assert kendal.source_domain == "lakeside-courier.example"
    assert kendal.summary == "River Kent burst its banks overnight."
    # content:encoded wins over the short description; the script and the WordPress footer are gone.
    assert kendal.body.count("\n\n") == 2
    assert "1,200 residents" in kendal.body and "2.9 metres" in kendal.body
    assert "trackReader" not in kendal.body and "appeared first" not in kendal.body
    # "email (Name)" author; +01:00 converted to UTC; escaped HTML description.
    assert ferry.authors == ["Tomasz Nowak"]
    assert ferry.published_at == "2024-03-12T15:20:00+00:00"
    assert ferry.body.startswith("Windermere Lake Cruises") and "<p>" not in ferry.body
    assert ferry.url == "https://www.lakeside-courier.example/news/windermere-ferry"


def test_atom_entry() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr-FR">
  <title>Le Fil</title><link href="https://lefil.example.fr/"/>
  <entry>
    <id>tag:lefil.example.fr,2024:42</id>
    <title type="html">Gr&#232;ve &lt;b&gt;SNCF&lt;/b&gt; &#224; Lyon</title>
    <link rel="alternate" href="https://lefil.example.fr/greve-lyon"/>
    <author><name>Claire Dubois</name></author><author><name>Karim Haddad</name></author>
    <updated>2024-05-02T18:00:00+02:00</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Environ 300 trains ont ete annules.</p>
      <p>La direction regionale a annonce un plan de transport.</p></div></content>
  </entry>
</feed>"""
    [a], rejections = parse_feed(data, "f.atom")
    assert rejections == []
    assert a.title == "Grève SNCF à Lyon"
    assert a.body == "Environ 300 trains ont ete annules.\n\nLa direction regionale a annonce un plan de transport."
    assert a.authors == ["Claire Dubois", "Karim Haddad"]
    assert a.published_at == "2024-05-02T16:00:00+00:00"
    assert a.language == "fr"
    assert a.entry_key == "tag:lefil.example.fr,2024:42"


def test_rss1_rdf() -> None:
    data = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.org/"><title>RDF</title><link>https://rdf.example.org/</link></channel>
  <item rdf:about="https://rdf.example.org/1"><title>Quake hits Sumatra</title>
    <link>https://rdf.example.org/1</link><description>A 6.1 magnitude quake struck off Sumatra.</description>
    <dc:date>2004-12-26T01:00:00Z</dc:date><dc:creator>Budi Santoso</dc:creator></item>
</rdf:RDF>"""
    [a], _ = parse_feed(data, "r.rdf.xml")
    assert (a.title, a.url, a.published_at, a.authors) == (
        "Quake hits Sumatra", "https://rdf.example.org/1", "2004-12-26T01:00:00+00:00", ["Budi Santoso"])


def test_entries_without_text_are_rejected_with_their_key() -> None:
    items = ("<item><guid>a1</guid><title>Headline only</title></item>"
             "<item><guid>a2</guid></item>"
             "<item><title>Real</title><description>Enough text to be a story about Oslo.</description></item>")
    articles, rejections = parse_feed(_rss(items), "f.xml")
    assert [a.title for a in articles] == ["Real"]
    assert [(r.reason, r.detail) for r in rejections] == [
        ("not_an_article", "entry a1: headline only, no body text"), ("empty_entry", "entry a2: no title or text")]


def test_duplicate_guids_get_distinct_keys_and_missing_title_comes_from_body() -> None:
    items = ("<item><guid>same</guid><description>Mayor Anne Hidalgo opened the bridge in Paris. "
             "It cost 12 million euros.</description></item>") * 2
    articles, _ = parse_feed(_rss(items), "f.xml")
    assert len({a.entry_key for a in articles}) == 2
    assert articles[0].title == "Mayor Anne Hidalgo opened the bridge in Paris."
    assert "title_from_body" in articles[0].flags


def test_not_a_feed_and_empty_feed() -> None:
    [], [r] = parse_feed(b"<html><body><p>just a page</p></body></html>", "p.xml")
    assert r.reason == "malformed_feed"
    [], [r] = parse_feed(b"/etc/passwd", "p.xml")  # feedparser would open this path if handed a string
    assert r.reason == "malformed_feed"
    [], [r] = parse_feed(_rss(""), "e.xml")
    assert r.reason == "empty_feed"


def test_bozo_feed_with_entries_is_recovered() -> None:
    data = _rss("<item><title>Fire &amp in Perth</title><description>Crews fought a fire in Perth &copy; for "
                "six hours.</description></item>").replace(b"</channel></rss>", b"")
    [a], _ = parse_feed(data, "f.xml")
    assert "malformed_feed_recovered" in a.flags
    assert "Perth" in a.body


def test_cp1252_feed_labelled_utf8_has_no_replacement_characters() -> None:
    body = "Minister Zoë Brontë said “the budget is €2bn”.".encode("cp1252")
    data = b'<?xml version="1.0" encoding="utf-8"?>' + _rss(b"<item><title>Caf\xe9</title><description>".decode(
        "latin-1") + "X</description></item>").replace(b">X<", b">" + body + b"<")
    [a], _ = parse_feed(data, "f.xml")
    assert a.title == "Café"
    assert a.body == "Minister Zoë Brontë said “the budget is €2bn”."


def test_utf16_feed_with_bom() -> None:
    text = '<?xml version="1.0" encoding="utf-16"?>' + _rss(
        "<item><title>Ålesund</title><description>Ferry traffic resumed in Ålesund.</description></item>").decode()
    [a], _ = parse_feed(text.encode("utf-16"), "f.xml")
    assert (a.title, a.body) == ("Ålesund", "Ferry traffic resumed in Ålesund.")


# --- hostile XML ------------------------------------------------------------------------------------------

ITEM = "<item><title>T &e;</title><description>Body text &e; here.</description></item>"


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE rss [\n<!ENTITY e SYSTEM "file:///etc/passwd">\n]>',
    '<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p; <!ENTITY e "x">]>',
    '<!DOCTYPE rss [<!ENTITY e PUBLIC "-//X//Y" "http://169.254.169.254/latest/meta-data/">]>',
    'junk before <<< <!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
])
def test_external_entities_are_refused_and_never_read(doctype: str) -> None:
    articles, rejections = parse_feed(_rss(ITEM, head=doctype), "xxe.xml")
    assert articles == []
    assert [r.reason for r in rejections] == ["unsafe_xml"]
    assert "root:" not in rejections[0].detail


def test_billion_laughs_is_refused_before_expanding() -> None:
    decls = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    data = _rss("<item><title>&lol9;</title><description>&lol9;</description></item>",
                head=f"<!DOCTYPE lolz [{decls}]>")
    articles, rejections = parse_feed(data, "lol.xml")
    assert articles == [] and [r.reason for r in rejections] == ["unsafe_xml"]
    # Judged on its declaration (lol1 names lol), so nothing was expanded; speed is in bench/, not here.
    assert rejections[0].detail == "entity 'lol1' refers to other entities (expansion bomb)"


def test_quadratic_blowup_is_refused() -> None:
    data = _rss("<item><title>t</title><description>" + "&a;" * 10_000 + "</description></item>",
                head=f'<!DOCTYPE r [<!ENTITY a "{"A" * 100_000}">]>')
    assert parse_feed(data, "q.xml")[1][0].reason == "unsafe_xml"


def test_harmless_internal_entity_is_allowed() -> None:
    data = b'<!DOCTYPE rss [\n  <!ENTITY id "tag:example.com,">\n]>\n' + _rss(
        "<item><guid>&id;2006</guid><title>T</title><description>Text about Rome.</description></item>")
    assert unsafe_xml_reason(data) is None
    [a], _ = parse_feed(data, "ok.xml")
    assert a.entry_key == "tag:example.com,2006"


def test_deeply_nested_entry_html_is_linear() -> None:
    html = "<div>" * 100_000 + "Deep text about Nairobi." + "</div>" * 100_000
    assert html_to_paragraphs(html) == ["Deep text about Nairobi."]
    data = _rss(f"<item><title>Deep</title><description><![CDATA[{html}]]></description></item>")
    [a], _ = parse_feed(data, "deep.xml")
    assert a.body == "Deep text about Nairobi."


def test_html_cleaning() -> None:
    html = ('<p>One &amp; two</p><script>var x = "<p>no</p>";</script><p>Three<br>four</p>'
            '<figure><img src="x.jpg"><figcaption>Photo: AP</figcaption></figure>Tail<style>p{}</style>'
            '<p>Continue reading…</p>')
    assert html_to_paragraphs(html) == ["One & two", "Three", "four", "Tail"]
    assert html_to_paragraphs("plain &amp; text\n\nsecond") == ["plain & text", "second"]


def test_title_from_body() -> None:
    assert title_from_body("Dr. Smith arrived. Then left.") in ("Dr. Smith arrived.", "Dr.")
    long = "word " * 40
    assert title_from_body(long) == " ".join(["word"] * 12) + " …"
