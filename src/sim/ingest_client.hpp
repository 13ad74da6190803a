#pragma once
// A small HTTP/1.1 client that posts signed readings batches
// (KILN-HMAC-SM3) to a Kiln platform, keeping the connection alive and
// reconnecting after errors. Not thread-safe: one client per thread.

#include <memory>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"

namespace kiln::sim {

struct Reading {
  std::string point;
  core::UnixMillis ts = 0;
  double value = 0;
};

// The row-form JSON body for readings (timestamps as epoch seconds).
std::string RowFormBody(const std::vector<Reading>& readings);
// The column form: runs of one point's readings `step_s` apart become one series.
std::string SeriesFormBody(const std::vector<Reading>& readings, std::int64_t step_s);

struct PostResult {
  int status = 0;
  std::string body;
};

class IngestClient {
 public:
  IngestClient(std::string host, int port, std::string key_id, std::string secret);
  ~IngestClient();
  core::Result<PostResult> PostReadings(const std::string& body);
  // Any signed JSON POST, e.g. a department key's records.
  core::Result<PostResult> Post(const std::string& path, const std::string& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::sim
