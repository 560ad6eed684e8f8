#!/usr/bin/env bash
# Set everything up and serve the app with demo content on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false

python manage.py migrate --noinput
python manage.py seed_demo
python manage.py warm_marker  # item texts encoded once for the marker (idempotent, seconds)
exec python manage.py runserver "${REVISEWISE_ADDRESS:-127.0.0.1:8000}"
