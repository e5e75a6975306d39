#!/usr/bin/env python3
"""fake_solr.py - a tiny in-memory stand-in for the Solr core that CKAN uses.

CKAN (2.10 - 2.12) cannot create organizations or datasets without a Solr
server: every package_create/update/delete is indexed synchronously and
group/organization dictization runs package_search.  Apache Solr is not
available from PyPI / npm / Debian 12, so for tests we emulate the small part
of Solr's HTTP API that CKAN (through pysolr) uses:

  GET/POST /solr/<core>/select        q, fq (repeated), rows, start, sort, fl,
                                      facet.field, facet.limit, facet.mincount,
                                      defType=dismax|edismax|lucene, qf, mm, q.op
  POST     /solr/<core>/update        XML or JSON <add>/<delete>/<commit>
  GET      /solr/<core>/schema        (?wt=schema.xml) -> CKAN's schema.xml
  GET      /solr/<core>/admin/file    (?file=schema.xml)
  GET      /solr/<core>/admin/ping

Queries are parsed with `luqum` (Lucene syntax) and evaluated against the
documents kept in memory, using field types read from CKAN's own
ckan/config/solr/schema.xml (string fields match exactly, text fields match
lower-cased, accent-folded tokens).  There is no relevance ranking beyond a
simple term-count score, no stemming beyond a trailing "s", no persistence.

Usage:  python fake_solr.py [--host 127.0.0.1] [--port 8983] [--port-file F] [--schema PATH]
Needs:  pip install luqum
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import importlib.util
import json
import os
import re
import signal
import sys
import threading
import unicodedata
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from luqum import tree as T
from luqum.parser import parser as LUCENE


# --------------------------------------------------------------------------
# schema
# --------------------------------------------------------------------------
TEXT_CLASSES = ("solr.TextField",)


class Schema:
    def __init__(self, path: str | None):
        self.xml = None
        self.types: dict[str, tuple[str, bool]] = {}  # type -> (kind, multi)
        self.fields: dict[str, dict] = {}
        self.dynamic: list[tuple[str, dict]] = []
        self.copy: list[tuple[str, str]] = []
        self.unique_key = "index_id"
        if path and os.path.exists(path):
            with open(path, "rb") as f:
                self.xml = f.read()
            self._parse(ET.fromstring(self.xml))  # noqa: S314 (CKAN's own schema.xml)
        else:
            self.xml = b'<?xml version="1.0"?><schema name="ckan-2.10" version="1.6"/>'
            self._fallback()

    @staticmethod
    def _kind(cls: str, name: str) -> str:
        if cls in TEXT_CLASSES:
            return "ngram" if "ngram" in name else "text"
        if "Date" in cls:
            return "date"
        if "Bool" in cls:
            return "bool"
        if any(x in cls for x in ("Int", "Long", "Float", "Double")):
            return "num"
        return "string"

    def _parse(self, root):
        for ft in root.iter("fieldType"):
            self.types[ft.get("name")] = (
                self._kind(ft.get("class", ""), ft.get("name")),
                ft.get("multiValued") == "true",
            )
        for tag in ("field", "dynamicField"):
            for f in root.iter(tag):
                kind, multi = self.types.get(f.get("type"), ("string", False))
                if f.get("multiValued") is not None:
                    multi = f.get("multiValued") == "true"
                spec = {"kind": kind, "multi": multi, "stored": f.get("stored", "true") == "true"}
                if tag == "field":
                    self.fields[f.get("name")] = spec
                else:
                    self.dynamic.append((f.get("name"), spec))
        self.dynamic.sort(key=lambda x: -len(x[0]))
        for c in root.iter("copyField"):
            self.copy.append((c.get("source"), c.get("dest")))
        uk = root.find("uniqueKey")
        if uk is not None and uk.text:
            self.unique_key = uk.text.strip()

    def _fallback(self):
        def s(k, m=False, st=True):
            return {"kind": k, "multi": m, "stored": st}

        for n in (
            "index_id",
            "id",
            "site_id",
            "entity_type",
            "dataset_type",
            "state",
            "name",
            "url",
            "license_id",
            "organization",
            "capacity",
            "data_dict",
            "validated_data_dict",
            "version",
        ):
            self.fields[n] = s("string")
        for n in ("title", "notes", "author", "maintainer"):
            self.fields[n] = s("text")
        for n in ("tags", "groups", "res_format", "res_url", "res_type"):
            self.fields[n] = s("string", True)
        for n in ("res_name", "res_description"):
            self.fields[n] = s("text", True)
        self.fields["permission_labels"] = s("string", True, False)
        self.fields["text"] = s("text", True, False)
        for n in ("metadata_created", "metadata_modified", "indexed_ts"):
            self.fields[n] = s("date")
        self.dynamic = [
            ("res_extras_*", s("text", True)),
            ("extras_*", s("text")),
            ("vocab_*", s("string", True)),
            ("*_date", s("date")),
            ("*", s("string", False, False)),
        ]
        for src in (
            "extras_*",
            "res_extras_*",
            "vocab_*",
            "name",
            "title",
            "notes",
            "tags",
            "groups",
            "organization",
            "res_name",
            "res_description",
            "maintainer",
            "author",
            "url",
            "res_url",
        ):
            self.copy.append((src, "text"))

    def spec(self, field: str) -> dict:
        if field in self.fields:
            return self.fields[field]
        for pat, spec in self.dynamic:
            if fnmatch.fnmatchcase(field, pat):
                return spec
        return {"kind": "string", "multi": False, "stored": False}


def find_ckan_schema() -> str | None:
    spec = importlib.util.find_spec("ckan")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            p = os.path.join(loc, "config", "solr", "schema.xml")
            if os.path.exists(p):
                return p
    return None


# --------------------------------------------------------------------------
# analysis
# --------------------------------------------------------------------------
_TOKEN = re.compile(r"\w+", re.UNICODE)


def fold(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
    ).lower()


def stem(tok: str) -> str:
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
        return tok[:-1]
    return tok


def analyze(s: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(fold(s))]


def unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def has_wildcard(raw: str) -> bool:
    return bool(re.search(r"(?<!\\)[*?]", raw))


_NOW = re.compile(r"^NOW((?:[+-]\d+[A-Z]+)*)(/[A-Z]+)?$")
_UNITS = {
    "SECOND": 1,
    "SECONDS": 1,
    "MINUTE": 60,
    "MINUTES": 60,
    "HOUR": 3600,
    "HOURS": 3600,
    "DAY": 86400,
    "DAYS": 86400,
    "MONTH": 30 * 86400,
    "MONTHS": 30 * 86400,
    "YEAR": 365 * 86400,
    "YEARS": 365 * 86400,
}


def norm_date(v: str) -> str:
    v = v.strip()
    m = _NOW.match(v)
    if m:
        t = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for sign, n, unit in re.findall(r"([+-])(\d+)([A-Z]+)", m.group(1) or ""):
            secs = int(n) * _UNITS.get(unit, 0)
            t += dt.timedelta(seconds=secs if sign == "+" else -secs)
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    v = v.replace(" ", "T")
    if v.endswith("Z"):
        v = v[:-1]
    if "." not in v and len(v) >= 19:
        v += ".000000"
    return v + "Z"


# --------------------------------------------------------------------------
# document store
# --------------------------------------------------------------------------
class Doc:
    __slots__ = ("stored", "values", "tokens")

    def __init__(self, stored, values, tokens):
        self.stored = stored  # field -> scalar|list (for fl)
        self.values = values  # field -> list[str] (indexed raw values)
        self.tokens = tokens  # field -> list[list[str]] (text fields)


class Store:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.docs: dict[str, Doc] = {}
        self.lock = threading.RLock()
        self.version = 0

    def make_doc(self, fields: dict[str, list[str]]) -> Doc:
        fields = {k: [v for v in vs if v is not None] for k, vs in fields.items()}
        fields.setdefault("indexed_ts", [norm_date("NOW")])
        # copyField
        for src, dest in self.schema.copy:
            for k in list(fields):
                if k != dest and fnmatch.fnmatchcase(k, src):
                    fields.setdefault(dest, []).extend(fields[k])
        stored, tokens = {}, {}
        for k, vs in fields.items():
            spec = self.schema.spec(k)
            if spec["kind"] == "date":
                vs = [norm_date(v) for v in vs]
                fields[k] = vs
            if spec["stored"]:
                stored[k] = list(vs) if spec["multi"] else (vs[0] if vs else None)
            if spec["kind"] in ("text", "ngram"):
                tokens[k] = [analyze(v) for v in vs]
        self.version += 1
        stored["_version_"] = self.version
        return Doc(stored, fields, tokens)

    def add(self, fields: dict[str, list[str]]):
        key = (fields.get(self.schema.unique_key) or fields.get("id") or [""])[0]
        with self.lock:
            self.docs[key] = self.make_doc(fields)

    def delete_id(self, key: str):
        with self.lock:
            self.docs.pop(key, None)

    def delete_query(self, q: str):
        node = parse_lucene(q)
        with self.lock:
            for k in [k for k, d in self.docs.items() if Evaluator(self.schema, d).ev(node)]:
                del self.docs[k]


# --------------------------------------------------------------------------
# query evaluation
# --------------------------------------------------------------------------
class QueryError(Exception):
    pass


def parse_lucene(q: str):
    try:
        return LUCENE.parse(q)
    except Exception as e:  # luqum raises ParseError / IllegalCharacterError
        raise QueryError(f"org.apache.solr.search.SyntaxError: Cannot parse '{q}': {e}") from e


class Evaluator:
    def __init__(
        self, schema: Schema, doc: Doc, default_fields=(("text", 1.0),), and_default=True, mm=None
    ):
        self.schema, self.doc = schema, doc
        self.default_fields = default_fields  # list of (field, boost)
        self.and_default = and_default
        self.mm = mm
        self.score = 0.0

    # -- leaves -----------------------------------------------------------
    def term(self, field: str | None, raw: str, phrase=False) -> bool:
        if field is None:
            hit = False
            for f, boost in self.default_fields:
                if self.term(f, raw, phrase):
                    self.score += boost
                    hit = True
            return hit
        if field == "*" and raw == "*":
            return True
        spec = self.schema.spec(field)
        vals = self.doc.values.get(field)
        if not vals:
            return False
        if raw == "*" and not phrase:
            return True
        kind = spec["kind"]
        if kind in ("text", "ngram"):
            toks_list = self.doc.tokens.get(field, [])
            if not phrase and has_wildcard(raw):
                pat = fold(raw)
                return any(fnmatch.fnmatchcase(t, pat) for toks in toks_list for t in toks) or any(
                    fnmatch.fnmatchcase(t, pat) for v in vals for t in _TOKEN.findall(fold(v))
                )
            q = analyze(unescape(raw))
            if not q:
                return False
            for toks in toks_list:
                if kind == "ngram":
                    if all(any(t.startswith(x) for t in toks) for x in q):
                        return True
                    continue
                n = len(q)
                for i in range(len(toks) - n + 1):
                    if toks[i : i + n] == q:
                        return True
            return False
        val = unescape(raw)
        if kind == "date":
            return norm_date(val) in vals
        if kind == "num":
            try:
                return any(float(v) == float(val) for v in vals)
            except ValueError:
                return False
        if kind == "bool":
            return any(str(v).lower() == val.lower() for v in vals)
        if not phrase and has_wildcard(raw):
            pat = re.sub(
                r"\\(.)",
                lambda m: "[" + m.group(1) + "]" if m.group(1) in "*?[" else m.group(1),
                raw,
            )
            return any(fnmatch.fnmatchcase(v, pat) for v in vals)
        return val in vals

    def range(self, field, low, high, inc_low, inc_high) -> bool:
        if field is None:
            field = self.default_fields[0][0]
        spec = self.schema.spec(field)
        vals = self.doc.values.get(field) or []
        conv = str
        if spec["kind"] == "date":
            conv = norm_date
        elif spec["kind"] == "num":
            conv = float
        try:
            lo = None if low in ("*", None) else conv(unescape(low))
            hi = None if high in ("*", None) else conv(unescape(high))
            for v in vals:
                v = conv(v)
                if lo is not None and (v < lo or (v == lo and not inc_low)):
                    continue
                if hi is not None and (v > hi or (v == hi and not inc_high)):
                    continue
                return True
        except ValueError:
            return False
        return False

    # -- tree -------------------------------------------------------------
    def ev(self, n, field=None) -> bool:
        if isinstance(n, T.SearchField):
            return self.ev(n.expr, n.name)
        if isinstance(n, (T.Group, T.FieldGroup)):
            return self.ev(n.expr, field)
        if isinstance(n, T.Word):
            return self.term(field, n.value)
        if isinstance(n, T.Phrase):
            return self.term(field, n.value[1:-1], phrase=True)
        if isinstance(n, (T.Proximity, T.Fuzzy)):
            return self.ev(n.term, field)
        if isinstance(n, T.Boost):
            return self.ev(n.expr, field)
        if isinstance(n, T.Regex):
            vals = self.doc.values.get(field or "text") or []
            return any(re.fullmatch(n.value[1:-1], v) for v in vals)
        if isinstance(n, T.Range):
            return self.range(field, n.low.value, n.high.value, n.include_low, n.include_high)
        if isinstance(n, T.From):
            return self.range(field, n.a.value, None, n.include, True)
        if isinstance(n, T.To):
            return self.range(field, None, n.a.value, True, n.include)
        if isinstance(n, T.Plus):
            return self.ev(n.a, field)
        if isinstance(n, (T.Not, T.Prohibit)):
            return not self.ev(n.a, field)
        if isinstance(n, T.AndOperation):
            return all([self.ev(c, field) for c in n.children])  # noqa: C419 (score every child)
        if isinstance(n, T.OrOperation):
            return any([self.ev(c, field) for c in n.children])  # noqa: C419
        if isinstance(n, T.UnknownOperation):
            req, opt, neg = [], [], []
            for c in n.children:
                if isinstance(c, T.Plus):
                    req.append(c.a)
                elif isinstance(c, (T.Prohibit, T.Not)):
                    neg.append(c.a)
                elif self.and_default and self.mm is None:
                    req.append(c)
                else:
                    opt.append(c)
            if any([self.ev(c, field) for c in neg]):  # noqa: C419
                return False
            if not all([self.ev(c, field) for c in req]):  # noqa: C419
                return False
            if opt:
                hits = sum(1 for c in opt if self.ev(c, field))
                need = self.mm(len(opt)) if self.mm else (0 if req else 1)
                return hits >= max(need, 0 if req else 1)
            return True
        raise QueryError(f"unsupported query element {type(n).__name__}")


def mm_rule(spec: str):
    """Solr 'mm' (minimum should match) e.g. '2<-1 5<80%'."""
    spec = (spec or "").strip()

    def one(v, n):
        v = v.strip()
        if v.endswith("%"):
            p = int(v[:-1])
            k = int(n * abs(p) / 100)
            return n - k if p < 0 else k
        k = int(v)
        return n + k if k < 0 else k

    def f(n):
        if not spec:
            return n
        if "<" not in spec:
            return one(spec, n)
        need = n
        for cond in spec.split():
            lim, val = cond.split("<", 1)
            if n > int(lim):
                need = one(val, n)
        return need

    return f


def parse_sort(spec: str):
    out = []
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        bits = part.split()
        if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
            raise QueryError(f"Can't determine a Sort Order (asc or desc) in sort spec '{part}'")
        out.append((bits[0], bits[1].lower() == "desc"))
    return out


def run_select(store: Store, params: dict[str, list[str]]):
    def g(k, d=None):
        return (params.get(k) or [d])[0]

    schema = store.schema
    q = g("q", "*:*") or "*:*"
    deftype = g("defType", "lucene")
    df = g("df", "text")
    and_default = (g("q.op", "OR") or "OR").upper() == "AND"
    start, rows = int(g("start", 0) or 0), int(g("rows", 10) or 10)

    fqs = [parse_lucene(f) for f in params.get("fq", []) if f and f.strip()]
    if deftype in ("dismax", "edismax") and q.strip() not in ("*:*", ""):
        qf = []
        for item in (g("qf") or df).split():
            name, _, boost = item.partition("^")
            qf.append((name, float(boost or 1)))
        try:
            qnode = LUCENE.parse(q)
        except Exception:
            qnode = LUCENE.parse(" ".join('"{}"'.format(w.replace('"', "")) for w in q.split()))
        qopts = {"default_fields": qf, "and_default": True, "mm": mm_rule(g("mm", "100%"))}
    else:
        qnode = parse_lucene(q)
        qopts = {"default_fields": [(df, 1.0)], "and_default": and_default}

    hits = []
    with store.lock:
        docs = list(store.docs.values())
    for d in docs:
        if not all(Evaluator(schema, d, [(df, 1.0)], and_default).ev(f) for f in fqs):
            continue
        ev = Evaluator(schema, d, **qopts)
        if ev.ev(qnode):
            hits.append((max(ev.score, 1.0), d))

    sort = parse_sort(g("sort", "score desc"))
    for field, desc in reversed(sort):
        if field == "score":
            hits.sort(key=lambda h: h[0], reverse=desc)
            continue
        conv = float if schema.spec(field)["kind"] == "num" else str
        present = [h for h in hits if h[1].values.get(field)]
        missing = [h for h in hits if not h[1].values.get(field)]
        present.sort(key=lambda h: conv(h[1].values[field][0]), reverse=desc)
        hits = present + missing  # sortMissingLast

    fl = [f for f in re.split(r"[,\s]+", g("fl", "*") or "*") if f]
    out = []
    for score, d in hits[start : start + rows] if rows >= 0 else []:
        if "*" in fl:
            doc = dict(d.stored)
        else:
            doc = {k: d.stored[k] for k in fl if k in d.stored}
        if "score" in fl:
            doc["score"] = score
        out.append(doc)

    resp = {
        "responseHeader": {"status": 0, "QTime": 0},
        "response": {"numFound": len(hits), "start": start, "numFoundExact": True, "docs": out},
    }
    if (g("facet", "false") or "false").lower() == "true":
        ff = {}
        for field in params.get("facet.field", []):
            limit = int(g(f"f.{field}.facet.limit", g("facet.limit", 100)))
            mincount = int(g(f"f.{field}.facet.mincount", g("facet.mincount", 0)))
            counts: dict[str, int] = {}
            for _, d in hits:
                kind = schema.spec(field)["kind"]
                vals = (
                    [t for toks in d.tokens.get(field, []) for t in toks]
                    if kind in ("text", "ngram")
                    else d.values.get(field, [])
                )
                for v in set(vals):
                    counts[v] = counts.get(v, 0) + 1
            items = sorted(
                ((v, c) for v, c in counts.items() if c >= mincount), key=lambda x: (-x[1], x[0])
            )
            if limit >= 0:
                items = items[:limit]
            ff[field] = [x for pair in items for x in pair]
        resp["facet_counts"] = {
            "facet_queries": {},
            "facet_fields": ff,
            "facet_ranges": {},
            "facet_intervals": {},
            "facet_heatmaps": {},
        }
    return resp


# --------------------------------------------------------------------------
# update messages
# --------------------------------------------------------------------------
def apply_xml_update(store: Store, body: bytes):
    root = ET.fromstring(body)  # noqa: S314 (only CKAN on 127.0.0.1 talks to it)
    elems = [root] if root.tag != "update" else list(root)
    for el in elems:
        if el.tag == "add":
            for doc in el.findall("doc"):
                fields: dict[str, list[str]] = {}
                for f in doc.findall("field"):
                    fields.setdefault(f.get("name"), []).append(f.text or "")
                store.add(fields)
        elif el.tag == "delete":
            for i in el.findall("id"):
                store.delete_id((i.text or "").strip())
            for q in el.findall("query"):
                store.delete_query(q.text or "")
        elif el.tag in ("commit", "optimize", "rollback"):
            pass


def _to_fields(doc: dict) -> dict[str, list[str]]:
    out = {}
    for k, v in doc.items():
        vs = v if isinstance(v, (list, tuple)) else [v]
        out[k] = [
            ("true" if x else "false") if isinstance(x, bool) else str(x)
            for x in vs
            if x is not None
        ]
    return out


def apply_json_update(store: Store, body: bytes):
    data = json.loads(body or b"{}")
    if isinstance(data, list):
        for d in data:
            store.add(_to_fields(d))
        return
    for k, v in data.items():
        if k == "add":
            for item in v if isinstance(v, list) else [v]:
                store.add(_to_fields(item.get("doc", item)))
        elif k == "delete":
            for item in v if isinstance(v, list) else [v]:
                if isinstance(item, dict) and "query" in item:
                    store.delete_query(item["query"])
                else:
                    store.delete_id(item["id"] if isinstance(item, dict) else str(item))


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------
def make_handler(store: Store, verbose: bool):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            if verbose:
                sys.stderr.write("fake_solr: " + fmt % args + "\n")

        def _send(self, code, payload, ctype="application/json; charset=utf-8"):
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _err(self, code, msg):
            self._send(
                code,
                {
                    "responseHeader": {"status": code, "QTime": 0},
                    "error": {"msg": msg, "code": code},
                },
            )

        def _handle(self, method):
            url = urlsplit(self.path)
            params = parse_qs(url.query, keep_blank_values=True)
            body = b""
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                body = self.rfile.read(n)
            ctype = self.headers.get("Content-Type", "")
            if method == "POST" and "x-www-form-urlencoded" in ctype:
                for k, v in parse_qs(body.decode(), keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
                body = b""
            parts = [p for p in url.path.split("/") if p]
            handler = "/".join(parts[2:]) if parts[:1] == ["solr"] else "/".join(parts)
            try:
                if handler in ("select", "query"):
                    return self._send(200, run_select(store, params))
                if handler.startswith("update"):
                    if body.strip():
                        if body.lstrip()[:1] in (b"{", b"["):
                            apply_json_update(store, body)
                        else:
                            apply_xml_update(store, body)
                    return self._send(200, {"responseHeader": {"status": 0, "QTime": 0}})
                if handler == "schema" or handler == "admin/file":
                    return self._send(200, store.schema.xml, "application/xml; charset=utf-8")
                if handler == "admin/ping":
                    return self._send(200, {"responseHeader": {"status": 0}, "status": "OK"})
                if handler == "admin/cores" or handler == "":
                    return self._send(200, {"responseHeader": {"status": 0}, "status": {}})
                return self._err(404, f"fake_solr: unknown handler '{handler}'")
            except QueryError as e:
                return self._err(400, str(e))
            except Exception as e:  # pragma: no cover
                return self._err(500, f"fake_solr internal error: {e!r}")

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

    return H


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8983)
    ap.add_argument(
        "--schema",
        default=None,
        help="CKAN schema.xml (default: the one in the importable ckan package)",
    )
    ap.add_argument(
        "--port-file",
        default=None,
        help="write the port (useful with --port 0) to this file once listening",
    )
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    schema = Schema(a.schema or find_ckan_schema())
    srv = ThreadingHTTPServer((a.host, a.port), make_handler(Store(schema), a.verbose))
    srv.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # nothing to flush
    port = srv.server_address[1]
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.replace(a.port_file + ".tmp", a.port_file)
    print(f"fake_solr listening on http://{a.host}:{port}/solr/ckan", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
