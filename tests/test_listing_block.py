"""The listing block lists the page's own language only and links to the whole register."""

from wagtail_algoregister.blocks import RegisterListingBlock

from .conftest import make_entry
from .test_i18n import english, translate  # noqa: F401


def render(block, value, page, rf):
    request = rf.get("/")
    request.site = None
    return block.render(value, context={"request": request, "page": page})


def test_only_entries_in_the_pages_own_language(rf, register, english):  # noqa: F811
    home = register.get_parent().specific
    home_en = translate(home, english, title="Home")
    register_en = translate(
        register, english, title="Algorithm register", slug="algorithm-register"
    )
    entry = make_entry(register, slug="parkeren", name="Parkeervergunning toekennen")
    translate(entry, english, title="Granting parking permits", slug="parking")

    block = RegisterListingBlock()
    value = block.to_python({"heading": "", "register": None, "limit": 5})
    dutch = render(block, value, home, rf)
    assert "Parkeervergunning toekennen" in dutch
    assert "Granting parking permits" not in dutch
    assert f'href="{register.url}">Bekijk alle algoritmes</a>' in dutch

    english_html = render(block, value, home_en, rf)
    assert "Granting parking permits" in english_html
    assert "Parkeervergunning toekennen" not in english_html
    assert register_en.url in english_html

    # A register chosen on the Dutch page lists its translation on the English one.
    chosen = block.to_python({"heading": "", "register": register.pk, "limit": 5})
    assert [p.title for p in block.get_entries(chosen, locale=home_en.locale)] == [
        "Granting parking permits"
    ]
