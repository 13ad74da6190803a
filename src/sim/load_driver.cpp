#include "sim/load_driver.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fmt/format.h>
#include <mutex>
#include <thread>

#include "core/china_time.hpp"
#include "sim/ingest_client.hpp"

namespace kiln::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

struct Target {
  std::string host;
  int port = 80;
};

core::Result<Target> ParseTarget(const std::string& url) {
  if (!url.starts_with("http://")) return core::Status::InvalidArgument("--target must be http://HOST:PORT");
  auto rest = url.substr(7);
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  auto colon = rest.rfind(':');
  if (colon == std::string::npos) return Target{rest, 80};
  return Target{rest.substr(0, colon), std::atoi(rest.substr(colon + 1).c_str())};
}

// Posts InfluxDB line protocol; one connection, kept alive.
class InfluxClient {
 public:
  explicit InfluxClient(Target t) : target_(std::move(t)) {}
  core::Result<int> Write(const std::string& lines) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!stream_) {
          asio::ip::tcp::resolver resolver(ioc_);
          stream_.emplace(ioc_);
          stream_->connect(resolver.resolve(target_.host, std::to_string(target_.port)));
        }
        bhttp::request<bhttp::string_body> req(bhttp::verb::post, "/write?db=kiln&precision=s", 11);
        req.set(bhttp::field::host, target_.host);
        req.keep_alive(true);
        req.body() = lines;
        req.prepare_payload();
        bhttp::write(*stream_, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(*stream_, buffer_, res);
        return static_cast<int>(res.result_int());
      } catch (const std::exception& e) {
        stream_.reset();
        if (attempt == 1) return core::Status::Unavailable(e.what());
      }
    }
    return core::Status::Unavailable("influx write failed");
  }

 private:
  Target target_;
  asio::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

}  // namespace

std::string SimPointCode(const std::string& prefix, int i) { return fmt::format("{}{:06}", prefix, i); }

core::Result<LoadReport> RunLoad(const LoadOptions& o) {
  auto target = ParseTarget(o.target);
  if (!target.ok()) return target.status();
  if (o.points < o.connections) return core::Status::InvalidArgument("--points must be at least --connections");
  std::int64_t start_s = o.start_unix_s;
  if (start_s == 0) {
    start_s = core::SystemClock().Now() / 1000 - 400LL * 86400;
    start_s -= start_s % o.step_s;
  }
  std::atomic<std::int64_t> readings{0}, batches{0}, refused{0}, failed{0};
  std::mutex latency_mutex;
  std::vector<double> latencies;  // GUARDED_BY(latency_mutex)
  auto begin = std::chrono::steady_clock::now();
  auto deadline = begin + std::chrono::duration<double>(o.duration_s);
  double per_connection_rate = o.rate > 0 ? o.rate / o.connections : 0;

  auto worker = [&](int c) {
    int first = 1 + c * o.points / o.connections, last = (c + 1) * o.points / o.connections;  // inclusive
    int count = last - first + 1;
    int points_per_batch = std::max(1, std::min(count, o.batch / std::max(1, o.steps_per_batch)));
    int steps = std::max(1, o.batch / points_per_batch);
    std::optional<IngestClient> client;
    std::optional<InfluxClient> influx;
    if (o.influx)
      influx.emplace(*target);
    else
      client.emplace(target->host, target->port, o.key_id, o.secret);
    std::int64_t step_index = 0;
    int cursor = 0;  // next point offset within this connection's range
    std::int64_t sent_here = 0;
    auto started = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() < deadline) {
      std::vector<Reading> batch;
      std::string lines;
      for (int p = 0; p < points_per_batch; ++p) {
        int point = first + (cursor + p) % count;
        for (int s = 0; s < steps; ++s) {
          std::int64_t ts_s = start_s + (step_index + s) * o.step_s;
          double value = static_cast<double>((step_index + s) * 10 + point % 7);
          if (o.influx) {
            fmt::format_to(std::back_inserter(lines), "readings,point={} v={} {}\n", SimPointCode(o.code_prefix, point),
                           value, ts_s);
          } else {
            batch.push_back({SimPointCode(o.code_prefix, point), ts_s * 1000, value});
          }
        }
      }
      cursor += points_per_batch;
      if (cursor >= count) {
        cursor = 0;
        step_index += steps;
      }
      std::int64_t n =
          o.influx ? static_cast<std::int64_t>(points_per_batch) * steps : static_cast<std::int64_t>(batch.size());
      auto t0 = std::chrono::steady_clock::now();
      int status = 0;
      if (o.influx) {
        auto r = influx->Write(lines);
        status = r.ok() ? *r : -1;
      } else {
        auto r = client->PostReadings(o.series ? SeriesFormBody(batch, o.step_s) : RowFormBody(batch));
        status = r.ok() ? r->status : -1;
      }
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (status == 200 || status == 204) {
        readings += n;
        ++batches;
        sent_here += n;
        std::lock_guard lock(latency_mutex);
        latencies.push_back(ms);
      } else if (status == 503) {
        ++refused;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      } else {
        ++failed;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (per_connection_rate > 0) {  // pace to the requested rate
        auto due = started + std::chrono::duration<double>(static_cast<double>(sent_here) / per_connection_rate);
        std::this_thread::sleep_until(std::min(due, deadline));
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(o.connections));
  for (int c = 0; c < o.connections; ++c) threads.emplace_back(worker, c);
  for (auto& t : threads) t.join();
  LoadReport report;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  report.readings = readings;
  report.batches = batches;
  report.refused = refused;
  report.failed = failed;
  if (!latencies.empty()) {
    std::sort(latencies.begin(), latencies.end());
    report.p50_ms = latencies[latencies.size() / 2];
    report.p95_ms = latencies[std::min(latencies.size() - 1, latencies.size() * 95 / 100)];
    report.max_ms = latencies.back();
  }
  return report;
}

}  // namespace kiln::sim
