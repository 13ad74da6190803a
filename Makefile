# The two commands: `make demo` and `make test`. Both install what is missing first.
.PHONY: demo test build web deps bench clean

BUILD_DIR ?= build

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR)

# The web console (Vue + Vite); npm ci installs exactly package-lock.json.
web: deps
	cd web && npm ci --no-audit --no-fund && npm run build

demo: build web
	bash scripts/demo.sh

test: deps
	bash scripts/test.sh

bench: build
	bash bench/http_bench.sh
	bash bench/ingest_bench.sh
	bash bench/query_bench.sh

clean:
	rm -rf $(BUILD_DIR) build-asan
