"""Load the demo municipality: a home page, a register with entries, a care page."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Page, Site

from home.models import ContentPage, HomePage
from wagtail_algoregister import models as register_models
from wagtail_algoregister.formats.national import national_to_fields
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.standard.validation import validate_entry


DATA = Path(__file__).resolve().parents[2] / "demo_content.json"
# English versions (human translations) of the home page, the register and a few entries.
DATA_EN = Path(__file__).resolve().parents[2] / "demo_content_en.json"

LINK_MODELS = {
    "lawful_basis_grouping": register_models.LawfulBasisLink,
    "impacttoetsen_grouping": register_models.ImpactAssessment,
    "source_data_grouping": register_models.SourceDataLink,
}


def load_data():
    return json.loads(DATA.read_text("utf-8"))


def load_english():
    return json.loads(DATA_EN.read_text("utf-8"))


def validated_entries(data):
    """Validate every demo entry by the standard; raise one error listing all problems."""
    result, problems = [], []
    for number, entry in enumerate(data["entries"], start=1):
        normalised, errors = validate_entry(entry)
        for messages in errors.values():
            problems.extend(f"entry {number} ({entry.get('name')}): {m}" for m in messages)
        result.append((entry, normalised))
    if problems:
        raise CommandError("Demo content does not pass validation:\n" + "\n".join(problems))
    return result


class Command(BaseCommand):
    help = "Load the demo content of the fictional Gemeente Noorderhaaks (skipped when a register exists)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin",
            action="store_true",
            help="Also create the user admin/admin when no user exists.",
        )

    @transaction.atomic
    def handle(self, *args, admin=False, **options):
        if admin and not get_user_model().objects.exists():
            get_user_model().objects.create_superuser("admin", "admin@example.invalid", "admin")
            self.stdout.write("Created the admin user: username admin, password admin.")
        if AlgorithmRegisterPage.objects.exists():
            self.stdout.write("A register exists already; demo content not loaded.")
            return
        data = load_data()
        entries = validated_entries(data)

        root = Page.get_first_root_node()
        for child in root.get_children():
            # Wagtail's placeholder "Welcome" page is replaced by the demo home page.
            if child.specific_class is Page:
                child.delete()
        home = root.add_child(
            instance=HomePage(
                title=data["site"]["home_title"], slug="home", intro=data["site"]["home_intro"]
            )
        )
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.root_page = "localhost", 80, home
        site.site_name = data["site"]["name"]
        site.save()

        spec = data["register"]
        register = home.add_child(
            instance=AlgorithmRegisterPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                organisation_name=spec["organisation_name"],
                default_contact_email=spec["default_contact_email"],
                show_in_menus=True,
            )
        )
        register.save_revision().publish()

        for raw, entry in entries:
            attributes, groupings = national_to_fields(entry)
            local = raw.get("local", {})
            page = AlgorithmPage(
                slug=raw["slug"],
                live=bool(raw.get("live", True)),
                department=local.get("department", ""),
                objection_procedure=local.get("objection_procedure", ""),
                next_review_date=local.get("next_review_date") or None,
                **attributes,
            )
            for attribute, rows in groupings.items():
                setattr(page, attribute, [LINK_MODELS[attribute](**row) for row in rows])
            register.add_child(instance=page)
            revision = page.save_revision()
            if page.live:
                revision.publish()

        care = home.add_child(
            instance=ContentPage(
                title="Zorg en welzijn",
                slug="zorg-en-welzijn",
                show_in_menus=True,
                intro="<p>Hulp bij het huishouden, jeugdhulp of schulden: hier leest u hoe de gemeente u helpt.</p>",
                body=[
                    (
                        "register_listing",
                        {
                            "heading": "Algoritmes in zorg en welzijn",
                            "register": register,
                            "theme": "Zorg en gezondheid",
                            "status": "",
                            "publication_category": "",
                            "limit": 10,
                        },
                    )
                ],
            )
        )
        care.save_revision().publish()
        translated = self.load_english(home, register)
        published = sum(1 for raw, _entry in entries if raw.get("live", True))
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo register with {len(entries)} entries ({published} published),"
                f" {translated} of them also in English."
            )
        )

    def load_english(self, home, register):
        """English versions, made the way editors make them: Wagtail's "Translate" action.

        ``copy_for_translation`` copies a page into the English locale as a draft; the
        English texts replace the Dutch ones and the copy is published. Returns the
        number of entries translated.
        """
        data = load_english()
        english, _created = Locale.objects.get_or_create(language_code="en")

        def translate(page, texts):
            copy = page.copy_for_translation(english).specific
            for attribute, value in texts.items():
                setattr(copy, attribute, value)
            copy.save_revision().publish()
            return copy

        # The home page's slug is not part of any URL (Wagtail adds "-en" to it).
        translate(home, {"title": data["site"]["home_title"], "intro": data["site"]["home_intro"]})
        translate(
            register,
            {
                "title": data["register"]["title"],
                "slug": data["register"]["slug"],
                "intro": data["register"]["intro"],
            },
        )
        count = 0
        for page in register.get_children().live().specific():
            texts = data["entries"].get(page.slug)
            if not texts:
                continue
            entry = {key: value for key, value in texts.items() if key not in ("slug", "local")}
            entry.update(
                {
                    key: getattr(page, key)
                    for key in ("organization", "status", "contact_email", "publication_category")
                }
            )
            entry.setdefault("lang", page.lang)
            normalised, errors = validate_entry(entry)
            if errors:
                raise CommandError(f"English demo entry {page.slug}: {errors}")
            attributes, groupings = national_to_fields(
                {key: normalised[key] for key in texts if key in normalised}
            )
            local = texts.get("local", {})
            copy = page.copy_for_translation(english).specific
            for attribute, value in attributes.items():
                setattr(copy, attribute, value)
            for attribute, rows in groupings.items():
                setattr(copy, attribute, [LINK_MODELS[attribute](**row) for row in rows])
            copy.slug = texts["slug"]
            copy.department = local.get("department", copy.department)
            copy.objection_procedure = local.get("objection_procedure", copy.objection_procedure)
            copy.save()
            copy.save_revision().publish()
            count += 1
        return count
