#pragma once
// Meter data in the store: machine keys and nonces for signed uploads, raw
// readings with their revisions, register intervals derived from them, and
// per-point hour/day/month rollups. The rules that derive intervals and
// rollups live in the ingest module; this interface only gives it the rows,
// inside one write transaction so that readings and everything derived from
// them commit together.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "core/china_time.hpp"
#include "core/consumption.hpp"
#include "core/status.hpp"
#include "storage/reading_block.hpp"

namespace kiln::storage {

struct MachineKey {
  std::string key_id;
  std::int64_t enterprise_id = 0;
  std::string secret;  // hex; the HMAC key
  core::UnixMillis created_at = 0;
  std::string created_by;
  bool revoked = false;
};

// What ingest needs to know about a metering point.
struct PointInfo {
  std::int64_t id = 0;
  std::int64_t enterprise_id = 0;
  std::string code, kind, measures, unit;  // kind: register / interval / instant
  std::int64_t interval_s = 900;
  std::optional<double> rollover;
  std::optional<double> max_rate;  // per hour; faster register intervals are impossible
  bool in_total = true;  // counts toward the enterprise's energy totals
  std::string region, industry;  // the enterprise's county and industry
};

// Energy (or output) totals for dashboards: one value per group and period.
struct EnergyQuery {
  // "region" (child regions of `region`), "industry", "enterprise", "energy_type", or
  // "enterprise_energy_type" (group "<enterprise id>:<energy type>")
  std::string group_by;
  std::string region_prefix;  // records whose county starts with this
  std::optional<std::int64_t> enterprise_id;  // only this enterprise (enterprise users)
  std::string industry;  // "" = all
  std::string energy_type;  // e.g. "electricity"; "" = every type
  std::string step;  // "day" or "month"
  core::UnixMillis from = 0, to = 0;  // period starts in [from, to)
  std::size_t group_key_length = 6;  // for group_by=region: 4 groups counties into cities, 2 into the province
};

struct PointCompleteness {
  std::int64_t point_id = 0, enterprise_id = 0;
  std::string enterprise_name, region, code, name, measures;
  std::int64_t interval_s = 0;
  std::int64_t received = 0, expected = 0;
};

struct EnterpriseDayCompleteness {
  std::int64_t enterprise_id = 0;
  std::int64_t received = 0, expected = 0;  // samples of all its points on the day
};

struct EnergyRow {
  std::string group;  // region code prefix (padded to 6 digits), industry code or enterprise id
  core::UnixMillis start = 0;
  double amount = 0;
};

struct StoredReading {
  core::UnixMillis ts = 0;
  double value = 0;
  std::string quality;
};

enum class ReadingWrite { kInserted, kDuplicate, kRevised };

// Aggregates of one point over one period (hour, day or month, CST). Hour
// rollups are kept in the row of the hour's block; there is one exactly when
// the hour has readings.
struct Rollup {
  core::UnixMillis start = 0;
  double sum = 0;  // counted consumption (registers), amounts (interval), values (instant)
  std::int64_t count = 0;  // samples received
  std::int64_t expected = 0;  // samples expected at the nominal interval
  double min = 0, max = 0, first = 0, last = 0;
  std::int64_t flagged = 0;  // intervals with a quality flag
};

enum class RollupPeriod { kHour, kDay, kMonth };

// An hour of one point with readings: its rollup and the times of its first and last reading.
struct HourSummary {
  core::UnixMillis start = 0, first_ts = 0, last_ts = 0;
  std::int64_t count = 0, expected = 0, flagged = 0;
  double sum = 0, min = 0, max = 0;
};

struct BatchCounts {
  int accepted = 0, duplicates = 0, revised = 0, rejected = 0;
};

// A batch acknowledged before its readings were written into blocks, by the
// node that acknowledged it (several kiln nodes may share one PostgreSQL).
struct JournalEntry {
  std::int64_t seq = 0, batch_id = 0;
  std::string rows;  // encoded by the ingest module
  std::string node;
  std::int64_t enterprise_id = 0;  // 0: written before entries named their enterprise
};

// A kiln node's last sign of life.
struct NodeBeat {
  std::string node;
  std::string instance;  // the process, random per start
  core::UnixMillis heartbeat_at = 0;
};
const char* RollupPeriodName(RollupPeriod period);

// Operations inside one write transaction. Not thread-safe; valid only
// inside the callback of MeterStore::WriteTransaction.
class MeterWriteTx {
 public:
  virtual ~MeterWriteTx() = default;
  virtual core::Result<std::int64_t> BeginBatch(const std::string& key_id, std::int64_t enterprise_id,
                                                core::UnixMillis received_at) = 0;
  virtual core::Status FinishBatch(std::int64_t batch_id, int accepted, int duplicates, int revised, int rejected) = 0;
  // Records a request's nonce with the batch it carried (kConflict when used before).
  virtual core::Status RememberNonce(const std::string& key_id, const std::string& nonce, core::UnixMillis at) = 0;
  // Records a batch whose counts are already known.
  virtual core::Result<std::int64_t> InsertBatch(const std::string& key_id, std::int64_t enterprise_id,
                                                 core::UnixMillis received_at, const BatchCounts& counts) = 0;
  // For each reading of one point (sorted by ts, unique ts): inserts it, or
  // recognises a duplicate, or keeps the old value as a revision and stores
  // the new one. Set-based: a few statements per point, not per reading.
  virtual core::Result<std::vector<ReadingWrite>> PutReadings(std::int64_t point_id,
                                                              const std::vector<StoredReading>& readings,
                                                              std::int64_t batch_id) = 0;
  // Readings with from <= ts <= to, plus the nearest one before `from` and after `to`.
  virtual core::Result<std::vector<core::RegisterSample>> RegisterWindow(std::int64_t point_id, core::UnixMillis from,
                                                                         core::UnixMillis to) = 0;
  // Sets the interval starting at each reading with from <= ts < to: the one
  // in `intervals` (sorted by start) that starts there, or none.
  virtual core::Status ReplaceIntervals(std::int64_t point_id, core::UnixMillis from, core::UnixMillis to,
                                        const std::vector<core::ConsumptionInterval>& intervals) = 0;
  // The blocks (hours) starting in [from, to_exclusive), in time order.
  virtual core::Result<std::vector<ReadingBlock>> BlocksIn(std::int64_t point_id, core::UnixMillis from,
                                                           core::UnixMillis to_exclusive) = 0;
  virtual core::Result<std::vector<Rollup>> RollupsIn(std::int64_t point_id, RollupPeriod period, core::UnixMillis from,
                                                      core::UnixMillis to_exclusive) = 0;
  // Inserts or replaces the rollups (any number, one statement per many rows).
  virtual core::Status PutRollups(std::int64_t point_id, RollupPeriod period, const std::vector<Rollup>& rollups) = 0;
  virtual core::Status DeleteRollup(std::int64_t point_id, RollupPeriod period, core::UnixMillis start) = 0;
  // Recomputes an enterprise's total of one energy type for one day or month
  // from its points' rollups (points with in_total only).
  virtual core::Status RefreshEnterpriseEnergy(std::int64_t enterprise_id, const std::string& energy_type,
                                               RollupPeriod period, core::UnixMillis start) = 0;
  // Recomputes a county x industry monthly total from enterprise months.
  virtual core::Status RefreshRegionEnergy(const std::string& county, const std::string& industry,
                                           const std::string& energy_type, core::UnixMillis month_start) = 0;
  // After an enterprise moved county or industry: recomputes the county x
  // industry months it contributed to, under both the old and the new keys.
  virtual core::Status MoveEnterpriseTotals(std::int64_t enterprise_id, const std::string& old_county,
                                            const std::string& old_industry, const std::string& new_county,
                                            const std::string& new_industry) = 0;
  // The newest block of a point, and whole blocks written as they are with
  // their hour rollups, hours[i] for blocks[i] (the in-order path, which keeps
  // the newest block of each point in memory).
  virtual core::Result<std::optional<ReadingBlock>> LastBlock(std::int64_t point_id) = 0;
  struct PointBlocks {
    std::int64_t point_id = 0;
    const std::vector<ReadingBlock>* blocks = nullptr;
    const std::vector<Rollup>* hours = nullptr;
  };
  // Many points at once: a few large statements, not a few per point.
  virtual core::Status PutBlocks(const std::vector<PointBlocks>& points) = 0;
  virtual core::Status PutRollupsOfPoints(RollupPeriod period,
                                          const std::vector<std::pair<std::int64_t, Rollup>>& rollups) = 0;
  // The journal of acknowledged batches not yet written into blocks, per node.
  virtual core::Result<std::int64_t> AppendJournal(std::int64_t batch_id, std::int64_t enterprise_id,
                                                   const std::string& node, const std::string& rows) = 0;
  // The entries of `node`, and those from before entries named their node, in order.
  virtual core::Result<std::vector<JournalEntry>> Journal(const std::string& node) = 0;
  // The entries `node` holds for one enterprise, in order.
  virtual core::Result<std::vector<JournalEntry>> JournalOf(const std::string& node, std::int64_t enterprise_id) = 0;
  // Removes what `node` materialised: its entries up to `up_to_seq` (and the old unnamed ones).
  virtual core::Status ClearJournal(const std::string& node, std::int64_t up_to_seq) = 0;
  // Hands a dead node's entries of one enterprise to the node taking the enterprise over.
  virtual core::Status ReassignJournal(const std::string& from_node, std::int64_t enterprise_id,
                                       const std::string& to_node) = 0;
  // Which node writes an enterprise's meter data. LockOwner locks the row
  // until the transaction ends (PostgreSQL), so that a claim, a write and a
  // takeover of one enterprise never interleave.
  virtual core::Result<std::optional<std::string>> LockOwner(std::int64_t enterprise_id) = 0;
  virtual core::Status SetOwner(std::int64_t enterprise_id, const std::string& node, core::UnixMillis since) = 0;
  virtual core::Status ReleaseOwner(std::int64_t enterprise_id, const std::string& node) = 0;
  // The enterprises `node` owns, their rows locked until the transaction ends.
  virtual core::Result<std::set<std::int64_t>> LockOwnedBy(const std::string& node) = 0;
  // Removes every rollup of a point (before a rebuild rewrites its intervals and rollups).
  virtual core::Status DeleteDerived(std::int64_t point_id) = 0;
  // The first and last reading time of a point, if any.
  virtual core::Result<std::optional<std::pair<core::UnixMillis, core::UnixMillis>>> ReadingSpan(
      std::int64_t point_id) = 0;
};

class MeterStore {
 public:
  virtual ~MeterStore() = default;

  virtual core::Status CreateMachineKey(const MachineKey& key) = 0;
  virtual core::Result<std::optional<MachineKey>> FindMachineKey(const std::string& key_id) = 0;
  virtual core::Result<std::vector<MachineKey>> ListMachineKeys(std::int64_t enterprise_id) = 0;
  virtual core::Status RevokeMachineKey(const std::string& key_id) = 0;
  // kConflict when this key already used this nonce.
  virtual core::Status RememberNonce(const std::string& key_id, const std::string& nonce, core::UnixMillis at) = 0;
  virtual core::Status ForgetNoncesBefore(core::UnixMillis before) = 0;
  virtual core::Result<bool> NonceSeen(const std::string& key_id, const std::string& nonce) = 0;

  virtual core::Result<std::vector<PointInfo>> PointsOfEnterprise(std::int64_t enterprise_id) = 0;
  virtual core::Result<std::vector<PointInfo>> AllPoints() = 0;

  // Runs `work` in one write transaction; commits when it returns Ok. With
  // `defer_sync` the commit may not be on disk until SyncCommitted returns
  // (group commit: the caller acknowledges only after that).
  virtual core::Status WriteTransaction(const std::function<core::Status(MeterWriteTx&)>& work,
                                        bool defer_sync = false) = 0;
  virtual core::Status SyncCommitted() = 0;

  // Reads for queries.
  virtual core::Result<std::vector<StoredReading>> Readings(std::int64_t point_id, core::UnixMillis from,
                                                            core::UnixMillis to_exclusive) = 0;
  virtual core::Result<std::vector<core::ConsumptionInterval>> Intervals(std::int64_t point_id, core::UnixMillis from,
                                                                         core::UnixMillis to_exclusive) = 0;
  virtual core::Result<std::vector<Rollup>> Rollups(std::int64_t point_id, RollupPeriod period, core::UnixMillis from,
                                                    core::UnixMillis to_exclusive) = 0;
  virtual core::Result<std::int64_t> CountReadings() = 0;
  virtual core::Result<std::vector<EnergyRow>> EnergyTotals(const EnergyQuery& query) = 0;
  // Samples received on the day starting at `day_start` by the points in
  // scope, and the samples expected in its first `elapsed_s` seconds.
  virtual core::Result<std::pair<double, double>> DayCompleteness(const std::string& region_prefix,
                                                                  std::optional<std::int64_t> enterprise_id,
                                                                  core::UnixMillis day_start,
                                                                  std::int64_t elapsed_s) = 0;
  // The points in scope whose samples on the day starting at `day_start` are below
  // `below` x those expected in its first `elapsed_s` seconds, least complete first.
  virtual core::Result<std::vector<PointCompleteness>> IncompletePoints(const std::string& region_prefix,
                                                                        std::optional<std::int64_t> enterprise_id,
                                                                        core::UnixMillis day_start,
                                                                        std::int64_t elapsed_s, double below) = 0;
  // Every enterprise with metering points: samples received and expected on the day starting at `day_start`.
  virtual core::Result<std::vector<EnterpriseDayCompleteness>> DayCompletenessByEnterprise(
      core::UnixMillis day_start) = 0;
  // The newest reading of every point that has one.
  virtual core::Result<std::map<std::int64_t, StoredReading>> LatestReadings() = 0;
  // The time of the newest reading of every point that has one (cheaper than LatestReadings).
  virtual core::Result<std::map<std::int64_t, core::UnixMillis>> LastSampleTimes() = 0;
  // The hours of a point with readings in [from, to_exclusive), in time order.
  virtual core::Result<std::vector<HourSummary>> HourSummaries(std::int64_t point_id, core::UnixMillis from,
                                                               core::UnixMillis to_exclusive) = 0;

  // Nodes sharing the store (ingest/node_registry.hpp): heartbeats, who owns
  // which enterprise's meter data, and hand-over requests between nodes.
  virtual core::Status Heartbeat(const std::string& node, const std::string& instance, core::UnixMillis at) = 0;
  virtual core::Result<std::vector<NodeBeat>> NodeBeats() = 0;
  virtual core::Result<std::optional<std::string>> OwnerOf(std::int64_t enterprise_id) = 0;
  virtual core::Result<std::set<std::int64_t>> OwnedBy(const std::string& node) = 0;
  // Asks the owner of an enterprise to hand it over to `to_node`.
  virtual core::Status RequestHandover(std::int64_t enterprise_id, const std::string& to_node) = 0;
  // The enterprises `node` owns that another node asked for, with the node that asked.
  virtual core::Result<std::vector<std::pair<std::int64_t, std::string>>> HandoversFrom(const std::string& node) = 0;
  // (node, enterprise) of every journal entry not of `node`.
  virtual core::Result<std::vector<std::pair<std::string, std::int64_t>>> JournaledElsewhere(
      const std::string& node) = 0;
};

}  // namespace kiln::storage
