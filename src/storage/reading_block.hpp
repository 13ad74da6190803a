#pragma once
// Raw readings are stored in blocks: one row per point and hour (CST and UTC
// hours coincide), holding every reading of that hour in time order with the
// register interval that starts at it. A batch of readings that arrives in
// time order (all meters at t, then t + 5 min) then rewrites a few hundred
// bytes per point instead of inserting one B-tree row per reading, which is
// what made per-reading rows slow in arrival order.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consumption.hpp"
#include "core/status.hpp"

namespace kiln::storage {

inline constexpr std::int64_t kBlockMs = 3'600'000;

inline core::UnixMillis BlockStart(core::UnixMillis ts) { return ts - (((ts % kBlockMs) + kBlockMs) % kBlockMs); }

struct BlockReading {
  core::UnixMillis ts = 0;
  double value = 0;
  std::string quality;
  std::int64_t batch_id = 0;  // the batch that stored this value
  // Registers: the interval from this reading to the next one, once the next one is known.
  std::optional<core::ConsumptionInterval> outgoing;
};

struct ReadingBlock {
  core::UnixMillis start = 0;  // BlockStart of every reading in it
  std::vector<BlockReading> readings;  // sorted by ts, unique ts
};

// A compact encoding (about 14 bytes per register reading); versioned by its first byte.
std::string EncodeBlock(const std::vector<BlockReading>& readings);
core::Result<std::vector<BlockReading>> DecodeBlock(std::string_view bytes);

}  // namespace kiln::storage
