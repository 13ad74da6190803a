// Meter batches as they arrive: gzip inflation, then the row or column form.
#include <cmath>
#include <string_view>

#include "fuzz_targets.hpp"
#include "ingest/batch_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto inflated = kiln::ingest::Gunzip(bytes, 1 << 20);
  (void)inflated;
  auto batch = kiln::ingest::DecodeBatch(bytes, {.max_rows = 10'000});
  if (batch.ok()) {
    // What is accepted names a point and holds a finite value; nothing beyond the limit.
    if (batch->readings.size() > 10'000) __builtin_trap();
    for (const auto& r : batch->readings) {
      if (r.point.empty() || !std::isfinite(r.value)) __builtin_trap();
    }
  }
  return 0;
}
