"""The OpenAI-compatible backend against a fake server on 127.0.0.1: answers, fallbacks, deadlines, the key."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest

from rag.config import Config, ConfigError
from rag.llm import (
    LLMAuthError,
    LLMModelMissing,
    LLMStreamError,
    LLMTimeout,
    LLMUnavailable,
    doctor_for,
    generate_answer,
    llm_from_config,
    make_llm,
    openai_doctor,
)
from rag.types import Answer
from tests.fake_ollama import closed_port
from tests.fake_openai import FakeOpenAI, Reply
from tests.test_llm_generate import PROJECTS, extractive

pytestmark = pytest.mark.integration

MODEL = "qwen2.5-3b-instruct"
KEY = "sk-test-Geheim-4711-abcdef"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(models=[MODEL, "llama-3.2-3b-instruct"], api_key=KEY) as s:
        yield s


def ask(
    url: str, timeout: float = 2.0, question: str = "Was macht Guben?", ext: Answer | None = None, key: str = KEY
) -> tuple[list[str], Answer, float]:
    llm = make_llm(f"openai:{MODEL}", url=url, timeout=timeout, api_key=key)
    t0 = time.monotonic()
    *pieces, final = generate_answer(llm, question, [], ext or extractive(), PROJECTS)
    assert isinstance(final, Answer) and all(isinstance(p, str) for p in pieces)
    return [str(p) for p in pieces], final, time.monotonic() - t0


def test_good_cited_answer_streams_with_the_key(server: FakeOpenAI) -> None:
    server.script("Guben baut eine digitale Bürgerplattform auf [1].")
    pieces, final, _ = ask(server.url + "/v1")
    assert len(pieces) > 3 and "".join(pieces) == "Guben baut eine digitale Bürgerplattform auf [1]."
    assert final.mode == f"openai:{MODEL}" and final.text == "".join(pieces) and not final.notice
    request = server.requests[-1]
    assert request["path"] == "/v1/chat/completions" and request["headers"]["Authorization"] == f"Bearer {KEY}"
    body = request["body"]
    assert body["model"] == MODEL and body["stream"] is True and body["temperature"] <= 0.2
    assert [m["role"] for m in body["messages"]] == ["system", "user"]


def test_same_prompt_as_the_ollama_backend(server: FakeOpenAI) -> None:
    from tests.fake_ollama import FakeOllama

    ask(server.url + "/v1")
    with FakeOllama(models=["qwen2.5:3b"]) as ollama:
        llm = make_llm("ollama:qwen2.5:3b", host=ollama.url, timeout=2)
        list(generate_answer(llm, "Was macht Guben?", [], extractive(), PROJECTS))
        assert ollama.requests[-1]["body"]["messages"] == server.requests[-1]["body"]["messages"]


def test_base_url_without_v1_and_without_key() -> None:
    with FakeOpenAI(models=[MODEL]) as server:
        _pieces, final, _ = ask(server.url, key="")  # http://127.0.0.1:PORT -> .../v1
        assert final.mode == f"openai:{MODEL}" and "Authorization" not in server.requests[-1]["headers"]


def test_server_that_ignores_stream(server: FakeOpenAI) -> None:
    server.script(Reply("Guben baut eine digitale Bürgerplattform auf [1].", json_only=True))
    _pieces, final, _ = ask(server.url + "/v1")
    assert final.mode == f"openai:{MODEL}" and final.text == "Guben baut eine digitale Bürgerplattform auf [1]."


@pytest.mark.parametrize(
    ("reply", "notice_part"),
    [
        ("Guben baut eine Plattform [1] und ein Rechenzentrum [7].", "[7]"),
        ("Guben baut eine Plattform [1], ebenso der Landkreis Kusel [2].", "Landkreis Kusel"),
        ("Guben is building a digital platform [1].", "nicht auf Deutsch"),
    ],
    ids=["wrong-citation", "project-not-in-sources", "english"],
)
def test_bad_answers_fall_back(server: FakeOpenAI, reply: str, notice_part: str) -> None:
    server.script(reply)
    pieces, final, _ = ask(server.url + "/v1")
    assert "".join(pieces) == reply
    assert final.mode == "extraktiv" and final.text == extractive().text and final.sources == extractive().sources
    assert notice_part in final.notice and final.notice.startswith("Hinweis:")


def test_stall_without_a_byte_falls_back_at_the_deadline(server: FakeOpenAI) -> None:
    server.script(Reply("Guben [1].", stall=30))
    pieces, final, seconds = ask(server.url + "/v1", timeout=1.0)
    assert pieces == [] and final.mode == "extraktiv" and "nicht innerhalb von 1 s" in final.notice
    assert 0.9 < seconds < 1.6


def test_no_headers_at_all_falls_back_at_the_deadline(server: FakeOpenAI) -> None:
    server.script(Reply("Guben [1].", header_stall=30))
    pieces, final, seconds = ask(server.url + "/v1", timeout=1.0)
    assert pieces == [] and final.mode == "extraktiv" and "1 s" in final.notice and seconds < 1.6


def test_trickling_stream_ends_at_the_deadline(server: FakeOpenAI) -> None:
    # every byte comes well within the read timeout, so only the total deadline can end this
    server.script(Reply("Guben baut eine sehr lange und langsame Antwort auf [1].", trickle=0.1))
    _pieces, final, seconds = ask(server.url + "/v1", timeout=1.0)
    assert final.mode == "extraktiv" and "länger als 1 s" in final.notice
    assert 0.9 < seconds < 1.6


def test_one_byte_every_two_seconds_ends_at_the_deadline(server: FakeOpenAI) -> None:
    server.script(Reply("Guben baut eine Plattform [1].", trickle=2.0))
    _pieces, final, seconds = ask(server.url + "/v1", timeout=3.0)
    assert final.mode == "extraktiv" and "länger als 3 s" in final.notice and seconds < 3.6


def test_slow_but_steady_pieces_hit_the_total_limit(server: FakeOpenAI) -> None:
    server.script(Reply("Guben baut eine sehr lange und langsame Antwort auf [1].", piece_delay=0.3))
    pieces, final, seconds = ask(server.url + "/v1", timeout=1.0)
    assert 0 < len(pieces) < 9 and final.mode == "extraktiv" and "länger als 1 s" in final.notice
    assert seconds < 1.6


def test_wrong_key_is_a_german_error_and_never_shown(server: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    wrong = "sk-falsch-0815-zzzzzz"
    caplog.set_level(logging.DEBUG)
    _, final, _ = ask(server.url + "/v1", key=wrong)
    assert final.mode == "extraktiv" and "lehnt den Zugang ab (HTTP 401)" in final.notice
    assert "RAG_LLM_API_KEY" in final.notice
    assert wrong not in final.notice and wrong not in caplog.text
    _, final, _ = ask(server.url + "/v1", key="")
    assert "verlangt einen Schlüssel" in final.notice


def test_http_500(server: FakeOpenAI) -> None:
    server.script(Reply(status=500))
    _, final, _ = ask(server.url + "/v1")
    assert final.mode == "extraktiv" and "Fehler (500)" in final.notice and "exit status 2" in final.notice


def test_cut_stream(server: FakeOpenAI) -> None:
    server.script(Reply("Guben baut eine digitale Bürgerplattform auf [1].", cut=True))
    pieces, final, _ = ask(server.url + "/v1")
    assert pieces and final.mode == "extraktiv" and "brach" in final.notice


def test_error_event_in_the_middle_of_the_stream(server: FakeOpenAI) -> None:
    server.script(Reply("Guben baut eine digitale Bürgerplattform auf [1].", error="out of memory"))
    pieces, final, _ = ask(server.url + "/v1")
    assert pieces and final.mode == "extraktiv"
    assert "Der Sprachmodell-Server meldet einen Fehler: out of memory." in final.notice


def test_server_down_falls_back_within_a_second() -> None:
    pieces, final, seconds = ask(f"http://127.0.0.1:{closed_port()}/v1", timeout=60)
    assert pieces == [] and final.mode == "extraktiv" and final.text == extractive().text
    assert "nicht erreichbar" in final.notice and seconds < 1.0


def test_unknown_model_lists_the_available_ones(server: FakeOpenAI) -> None:
    llm = make_llm("openai:mistral-7b", url=server.url + "/v1", timeout=2, api_key=KEY)
    with pytest.raises(LLMModelMissing) as info:
        list(llm.stream_chat([{"role": "user", "content": "Hallo"}]))
    assert "„mistral-7b“ gibt es" in str(info.value) and f"llama-3.2-3b-instruct, {MODEL}" in str(info.value)


def test_wrong_path_says_to_check_the_url(server: FakeOpenAI) -> None:
    _, final, _ = ask(server.url + "/api")
    assert final.mode == "extraktiv" and "Stimmt RAG_LLM_URL" in final.notice


def test_backend_errors_directly(server: FakeOpenAI) -> None:
    llm = make_llm(f"openai:{MODEL}", url=server.url + "/v1", timeout=1, api_key=KEY)
    assert llm.list_models() == ["llama-3.2-3b-instruct", MODEL]
    server.script(Reply("x", stall=30))
    with pytest.raises(LLMTimeout):
        list(llm.stream_chat([{"role": "user", "content": "Hallo"}]))
    server.script(Reply(status=500))
    with pytest.raises(LLMStreamError):
        list(llm.stream_chat([{"role": "user", "content": "Hallo"}]))
    with pytest.raises(LLMAuthError):
        make_llm(f"openai:{MODEL}", url=server.url + "/v1", timeout=1, api_key="sk-nein-nein").list_models()
    down = make_llm(f"openai:{MODEL}", url=f"http://127.0.0.1:{closed_port()}/v1", timeout=1)
    with pytest.raises(LLMUnavailable, match="nicht erreichbar"):
        down.list_models()


def test_doctor(server: FakeOpenAI) -> None:
    report = openai_doctor(server.url + "/v1", timeout=1.0, model=MODEL, api_key=KEY)
    assert f"OpenAI-kompatibler Server {server.url}/v1: erreichbar." in report
    assert f"Verfügbare Modelle: llama-3.2-3b-instruct, {MODEL}" in report
    assert f"Gewähltes Modell {MODEL}: verfügbar" in report and "gesetzt (wird nicht angezeigt)" in report
    assert KEY not in report
    denied = openai_doctor(server.url + "/v1", timeout=1.0, api_key="sk-falsch-0815-zzzzzz")
    assert "Zugang abgelehnt" in denied and "sk-falsch" not in denied
    t0 = time.monotonic()
    down = openai_doctor(f"http://127.0.0.1:{closed_port()}/v1", timeout=3.0)
    assert "nicht erreichbar" in down and "llama-server" in down and time.monotonic() - t0 < 1.5


def test_doctor_ends_at_its_deadline_when_the_listing_trickles() -> None:
    with FakeOpenAI(models=[MODEL], models_trickle=0.1) as server:
        t0 = time.monotonic()
        report = openai_doctor(server.url + "/v1", timeout=1.0, model=MODEL)
        assert time.monotonic() - t0 < 1.6 and "antwortet nicht" in report


def test_config_and_factory(server: FakeOpenAI) -> None:
    env = {"RAG_LLM": f"openai:{MODEL}", "RAG_LLM_URL": server.url + "/v1", "RAG_LLM_API_KEY": KEY}
    config = Config.from_env(env)
    assert config.llm_url == server.url + "/v1" and config.llm_api_key == KEY and KEY not in repr(config)
    llm = llm_from_config(config)
    assert llm is not None and llm.name == f"openai:{MODEL}" and KEY not in repr(llm)
    assert "".join(llm.stream_chat([{"role": "user", "content": "Hallo"}]))
    report = doctor_for(config, 1.0)
    assert "erreichbar." in report and KEY not in report and "ollama" not in report
    with pytest.raises(ConfigError, match="RAG_LLM_URL braucht http:// oder https://"):
        Config.from_env({"RAG_LLM_URL": "127.0.0.1:8000/v1"})
    with pytest.raises(ConfigError, match="RAG_LLM_API_KEY") as info:
        Config.from_env({"RAG_LLM_API_KEY": "sk geheim"})
    assert "geheim" not in str(info.value)


def test_cli_doctor_and_ask_never_show_the_key(
    server: FakeOpenAI, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rag import cli

    monkeypatch.setenv("RAG_LLM", f"openai:{MODEL}")
    monkeypatch.setenv("RAG_LLM_URL", server.url + "/v1")
    monkeypatch.setenv("RAG_LLM_API_KEY", KEY)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path))
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr()
    assert f"Verfügbare Modelle: llama-3.2-3b-instruct, {MODEL}" in out.out
    assert KEY not in out.out + out.err
    log = (tmp_path / "rag.log").read_text(encoding="utf-8") if (tmp_path / "rag.log").exists() else ""
    assert KEY not in log
