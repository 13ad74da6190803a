#pragma once
// The fuzz targets' common entry point: libFuzzer's LLVMFuzzerTestOneInput.
// Built two ways: with libFuzzer proper (clang, KILN_FUZZ=ON, bench/fuzz.sh)
// and linked to replay_main.cpp, which runs the seed corpus and a fixed
// number of deterministic mutations of it (in make test, under the
// sanitizer build).

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
