#include "storage/reading_block.hpp"

#include "core/varint.hpp"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace kiln::storage {
namespace {

// Format 2: varints for times, batches and flags; values as 8-byte doubles;
// the common cases (quality "N", an interval to the next reading of the same
// block whose amount is the plain difference) cost one flag bit each.
constexpr std::uint8_t kFormat = 2;
constexpr std::uint8_t kHasInterval = 1, kHasAmount = 2, kQualityN = 4, kToNext = 8;

using core::PutDouble;
using core::PutVarint;
using core::UnZigZag;
using core::ZigZag;
using Reader = core::ByteReader;

}  // namespace

std::string EncodeBlock(const std::vector<BlockReading>& readings) {
  std::string out;
  out.reserve(16 + readings.size() * 16);
  out.push_back(static_cast<char>(kFormat));
  PutVarint(out, readings.size());
  if (readings.empty()) return out;
  const auto base_ts = readings.front().ts;
  const auto base_batch = readings.front().batch_id;
  PutVarint(out, ZigZag(base_ts));
  PutVarint(out, ZigZag(base_batch));
  auto previous_ts = base_ts;
  for (size_t i = 0; i < readings.size(); ++i) {
    const auto& r = readings[i];
    const BlockReading* next = i + 1 < readings.size() ? &readings[i + 1] : nullptr;
    std::uint8_t flags = r.quality == "N" ? kQualityN : 0;
    if (r.outgoing) {
      flags |= kHasInterval;
      if (r.outgoing->amount) flags |= kHasAmount;
      if (next && r.outgoing->end == next->ts && r.outgoing->amount && *r.outgoing->amount == next->value - r.value) {
        flags |= kToNext;
      }
    }
    PutVarint(out, static_cast<std::uint64_t>(r.ts - previous_ts));
    previous_ts = r.ts;
    PutDouble(out, r.value);
    PutVarint(out, ZigZag(r.batch_id - base_batch));
    out.push_back(static_cast<char>(flags));
    if (!(flags & kQualityN)) {
      auto n = std::min<std::size_t>(r.quality.size(), 255);
      PutVarint(out, n);
      out.append(r.quality.data(), n);
    }
    if (flags & kHasInterval) {
      if (!(flags & kToNext)) {
        PutVarint(out, ZigZag(r.outgoing->end - r.ts));
        if (flags & kHasAmount) PutDouble(out, *r.outgoing->amount);
      }
      PutVarint(out, r.outgoing->flags);
    }
  }
  return out;
}

core::Result<std::vector<BlockReading>> DecodeBlock(std::string_view bytes) {
  Reader in(bytes);
  std::uint8_t format = 0;
  std::uint64_t count = 0;
  if (!in.Byte(format) || format != kFormat) {
    return core::Status::Internal(fmt::format("reading block: unknown format {}", format));
  }
  if (!in.Varint(count) || count > bytes.size()) return core::Status::Internal("reading block: bad count");
  std::vector<BlockReading> out(count);
  if (count == 0) return out;
  std::uint64_t base_ts = 0, base_batch = 0;
  if (!in.Varint(base_ts) || !in.Varint(base_batch)) return core::Status::Internal("reading block: truncated header");
  auto ts = UnZigZag(base_ts);
  std::vector<bool> to_next(count, false);
  for (size_t i = 0; i < count; ++i) {
    auto& r = out[i];
    std::uint64_t delta = 0, batch = 0;
    std::uint8_t flags = 0;
    if (!in.Varint(delta) || !in.Double(r.value) || !in.Varint(batch) || !in.Byte(flags)) {
      return core::Status::Internal("reading block: truncated");
    }
    ts += static_cast<std::int64_t>(delta);
    r.ts = ts;
    r.batch_id = UnZigZag(base_batch) + UnZigZag(batch);
    if (flags & kQualityN) {
      r.quality = "N";
    } else {
      std::uint64_t n = 0;
      if (!in.Varint(n) || n > 255 || !in.Text(n, r.quality))
        return core::Status::Internal("reading block: truncated quality");
    }
    if (flags & kHasInterval) {
      core::ConsumptionInterval iv;
      iv.start = r.ts;
      if (flags & kToNext) {
        if (i + 1 == count)
          return core::Status::Internal("reading block: interval to a next reading that is not there");
        to_next[i] = true;
      } else {
        std::uint64_t span = 0;
        if (!in.Varint(span)) return core::Status::Internal("reading block: truncated interval");
        iv.end = r.ts + UnZigZag(span);
        double amount = 0;
        if ((flags & kHasAmount) && !in.Double(amount))
          return core::Status::Internal("reading block: truncated interval");
        if (flags & kHasAmount) iv.amount = amount;
      }
      std::uint64_t iv_flags = 0;
      if (!in.Varint(iv_flags)) return core::Status::Internal("reading block: truncated interval");
      iv.flags = static_cast<std::uint32_t>(iv_flags);
      r.outgoing = iv;
    }
  }
  for (size_t i = 0; i + 1 < count; ++i) {
    if (!to_next[i]) continue;
    out[i].outgoing->end = out[i + 1].ts;
    out[i].outgoing->amount = out[i + 1].value - out[i].value;
  }
  if (!in.done()) return core::Status::Internal("reading block: trailing bytes");
  return out;
}

}  // namespace kiln::storage
