"""Serve a GGUF model with llama.cpp's own server (the xllamacpp wheel) on a loopback port.

Run by the llm_real tests with the interpreter of var/llm-real/venv (scripts/llm_real.sh), not
the project's: it prints the server's address on one line, then serves until its standard input
closes. Usage: python real_llm_server.py MODEL.gguf
"""

from __future__ import annotations

import sys

import xllamacpp


def main(model: str) -> None:
    params = xllamacpp.CommonParams()
    params.model.path = model
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # any free port; the address printed below says which
    params.n_ctx = 4096
    params.n_parallel = 1
    # One thread: on two cores shared with other work, two threads spin against each other
    # (measured here: 8 tokens a second with two threads, 37 to 54 with one).
    params.cpuparams.n_threads = 1
    params.cpuparams_batch.n_threads = 1
    params.sampling.seed = 7
    server = xllamacpp.Server(params)
    print(server.listening_address, flush=True)
    sys.stdin.read()
    del server


if __name__ == "__main__":
    main(sys.argv[1])
