#pragma once
// Readings batches as an access-end sends them (row and column forms), posted signed
// (KILN-HMAC-SM3) to a Kiln platform. Not thread-safe: one client per thread.

#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/status.hpp"
#include "net/signed_client.hpp"

namespace kiln::sim {

struct Reading {
  std::string point;
  core::UnixMillis ts = 0;
  double value = 0;
};

// The row-form JSON body for readings (timestamps as epoch seconds).
std::string RowFormBody(const std::vector<Reading>& readings);
// The column form: runs of one point's readings `step_s` apart become one series; step_s 0 takes
// each run's step from its first two readings (points of different intervals in one batch).
std::string SeriesFormBody(const std::vector<Reading>& readings, std::int64_t step_s);

using net::PostResult;

// Posts readings batches with an access-end key (and, with Post, any signed JSON, e.g. a department
// key's records).
class IngestClient : public net::SignedClient {
 public:
  using net::SignedClient::SignedClient;
  core::Result<PostResult> PostReadings(const std::string& body) { return Post("/api/v1/readings", body); }
};

}  // namespace kiln::sim
