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


def test_summary_comes_first_then_questions_then_the_sections(client, entry):
    html = get(client, entry.url)
    main = html[html.index("<main") :]
    summary = main.index("Wij zoeken inwoners met betalingsachterstanden")
    questions = main.index('id="ar-questions-heading"')
    sections = [
        main.index(f'id="ar-section-{key}"')
        for key in ("algemeneInformatie", "verantwoordGebruik", "werking")
    ]
    assert summary < questions < sections[0] < sections[1] < sections[2]
    assert main.index("<h1") < summary
    # Key facts next to the summary: status, category, impact assessments, last change.
    lead = main[summary:questions]
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
    box = html[html.index('id="ar-questions-heading"') :]
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
    box = html[html.index('id="ar-questions-heading"') :]
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
    from wagtail_algoregister.templatetags.algoregister_tags import json_ld as json_ld_tag

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
