"""The register's models: its page types (:mod:`.pages`), the link groupings of an
entry (:mod:`.links`), how entries appear in the API (:mod:`.api_fields`), what the
exporters know of each entry (:mod:`.sync`), the results of the link checker
(:mod:`.link_checks`), residents' messages (:mod:`.feedback`), the words explained
(:mod:`.glossary`) and the imports editors start in the admin (:mod:`.imports`)."""

from wagtail_algoregister.models.api_fields import identifier_uri
from wagtail_algoregister.models.feedback import Feedback
from wagtail_algoregister.models.glossary import GlossaryTerm
from wagtail_algoregister.models.imports import ImportJob
from wagtail_algoregister.models.link_checks import LinkCheck
from wagtail_algoregister.models.links import (
    ImpactAssessment,
    LawfulBasisLink,
    SourceDataLink,
    StandardLink,
)
from wagtail_algoregister.models.pages import (
    AlgorithmPage,
    AlgorithmRegisterPage,
    StandardFields,
)
from wagtail_algoregister.models.sync import SyncRecord


__all__ = [
    "AlgorithmPage",
    "AlgorithmRegisterPage",
    "Feedback",
    "GlossaryTerm",
    "ImpactAssessment",
    "ImportJob",
    "LawfulBasisLink",
    "LinkCheck",
    "SourceDataLink",
    "StandardFields",
    "StandardLink",
    "SyncRecord",
    "identifier_uri",
]
