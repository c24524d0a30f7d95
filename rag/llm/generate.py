"""Generative answers: the model phrases the answer from the extractive answer's numbered sources.

``generate_answer`` streams the model's text pieces and ends with exactly one ``Answer``:
- the model's answer (``mode="ollama:<model>"`` / ``"openai:<model>"``) if it passes ``validate``
  (German, only real [n], only projects from the sources, complete lists for exact answers, grounded
  numbers) – after control characters/escape sequences and links that are not in the sources were
  removed (:mod:`rag.llm.sanitize`), so the final text is exactly what was checked;
- otherwise the extractive answer unchanged, with a short German ``notice`` saying why.
It never raises. Abstentions of the extractive answerer are passed through without asking the model.

``condense`` rewrites a follow-up question into a self-contained one (unchanged on any failure).

Example::

    >>> from rag.llm.fake import FakeLLM
    >>> from rag.types import Answer, Source
    >>> src = Source(1, "Guben", 31, "Kleinstädte und Landgemeinden", ("Brandenburg",), "Guben baut ...", 0.9)
    >>> ext = Answer("Guben baut ... [1]", (src,), mode="extraktiv", projects=("Guben",))
    >>> *pieces, final = generate_answer(FakeLLM(["Guben baut eine Plattform [1]."]), "Was macht Guben?", [], ext,
    ...                                  {"Guben": ["guben"]})
    >>> final.mode, final.text
    ('ollama:fake', 'Guben baut eine Plattform [1].')
    >>> *_, final = generate_answer(FakeLLM(["Guben [7]."]), "Was macht Guben?", [], ext, {"Guben": ["guben"]})
    >>> final.mode, final.notice
    ('extraktiv', 'Hinweis: Die Antwort des Sprachmodells ließ sich nicht belegen (Quelle [7] gibt es nicht). Hier die Antwort direkt aus der Broschüre.')
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from rag.lang import is_german
from rag.llm.base import LLMError
from rag.llm.sanitize import clean_display, strip_links
from rag.llm.validate import attribute, validate
from rag.prompts import render
from rag.types import SECTION_LABELS, Answer, Source

log = logging.getLogger("rag.llm")

HISTORY_TURNS = 6  # messages of the conversation shown to the model
HISTORY_CHARS = 400  # per message
SNIPPET_CHARS = 600  # per source at most
SOURCES_CHARS = 4000  # all sources together: short prompts answer sooner and small models stray less
_DELIMITERS = re.compile(r"(<<<|>>>)")


def _clean(text: str, limit: int) -> str:
    """Strip our prompt delimiters and control characters from untrusted text; cut to ``limit``."""
    text = _DELIMITERS.sub("", text or "")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def format_sources(sources: Iterable[Source], headers_only: bool = False) -> str:
    """Numbered sources for the prompt (``headers_only``: one line per source, without its text).

    >>> s = Source(1, "Guben", 31, "Kleinstädte und Landgemeinden", ("Brandenburg",), "Guben baut ...", 0.9)
    >>> print(format_sources([s]))
    [1] Guben (Brandenburg, Kleinstädte und Landgemeinden), Seite 31:
    Guben baut ...
    >>> print(format_sources([s], headers_only=True))
    [1] Guben (Brandenburg, Kleinstädte und Landgemeinden), Seite 31
    """
    sources = list(sources)
    per_source = max(200, min(SNIPPET_CHARS, SOURCES_CHARS // max(len(sources), 1)))
    blocks = []
    for s in sources:
        where = s.project or SECTION_LABELS.get(s.section, s.section) or s.document or "Broschüre"
        details = ", ".join(x for x in (" / ".join(s.states), s.category) if x)
        head = f"[{s.n}] {where}" + (f" ({details})" if details else "") + (f", Seite {s.page}" if s.page else "")
        blocks.append(head if headers_only else f"{head}:\n{_clean(s.snippet, per_source)}")
    return "\n".join(blocks) if headers_only else "\n\n".join(blocks)


def format_history(history: list[dict[str, str]], turns: int = HISTORY_TURNS) -> str:
    """The last ``turns`` messages as "Nutzer: …" / "Assistent: …" lines ("(keines)" if empty)."""
    lines = []
    for h in history[-turns:]:
        if not isinstance(h, dict):
            continue
        who = "Nutzer" if h.get("role") == "user" else "Assistent"
        content = _clean(str(h.get("content", "")), HISTORY_CHARS).replace("\n", " ")
        if content:
            lines.append(f"{who}: {content}")
    return "\n".join(lines) or "(keines)"


def build_messages(question: str, history: list[dict[str, str]], extractive: Answer) -> list[dict[str, str]]:
    """System prompt + the answer prompt (``answer_structured`` for exact answers from the records).

    An exact answer already quotes its passages with their [n], so its sources are given as headers only.
    """
    structured = extractive.mode == "strukturiert"
    common: dict[str, Any] = {
        "history": format_history(history),
        "sources": format_sources(extractive.sources, headers_only=structured) or "(keine)",
        "question": _clean(question, 2000),
    }
    if structured:
        user = render("answer_structured", facts=_clean(extractive.text, 6000), **common)
    else:
        user = render("answer", **common)
    return [{"role": "system", "content": render("system")}, {"role": "user", "content": user}]


def strip_thinking(pieces: Iterable[str]) -> Iterator[str]:
    """Drop ``<think>…</think>`` blocks of reasoning models from a stream of pieces.

    >>> "".join(strip_thinking(["<thi", "nk>hm, Guben?</th", "ink>Guben [1]."]))
    'Guben [1].'
    """
    buffer, inside = "", False
    for piece in pieces:
        buffer += piece
        while True:
            if inside:
                end = buffer.find("</think>")
                if end < 0:
                    buffer = buffer[-len("</think>") :]
                    break
                buffer, inside = buffer[end + len("</think>") :].lstrip(), False
            else:
                start = buffer.find("<think>")
                if start >= 0:
                    if buffer[:start]:
                        yield buffer[:start]
                    buffer, inside = buffer[start + len("<think>") :], True
                    continue
                keep = next((k for k in range(len("<think>") - 1, 0, -1) if buffer.endswith("<think>"[:k])), 0)
                if buffer[: len(buffer) - keep]:
                    yield buffer[: len(buffer) - keep]
                buffer = buffer[len(buffer) - keep :]
                break
    if buffer and not inside:
        yield buffer


def _notice(reason: str) -> str:
    return f"Hinweis: {reason} Hier die Antwort direkt aus der Broschüre."


def _fallback(extractive: Answer, reason: str, timings: Mapping[str, float] | None = None) -> Answer:
    return replace(extractive, notice=_notice(reason), timings={**extractive.timings, **(timings or {})})


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text.strip())
    return re.sub(r"\n{3,}", "\n\n", text)


def generate_answer(
    llm: Any,
    question: str,
    history: list[dict[str, str]] | None,
    extractive: Answer,
    project_names: Mapping[str, Iterable[str]],
    *,
    places: Iterable[str] = (),
) -> Iterator[str | Answer]:
    """Yield the model's text pieces, then the final ``Answer`` (validated, or the extractive fallback).

    ``places``: further place names to treat as "named places" (e.g. the 2019/2020 projects of the
    overview); a built-in list of such places is always used.
    """
    t0 = time.perf_counter()
    if not extractive.answerable or not extractive.sources or extractive.mode == "fehler":
        yield extractive  # an abstention stays an abstention; the model has nothing to ground on
        return
    model_name = str(getattr(llm, "name", "ollama:?"))
    try:
        messages = build_messages(question, list(history or []), extractive)
    except Exception:
        log.error("building the prompt failed", exc_info=True)
        yield _fallback(extractive, "Das Sprachmodell konnte nicht befragt werden (Prompt-Fehler).")
        return
    parts: list[str] = []
    first: float | None = None
    try:
        for piece in strip_thinking(llm.stream_chat(messages)):
            if piece:
                if first is None:
                    first = time.perf_counter()
                parts.append(piece)
                yield piece
    except LLMError as exc:
        log.warning("LLM failed: %s", exc)
        message = str(exc).strip() or "Das Sprachmodell ist nicht verfügbar."
        yield _fallback(extractive, message if message[-1] in ".!?)" else message + ".")
        return
    except Exception as exc:
        log.error("LLM failed unexpectedly", exc_info=True)
        yield _fallback(extractive, f"Das Sprachmodell ist ausgefallen ({type(exc).__name__}).")
        return
    # how long the model took: to its first piece and in all; pieces are about tokens with streaming servers
    llm_timings = {"llm": round(time.perf_counter() - t0, 3), "llm_pieces": float(len(parts))}
    if first is not None:
        llm_timings["llm_first_piece"] = round(first - t0, 3)
    raw = clean_display("".join(parts))
    text = _tidy(strip_links(raw, allowed=" ".join(s.snippet for s in extractive.sources) + " " + extractive.text))
    if text != _tidy(raw):
        log.info("removed links or control characters from the model answer")
    structured = extractive.mode == "strukturiert"
    # the model may drop the numbers: lines one source clearly holds get theirs (then checked as usual)
    text = attribute(text, extractive.sources, project_names, facts=extractive.text)
    check = validate(
        text,
        extractive.sources,
        project_names,
        required_projects=extractive.projects if structured else (),
        allowed_projects=extractive.projects,
        question=question,
        facts=extractive.text,
        places=places,
    )
    if not check.ok:
        log.info("LLM answer rejected (%s): %r", "; ".join(check.problems), text[:300])
        if check.problems == ["die Antwort war nicht auf Deutsch"]:
            reason = "Das Sprachmodell hat nicht auf Deutsch geantwortet."
        elif check.problems == ["die Antwort war leer"]:
            reason = "Das Sprachmodell hat keine Antwort geliefert."
        else:
            reason = f"Die Antwort des Sprachmodells ließ sich nicht belegen ({check.problems[0]})."
        yield _fallback(extractive, reason, llm_timings)
        return
    if check.abstains and not check.cited:
        # the model found nothing although the extractive answerer did: show the passages instead
        yield _fallback(extractive, "Das Sprachmodell fand in den Quellen keine Antwort.", llm_timings)
        return
    timings = {**extractive.timings, **llm_timings}
    yield Answer(
        text=text,
        sources=extractive.sources,
        mode=model_name,
        intent=extractive.intent,
        answerable=True,
        projects=extractive.projects or tuple(p for p in check.named if p in project_names),
        notice="",
        timings=timings,
    )


def condense(llm: Any, question: str, history: list[dict[str, str]] | None) -> str:
    """A self-contained version of a follow-up ``question`` (``question`` itself on any failure)."""
    turns = [h for h in (history or []) if isinstance(h, dict) and str(h.get("content", "")).strip()]
    if not turns or not (question or "").strip():
        return question
    try:
        prompt = render("condense", history=format_history(turns), question=_clean(question, 1000))
        out = clean_display("".join(strip_thinking(llm.stream_chat([{"role": "user", "content": prompt}]))))
    except Exception as exc:  # LLMError or anything else: keep the user's question
        log.info("condense failed: %s", exc)
        return question
    lines = [ln.strip() for ln in out.strip().splitlines() if ln.strip()]
    rewritten = lines[0] if lines else ""
    rewritten = re.sub(r"^(umformulierte frage|frage)\s*:\s*", "", rewritten, flags=re.IGNORECASE)
    rewritten = rewritten.strip().strip("„“\"'«»").strip()
    if not rewritten or len(rewritten) > 4 * len(question) + 200 or not is_german(rewritten):
        return question
    return rewritten
