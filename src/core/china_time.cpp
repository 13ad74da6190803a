#include "core/china_time.hpp"

#include <charconv>
#include <chrono>
#include <fmt/format.h>

namespace kiln::core {
namespace {

constexpr std::int64_t kMillisPerDay = 86'400'000;

bool ParseDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

// Howard Hinnant's days_from_civil.
std::int64_t DaysFromCivil(CivilDate d) {
  std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  std::int64_t era = FloorDiv(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (d.month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  std::int64_t era = FloorDiv(z, 146097);
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

std::optional<CivilDate> ParseDate(std::string_view text) {
  CivilDate d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!ParseDigits(text, 0, 4, d.year) || !ParseDigits(text, 5, 2, d.month) || !ParseDigits(text, 8, 2, d.day)) {
    return std::nullopt;
  }
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return std::nullopt;
  return d;
}

std::string FormatDate(CivilDate d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

CivilDate ChinaDateOf(UnixMillis instant) {
  return CivilFromDays(FloorDiv(instant + kChinaOffsetSeconds * 1000, kMillisPerDay));
}

UnixMillis ChinaMidnight(CivilDate date) { return DaysFromCivil(date) * kMillisPerDay - kChinaOffsetSeconds * 1000; }

std::optional<UnixMillis> ParseInstant(std::string_view text) {
  if (text.size() < 20) return std::nullopt;
  auto date = ParseDate(text.substr(0, 10));
  if (!date || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  int hh, mm, ss;
  if (!ParseDigits(text, 11, 2, hh) || text[13] != ':' || !ParseDigits(text, 14, 2, mm) || text[16] != ':' ||
      !ParseDigits(text, 17, 2, ss)) {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  if (pos >= text.size()) return std::nullopt;
  std::int64_t offset_s = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh, om;
    if (!ParseDigits(text, pos + 1, 2, oh) || text.size() < pos + 6 || text[pos + 3] != ':' ||
        !ParseDigits(text, pos + 4, 2, om) || oh > 14 || om > 59) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  std::int64_t seconds = DaysFromCivil(*date) * 86400 + hh * 3600 + mm * 60 + ss - offset_s;
  return seconds * 1000 + millis;
}

namespace {
std::string FormatShifted(UnixMillis instant, std::int64_t offset_ms, bool with_millis, std::string_view suffix) {
  UnixMillis shifted = instant + offset_ms;
  std::int64_t days = FloorDiv(shifted, kMillisPerDay);
  std::int64_t in_day = shifted - days * kMillisPerDay;
  CivilDate d = CivilFromDays(days);
  int hh = static_cast<int>(in_day / 3'600'000);
  int mm = static_cast<int>(in_day / 60'000 % 60);
  int ss = static_cast<int>(in_day / 1000 % 60);
  int ms = static_cast<int>(in_day % 1000);
  if (with_millis) {
    return fmt::format("{}T{:02}:{:02}:{:02}.{:03}{}", FormatDate(d), hh, mm, ss, ms, suffix);
  }
  return fmt::format("{}T{:02}:{:02}:{:02}{}", FormatDate(d), hh, mm, ss, suffix);
}
}  // namespace

std::string FormatInstantUtc(UnixMillis instant) { return FormatShifted(instant, 0, true, "Z"); }

std::string FormatInstantChina(UnixMillis instant) {
  return FormatShifted(instant, kChinaOffsetSeconds * 1000, false, "+08:00");
}

UnixMillis SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace kiln::core
