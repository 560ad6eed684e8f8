#!/usr/bin/env bash
# Set up what the tests need, then run lint, types, the migration check and the whole suite,
# on SQLite and on PostgreSQL. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system_packages.sh
bash scripts/bootstrap.sh
bash scripts/llm_real.sh  # the real small model of the llm_real tests (docs/llm.md)
export PATH="$PWD/.venv/bin:$PATH"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false

echo "==> Lint (ruff)"
ruff check .
ruff format --check .
echo "==> Types (mypy)"
mypy .
echo "==> Migrations are complete and named"
python manage.py makemigrations --check --dry-run
if find revisewise -path '*/migrations/*_auto_*.py' | grep -q .; then
  echo "Auto-named migrations found:"; find revisewise -path '*/migrations/*_auto_*.py'; exit 1
fi

echo "==> Tests on SQLite"
pytest -p no:cacheprovider "$@"

echo "==> Tests on PostgreSQL"
if bash scripts/postgres.sh; then
  psql -h 127.0.0.1 -U postgres -d postgres -qtc "SELECT 1" >/dev/null
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/revisewise" \
    pytest -p no:cacheprovider -m "not browser" "$@"
else
  echo "SKIPPED the PostgreSQL leg: no server could be started (see above)."
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
