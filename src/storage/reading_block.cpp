#include "storage/reading_block.hpp"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace kiln::storage {
namespace {

constexpr std::uint8_t kFormat = 1;
constexpr std::uint8_t kHasInterval = 1, kHasAmount = 2;

template <typename T>
void Put(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T& v) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetText(std::size_t n, std::string& v) {
    if (bytes_.size() - pos_ < n) return false;
    v.assign(bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string EncodeBlock(const std::vector<BlockReading>& readings) {
  std::string out;
  out.reserve(8 + readings.size() * 48);
  Put<std::uint8_t>(out, kFormat);
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(readings.size()));
  for (const auto& r : readings) {
    Put<std::int64_t>(out, r.ts);
    Put<double>(out, r.value);
    Put<std::int64_t>(out, r.batch_id);
    auto quality_size = static_cast<std::uint8_t>(std::min<std::size_t>(r.quality.size(), 255));
    Put<std::uint8_t>(out, quality_size);
    out.append(r.quality.data(), quality_size);
    std::uint8_t flags = r.outgoing ? kHasInterval | (r.outgoing->amount ? kHasAmount : 0) : 0;
    Put<std::uint8_t>(out, flags);
    if (r.outgoing) {
      Put<std::int64_t>(out, r.outgoing->end);
      if (r.outgoing->amount) Put<double>(out, *r.outgoing->amount);
      Put<std::uint32_t>(out, r.outgoing->flags);
    }
  }
  return out;
}

core::Result<std::vector<BlockReading>> DecodeBlock(std::string_view bytes) {
  Reader in(bytes);
  std::uint8_t format = 0;
  std::uint32_t count = 0;
  if (!in.Get(format) || format != kFormat) {
    return core::Status::Internal(fmt::format("reading block: unknown format {}", format));
  }
  if (!in.Get(count) || count > bytes.size()) return core::Status::Internal("reading block: bad count");
  std::vector<BlockReading> out(count);
  for (auto& r : out) {
    std::uint8_t quality_size = 0, flags = 0;
    if (!in.Get(r.ts) || !in.Get(r.value) || !in.Get(r.batch_id) || !in.Get(quality_size) ||
        !in.GetText(quality_size, r.quality) || !in.Get(flags)) {
      return core::Status::Internal("reading block: truncated");
    }
    if (flags & kHasInterval) {
      core::ConsumptionInterval iv;
      iv.start = r.ts;
      double amount = 0;
      if (!in.Get(iv.end) || ((flags & kHasAmount) && !in.Get(amount)) || !in.Get(iv.flags)) {
        return core::Status::Internal("reading block: truncated interval");
      }
      if (flags & kHasAmount) iv.amount = amount;
      r.outgoing = iv;
    }
  }
  if (!in.done()) return core::Status::Internal("reading block: trailing bytes");
  return out;
}

}  // namespace kiln::storage
