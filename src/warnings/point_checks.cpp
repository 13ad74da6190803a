#include "warnings/point_checks.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <fmt/format.h>

#include "warnings/messages.hpp"
#include "warnings/rules.hpp"

namespace kiln::warnings {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 86'400'000;

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  double m = *mid;
  if (v.size() % 2 == 0) m = (m + *std::max_element(v.begin(), mid)) / 2;
  return m;
}

double Round(double v, int digits) {
  double f = std::pow(10, digits);
  return std::round(v * f) / f;
}

class Checker {
 public:
  Checker(const storage::PointInfo& point, const std::vector<storage::HourSummary>& hours, core::UnixMillis window_from,
          const Thresholds& t, const PointReads& reads)
      : point_(point),
        hours_(hours),
        window_from_(window_from),
        t_(t),
        reads_(reads),
        interval_ms_(std::max<std::int64_t>(1, point.interval_s) * 1000) {}

  core::Result<std::vector<Finding>> Run() {
    Gaps();
    if (point_.kind == "instant") Flatlines();
    if (point_.kind == "register" || point_.kind == "interval") KILN_RETURN_IF_ERROR(Spikes());
    if (point_.kind == "register") KILN_RETURN_IF_ERROR(FlaggedIntervals());
    Drift();
    return std::move(out_);
  }

 private:
  Finding Base(std::string_view rule, const std::string& key_suffix, core::UnixMillis from,
               std::optional<core::UnixMillis> to) const {
    Finding f;
    f.rule = std::string(rule);
    f.severity = std::string(FindRule(rule)->severity);
    f.key = fmt::format("{}:p{}{}", rule, point_.id, key_suffix.empty() ? "" : ":" + key_suffix);
    f.enterprise_id = point_.enterprise_id;
    f.point_id = point_.id;
    f.region = point_.region;
    f.industry = point_.industry;
    f.from = from;
    f.to = to;
    return f;
  }

  void Gaps() {
    const double min_ms = std::max<double>(t_.Value("gap", "min_minutes") * 60'000.0, 2.0 * interval_ms_);
    for (size_t i = 1; i < hours_.size(); ++i) {
      const auto& a = hours_[i - 1];
      const auto& b = hours_[i];
      auto missing_ms = b.first_ts - a.last_ts - interval_ms_;
      if (missing_ms < min_ms) continue;
      auto from = a.last_ts + interval_ms_;
      if (b.first_ts < window_from_) continue;
      std::int64_t missing = (b.first_ts - a.last_ts) / interval_ms_ - 1;
      auto f = Base(rule::kGap, std::to_string(from), from, b.first_ts);
      f.message = zh::Gap(point_.code, from, b.first_ts, missing);
      f.evidence = {{"last_sample_before", core::FormatInstantUtc(a.last_ts)},
                    {"first_sample_after", core::FormatInstantUtc(b.first_ts)},
                    {"missing_samples", missing},
                    {"interval_s", point_.interval_s},
                    {"hours", Round(static_cast<double>(b.first_ts - from) / kHourMs, 2)},
                    {"thresholds", t_.Cite("gap")},
                    {"links", {PointLink(point_.id, a.last_ts - kHourMs, b.first_ts + kHourMs)}}};
      out_.push_back(std::move(f));
    }
  }

  void Flatlines() {
    const double min_hours = t_.Value("flatline", "min_hours");
    const double min_samples = t_.Value("flatline", "min_samples");
    size_t run_start = 0;
    std::int64_t samples = 0;
    auto close_run = [&](size_t end) {  // the run is hours_[run_start, end)
      if (end <= run_start) return;
      const auto& first = hours_[run_start];
      const auto& last = hours_[end - 1];
      double hours = static_cast<double>(last.last_ts - first.first_ts) / kHourMs;
      if (hours < min_hours || samples < min_samples || last.last_ts < window_from_) return;
      auto f = Base(rule::kFlatline, std::to_string(first.first_ts), first.first_ts, last.last_ts);
      f.message = zh::Flatline(point_.code, first.min, hours, samples);
      f.evidence = {{"value", first.min},
                    {"samples", samples},
                    {"hours", Round(hours, 2)},
                    {"thresholds", t_.Cite("flatline")},
                    {"links", {PointLink(point_.id, first.first_ts - kHourMs, last.last_ts + kHourMs)}}};
      out_.push_back(std::move(f));
    };
    bool in_run = false;
    for (size_t i = 0; i < hours_.size(); ++i) {
      const auto& h = hours_[i];
      bool flat = h.min == h.max;
      bool continues = in_run && flat && h.min == hours_[run_start].min && h.start == hours_[i - 1].start + kHourMs;
      if (continues) {
        samples += h.count;
        continue;
      }
      if (in_run) close_run(i);
      in_run = flat;
      run_start = i;
      samples = flat ? h.count : 0;
    }
    if (in_run) close_run(hours_.size());
  }

  // The amounts of the hour's intervals (registers) or samples (interval points), with their spans.
  core::Result<std::vector<core::ConsumptionInterval>> Parts(core::UnixMillis hour) const {
    if (point_.kind == "register") return reads_.intervals(point_.id, hour, hour + kHourMs);
    auto readings = reads_.readings(point_.id, hour, hour + kHourMs);
    if (!readings.ok()) return readings.status();
    std::vector<core::ConsumptionInterval> out;
    for (const auto& r : *readings) out.push_back({r.ts, r.ts + interval_ms_, r.value, core::kFlagNone});
    return out;
  }

  core::Status Spikes() {
    const int profile_days = static_cast<int>(t_.Value("spike", "profile_days"));
    const double k = t_.Value("spike", "robust_k");
    const double min_ratio = t_.Value("spike", "min_ratio");
    const double factor = t_.Value("spike", "interval_factor");
    auto index_of = [&](core::UnixMillis start) -> const storage::HourSummary* {
      auto it = std::lower_bound(hours_.begin(), hours_.end(), start,
                                 [](const storage::HourSummary& h, core::UnixMillis s) { return h.start < s; });
      return it != hours_.end() && it->start == start ? &*it : nullptr;
    };
    auto complete = [](const storage::HourSummary& h) { return h.expected > 0 && h.count * 2 >= h.expected; };
    for (const auto& h : hours_) {
      if (h.start + kHourMs <= window_from_ || h.sum <= 0) continue;
      std::vector<double> profile;
      for (int d = 1; d <= profile_days; ++d) {
        const auto* p = index_of(h.start - d * kDayMs);
        if (p && complete(*p)) profile.push_back(p->sum);
      }
      if (profile.size() < 5) continue;
      double m = Median(profile);
      std::vector<double> deviations;
      deviations.reserve(profile.size());
      for (double v : profile) deviations.push_back(std::fabs(v - m));
      double sigma = 1.4826 * Median(deviations);
      if (h.sum <= m + k * std::max(sigma, 0.05 * m) || h.sum <= min_ratio * m) continue;
      // The interval is judged against its surroundings: the other intervals of the hour and the
      // hours before and after (a load that rose stays up; a spike is one interval), and the
      // same hour of day's level. The hour after must be in, or the rise may be the load's.
      const auto* before = index_of(h.start - kHourMs);
      const auto* after = index_of(h.start + kHourMs);
      if (!after) continue;
      auto per_interval = [](const storage::HourSummary* x) {
        return x && x->count > 0 ? x->sum / static_cast<double>(x->count) : 0.0;
      };
      double per_hour = std::max(1.0, static_cast<double>(kHourMs) / static_cast<double>(interval_ms_));
      auto parts = Parts(h.start);
      if (!parts.ok()) return parts.status();
      const core::ConsumptionInterval* peak = nullptr;
      for (const auto& part : *parts) {
        if (!part.amount || !part.counted()) continue;
        if (!peak || *part.amount > *peak->amount) peak = &part;
      }
      if (!peak) continue;
      std::vector<double> others;
      for (const auto& part : *parts) {
        if (&part != peak && part.amount && part.counted()) others.push_back(*part.amount);
      }
      double local = std::max({others.size() >= 2 ? Median(others) : 0.0, per_interval(before), per_interval(after)});
      double typical = std::max(local, m / per_hour);
      if (typical <= 0) continue;
      double amount = *peak->amount;
      if (amount < factor * typical || peak->end < window_from_) continue;
      auto f = Base(rule::kSpike, std::to_string(peak->start), peak->start, peak->end);
      f.message = zh::Spike(point_.code, peak->start, amount, typical);
      f.evidence = {{"amount", Round(amount, 3)},
                    {"typical_interval", Round(typical, 3)},
                    {"ratio", Round(amount / typical, 1)},
                    {"hour_amount", Round(h.sum, 3)},
                    {"profile_median", Round(m, 3)},
                    {"profile_sigma", Round(sigma, 3)},
                    {"profile_days", profile.size()},
                    {"thresholds", t_.Cite("spike")},
                    {"links", {PointLink(point_.id, h.start - 3 * kHourMs, h.start + 4 * kHourMs)}}};
      out_.push_back(std::move(f));
    }
    return {};
  }

  // The point's usual amount an interval: the median over its hours with nothing flagged.
  double TypicalInterval() const {
    std::vector<double> per_interval;
    for (const auto& h : hours_) {
      if (h.count > 0 && h.flagged == 0) per_interval.push_back(h.sum / static_cast<double>(h.count));
    }
    return per_interval.empty() ? 0 : Median(per_interval);
  }

  core::Status FlaggedIntervals() {
    const double factor = t_.Value("spike", "interval_factor");
    std::optional<double> typical;
    for (const auto& h : hours_) {
      if (h.flagged == 0 || h.start + kHourMs <= window_from_) continue;
      auto intervals = reads_.intervals(point_.id, h.start, h.start + kHourMs);
      if (!intervals.ok()) return intervals.status();
      for (const auto& iv : *intervals) {
        if (iv.end < window_from_) continue;
        // A register that fell from near its top to near zero reads as a wrap; a wrap of many times
        // the point's usual interval, without a declared maximum rate to rule it out, is a new meter.
        bool implausible_wrap = false;
        if ((iv.flags & core::kFlagRollover) && iv.amount) {
          if (!typical) typical = TypicalInterval();
          // Per nominal interval: a wrap across a gap may carry the gap's use.
          double intervals = std::max(1.0, static_cast<double>(iv.end - iv.start) / static_cast<double>(interval_ms_));
          implausible_wrap = *typical > 0 && *iv.amount / intervals > factor * *typical;
        }
        if ((iv.flags & core::kFlagReset) || implausible_wrap) {
          auto around = reads_.readings(point_.id, iv.start, iv.end + 1);
          if (!around.ok()) return around.status();
          double before = 0, after = 0;
          for (const auto& r : *around) {
            if (r.ts == iv.start) before = r.value;
            if (r.ts == iv.end) after = r.value;
          }
          auto f = Base(rule::kRegisterReset, std::to_string(iv.end), iv.start, iv.end);
          f.message = zh::RegisterReset(point_.code, iv.end, before, after);
          f.evidence = {{"before", before},
                        {"after", after},
                        {"restarted_near_zero", before > 0 && after < before * 0.01},
                        {"links", {PointLink(point_.id, iv.start - 2 * kHourMs, iv.end + 2 * kHourMs)}}};
          if (implausible_wrap) {
            f.evidence["read_as_wrap_of"] = Round(*iv.amount, 3);
            f.evidence["typical_interval"] = Round(*typical, 3);
          }
          out_.push_back(std::move(f));
        } else if ((iv.flags & core::kFlagImpossible) && iv.amount && point_.max_rate) {
          auto f = Base(rule::kSpike, std::to_string(iv.start), iv.start, iv.end);
          f.message = zh::ImpossibleRate(point_.code, iv.start, *iv.amount, *point_.max_rate);
          f.evidence = {{"amount", Round(*iv.amount, 3)},
                        {"max_rate_per_hour", *point_.max_rate},
                        {"impossible", true},
                        {"links", {PointLink(point_.id, iv.start - 3 * kHourMs, iv.end + 3 * kHourMs)}}};
          out_.push_back(std::move(f));
        }
      }
    }
    return {};
  }

  // Signed distance of a sample time from the sampling grid, in ms.
  std::int64_t OffGrid(core::UnixMillis ts) const {
    auto off = ((ts % interval_ms_) + interval_ms_) % interval_ms_;
    return off * 2 > interval_ms_ ? off - interval_ms_ : off;
  }

  void Drift() {
    if (hours_.empty() || hours_.back().start + kHourMs <= window_from_) return;
    const double max_ms = t_.Value("timestamp_drift", "max_offset_s") * 1000;
    const auto min_hours = static_cast<size_t>(t_.Value("timestamp_drift", "min_hours"));
    size_t run = 0;
    std::vector<double> offsets;
    for (size_t i = hours_.size(); i-- > 0;) {
      const auto& h = hours_[i];
      auto a = OffGrid(h.first_ts), b = OffGrid(h.last_ts);
      if (std::llabs(a) <= max_ms || std::llabs(b) <= max_ms) break;
      if (run > 0 && hours_[i + 1].start - h.start > 2 * std::max(kHourMs, interval_ms_)) break;
      ++run;
      offsets.push_back(static_cast<double>(a) / 1000);
    }
    if (run < std::max<size_t>(1, min_hours)) return;
    const auto& first = hours_[hours_.size() - run];
    double offset = Median(offsets);
    auto f = Base(rule::kTimestampDrift, "", first.first_ts, std::nullopt);
    f.message = zh::TimestampDrift(point_.code, offset, static_cast<int>(run));
    f.evidence = {{"offset_s", Round(offset, 1)},
                  {"hours", run},
                  {"interval_s", point_.interval_s},
                  {"thresholds", t_.Cite("timestamp_drift")},
                  {"links", {PointLink(point_.id, hours_.back().start, hours_.back().start + kHourMs)}}};
    out_.push_back(std::move(f));
  }

  const storage::PointInfo& point_;
  const std::vector<storage::HourSummary>& hours_;
  const core::UnixMillis window_from_;
  const Thresholds& t_;
  const PointReads& reads_;
  const std::int64_t interval_ms_;
  std::vector<Finding> out_;
};

}  // namespace

nlohmann::json Link(const std::string& label, const std::string& href) { return {{"label", label}, {"href", href}}; }

nlohmann::json PointLink(std::int64_t point_id, core::UnixMillis from, core::UnixMillis to) {
  return Link("读数曲线", fmt::format("/points/{}?from={}&to={}", point_id, core::FormatInstantUtc(from),
                                      core::FormatInstantUtc(to)));
}

core::UnixMillis ProfileSpan(const Thresholds& thresholds) {
  return static_cast<core::UnixMillis>(thresholds.Value("spike", "profile_days") + 1) * kDayMs;
}

core::Result<std::vector<Finding>> CheckPoint(const storage::PointInfo& point,
                                              const std::vector<storage::HourSummary>& hours,
                                              core::UnixMillis window_from, const Thresholds& thresholds,
                                              const PointReads& reads) {
  return Checker(point, hours, window_from, thresholds, reads).Run();
}

}  // namespace kiln::warnings
