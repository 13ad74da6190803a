#pragma once
// The SQL behind MeterStore, shared by both backends; SqlStore forwards to it.

#include "storage/database.hpp"
#include "storage/meter_store.hpp"

namespace kiln::storage {

// Migration 13: moves per-reading rows (and their intervals) into blocks.
core::Status MoveReadingsIntoBlocks(Connection& conn);

class SqlMeter {
 public:
  explicit SqlMeter(Database& db) : db_(db) {}

  core::Status CreateMachineKey(const MachineKey& key);
  core::Result<std::optional<MachineKey>> FindMachineKey(const std::string& key_id);
  core::Result<std::vector<MachineKey>> ListMachineKeys(std::int64_t enterprise_id);
  core::Status RevokeMachineKey(const std::string& key_id);
  core::Status RememberNonce(const std::string& key_id, const std::string& nonce, core::UnixMillis at);
  core::Status ForgetNoncesBefore(core::UnixMillis before);
  core::Result<bool> NonceSeen(const std::string& key_id, const std::string& nonce);
  core::Result<std::vector<PointInfo>> PointsOfEnterprise(std::int64_t enterprise_id);
  core::Result<std::vector<PointInfo>> AllPoints();
  core::Status WriteTransaction(const std::function<core::Status(MeterWriteTx&)>& work, bool defer_sync);
  core::Status SyncCommitted() { return db_.SyncCommitted(); }
  core::Result<std::vector<StoredReading>> Readings(std::int64_t point_id, core::UnixMillis from, core::UnixMillis to);
  core::Result<std::vector<core::ConsumptionInterval>> Intervals(std::int64_t point_id, core::UnixMillis from,
                                                                 core::UnixMillis to);
  core::Result<std::vector<Rollup>> Rollups(std::int64_t point_id, RollupPeriod period, core::UnixMillis from,
                                            core::UnixMillis to);
  core::Result<std::int64_t> CountReadings();
  core::Result<std::map<std::int64_t, StoredReading>> LatestReadings();
  core::Result<std::map<std::int64_t, core::UnixMillis>> LastSampleTimes();
  core::Result<std::vector<EnterpriseDayCompleteness>> DayCompletenessByEnterprise(core::UnixMillis day_start);
  core::Result<std::vector<HourSummary>> HourSummaries(std::int64_t point_id, core::UnixMillis from,
                                                       core::UnixMillis to_exclusive);
  core::Result<std::vector<EnergyRow>> EnergyTotals(const EnergyQuery& query);
  core::Result<std::vector<PointCompleteness>> IncompletePoints(const std::string& region_prefix,
                                                                std::optional<std::int64_t> enterprise_id,
                                                                core::UnixMillis day_start, std::int64_t elapsed_s,
                                                                double below);
  core::Result<std::pair<double, double>> DayCompleteness(const std::string& region_prefix,
                                                          std::optional<std::int64_t> enterprise_id,
                                                          core::UnixMillis day_start, std::int64_t elapsed_s);
  core::Status Heartbeat(const std::string& node, const std::string& instance, core::UnixMillis at);
  core::Result<std::vector<NodeBeat>> NodeBeats();
  core::Result<std::optional<std::string>> OwnerOf(std::int64_t enterprise_id);
  core::Result<std::set<std::int64_t>> OwnedBy(const std::string& node);
  core::Status RequestHandover(std::int64_t enterprise_id, const std::string& to_node);
  core::Result<std::vector<std::pair<std::int64_t, std::string>>> HandoversFrom(const std::string& node);
  core::Result<std::vector<std::pair<std::string, std::int64_t>>> JournaledElsewhere(const std::string& node);

 private:
  core::Result<std::vector<PointInfo>> Points(const std::string& where, const std::vector<core::Value>& params);
  Database& db_;
};

}  // namespace kiln::storage
