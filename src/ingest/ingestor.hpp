#pragma once
// Turns decoded batches into durable meter data: raw readings (idempotent on
// point + time; a changed value keeps the old one as a revision), the
// register intervals derived from them (core/consumption.hpp) and the
// point's hour, day and month rollups (CST).
//
// Two paths. The in-order path, taken when every reading of a group of
// batches is newer than anything its point has (meters sending as they
// measure): the batch is recorded and its readings journaled in one small
// transaction, which is when it is acknowledged; the readings are derived in
// memory (live_points.hpp) and written into blocks and rollups later, many
// batches at a time, by Materialise. The full path, for late, repeated or
// revised readings: everything pending is materialised first, then the
// readings are merged into their blocks and the affected intervals and
// rollups recomputed from the store (DerivePoint), in the acknowledging
// transaction. Both give the same figures, and so does a rebuild.
//
// A crash loses nothing acknowledged: Recover replays the journal at start.
//
// Several nodes on one PostgreSQL (SetCluster): an enterprise's meter data is
// written by the node that owns it (node_registry.hpp). Each write and each
// materialisation checks, with the owner rows locked, that this node still
// owns what it writes; a batch for an enterprise another live node owns
// waits for a hand-over (AwaitOwnership); ClusterTick hands enterprises over
// on request and takes over those of dead nodes with their journal.
//
// Thread-safety: one thread at a time (the ingest writer); pending() may be
// read from any thread.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/batch_decoder.hpp"
#include "ingest/live_points.hpp"
#include "ingest/node_registry.hpp"
#include "storage/store.hpp"

namespace kiln::ingest {

struct BatchSource {
  std::string key_id;  // machine key that signed the batch
  std::int64_t enterprise_id = 0;
  std::string nonce;  // the signed request's nonce, stored with the batch; empty for trusted callers
};

struct IngestSummary {
  std::int64_t batch_id = 0;
  int accepted = 0;  // new readings stored
  int duplicates = 0;  // identical re-sends, no change
  int revised = 0;  // changed values; the old ones kept as revisions
  std::vector<Rejection> rejected;
};

// The answer to a batch, the same over HTTP and MQTT:
// {"batch":n,"accepted":n,"duplicates":d,"revised":r,"rejected":[{"index":i,"offset":k?,"code":…,"message":…}]}
nlohmann::json IngestSummaryJson(const IngestSummary& summary);

struct IngestOptions {
  // Readings further in the future than this are refused (clock errors at the source).
  std::int64_t max_future_ms = 5 * 60 * 1000;
};

// The enterprise and county x industry totals that derived data has made stale.
// Collected over a whole transaction and refreshed once each: a batch touches
// thousands of points of one enterprise, and each refresh sums all of them.
class StaleTotals {
 public:
  void Add(const storage::PointInfo& point, const std::set<core::UnixMillis>& days,
           const std::set<core::UnixMillis>& months);
  core::Status Refresh(storage::MeterWriteTx& tx) const;
  // Every point written, with the first and last day (CST day start) it touched.
  const std::map<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>>& touched() const { return touched_; }

 private:
  std::map<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>> touched_;
  std::set<std::tuple<std::int64_t, std::string, storage::RollupPeriod, core::UnixMillis>> enterprise_;
  std::set<std::tuple<std::string, std::string, std::string, core::UnixMillis>> region_;
};

// The metering points of one enterprise by code, shared read-only.
struct PointTable {
  std::unordered_map<std::string, storage::PointInfo> by_code;
  std::uint64_t record_writes = 0;  // Store::RecordWrites when loaded
  std::chrono::steady_clock::time_point loaded_at;
};

// A batch checked against its enterprise's points, ready to write: valid rows
// sorted by point and time, without repeats.
struct PreparedBatch {
  BatchSource source;
  std::shared_ptr<const PointTable> points;  // owns the PointInfo the rows point to
  std::vector<std::pair<const storage::PointInfo*, RawReading>> rows;
  std::vector<Rejection> rejected;
  int repeated = 0;  // identical repeats of a point + time within the batch, counted as duplicates
};

class Ingestor {
 public:
  Ingestor(storage::Store& store, const core::Clock& clock, IngestOptions options = {});

  // Validates against the enterprise's metering points and writes the valid
  // readings. Answers only after the commit.
  core::Result<IngestSummary> Write(const BatchSource& source, DecodedBatch batch);

  // Checks a batch against the enterprise's metering points. Thread-safe, so
  // that request threads do it beside the writer.
  core::Result<PreparedBatch> Prepare(const BatchSource& source, DecodedBatch batch);

  // Writes several batches in one transaction (group commit). When the group
  // fails as a whole, each batch is retried alone so that one bad batch does
  // not fail the others. The commit is durable after SyncCommitted.
  std::vector<core::Result<IngestSummary>> WriteGroup(std::vector<core::Result<PreparedBatch>> group);

  // Makes every commit of WriteGroup so far durable; a batch is acknowledged
  // only after this (one disk sync serves all the groups committed before it).
  core::Status SyncCommitted() { return store_.SyncCommitted(); }

  // Writes the acknowledged, journaled readings into blocks and rollups and
  // clears their journal entries, in one transaction.
  core::Status Materialise();
  // Acknowledged readings not yet materialised.
  std::size_t pending() const { return pending_.load(std::memory_order_relaxed); }

  // Materialises what a previous process journaled and did not write (after a crash).
  core::Status Recover();

  // Recomputes every point's intervals and rollups from raw readings.
  core::Status RebuildAll(const std::function<void(std::size_t done, std::size_t total)>& progress);

  // Told, on the writer thread after each commit that wrote derived data, which
  // points it touched and on which days (the warnings evaluator's dirty set). Set before use.
  using WrittenObserver =
      std::function<void(const std::map<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>>&)>;
  void SetWrittenObserver(WrittenObserver observer) { written_observer_ = std::move(observer); }

  // Several nodes share the store; call before Recover. `nodes` outlives the Ingestor.
  void SetCluster(NodeRegistry* nodes) { nodes_ = nodes; }
  bool clustered() const { return nodes_ != nullptr; }
  // On a request thread, before a batch of the enterprise is queued: returns once
  // this node may claim the enterprise (asking its live owner for a hand-over and
  // waiting for it); kUnavailable ("handover") when the owner does not hand it over in time.
  core::Status AwaitOwnership(std::int64_t enterprise_id);
  // On the writer thread, often (every 100 ms): hands enterprises over on request; now and
  // then takes over the enterprises and journal of dead nodes.
  core::Status ClusterTick();

 private:
  using Prepared = PreparedBatch;
  // The enterprise's points, cached until a registry write (or, for writes by
  // another process, a few seconds) or until a code is not found.
  core::Result<std::shared_ptr<const PointTable>> Points(std::int64_t enterprise_id, bool reload);
  core::Result<IngestSummary> Apply(storage::MeterWriteTx& tx, const Prepared& prepared, StaleTotals& stale);
  // The in-order path for a whole group; false when some reading is not newer
  // than its point's newest (then nothing was written).
  core::Result<bool> WriteInOrder(const std::vector<std::optional<Prepared>>& prepared,
                                  std::vector<core::Result<IngestSummary>>& results);
  std::vector<core::Result<IngestSummary>> WriteFullPath(const std::vector<std::optional<Prepared>>& prepared,
                                                         std::vector<core::Result<IngestSummary>> results);

  // Cluster: whether this node owns an enterprise's meter data (cached), and claiming it.
  bool Owns(std::int64_t enterprise_id);
  void Disown(std::int64_t enterprise_id);
  // Claims the enterprise within `tx`: free or already ours, or taken over from a dead owner
  // with its journal entries (replayed into memory). kUnavailable when a live node owns it.
  core::Status ClaimIn(storage::MeterWriteTx& tx, std::int64_t enterprise_id, std::int64_t& claimed_seq);
  // Claims, each in its own transaction, the enterprises of `prepared` this node does not
  // own; batches of those it cannot claim are answered `results` errors and dropped.
  void ClaimForGroup(std::vector<std::optional<Prepared>>& prepared, std::vector<core::Result<IngestSummary>>& results);
  // Within a write: kUnavailable ("ownership_moved") when another node owns one of them now.
  core::Status VerifyOwned(storage::MeterWriteTx& tx, const std::set<std::int64_t>& enterprises);
  void DropLost();
  // Appends journal entries' readings newer than their points hold to the in-memory state;
  // returns the highest sequence number replayed and adds to `replayed`.
  core::Result<std::int64_t> Replay(storage::MeterWriteTx& tx, const std::vector<storage::JournalEntry>& entries,
                                    const std::map<std::int64_t, const storage::PointInfo*>& points,
                                    std::size_t& replayed);
  core::Status ServeHandovers();
  core::Status TakeOverDead();
  const std::string& node() const;
  void Notify(const StaleTotals& stale) const {
    if (written_observer_ && !stale.touched().empty()) written_observer_(stale.touched());
  }

  storage::Store& store_;
  const core::Clock& clock_;
  IngestOptions options_;
  NodeRegistry* nodes_ = nullptr;  // null: the only node
  WrittenObserver written_observer_;
  std::mutex owned_mutex_;
  std::set<std::int64_t> owned_;  // GUARDED_BY(owned_mutex_)
  std::set<std::int64_t> lost_;  // enterprises found owned elsewhere during a write (writer thread)
  int ticks_ = 0;  // writer thread
  std::mutex points_mutex_;
  std::map<std::int64_t, std::shared_ptr<const PointTable>> point_tables_;  // GUARDED_BY(points_mutex_)
  LivePoints live_;
  std::int64_t journal_seq_ = 0;  // the newest journal entry appended
  std::atomic<std::size_t> pending_{0};
};

// Recomputes a point's derived data for readings between `from` and `to`
// (inclusive): register intervals around them and every rollup they touch;
// the totals this makes stale are added to `stale`.
core::Status DerivePoint(storage::MeterWriteTx& tx, const storage::PointInfo& point, core::UnixMillis from,
                         core::UnixMillis to, StaleTotals& stale);

}  // namespace kiln::ingest
