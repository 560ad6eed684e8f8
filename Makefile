.PHONY: run test lock

# Set everything up and serve the app with demo content on http://127.0.0.1:8000.
run:
	bash scripts/run.sh

# Set up what the tests need; run lint, types, the migration check and the whole test suite.
test:
	bash scripts/test.sh

# Re-pin requirements.lock after changing requirements*.in (run inside a fresh .venv).
lock:
	.venv/bin/pip install -r requirements-dev.in
	.venv/bin/pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock
