"""Die Dokumentationsseite der HTTP-API (``/api/docs``): eine deutsche HTML-Seite aus dem OpenAPI-Schema.

Ohne JavaScript und ohne fremde Dateien (FastAPI's Swagger-Seite lädt Skripte und Stile von einem CDN):
jeder Endpunkt mit Methode, Pfad, Beschreibung, Parametern, Anfragekörper (Felder, Typen, Beispiele),
Antwort-Codes und einem ``curl``-Beispiel. Das Schema selbst steht unter ``/api/openapi.json``.

All text comes from the schema (escaped) or from the German labels here; the page carries its own CSP
(no scripts at all, only its inline style sheet).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

DOCS_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

STATUS_TEXT = {
    "200": "Erfolg",
    "400": "ungültige Eingabe (deutsche Meldung in „detail“)",
    "404": "unbekannt (Modell oder Endpunkt)",
    "413": "Anfrage zu groß",
    "422": "fehlende oder falsche Felder (deutsche Meldung in „detail“)",
    "429": "zu viele Anfragen (Wartezeit in Retry-After)",
    "500": "interner Fehler (deutsche Meldung, Details im Server-Log)",
}
COMMON_ERRORS = ("413", "429", "500")  # added by the server for every request (see rag.web.shield)

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 0 auto;
       max-width: 60rem; padding: 1rem 1.5rem 3rem; line-height: 1.5; color: #1f2937; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #dbeafe; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
pre { background: #f3f4f6; padding: .6rem .8rem; overflow-x: auto; border-radius: 6px; }
.endpunkt { border: 1px solid #d1d5db; border-radius: 8px; padding: .4rem 1rem .8rem; margin: 1rem 0; }
.methode { display: inline-block; min-width: 3.5rem; text-align: center; font-weight: 700; color: white;
           border-radius: 4px; padding: 0 .4rem; margin-right: .5rem; }
.GET { background: #2563eb; } .POST { background: #059669; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #e5e7eb; padding: .25rem .5rem; }
th { font-weight: 600; }
.inhalt li { margin: .15rem 0; }
"""


def _inline(text: str) -> str:
    """Escaped text with the schema descriptions' Markdown: `code`, **fett**."""
    out = html.escape(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)


def _markdown(text: str) -> str:
    """The small Markdown of the API description: paragraphs and ``*`` lists (continued by indented lines)."""
    blocks: list[str] = []
    items: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in text.strip().splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith(("* ", "- ")):
            if para:
                flush()
            items.append(stripped[2:])
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + stripped
        else:
            if items:
                flush()
            para.append(stripped)
    flush()
    return "\n".join(blocks)


def _ref(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return dict(spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[1], {}))
    return schema


def _type(schema: dict[str, Any], spec: dict[str, Any]) -> str:
    """A short German type name: Text, ganze Zahl, Liste von …, Objekt, einer von …"""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[1]
    if "anyOf" in schema:
        parts = [_type(s, spec) for s in schema["anyOf"] if s.get("type") != "null"]
        optional = any(s.get("type") == "null" for s in schema["anyOf"])
        return " oder ".join(parts) + (" (oder null)" if optional else "")
    if "enum" in schema:
        return "einer von: " + ", ".join(f"„{v}“" for v in schema["enum"])
    if "const" in schema:
        return f"„{schema['const']}“"
    kind = schema.get("type")
    names = {"string": "Text", "integer": "ganze Zahl", "number": "Zahl", "boolean": "true/false", "object": "Objekt"}
    if kind == "array":
        return "Liste von " + _type(schema.get("items", {}), spec)
    return names.get(str(kind), "beliebig")


def _fields_table(schema: dict[str, Any], spec: dict[str, Any], seen: set[str]) -> str:
    """The fields of an object schema; nested object schemas follow as their own tables."""
    schema = _ref(schema, spec)
    props = schema.get("properties") or {}
    if not props:
        return ""
    required = set(schema.get("required") or [])
    rows = []
    nested: list[str] = []
    for name, prop in props.items():
        what = _type(prop, spec)
        desc = prop.get("description") or ""
        limits = []
        if "minimum" in prop or "maximum" in prop:
            low, high = (_num(prop.get(k)) for k in ("minimum", "maximum"))
            if f"{low}–{high}" not in desc:
                limits.append(f"{low}–{high}")
        if "default" in prop and prop["default"] not in (None, [], {}):
            limits.append(f"Standard: {json.dumps(prop['default'], ensure_ascii=False)}")
        if prop.get("examples"):
            limits.append(f"z. B. {json.dumps(prop['examples'][0], ensure_ascii=False)}")
        note = "; ".join(limits)
        rows.append(
            f"<tr><td><code>{html.escape(name)}</code>{' *' if name in required else ''}</td>"
            f"<td>{html.escape(what)}</td><td>{_inline(desc)}{' – ' + html.escape(note) if note else ''}</td></tr>"
        )
        for sub in [prop, prop.get("items", {}), *prop.get("anyOf", []), *prop.get("anyOf", [{}])[0].get("anyOf", [])]:
            ref = sub.get("$ref") if isinstance(sub, dict) else None
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                title = ref.rsplit("/", 1)[1]
                table = _fields_table({"$ref": ref}, spec, seen)
                if table:
                    nested.append(f"<p><strong>{html.escape(title)}</strong>:</p>{table}")
    head = "<tr><th>Feld (* = Pflicht)</th><th>Typ</th><th>Bedeutung</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>" + "".join(nested)


def _example_body(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """A request body from the required fields' examples (the curl line of the page)."""
    schema = _ref(schema, spec)
    body: dict[str, Any] = {}
    for name in schema.get("required") or []:
        prop = (schema.get("properties") or {}).get(name, {})
        if prop.get("examples"):
            body[name] = prop["examples"][0]
        elif name == "messages":
            body[name] = [{"role": "user", "content": "Was plant Guben?"}]
    return body


def _endpoint(path: str, method: str, op: dict[str, Any], spec: dict[str, Any]) -> str:
    m = method.upper()
    parts = [
        '<section class="endpunkt">',
        f'<h3><span class="methode {m}">{m}</span><code>{html.escape(path)}</code> – '
        f"{html.escape(op.get('summary') or '')}</h3>",
    ]
    if op.get("description"):
        parts.append(_markdown(op["description"]))
    params = op.get("parameters") or []
    if params:
        rows = "".join(
            f"<tr><td><code>{html.escape(p['name'])}</code>{' *' if p.get('required') else ''}</td>"
            f"<td>{'Pfad' if p.get('in') == 'path' else 'Abfrage'}</td>"
            f"<td>{_inline(p.get('description') or '')}</td></tr>"
            for p in params
        )
        parts.append(
            f"<p><strong>Parameter</strong></p><table><tr><th>Name</th><th>wo</th><th>Bedeutung</th></tr>{rows}</table>"
        )
    body_schema = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
    example = ""
    if body_schema:
        parts.append("<p><strong>Anfragekörper</strong> (JSON)</p>")
        parts.append(_fields_table(body_schema, spec, set()))
        example = json.dumps(_example_body(body_schema, spec), ensure_ascii=False)
    codes = sorted(set(op.get("responses") or {}) | set(COMMON_ERRORS if m == "POST" else ()))
    shown = ", ".join(f"{c} {STATUS_TEXT.get(c, '')}".strip() for c in codes)
    parts.append(f"<p><strong>Antworten:</strong> {html.escape(shown)}</p>")
    if "{" not in path:
        curl = f"curl -s http://127.0.0.1:7860{path}"
        if example:
            curl += f" -H 'Content-Type: application/json' -d '{example}'"
        parts.append(f"<pre>{html.escape(curl)}</pre>")
    parts.append("</section>")
    return "\n".join(parts)


def docs_html(spec: dict[str, Any]) -> str:
    """The whole page for the OpenAPI document ``spec`` (grouped by tag, in the order of the tags)."""
    info = spec.get("info", {})
    title = str(info.get("title", "HTTP-API"))
    tags = [t["name"] for t in spec.get("tags") or []]
    tag_text = {t["name"]: t.get("description", "") for t in spec.get("tags") or []}
    groups: dict[str, list[str]] = {t: [] for t in tags}
    for path, methods in (spec.get("paths") or {}).items():
        for method, op in methods.items():
            tag = (op.get("tags") or ["Weitere"])[0]
            groups.setdefault(tag, []).append(_endpoint(path, method, op, spec))
    toc = "".join(
        f'<li><a href="#{html.escape(_anchor(t))}">{html.escape(t)}</a> – {_inline(tag_text.get(t, ""))}</li>'
        for t in groups
        if groups[t]
    )
    sections = "".join(
        f'<h2 id="{html.escape(_anchor(t))}">{html.escape(t)}</h2>' + "".join(ops) for t, ops in groups.items() if ops
    )
    return (
        '<!doctype html>\n<html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{_markdown(str(info.get('description', '')))}"
        '<p>Maschinenlesbar: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3). '
        "Felder mit * sind Pflicht. Jede Anfrage darf höchstens die eingestellte Größe haben "
        "(<code>RAG_MAX_BODY_BYTES</code>, Standard 64 KB); Fragen sind je Client und Minute begrenzt "
        "(<code>RAG_RATE_LIMIT</code>).</p>"
        f'<nav><ul class="inhalt">{toc}</ul></nav>{sections}</body></html>'
    )


def _num(value: Any) -> str:
    if value is None:
        return "…"
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _anchor(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-") or "weitere"
