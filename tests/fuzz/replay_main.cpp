// A driver for the fuzz targets without libFuzzer: runs every file of the
// given corpus directories, then `--runs N` deterministic mutations of them
// (byte flips, insertions of structural tokens, deletions, duplications,
// splices), and prints how many inputs ran. A crash or sanitizer report fails
// the run. For make test; bench/fuzz.sh runs the same targets under libFuzzer.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "fuzz_targets.hpp"

namespace {

std::string Mutate(std::string input, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  static const char* kTokens[] = {"[",
                                  "]",
                                  "{",
                                  "}",
                                  "\"",
                                  ",",
                                  ":",
                                  "\\",
                                  "0",
                                  "-1",
                                  "1e400",
                                  "null",
                                  "\xe4\xb8\xad",
                                  "\xff",
                                  "\r\n",
                                  "\x00",
                                  "PK\x03\x04",
                                  "<row r=\"9\">",
                                  "<c r=\"XFD1\">",
                                  "\x1f\x8b"};
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    std::size_t at = input.empty() ? 0 : rng() % (input.size() + 1);
    switch (rng() % 6) {
      case 0:
        if (!input.empty()) input[at % input.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1: {
        const char* t = kTokens[rng() % (sizeof(kTokens) / sizeof(kTokens[0]))];
        input.insert(at, t, std::max<std::size_t>(1, std::strlen(t)));
        break;
      }
      case 2:
        if (!input.empty()) input.erase(at % input.size(), 1 + rng() % 16);
        break;
      case 3:
        if (!input.empty()) {
          std::size_t from = rng() % input.size(), len = 1 + rng() % 64;
          input.insert(at, input.substr(from, len));
        }
        break;
      case 4: {
        const auto& other = corpus[rng() % corpus.size()];
        if (!other.empty()) input = input.substr(0, at) + other.substr(rng() % other.size());
        break;
      }
      default: input.insert(at, std::string(1 + rng() % 64, "[{\"a,1 "[rng() % 7]));
    }
  }
  return input.size() > (1u << 20) ? input.substr(0, 1u << 20) : input;
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::atol(argv[++i]);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::vector<std::filesystem::path> files;
      if (std::filesystem::is_directory(arg)) {
        for (const auto& entry : std::filesystem::directory_iterator(arg)) files.push_back(entry.path());
      } else {
        files.emplace_back(arg);
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        corpus.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      }
    }
  }
  if (corpus.empty()) corpus.emplace_back();
  long executed = 0;
  for (const auto& input : corpus) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    ++executed;
  }
  std::mt19937_64 rng(seed);
  for (long i = 0; i < runs; ++i) {
    auto input = Mutate(corpus[static_cast<std::size_t>(i) % corpus.size()], corpus, rng);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    ++executed;
  }
  std::printf("%s: %ld inputs, 0 crashes\n", argv[0], executed);
  return 0;
}
