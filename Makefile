# The two commands: `make demo` and `make test`. Both install what is missing first.
# Test tiers (scripts/test.sh): test-lint, test-unit, test-api, test-e2e, test-fuzz; make test runs all of
# them and the sanitizer build; test-long (long fuzzing) is not in CI: run it before resolving an issue.
.PHONY: demo test test-lint test-unit test-api test-e2e test-fuzz test-long build web deps bench clean

deps:
	bash scripts/install-deps.sh

build: deps
	bash scripts/build.sh release

# The web console (Vue + Vite); npm ci installs exactly package-lock.json.
web: deps
	cd web && npm ci --no-audit --no-fund && npm run build

demo: build web
	bash scripts/demo.sh

test: deps
	bash scripts/test.sh

test-lint: deps
	bash scripts/test.sh lint

test-unit: deps
	bash scripts/test.sh unit

test-api: deps
	bash scripts/test.sh api

test-e2e: deps
	bash scripts/test.sh e2e

test-fuzz: deps
	bash scripts/test.sh fuzz

test-long: deps
	bash scripts/test.sh long

bench: build
	bash bench/http_bench.sh
	bash bench/ingest_bench.sh
	bash bench/query_bench.sh

clean:
	rm -rf build build-asan build-fuzz
