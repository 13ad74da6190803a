# The two commands: `make demo` and `make test`. Both install what is missing first.
.PHONY: demo test build deps bench clean

BUILD_DIR ?= build

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR)

demo: build
	bash scripts/demo.sh

test: deps
	bash scripts/test.sh

bench: build
	bash bench/http_bench.sh
	bash bench/ingest_bench.sh

clean:
	rm -rf $(BUILD_DIR) build-asan
