"""The register's models: its page types (:mod:`.pages`), the link groupings of an
entry (:mod:`.links`) and how entries appear in the API (:mod:`.api_fields`)."""

from wagtail_algoregister.models.api_fields import identifier_uri
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


__all__ = [
    "AlgorithmPage",
    "AlgorithmRegisterPage",
    "ImpactAssessment",
    "LawfulBasisLink",
    "SourceDataLink",
    "StandardFields",
    "StandardLink",
    "identifier_uri",
]
