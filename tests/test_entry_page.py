"""The entry page: summary, questions and objections, breadcrumbs, title, meta and JSON-LD."""

import html as htmllib
import json
import re

import pytest

from .conftest import in_language, make_entry


def get(client, url, language="nl"):
    response = client.get(in_language(url, language))
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_summary_comes_first_then_the_residents_questions(client, entry):
    from wagtail_algoregister.standard import questions

    html = get(client, entry.url)
    main = html[html.index("<main") :]
    summary = main.index("Wij zoeken inwoners met betalingsachterstanden")
    headings = [main.index(f'<h2 id="{question.anchor}"') for question in questions.QUESTIONS]
    assert main.index("<h1") < summary < headings[0]
    assert headings == sorted(headings)
    # Key facts next to the summary: status, category, impact assessments, last change.
    lead = main[summary : headings[0]]
    for text in (
        "In gebruik",
        "Impactvolle algoritmes",
        "Data Protection Impact Assessment (DPIA)",
        "<time datetime=",
    ):
        assert text in lead, text


def test_questions_box_has_contact_objection_and_complaint_route(client, register):
    page = make_entry(register, slug="bezwaar", source_id="bezwaar")
    html = htmllib.unescape(get(client, page.url, language="en"))
    box = html[html.index('id="ar-questions"') :]
    box = box[: box.index("</section>")]
    assert "Questions or objections?" in box
    assert 'href="mailto:algoritmes@utrecht.example"' in box
    # Without a local objection text: the general rule, in plain language.
    assert "The letter with the decision tells you how" in box
    assert "Make a complaint" not in box

    register.complaint_url = "https://www.utrecht.example/klacht"
    register.save_revision().publish()
    page.objection_procedure = "<p>Maak binnen 6 weken bezwaar via het formulier.</p>"
    page.save_revision().publish()
    html = htmllib.unescape(get(client, page.url, language="en"))
    box = html[html.index('id="ar-questions"') :]
    box = box[: box.index("</section>")]
    assert "Maak binnen 6 weken bezwaar via het formulier." in box
    assert "The letter with the decision" not in box
    assert '<a href="https://www.utrecht.example/klacht">Make a complaint</a>' in box


def test_legal_basis_assessments_data_sources_supplier_and_dates(client, entry):
    html = htmllib.unescape(get(client, entry.url, language="en"))
    for text in (
        'href="https://wetten.overheid.nl/BWBR0031048"',  # legal basis link
        'href="https://www.utrecht.example/dpia.pdf"',  # impact assessment
        'href="https://data.utrecht.example/schulden"',  # data source
        "Intern ontwikkeld",  # supplier
        "April 2023",  # begin date
    ):
        assert text in html, text
    assert "Last change" in html


def test_breadcrumbs(client, entry, register):
    html = get(client, entry.url)
    nav = re.search(r'<nav class="ar-breadcrumb" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav and nav.group(1)
    items = re.findall(r"<li>(.*?)</li>", nav.group(2))
    assert len(items) == 3
    assert 'href="/"' in items[0]
    assert f'href="{register.url}"' in items[1]
    assert 'aria-current="page"' in items[2] and entry.title in items[2]
    assert html.count('aria-current="page"') == 1


def test_title_meta_description_and_canonical(client, entry):
    html = htmllib.unescape(get(client, entry.url))
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Vroegsignalering van schulden")
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description.startswith("Wij zoeken inwoners met betalingsachterstanden")
    assert len(description) <= 160
    assert f'<link rel="canonical" href="{entry.full_url}">' in html
    # The editor's search description wins.
    entry.search_description = "Eigen omschrijving voor zoekmachines."
    entry.save_revision().publish()
    html = get(client, entry.url)
    assert '<meta name="description" content="Eigen omschrijving voor zoekmachines.">' in html


def test_json_ld_describes_the_algorithm(client, entry):
    data = json_ld(get(client, entry.url))
    assert data["@context"] == "https://schema.org"
    application, breadcrumbs = data["@graph"]
    assert application["@type"] == "SoftwareApplication"
    assert application["name"] == entry.title
    assert application["description"] == entry.description_short
    assert application["url"] == entry.full_url
    assert application["identifier"] == entry.identifier_uri
    assert application["publisher"] == {
        "@type": "GovernmentOrganization",
        "name": "Gemeente Utrecht",
    }
    assert application["creativeWorkStatus"] == "In gebruik"
    assert application["applicationCategory"] == ["Sociale zekerheid", "Zorg en gezondheid"]
    assert application["dateModified"].startswith(entry.last_published_at.isoformat()[:19])
    assert application["inLanguage"] == "nl"
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]][-1] == entry.title
    assert all(item["item"].startswith("http") for item in breadcrumbs["itemListElement"])


def test_json_ld_cannot_break_out_of_its_script_element(client, register):
    from wagtail_algoregister.templatetags.algoregister_json_ld import json_ld as json_ld_tag

    markup = str(json_ld_tag({"name": "Algoritme </script><script>alert(1)</script> & <!--"}))
    assert markup.startswith('<script type="application/ld+json">')
    assert markup.count("</script>") == 1 and "<script>alert" not in markup and "<!--" not in markup
    inner = markup[len('<script type="application/ld+json">') : -len("</script>")]
    assert json.loads(inner)["name"] == "Algoritme </script><script>alert(1)</script> & <!--"

    # Entries cannot hold HTML, but "<", ">" and "&" are ordinary text.
    page = make_entry(
        register,
        slug="tekens",
        source_id="tekens",
        name="Kosten < 100 & baten > 200",
        description_short="Wij vergelijken: 3 < 5 & 7 > 6.",
    )
    html = get(client, page.url)
    head = html[: html.index("</head>")]
    assert head.lower().count("</script>") == 1
    assert json_ld(html)["@graph"][0]["name"] == "Kosten < 100 & baten > 200"


def test_download_link_for_the_entry(client, entry):
    html = get(client, entry.url)
    assert f'href="{entry.url}export.json"' in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_entry_page_in_both_languages_has_no_untranslated_placeholders(client, entry, language):
    html = get(client, entry.url, language=language)
    assert f'<html lang="{language}">' in html
    assert "{{" not in html and "{%" not in html


def test_every_key_of_the_standard_has_one_place_on_the_page():
    from wagtail_algoregister import standard
    from wagtail_algoregister.standard import questions

    assert questions.unplaced_keys() == ()
    placed = [*questions.LEAD_KEYS, *questions.DETAIL_KEYS]
    for question in questions.QUESTIONS:
        placed.extend(question.keys)
    assert sorted(placed) == sorted(standard.input_fields())  # each key once


def test_technical_details_are_folded_away_and_in_words(client, entry):
    html = htmllib.unescape(get(client, entry.url))
    details = re.search(r'<details class="ar-details">(.*?)</details>', html, re.S).group(1)
    outside = html.replace(details, "")
    for label in ("Taal", "Bron-ID", "Versie publicatiestandaard"):
        assert f"<dt>{label}</dt>" in details
        assert f"<dt>{label}</dt>" not in outside
    assert "<dd>Nederlands</dd>" in details
    assert ">nld<" not in html and "Taal: nld" not in html
    # The contents list names the questions, and "About this description" at the end.
    toc = re.search(r'<nav class="ar-toc".*?</nav>', html, re.S).group(0)
    for title in ("Wat doet het algoritme?", "Welke gegevens gebruikt het?", "Vragen of bezwaar?"):
        assert title in toc
    english = htmllib.unescape(get(client, entry.url, language="en"))
    assert "<dd>Dutch</dd>" in english


def test_addresses_in_texts_become_safe_links(client, register):
    page = make_entry(
        register,
        slug="links",
        source_id="links",
        description_short="Meer op https://www.utrecht.example/info of mail info@utrecht.example.",
        goal=(
            "<p>Lees https://www.utrecht.example/doel?a=1&b=2 of mail doel@utrecht.example.</p>"
            '<p>javascript:alert(1) en <a href="javascript:alert(2)">klik</a>'
            '<script>alert(3)</script> en http://x.example/"onmouseover="alert(4)</p>'
        ),
        provider="Leverancier BV, www.leverancier.example",
    )
    html = get(client, page.url)
    main = html[html.index("<main") :]
    assert '<a href="https://www.utrecht.example/info" rel="nofollow">' in main
    assert '<a href="mailto:info@utrecht.example">' in main
    assert '<a href="https://www.utrecht.example/doel?a=1&amp;b=2" rel="nofollow">' in main
    assert '<a href="mailto:doel@utrecht.example">' in main
    assert '<a href="http://www.leverancier.example" rel="nofollow">' in main
    # Hostile input stays text: no script, no javascript: link, no attribute breaking out.
    assert "javascript:alert(1)" in main
    assert 'href="javascript' not in main.lower()
    assert "<script>alert" not in main and "alert(3)" not in main
    # The quote stays text: no element gets an attribute from it.
    assert not re.search(r"<[^>]*onmouseover", main)


def test_linkify_escapes_first():
    from wagtail_algoregister.templatetags.algoregister_entry import linkify, linkify_html

    text = (
        '<img src=x onerror=alert(1)> "mail" a@b.example javascript:alert(1) https://ok.example/<b>'
    )
    out = str(linkify(text))
    assert "<img" not in out and "<b>" not in out
    assert 'href="javascript' not in out
    assert '<a href="mailto:a@b.example">a@b.example</a>' in out
    # Cleaned HTML: tags kept, text parts linked.
    html = str(
        linkify_html(
            "<p>zie https://ok.example/x en &lt;script&gt;</p><ul><li>a@b.example</li></ul>"
        )
    )
    assert html.startswith('<p>zie <a href="https://ok.example/x" rel="nofollow">')
    assert "&lt;script&gt;" in html and '<li><a href="mailto:a@b.example"' in html
