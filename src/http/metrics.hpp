#pragma once
// Request counters and latency histograms by route and status, rendered in
// the Prometheus text format at /metrics. Thread-safe.

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace kiln::http {

class Metrics {
 public:
  void Observe(const std::string& route, const std::string& method, int status, double seconds);
  // Extra lines appended to the exposition (store pool gauges).
  void SetExtraSource(std::function<std::string()> source) { extra_ = std::move(source); }
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // GUARDED_BY(mutex_)
  std::map<std::string, Histogram> latency_;  // GUARDED_BY(mutex_)
  std::function<std::string()> extra_;
};

}  // namespace kiln::http
