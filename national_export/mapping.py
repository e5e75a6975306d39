"""Entry → request body of the upload API (``AlgorithmIn`` of v1.0). Pure functions.

The body is :func:`wagtail_algoregister.formats.national.entry_to_national` (every input key of
Publicatiestandaard 1.0, in the national register's own keys and vocabularies) with
``standard_version`` "1.0" and optional values left empty sent as ``null``, the way
the register's own export holds them. :func:`check_body` checks a body against the
``AlgorithmIn`` schema packaged from the API's OpenAPI (``data/algorithm_in_v1_0.json``)
before anything is sent, so a body the register must refuse never leaves the site.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from wagtail_algoregister import standard
from wagtail_algoregister.formats.national import entry_to_national


SCHEMA_FILE = Path(__file__).parent / "data" / "algorithm_in_v1_0.json"


@functools.cache
def schemas() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["components"]["schemas"]


def algorithm_in_schema() -> dict:
    return schemas()["AlgorithmIn"]


def entry_body(page, *, public_url: str | None = None) -> dict:
    """The ``AlgorithmIn`` body of one entry."""
    data = entry_to_national(page, public_url=public_url)
    data["standard_version"] = standard.VERSION
    required = set(algorithm_in_schema().get("required", []))
    body = {}
    for key, value in data.items():
        if isinstance(value, list):
            # Link rows: an empty optional link (an impact assessment without one) is left out.
            value = [
                {k: v for k, v in item.items() if v not in ("", None)}
                if isinstance(item, dict)
                else item
                for item in value
            ]
        if value in ("", None, []) and key not in required:
            value = None
        body[key] = value
    return body


# -- a small validator for the subset of JSON Schema the OpenAPI uses ----------------------
# (type, enum, $ref, anyOf, properties, required, items). FastAPI writes "type" next to
# "$ref"/"anyOf" as a hint (even "enum", which is no JSON Schema type); the real
# validation is the $ref/anyOf, as in pydantic, so "type" is ignored there.

_TYPES = {
    "string": str,
    "array": list,
    "object": dict,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


def _problems(value, schema, path) -> list[tuple[str, str]]:
    if "$ref" in schema:
        return _problems(value, schemas()[schema["$ref"].rsplit("/", 1)[1]], path)
    if "anyOf" in schema:
        results = [_problems(value, option, path) for option in schema["anyOf"]]
        if any(not r for r in results):
            return []
        return min(results, key=len)
    kind = schema.get("type")
    if kind == "null":
        return [] if value is None else [(path, "must be empty (null)")]
    if kind in _TYPES:
        if (
            value is None
            or not isinstance(value, _TYPES[kind])
            or isinstance(value, bool) != (kind == "boolean")
        ):
            return [(path, f"must be of type {kind}")]
    if "enum" in schema and value not in schema["enum"]:
        return [(path, f"must be one of: {', '.join(map(str, schema['enum']))}")]
    problems = []
    if kind == "object":
        for key in schema.get("required", []):
            if value.get(key) is None:
                problems.append((f"{path}.{key}".lstrip("."), "is required"))
        for key, sub in schema.get("properties", {}).items():
            if value.get(key) is not None:
                problems += _problems(value[key], sub, f"{path}.{key}".lstrip("."))
    if kind == "array" and "items" in schema:
        for number, item in enumerate(value):
            problems += _problems(item, schema["items"], f"{path}[{number}]")
    return problems


def check_body(body: dict) -> list[tuple[str, str]]:
    """(field, problem) pairs of a body that ``AlgorithmIn`` does not accept; [] when fine."""
    return _problems(body, algorithm_in_schema(), "")
