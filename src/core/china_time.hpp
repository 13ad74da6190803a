#pragma once
// Instants are UTC milliseconds since the Unix epoch. Calendar periods (days,
// months, quarters, years) are China Standard Time, UTC+8 with no daylight
// saving, so a CST calendar is UTC shifted by eight hours.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::core {

using UnixMillis = std::int64_t;

inline constexpr std::int64_t kChinaOffsetSeconds = 8 * 3600;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;  // 1..31
  bool operator==(const CivilDate&) const = default;
  auto operator<=>(const CivilDate&) const = default;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(std::int64_t days);

// Parses "YYYY-MM-DD", rejecting impossible dates such as 2026-02-30.
std::optional<CivilDate> ParseDate(std::string_view text);
std::string FormatDate(CivilDate date);

// The CST calendar date an instant falls on.
CivilDate ChinaDateOf(UnixMillis instant);
// The instant 00:00 CST of a date begins.
UnixMillis ChinaMidnight(CivilDate date);

// Parses ISO 8601 "YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)"; an offset is required
// so that no instant is ambiguous.
std::optional<UnixMillis> ParseInstant(std::string_view text);
// Formats as "YYYY-MM-DDThh:mm:ss.fffZ" (UTC).
std::string FormatInstantUtc(UnixMillis instant);
// Formats as "YYYY-MM-DDThh:mm:ss+08:00" (CST), for people and logs.
std::string FormatInstantChina(UnixMillis instant);

// The interface to "now", injected so that deadlines and expiries are testable.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixMillis Now() const override;
};

// A clock that only moves when told to. Not thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixMillis start) : now_(start) {}
  UnixMillis Now() const override { return now_; }
  void Advance(std::int64_t millis) { now_ += millis; }
  void Set(UnixMillis instant) { now_ = instant; }

 private:
  UnixMillis now_;
};

}  // namespace kiln::core
