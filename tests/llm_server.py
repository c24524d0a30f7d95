"""Test fixture, not part of the product: llama.cpp's OpenAI-compatible server (``xllamacpp``) on 127.0.0.1.

``LlamaServer(model_path)`` starts ``python -m tests.llm_server`` as a child process (own process group,
``nice`` 10, 1 thread by default), waits at most ``startup_timeout`` seconds for ``GET /health`` and
kills the process group when the ``with`` block ends – also on errors and Ctrl-C. ``url`` is the base
URL for ``RAG_LLM_URL`` (ending in ``/v1``); the model is announced under ``alias``.

Run by hand (e.g. for ``rag eval --llm openai:…``), bounded by ``--seconds``::

    $ timeout 7300 nice -n 10 python -m tests.llm_server --model /tmp/data/models/x.gguf --port 8012 --seconds 7200

Example::

    with LlamaServer(Path("/tmp/data/models/qwen2.5-coder-0.5b-instruct.gguf")) as server:
        llm = make_llm(f"openai:{server.alias}", url=server.url, timeout=300)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

STARTUP_TIMEOUT = 180.0  # seconds until /health must answer (loading a 1.1 GB model on a busy machine)
CONTEXT = 8192  # tokens, like the ollama backend's num_ctx
THREADS = 1  # per model on this shared 2-core machine (2 threads were slower under load)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    """The xllamacpp server in a child process; a context manager."""

    def __init__(
        self,
        model_path: Path,
        *,
        alias: str = "",
        threads: int = THREADS,
        context: int = CONTEXT,
        startup_timeout: float = STARTUP_TIMEOUT,
        log_path: Path | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.alias = alias or self.model_path.stem
        self.threads = threads
        self.context = context
        self.startup_timeout = startup_timeout
        self.log_path = log_path
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base + "/v1"

    def start(self) -> LlamaServer:
        if not self.model_path.is_file():
            raise RuntimeError(f"Modelldatei fehlt: {self.model_path} (erst `make llm-model`)")
        self.port = free_port()
        cmd = [
            sys.executable, "-m", "tests.llm_server", "--model", str(self.model_path), "--port", str(self.port),
            "--alias", self.alias, "--threads", str(self.threads), "--context", str(self.context),
            "--seconds", str(int(self.startup_timeout) + 6 * 3600),
        ]  # fmt: skip
        log = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=root,
            start_new_session=True,
            preexec_fn=lambda: os.nice(10),  # only lowers the priority
        )
        if log is not subprocess.DEVNULL:
            log.close()  # type: ignore[union-attr]
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        end = time.monotonic() + self.startup_timeout
        while time.monotonic() < end:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"Der llama.cpp-Server endete beim Start (Exit-Code {self.proc.returncode}).")
            with contextlib.suppress(httpx.HTTPError):
                r = httpx.get(self.base + "/health", timeout=2.0, trust_env=False)
                if r.status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"Der llama.cpp-Server war nach {self.startup_timeout:.0f} s nicht bereit.")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def serve(model: Path, port: int, alias: str, threads: int, context: int, seconds: float) -> None:
    """Run the server in this process until ``seconds`` pass or SIGTERM/SIGINT arrives."""
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = str(model)
    params.model_alias = {alias}
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_ctx = context
    params.n_parallel = 1
    params.n_predict = 1024
    params.sampling.seed = 1234  # reproducible answers at the backends' low temperature
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.n_threads_http = 2
    params.warmup = False
    params.cache_ram_mib = 256
    params.ui = False
    server = xlc.Server(params)
    print(f"llama.cpp-Server bereit: {server.listening_address} (Modell {alias})", flush=True)
    stop = {"now": False}

    def handle(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    end = time.monotonic() + seconds
    while not stop["now"] and time.monotonic() < end:
        time.sleep(0.5)
    os._exit(0)  # the server's threads do not end on their own


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.llm_server")
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--port", type=int, default=8012)
    p.add_argument("--alias", default="")
    p.add_argument("--threads", type=int, default=THREADS)
    p.add_argument("--context", type=int, default=CONTEXT)
    p.add_argument("--seconds", type=float, default=3600.0, help="stop after this many seconds")
    args = p.parse_args(argv)
    serve(args.model, args.port, args.alias or args.model.stem, args.threads, args.context, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
