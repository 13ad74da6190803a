#include "storage/sql_meter.hpp"

#include <algorithm>
#include <functional>
#include <fmt/format.h>
#include <set>

#include "storage/reading_block.hpp"

namespace kiln::storage {
namespace {

using core::Result;
using core::Status;
using core::Value;

const char* kRollupColumns = "start_ts, sum, count, expected, min, max, first, last, flagged";

Rollup RowToRollup(const SqlRow& r) {
  return Rollup{AsInt(r[0]),  AsReal(r[1]), AsInt(r[2]),  AsInt(r[3]), AsReal(r[4]),
                AsReal(r[5]), AsReal(r[6]), AsReal(r[7]), AsInt(r[8])};
}

// Hour rollups live in the block rows, day and month rollups in point_rollups.
Result<std::vector<Rollup>> ReadRollups(Connection& c, std::int64_t point_id, RollupPeriod period,
                                        core::UnixMillis from, core::UnixMillis to) {
  if (period == RollupPeriod::kHour) {
    return Collect<Rollup>(
        c.Query(fmt::format("SELECT {} FROM reading_blocks WHERE point_id = ? AND start_ts >= ? AND start_ts < ? "
                            "AND count IS NOT NULL ORDER BY start_ts",
                            kRollupColumns),
                {point_id, from, to}),
        RowToRollup);
  }
  return Collect<Rollup>(
      c.Query(fmt::format("SELECT {} FROM point_rollups WHERE point_id = ? AND period = ? AND start_ts >= ? AND "
                          "start_ts < ? ORDER BY start_ts",
                          kRollupColumns),
              {point_id, RollupPeriodName(period), from, to}),
      RowToRollup);
}

// "(?, ?, …)" for one row of `width` values.
std::string Placeholders(size_t width) {
  std::string one = "(";
  for (size_t i = 0; i < width; ++i) one += i ? ", ?" : "?";
  return one + ")";
}

// Runs a multi-row statement over `rows` in chunks of `largest`, 32, 8 or 1
// rows, so that a handful of prepared statements serve any number of rows.
// `statement` wraps a chunk's "(…), (…)" list; the values move out of `rows`.
Status InChunks(Connection& c, std::vector<std::vector<Value>>& rows, const std::string& one_row, size_t largest,
                const std::function<std::string(const std::string& values)>& statement) {
  for (size_t start = 0; start < rows.size();) {
    size_t left = rows.size() - start;
    size_t n = left >= largest ? largest : left >= 32 ? 32 : left >= 8 ? 8 : 1;
    std::string values;
    std::vector<Value> params;
    params.reserve(n * rows[start].size());
    for (size_t i = 0; i < n; ++i) {
      values += i ? ", " + one_row : one_row;
      for (auto& v : rows[start + i]) params.push_back(std::move(v));
    }
    KILN_RETURN_IF_ERROR(c.Exec(statement(values), params));
    start += n;
  }
  rows.clear();
  return {};
}

// Reads and writes reading blocks on one connection.
class BlockIo {
 public:
  explicit BlockIo(Connection& c) : c_(c) {}

  // Blocks whose start lies in [first_start, last_start], in time order.
  Result<std::vector<ReadingBlock>> Between(std::int64_t point_id, core::UnixMillis first_start,
                                            core::UnixMillis last_start) {
    return Decode(
        c_.Query("SELECT start_ts, data FROM reading_blocks WHERE point_id = ? AND start_ts >= ? AND "
                 "start_ts <= ? ORDER BY start_ts",
                 {point_id, first_start, last_start}));
  }

  // The newest reading before `ts`, if any.
  Result<std::optional<BlockReading>> LastBefore(std::int64_t point_id, core::UnixMillis ts) {
    auto blocks =
        Decode(c_.Query("SELECT start_ts, data FROM reading_blocks WHERE point_id = ? AND start_ts <= ? "
                        "AND first_ts < ? ORDER BY start_ts DESC LIMIT 1",
                        {point_id, BlockStart(ts), ts}));
    if (!blocks.ok()) return blocks.status();
    std::optional<BlockReading> found;
    if (!blocks->empty()) {
      for (const auto& r : blocks->front().readings) {
        if (r.ts < ts) found = r;
      }
    }
    return found;
  }

  // The oldest reading after `ts`, if any.
  Result<std::optional<BlockReading>> FirstAfter(std::int64_t point_id, core::UnixMillis ts) {
    auto blocks =
        Decode(c_.Query("SELECT start_ts, data FROM reading_blocks WHERE point_id = ? AND start_ts >= ? "
                        "AND last_ts > ? ORDER BY start_ts LIMIT 1",
                        {point_id, BlockStart(ts), ts}));
    if (!blocks.ok()) return blocks.status();
    if (!blocks->empty()) {
      for (const auto& r : blocks->front().readings) {
        if (r.ts > ts) return std::optional<BlockReading>(r);
      }
    }
    return std::optional<BlockReading>();
  }

  Result<std::vector<BlockReading>> ReadingsIn(std::int64_t point_id, core::UnixMillis from, core::UnixMillis to) {
    std::vector<BlockReading> out;
    if (to <= from) return out;
    auto blocks = Between(point_id, BlockStart(from), BlockStart(to - 1));
    if (!blocks.ok()) return blocks.status();
    for (auto& b : *blocks) {
      for (auto& r : b.readings) {
        if (r.ts >= from && r.ts < to) out.push_back(std::move(r));
      }
    }
    return out;
  }

  // Writes blocks, keeping the hour rollups already in their rows (the full path writes them after).
  Status Put(std::int64_t point_id, const std::vector<ReadingBlock>& blocks) {
    KILN_RETURN_IF_ERROR(Add(point_id, blocks, nullptr));
    return Flush();
  }

  // Queues a point's blocks for Flush, with `hours` (one per block) their hour
  // rollups too; empty blocks are deleted at once.
  Status Add(std::int64_t point_id, const std::vector<ReadingBlock>& blocks, const std::vector<Rollup>* hours) {
    for (size_t i = 0; i < blocks.size(); ++i) {
      const auto& b = blocks[i];
      if (b.readings.empty()) {
        KILN_RETURN_IF_ERROR(
            c_.Exec("DELETE FROM reading_blocks WHERE point_id = ? AND start_ts = ?", {point_id, b.start}));
        continue;
      }
      std::vector<Value> row = {point_id,
                                b.start,
                                static_cast<std::int64_t>(b.readings.size()),
                                b.readings.front().ts,
                                b.readings.back().ts,
                                core::Blob{EncodeBlock(b.readings)}};
      if (hours) {
        const auto& r = (*hours)[i];
        row.insert(row.end(), {r.sum, r.count, r.expected, r.min, r.max, r.first, r.last, r.flagged});
        with_rollups_.push_back(std::move(row));
      } else {
        rows_.push_back(std::move(row));
      }
    }
    return {};
  }

  Status Flush() {
    KILN_RETURN_IF_ERROR(Flush(rows_, "point_id, start_ts, n, first_ts, last_ts, data", ""));
    return Flush(with_rollups_,
                 "point_id, start_ts, n, first_ts, last_ts, data, sum, count, expected, min, max, first, last, flagged",
                 ", sum = excluded.sum, count = excluded.count, expected = excluded.expected, min = excluded.min, "
                 "max = excluded.max, first = excluded.first, last = excluded.last, flagged = excluded.flagged");
  }

 private:
  Result<std::vector<ReadingBlock>> Decode(Result<SqlResult> r) {
    if (!r.ok()) return r.status();
    std::vector<ReadingBlock> out;
    out.reserve(r->rows.size());
    for (const auto& row : r->rows) {
      auto readings = DecodeBlock(AsBytes(row[1]));
      if (!readings.ok()) return readings.status().WithContext(fmt::format("block at {}", AsInt(row[0])));
      out.push_back({AsInt(row[0]), std::move(readings).value()});
    }
    return out;
  }

  Status Flush(std::vector<std::vector<Value>>& rows, const char* columns, const char* also_set) {
    if (rows.empty()) return {};
    return InChunks(c_, rows, Placeholders(rows.front().size()), 256, [&](const std::string& values) {
      return fmt::format(
          "INSERT INTO reading_blocks ({}) VALUES {} ON CONFLICT (point_id, start_ts) DO UPDATE SET "
          "n = excluded.n, first_ts = excluded.first_ts, last_ts = excluded.last_ts, "
          "data = excluded.data{}",
          columns, values, also_set);
    });
  }

  Connection& c_;
  std::vector<std::vector<Value>> rows_, with_rollups_;
};

// Finds the reading at `ts` among blocks sorted by start.
BlockReading* FindReading(std::vector<ReadingBlock>& blocks, core::UnixMillis ts) {
  auto block = std::lower_bound(blocks.begin(), blocks.end(), BlockStart(ts),
                                [](const ReadingBlock& b, core::UnixMillis start) { return b.start < start; });
  if (block == blocks.end() || block->start != BlockStart(ts)) return nullptr;
  auto it = std::lower_bound(block->readings.begin(), block->readings.end(), ts,
                             [](const BlockReading& r, core::UnixMillis t) { return r.ts < t; });
  return it != block->readings.end() && it->ts == ts ? &*it : nullptr;
}

class SqlMeterWriteTx final : public MeterWriteTx {
 public:
  SqlMeterWriteTx(Connection& c, Dialect dialect) : c_(c), dialect_(dialect), blocks_(c) {}

  Result<std::int64_t> BeginBatch(const std::string& key_id, std::int64_t enterprise_id,
                                  core::UnixMillis received_at) override {
    return InsertBatch(key_id, enterprise_id, received_at, {});
  }

  Result<std::int64_t> InsertBatch(const std::string& key_id, std::int64_t enterprise_id, core::UnixMillis received_at,
                                   const BatchCounts& counts) override {
    auto r = c_.Query(
        "INSERT INTO ingest_batches (key_id, enterprise_id, received_at, accepted, duplicates, revised, rejected) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {key_id, enterprise_id, received_at, std::int64_t{counts.accepted}, std::int64_t{counts.duplicates},
         std::int64_t{counts.revised}, std::int64_t{counts.rejected}});
    if (!r.ok()) return r.status();
    return AsInt(r->rows[0][0]);
  }

  Status RememberNonce(const std::string& key_id, const std::string& nonce, core::UnixMillis at) override {
    return c_.Exec("INSERT INTO request_nonces (key_id, nonce, seen_at) VALUES (?, ?, ?)", {key_id, nonce, at});
  }

  Status FinishBatch(std::int64_t batch_id, int accepted, int duplicates, int revised, int rejected) override {
    return c_.Exec(
        "UPDATE ingest_batches SET accepted = ?, duplicates = ?, revised = ?, rejected = ? WHERE id = ?",
        {std::int64_t{accepted}, std::int64_t{duplicates}, std::int64_t{revised}, std::int64_t{rejected}, batch_id});
  }

  Result<std::vector<ReadingWrite>> PutReadings(std::int64_t point_id, const std::vector<StoredReading>& readings,
                                                std::int64_t batch_id) override {
    std::vector<ReadingWrite> out;
    if (readings.empty()) return out;
    auto blocks = blocks_.Between(point_id, BlockStart(readings.front().ts), BlockStart(readings.back().ts));
    if (!blocks.ok()) return blocks.status();
    std::set<core::UnixMillis> changed;
    auto now = core::SystemClock().Now();
    std::vector<std::pair<core::UnixMillis, BlockReading>> fresh;
    for (const auto& r : readings) {
      BlockReading* stored = FindReading(*blocks, r.ts);
      if (!stored) {
        fresh.emplace_back(r.ts, BlockReading{r.ts, r.value, r.quality, batch_id, std::nullopt});
        out.push_back(ReadingWrite::kInserted);
        continue;
      }
      if (stored->value == r.value && stored->quality == r.quality) {
        out.push_back(ReadingWrite::kDuplicate);
        continue;
      }
      KILN_RETURN_IF_ERROR(c_.Exec(
          "INSERT INTO reading_revisions (point_id, ts, old_value, old_quality, old_batch_id, revised_by_batch, "
          "revised_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {point_id, r.ts, stored->value, stored->quality, stored->batch_id, batch_id, now}));
      stored->value = r.value;
      stored->quality = r.quality;
      stored->batch_id = batch_id;
      changed.insert(BlockStart(r.ts));
      out.push_back(ReadingWrite::kRevised);
    }
    for (auto& [ts, reading] : fresh) {
      auto start = BlockStart(ts);
      auto block = std::lower_bound(blocks->begin(), blocks->end(), start,
                                    [](const ReadingBlock& b, core::UnixMillis s) { return b.start < s; });
      if (block == blocks->end() || block->start != start) block = blocks->insert(block, ReadingBlock{start, {}});
      auto at = std::lower_bound(block->readings.begin(), block->readings.end(), ts,
                                 [](const BlockReading& x, core::UnixMillis t) { return x.ts < t; });
      block->readings.insert(at, std::move(reading));
      changed.insert(start);
    }
    std::vector<ReadingBlock> put;
    for (auto& b : *blocks) {
      if (changed.contains(b.start)) put.push_back(std::move(b));
    }
    KILN_RETURN_IF_ERROR(blocks_.Put(point_id, put));
    return out;
  }

  Result<std::vector<core::RegisterSample>> RegisterWindow(std::int64_t point_id, core::UnixMillis from,
                                                           core::UnixMillis to) override {
    std::vector<core::RegisterSample> out;
    auto before = blocks_.LastBefore(point_id, from);
    if (!before.ok()) return before.status();
    if (*before) out.push_back({(*before)->ts, (*before)->value});
    auto inside = blocks_.ReadingsIn(point_id, from, to + 1);
    if (!inside.ok()) return inside.status();
    for (const auto& r : *inside) out.push_back({r.ts, r.value});
    auto after = blocks_.FirstAfter(point_id, to);
    if (!after.ok()) return after.status();
    if (*after) out.push_back({(*after)->ts, (*after)->value});
    return out;
  }

  Status ReplaceIntervals(std::int64_t point_id, core::UnixMillis from, core::UnixMillis to,
                          const std::vector<core::ConsumptionInterval>& intervals) override {
    if (to <= from) return {};
    auto blocks = blocks_.Between(point_id, BlockStart(from), BlockStart(to - 1));
    if (!blocks.ok()) return blocks.status();
    auto next = intervals.begin();
    for (auto& b : *blocks) {
      for (auto& r : b.readings) {
        if (r.ts < from || r.ts >= to) continue;
        while (next != intervals.end() && next->start < r.ts) ++next;
        if (next != intervals.end() && next->start == r.ts)
          r.outgoing = *next;
        else
          r.outgoing.reset();
      }
    }
    return blocks_.Put(point_id, *blocks);
  }

  Result<std::vector<ReadingBlock>> BlocksIn(std::int64_t point_id, core::UnixMillis from,
                                             core::UnixMillis to) override {
    if (to <= from) return std::vector<ReadingBlock>();
    return blocks_.Between(point_id, BlockStart(from), BlockStart(to - 1));
  }

  Result<std::optional<ReadingBlock>> LastBlock(std::int64_t point_id) override {
    auto r = c_.Query("SELECT start_ts, data FROM reading_blocks WHERE point_id = ? ORDER BY start_ts DESC LIMIT 1",
                      {point_id});
    if (!r.ok()) return r.status();
    if (r->rows.empty()) return std::optional<ReadingBlock>();
    auto readings = DecodeBlock(AsBytes(r->rows[0][1]));
    if (!readings.ok()) return readings.status();
    return std::optional<ReadingBlock>(ReadingBlock{AsInt(r->rows[0][0]), std::move(readings).value()});
  }

  Status PutBlocks(const std::vector<PointBlocks>& points) override {
    for (const auto& p : points) KILN_RETURN_IF_ERROR(blocks_.Add(p.point_id, *p.blocks, p.hours));
    return blocks_.Flush();
  }

  Status PutRollupsOfPoints(RollupPeriod period, const std::vector<std::pair<std::int64_t, Rollup>>& rollups) override {
    std::vector<std::vector<Value>> rows;
    rows.reserve(rollups.size());
    for (const auto& [point_id, r] : rollups) {
      rows.push_back({point_id, RollupPeriodName(period), r.start, r.sum, r.count, r.expected, r.min, r.max, r.first,
                      r.last, r.flagged});
    }
    return UpsertRollupRows(rows);
  }

  Result<std::int64_t> AppendJournal(std::int64_t batch_id, std::int64_t enterprise_id, const std::string& node,
                                     const std::string& rows) override {
    auto r =
        c_.Query("INSERT INTO ingest_journal (batch_id, enterprise_id, node, data) VALUES (?, ?, ?, ?) RETURNING seq",
                 {batch_id, enterprise_id, node, core::Blob{rows}});
    if (!r.ok()) return r.status();
    return AsInt(r->rows[0][0]);
  }

  Result<std::vector<JournalEntry>> Journal(const std::string& node) override {
    return Entries("WHERE node = ? OR enterprise_id = 0", {node});
  }

  Result<std::vector<JournalEntry>> JournalOf(const std::string& node, std::int64_t enterprise_id) override {
    return Entries("WHERE node = ? AND enterprise_id = ?", {node, enterprise_id});
  }

  Status ClearJournal(const std::string& node, std::int64_t up_to_seq) override {
    return c_.Exec("DELETE FROM ingest_journal WHERE (node = ? OR enterprise_id = 0) AND seq <= ?", {node, up_to_seq});
  }

  Status ReassignJournal(const std::string& from_node, std::int64_t enterprise_id,
                         const std::string& to_node) override {
    return c_.Exec("UPDATE ingest_journal SET node = ? WHERE node = ? AND enterprise_id = ?",
                   {to_node, from_node, enterprise_id});
  }

  Result<std::optional<std::string>> LockOwner(std::int64_t enterprise_id) override {
    auto r =
        c_.Query(std::string("SELECT node FROM ingest_owners WHERE enterprise_id = ?") + ForUpdate(), {enterprise_id});
    if (!r.ok()) return r.status();
    if (r->rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(AsText(r->rows[0][0]));
  }

  Status SetOwner(std::int64_t enterprise_id, const std::string& node, core::UnixMillis since) override {
    return c_.Exec(
        "INSERT INTO ingest_owners (enterprise_id, node, since, handover_to) VALUES (?, ?, ?, NULL) "
        "ON CONFLICT (enterprise_id) DO UPDATE SET node = excluded.node, since = excluded.since, handover_to = NULL",
        {enterprise_id, node, since});
  }

  Status ReleaseOwner(std::int64_t enterprise_id, const std::string& node) override {
    return c_.Exec("DELETE FROM ingest_owners WHERE enterprise_id = ? AND node = ?", {enterprise_id, node});
  }

  Result<std::set<std::int64_t>> LockOwnedBy(const std::string& node) override {
    auto r = c_.Query(std::string("SELECT enterprise_id FROM ingest_owners WHERE node = ?") + ForUpdate(), {node});
    if (!r.ok()) return r.status();
    std::set<std::int64_t> out;
    for (const auto& row : r->rows) out.insert(AsInt(row[0]));
    return out;
  }

  Result<std::vector<Rollup>> RollupsIn(std::int64_t point_id, RollupPeriod period, core::UnixMillis from,
                                        core::UnixMillis to) override {
    return ReadRollups(c_, point_id, period, from, to);
  }

  Status PutRollups(std::int64_t point_id, RollupPeriod period, const std::vector<Rollup>& rollups) override {
    if (period == RollupPeriod::kHour) return PutHourRollups(point_id, rollups);
    std::vector<std::vector<Value>> rows;
    rows.reserve(rollups.size());
    for (const auto& r : rollups) {
      rows.push_back({point_id, RollupPeriodName(period), r.start, r.sum, r.count, r.expected, r.min, r.max, r.first,
                      r.last, r.flagged});
    }
    return UpsertRollupRows(rows);
  }

  // Into the rows of their blocks, many hours per statement (the VALUES
  // columns are named column1… in both SQLite and PostgreSQL; the casts give
  // PostgreSQL their types).
  Status PutHourRollups(std::int64_t point_id, const std::vector<Rollup>& rollups) {
    static const std::string kRow =
        "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION), CAST(? AS BIGINT), CAST(? AS BIGINT), "
        "CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), "
        "CAST(? AS DOUBLE PRECISION), CAST(? AS BIGINT))";
    std::vector<std::vector<Value>> rows;
    rows.reserve(rollups.size());
    for (const auto& r : rollups) {
      rows.push_back({point_id, r.start, r.sum, r.count, r.expected, r.min, r.max, r.first, r.last, r.flagged});
    }
    return InChunks(c_, rows, kRow, 32, [](const std::string& values) {
      return "UPDATE reading_blocks SET sum = v.column3, count = v.column4, expected = v.column5, min = v.column6, "
             "max = v.column7, first = v.column8, last = v.column9, flagged = v.column10 FROM (VALUES " +
             values + ") AS v WHERE reading_blocks.point_id = v.column1 AND reading_blocks.start_ts = v.column2";
    });
  }

  Status UpsertRollupRows(std::vector<std::vector<Value>>& rows) {
    return InChunks(c_, rows, Placeholders(11), 256, [](const std::string& values) {
      return "INSERT INTO point_rollups (point_id, period, start_ts, sum, count, expected, min, max, first, last, "
             "flagged) VALUES " +
             values +
             " ON CONFLICT (point_id, period, start_ts) DO UPDATE SET sum = excluded.sum, count = excluded.count, "
             "expected = excluded.expected, min = excluded.min, max = excluded.max, first = excluded.first, "
             "last = excluded.last, flagged = excluded.flagged";
    });
  }

  // An hour without readings has no block, so nothing to delete.
  Status DeleteRollup(std::int64_t point_id, RollupPeriod period, core::UnixMillis start) override {
    if (period == RollupPeriod::kHour) return {};
    return c_.Exec("DELETE FROM point_rollups WHERE point_id = ? AND period = ? AND start_ts = ?",
                   {point_id, RollupPeriodName(period), start});
  }

  Status RefreshEnterpriseEnergy(std::int64_t enterprise_id, const std::string& energy_type, RollupPeriod period,
                                 core::UnixMillis start) override {
    return c_.Exec(
        "INSERT INTO enterprise_energy (enterprise_id, energy_type, period, start_ts, amount, points) "
        "SELECT ?, ?, ?, ?, COALESCE(SUM(r.sum), 0), COUNT(r.point_id) FROM metering_points p "
        "JOIN point_rollups r ON r.point_id = p.id AND r.period = ? AND r.start_ts = ? "
        "WHERE p.enterprise_id = ? AND p.measures = ? AND p.in_total = 1 AND p.kind IN ('register', 'interval') "
        "ON CONFLICT (enterprise_id, energy_type, period, start_ts) DO UPDATE SET amount = excluded.amount, "
        "points = excluded.points",
        {enterprise_id, energy_type, RollupPeriodName(period), start, RollupPeriodName(period), start, enterprise_id,
         energy_type});
  }

  Status RefreshRegionEnergy(const std::string& county, const std::string& industry, const std::string& energy_type,
                             core::UnixMillis month_start) override {
    return c_.Exec(
        "INSERT INTO region_energy (region, industry, energy_type, month_start, amount, enterprises) "
        "SELECT ?, ?, ?, ?, COALESCE(SUM(ee.amount), 0), COUNT(ee.enterprise_id) FROM enterprise_energy ee "
        // Written as IN so that SQLite starts from the county's enterprises, not from every enterprise's month (15x).
        "WHERE ee.enterprise_id IN (SELECT id FROM enterprises WHERE region = ? AND industry = ?) "
        "AND ee.energy_type = ? AND ee.period = 'month' AND ee.start_ts = ? "
        "ON CONFLICT (region, industry, energy_type, month_start) DO UPDATE SET amount = excluded.amount, "
        "enterprises = excluded.enterprises",
        {county, industry, energy_type, month_start, county, industry, energy_type, month_start});
  }

  Status MoveEnterpriseTotals(std::int64_t enterprise_id, const std::string& old_county,
                              const std::string& old_industry, const std::string& new_county,
                              const std::string& new_industry) override {
    auto months = c_.Query(
        "SELECT DISTINCT energy_type, start_ts FROM enterprise_energy WHERE enterprise_id = ? AND period = 'month'",
        {enterprise_id});
    if (!months.ok()) return months.status();
    for (const auto& row : months->rows) {
      KILN_RETURN_IF_ERROR(RefreshRegionEnergy(old_county, old_industry, AsText(row[0]), AsInt(row[1])));
      KILN_RETURN_IF_ERROR(RefreshRegionEnergy(new_county, new_industry, AsText(row[0]), AsInt(row[1])));
    }
    return {};
  }

  // Intervals live with their readings and are all rewritten by a rebuild; the rollups go.
  Status DeleteDerived(std::int64_t point_id) override {
    return c_.Exec("DELETE FROM point_rollups WHERE point_id = ?", {point_id});
  }

  Result<std::optional<std::pair<core::UnixMillis, core::UnixMillis>>> ReadingSpan(std::int64_t point_id) override {
    auto r = c_.Query("SELECT MIN(first_ts), MAX(last_ts) FROM reading_blocks WHERE point_id = ?", {point_id});
    if (!r.ok()) return r.status();
    if (r->rows.empty() || core::IsNull(r->rows[0][0])) {
      return std::optional<std::pair<core::UnixMillis, core::UnixMillis>>();
    }
    return std::optional<std::pair<core::UnixMillis, core::UnixMillis>>({AsInt(r->rows[0][0]), AsInt(r->rows[0][1])});
  }

 private:
  // SQLite's write transaction is exclusive already; PostgreSQL locks the rows read.
  const char* ForUpdate() const { return dialect_ == Dialect::kPostgres ? " FOR UPDATE" : ""; }
  Result<std::vector<JournalEntry>> Entries(const std::string& where, const std::vector<Value>& params) {
    return Collect<JournalEntry>(
        c_.Query("SELECT seq, batch_id, data, node, enterprise_id FROM ingest_journal " + where + " ORDER BY seq",
                 params),
        [](const SqlRow& r) {
          return JournalEntry{AsInt(r[0]), AsInt(r[1]), std::string(AsBytes(r[2])), AsText(r[3]), AsInt(r[4])};
        });
  }

  Connection& c_;
  Dialect dialect_;
  BlockIo blocks_;
};

}  // namespace

Status MoveReadingsIntoBlocks(Connection& c) {
  auto points = c.Query("SELECT DISTINCT point_id FROM readings");
  if (!points.ok()) return points.status();
  BlockIo blocks(c);
  for (const auto& p : points->rows) {
    auto point_id = AsInt(p[0]);
    auto readings =
        c.Query("SELECT ts, value, quality, batch_id FROM readings WHERE point_id = ? ORDER BY ts", {point_id});
    if (!readings.ok()) return readings.status();
    auto intervals = c.Query(
        "SELECT start_ts, end_ts, amount, flags FROM point_intervals WHERE point_id = ? ORDER BY start_ts", {point_id});
    if (!intervals.ok()) return intervals.status();
    std::map<core::UnixMillis, core::ConsumptionInterval> by_start;
    for (const auto& row : intervals->rows) {
      core::ConsumptionInterval iv{AsInt(row[0]), AsInt(row[1]), std::nullopt,
                                   static_cast<std::uint32_t>(AsInt(row[3]))};
      if (!core::IsNull(row[2])) iv.amount = AsReal(row[2]);
      by_start[iv.start] = iv;
    }
    std::vector<ReadingBlock> out;
    for (const auto& row : readings->rows) {
      BlockReading r{AsInt(row[0]), AsReal(row[1]), AsText(row[2]), AsInt(row[3]), std::nullopt};
      if (auto it = by_start.find(r.ts); it != by_start.end()) r.outgoing = it->second;
      if (out.empty() || out.back().start != BlockStart(r.ts)) out.push_back({BlockStart(r.ts), {}});
      out.back().readings.push_back(std::move(r));
    }
    KILN_RETURN_IF_ERROR(blocks.Put(point_id, out));
  }
  KILN_RETURN_IF_ERROR(
      c.Exec("UPDATE reading_blocks SET sum = r.sum, count = r.count, expected = r.expected, min = r.min, max = r.max, "
             "first = r.first, last = r.last, flagged = r.flagged FROM point_rollups r WHERE r.point_id = "
             "reading_blocks.point_id AND r.period = 'hour' AND r.start_ts = reading_blocks.start_ts"));
  return c.ExecScript(
      "DELETE FROM point_rollups WHERE period = 'hour'; DROP TABLE point_intervals; DROP TABLE readings;");
}

const char* RollupPeriodName(RollupPeriod period) {
  switch (period) {
    case RollupPeriod::kHour: return "hour";
    case RollupPeriod::kDay: return "day";
    case RollupPeriod::kMonth: return "month";
  }
  return "hour";
}

Status SqlMeter::CreateMachineKey(const MachineKey& k) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(
      "INSERT INTO machine_keys (key_id, enterprise_id, secret, created_at, created_by, revoked) VALUES (?, ?, ?, ?, "
      "?, 0)",
      {k.key_id, k.enterprise_id, k.secret, k.created_at, k.created_by});
}

Result<std::optional<MachineKey>> SqlMeter::FindMachineKey(const std::string& key_id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query(
      "SELECT key_id, enterprise_id, secret, created_at, created_by, revoked FROM machine_keys WHERE key_id = ?",
      {key_id});
  if (!r.ok()) return r.status();
  if (r->rows.empty()) return std::optional<MachineKey>();
  const auto& row = r->rows[0];
  return std::optional<MachineKey>(
      MachineKey{AsText(row[0]), AsInt(row[1]), AsText(row[2]), AsInt(row[3]), AsText(row[4]), AsInt(row[5]) != 0});
}

Result<std::vector<MachineKey>> SqlMeter::ListMachineKeys(std::int64_t enterprise_id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<MachineKey>(
      (*conn)->Query("SELECT key_id, enterprise_id, '', created_at, created_by, revoked FROM machine_keys WHERE "
                     "enterprise_id = ? ORDER BY created_at",
                     {enterprise_id}),
      [](const SqlRow& row) {
        return MachineKey{AsText(row[0]), AsInt(row[1]), "", AsInt(row[3]), AsText(row[4]), AsInt(row[5]) != 0};
      });
}

Status SqlMeter::RevokeMachineKey(const std::string& key_id) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query("UPDATE machine_keys SET revoked = 1 WHERE key_id = ?", {key_id});
  if (!r.ok()) return r.status();
  if (r->affected == 0) return Status::NotFound("no key " + key_id);
  return {};
}

Status SqlMeter::RememberNonce(const std::string& key_id, const std::string& nonce, core::UnixMillis at) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec("INSERT INTO request_nonces (key_id, nonce, seen_at) VALUES (?, ?, ?)", {key_id, nonce, at});
}

Result<bool> SqlMeter::NonceSeen(const std::string& key_id, const std::string& nonce) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query("SELECT 1 FROM request_nonces WHERE key_id = ? AND nonce = ?", {key_id, nonce});
  if (!r.ok()) return r.status();
  return !r->rows.empty();
}

Status SqlMeter::ForgetNoncesBefore(core::UnixMillis before) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec("DELETE FROM request_nonces WHERE seen_at < ?", {before});
}

Result<std::vector<PointInfo>> SqlMeter::Points(const std::string& where, const std::vector<Value>& params) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<PointInfo>(
      (*conn)->Query("SELECT p.id, p.enterprise_id, p.code, p.kind, p.measures, p.unit, p.interval_s, p.rollover, "
                     "p.in_total, e.region, e.industry, p.max_rate FROM metering_points p JOIN enterprises e ON e.id = "
                     "p.enterprise_id " +
                         where + " ORDER BY p.id",
                     params),
      [](const SqlRow& r) {
        PointInfo p;
        p.id = AsInt(r[0]);
        p.enterprise_id = AsInt(r[1]);
        p.code = AsText(r[2]);
        p.kind = AsText(r[3]);
        p.measures = AsText(r[4]);
        p.unit = AsText(r[5]);
        p.interval_s = AsInt(r[6]);
        if (!core::IsNull(r[7])) p.rollover = AsReal(r[7]);
        p.in_total = AsInt(r[8]) != 0;
        p.region = AsText(r[9]);
        p.industry = AsText(r[10]);
        if (!core::IsNull(r[11])) p.max_rate = AsReal(r[11]);
        return p;
      });
}

Result<std::vector<PointInfo>> SqlMeter::PointsOfEnterprise(std::int64_t enterprise_id) {
  return Points("WHERE p.enterprise_id = ?", {enterprise_id});
}

Result<std::vector<PointInfo>> SqlMeter::AllPoints() { return Points("", {}); }

Status SqlMeter::WriteTransaction(const std::function<Status(MeterWriteTx&)>& work, bool defer_sync) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  if (defer_sync) KILN_RETURN_IF_ERROR(db_.DeferSync(**conn, true));
  // Every other writer of this connection commits durably.
  struct Restore {
    Database& db;
    Connection& conn;
    bool active;
    ~Restore() {
      if (active) (void)db.DeferSync(conn, false);
    }
  } restore{db_, **conn, defer_sync};
  Transaction tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(tx.begun());
  SqlMeterWriteTx meter_tx(**conn, db_.dialect());
  KILN_RETURN_IF_ERROR(work(meter_tx));
  return tx.Commit();
}

Result<std::vector<StoredReading>> SqlMeter::Readings(std::int64_t point_id, core::UnixMillis from,
                                                      core::UnixMillis to) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto readings = BlockIo(**conn).ReadingsIn(point_id, from, to);
  if (!readings.ok()) return readings.status();
  std::vector<StoredReading> out;
  out.reserve(readings->size());
  for (auto& r : *readings) out.push_back({r.ts, r.value, std::move(r.quality)});
  return out;
}

Result<std::vector<core::ConsumptionInterval>> SqlMeter::Intervals(std::int64_t point_id, core::UnixMillis from,
                                                                   core::UnixMillis to) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto readings = BlockIo(**conn).ReadingsIn(point_id, from, to);
  if (!readings.ok()) return readings.status();
  std::vector<core::ConsumptionInterval> out;
  for (const auto& r : *readings) {
    if (r.outgoing) out.push_back(*r.outgoing);
  }
  return out;
}

Result<std::vector<Rollup>> SqlMeter::Rollups(std::int64_t point_id, RollupPeriod period, core::UnixMillis from,
                                              core::UnixMillis to) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return ReadRollups(**conn, point_id, period, from, to);
}

Result<std::int64_t> SqlMeter::CountReadings() {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query("SELECT COALESCE(SUM(n), 0) FROM reading_blocks");
  if (!r.ok()) return r.status();
  return AsInt(r->rows[0][0]);
}

Result<std::vector<EnergyRow>> SqlMeter::EnergyTotals(const EnergyQuery& q) {
  std::string group;
  bool by_enterprise = q.group_by == "enterprise" || q.group_by == "enterprise_energy_type";
  bool monthly_regional = q.step == "month" && !by_enterprise && !q.enterprise_id;
  std::string region_column = monthly_regional ? "region" : "e.region";
  if (q.group_by == "region")
    group = fmt::format("substr({}, 1, {})", region_column, q.group_key_length);
  else if (q.group_by == "industry")
    group = monthly_regional ? "industry" : "e.industry";
  else if (q.group_by == "enterprise")
    group = "CAST(e.id AS TEXT)";
  else if (q.group_by == "enterprise_energy_type")
    group = "CAST(e.id AS TEXT) || ':' || ee.energy_type";
  else if (q.group_by == "energy_type")
    group = monthly_regional ? "energy_type" : "ee.energy_type";
  else
    return Status::InvalidArgument("group_by must be region, industry, enterprise or energy_type",
                                   {{"group_by", "unknown"}});
  std::string sql;
  std::vector<Value> params;
  std::string type_filter =
      q.energy_type.empty() ? "1=1" : (monthly_regional ? "energy_type = ?" : "ee.energy_type = ?");
  if (!q.energy_type.empty()) params.emplace_back(q.energy_type);
  if (monthly_regional) {
    sql = "SELECT " + group + " AS g, month_start, SUM(amount) FROM region_energy WHERE " + type_filter +
          " AND month_start >= ? AND month_start < ? AND region LIKE ?";
    params.insert(params.end(), {q.from, q.to, q.region_prefix + "%"});
    if (!q.industry.empty()) {
      sql += " AND industry = ?";
      params.emplace_back(q.industry);
    }
    sql += " GROUP BY g, month_start ORDER BY g, month_start";
  } else {
    sql = "SELECT " + group +
          " AS g, ee.start_ts, SUM(ee.amount) FROM enterprise_energy ee JOIN enterprises e ON e.id = ee.enterprise_id "
          "WHERE " +
          type_filter + " AND ee.period = ? AND ee.start_ts >= ? AND ee.start_ts < ? AND e.region LIKE ?";
    params.insert(params.end(), {q.step, q.from, q.to, q.region_prefix + "%"});
    if (!q.industry.empty()) {
      sql += " AND e.industry = ?";
      params.emplace_back(q.industry);
    }
    if (q.enterprise_id) {
      sql += " AND e.id = ?";
      params.emplace_back(*q.enterprise_id);
    }
    sql += " GROUP BY g, ee.start_ts ORDER BY g, ee.start_ts";
  }
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<EnergyRow>((*conn)->Query(sql, params), [](const SqlRow& r) {
    return EnergyRow{AsText(r[0]), AsInt(r[1]), AsReal(r[2])};
  });
}

Result<std::pair<double, double>> SqlMeter::DayCompleteness(const std::string& region_prefix,
                                                            std::optional<std::int64_t> enterprise_id,
                                                            core::UnixMillis day_start, std::int64_t elapsed_s) {
  std::string scope = " WHERE e.region LIKE ?";
  std::vector<Value> params = {region_prefix + "%"};
  if (enterprise_id) {
    scope += " AND e.id = ?";
    params.emplace_back(*enterprise_id);
  }
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  std::vector<Value> expected_params = {elapsed_s};
  expected_params.insert(expected_params.end(), params.begin(), params.end());
  auto expected = (*conn)->Query(
      "SELECT COALESCE(SUM(CAST(? AS BIGINT) / p.interval_s), 0) FROM metering_points p JOIN enterprises e ON e.id = "
      "p.enterprise_id" +
          scope,
      expected_params);
  if (!expected.ok()) return expected.status();
  std::vector<Value> received_params = {day_start};
  received_params.insert(received_params.end(), params.begin(), params.end());
  auto received = (*conn)->Query(
      "SELECT COALESCE(SUM(r.count), 0) FROM point_rollups r JOIN metering_points p ON p.id = r.point_id JOIN "
      "enterprises e ON e.id = p.enterprise_id AND r.period = 'day' AND r.start_ts = ?" +
          scope,
      received_params);
  if (!received.ok()) return received.status();
  return std::make_pair(AsReal(received->rows[0][0]), AsReal(expected->rows[0][0]));
}

Result<std::vector<PointCompleteness>> SqlMeter::IncompletePoints(const std::string& region_prefix,
                                                                  std::optional<std::int64_t> enterprise_id,
                                                                  core::UnixMillis day_start, std::int64_t elapsed_s,
                                                                  double below) {
  // Expected = whole intervals elapsed today; a point with none expected yet is not late.
  std::string sql =
      "SELECT p.id, p.enterprise_id, e.name, e.region, p.code, p.name, p.measures, p.interval_s, "
      "COALESCE(r.count, 0) AS received, CAST(? AS BIGINT) / p.interval_s AS expected "
      "FROM metering_points p JOIN enterprises e ON e.id = p.enterprise_id "
      "LEFT JOIN point_rollups r ON r.point_id = p.id AND r.period = 'day' AND r.start_ts = ? "
      "WHERE e.region LIKE ? AND CAST(? AS BIGINT) / p.interval_s > 0 "
      "AND COALESCE(r.count, 0) < CAST(? AS DOUBLE PRECISION) * (CAST(? AS BIGINT) / p.interval_s)";
  std::vector<Value> params = {elapsed_s, day_start, region_prefix + "%", elapsed_s, below, elapsed_s};
  if (enterprise_id) {
    sql += " AND e.id = ?";
    params.emplace_back(*enterprise_id);
  }
  sql += " ORDER BY COALESCE(r.count, 0) * 1.0 / (CAST(? AS BIGINT) / p.interval_s), e.name, p.code";
  params.emplace_back(elapsed_s);
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<PointCompleteness>((*conn)->Query(sql, params), [](const SqlRow& r) {
    return PointCompleteness{.point_id = AsInt(r[0]),
                             .enterprise_id = AsInt(r[1]),
                             .enterprise_name = AsText(r[2]),
                             .region = AsText(r[3]),
                             .code = AsText(r[4]),
                             .name = AsText(r[5]),
                             .measures = AsText(r[6]),
                             .interval_s = AsInt(r[7]),
                             .received = AsInt(r[8]),
                             .expected = AsInt(r[9])};
  });
}

Result<std::map<std::int64_t, StoredReading>> SqlMeter::LatestReadings() {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  // One index seek per point; a GROUP BY over the blocks would read every block.
  auto r = (*conn)->Query(
      "SELECT b.point_id, b.data FROM metering_points p JOIN reading_blocks b ON b.point_id = p.id AND b.start_ts = "
      "(SELECT MAX(start_ts) FROM reading_blocks WHERE point_id = p.id)");
  if (!r.ok()) return r.status();
  std::map<std::int64_t, StoredReading> out;
  for (const auto& row : r->rows) {
    auto readings = DecodeBlock(AsBytes(row[1]));
    if (!readings.ok()) return readings.status();
    if (readings->empty()) continue;
    auto& last = readings->back();
    out[AsInt(row[0])] = {last.ts, last.value, std::move(last.quality)};
  }
  return out;
}

Result<std::map<std::int64_t, core::UnixMillis>> SqlMeter::LastSampleTimes() {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query(
      "SELECT b.point_id, b.last_ts FROM metering_points p JOIN reading_blocks b ON b.point_id = p.id AND b.start_ts = "
      "(SELECT MAX(start_ts) FROM reading_blocks WHERE point_id = p.id)");
  if (!r.ok()) return r.status();
  std::map<std::int64_t, core::UnixMillis> out;
  for (const auto& row : r->rows) out[AsInt(row[0])] = AsInt(row[1]);
  return out;
}

Result<std::vector<EnterpriseDayCompleteness>> SqlMeter::DayCompletenessByEnterprise(core::UnixMillis day_start) {
  return ReadAll<EnterpriseDayCompleteness>(
      db_,
      "SELECT p.enterprise_id, COALESCE(SUM(r.count), 0), SUM(CAST(86400 AS BIGINT) / p.interval_s) FROM "
      "metering_points p LEFT JOIN point_rollups r ON r.point_id = p.id AND r.period = 'day' AND r.start_ts = ? "
      "GROUP BY p.enterprise_id ORDER BY p.enterprise_id",
      {day_start}, [](const SqlRow& r) {
        return EnterpriseDayCompleteness{AsInt(r[0]), AsInt(r[1]), AsInt(r[2])};
      });
}

Result<std::vector<HourSummary>> SqlMeter::HourSummaries(std::int64_t point_id, core::UnixMillis from,
                                                         core::UnixMillis to) {
  return ReadAll<HourSummary>(db_,
                              "SELECT start_ts, first_ts, last_ts, count, expected, flagged, sum, min, max FROM "
                              "reading_blocks WHERE point_id = ? AND start_ts >= ? AND start_ts < ? AND count IS NOT "
                              "NULL ORDER BY start_ts",
                              {point_id, from, to}, [](const SqlRow& r) {
                                return HourSummary{AsInt(r[0]), AsInt(r[1]),  AsInt(r[2]),  AsInt(r[3]), AsInt(r[4]),
                                                   AsInt(r[5]), AsReal(r[6]), AsReal(r[7]), AsReal(r[8])};
                              });
}

Status SqlMeter::Heartbeat(const std::string& node, const std::string& instance, core::UnixMillis at) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(
      "INSERT INTO ingest_nodes (node, instance, heartbeat_at) VALUES (?, ?, ?) "
      "ON CONFLICT (node) DO UPDATE SET instance = excluded.instance, heartbeat_at = excluded.heartbeat_at",
      {node, instance, at});
}

Result<std::vector<NodeBeat>> SqlMeter::NodeBeats() {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<NodeBeat>((*conn)->Query("SELECT node, instance, heartbeat_at FROM ingest_nodes ORDER BY node"),
                           [](const SqlRow& r) {
                             return NodeBeat{AsText(r[0]), AsText(r[1]), AsInt(r[2])};
                           });
}

Result<std::optional<std::string>> SqlMeter::OwnerOf(std::int64_t enterprise_id) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query("SELECT node FROM ingest_owners WHERE enterprise_id = ?", {enterprise_id});
  if (!r.ok()) return r.status();
  if (r->rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(AsText(r->rows[0][0]));
}

Result<std::set<std::int64_t>> SqlMeter::OwnedBy(const std::string& node) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Query("SELECT enterprise_id FROM ingest_owners WHERE node = ?", {node});
  if (!r.ok()) return r.status();
  std::set<std::int64_t> out;
  for (const auto& row : r->rows) out.insert(AsInt(row[0]));
  return out;
}

Status SqlMeter::RequestHandover(std::int64_t enterprise_id, const std::string& to_node) {
  auto conn = db_.Writer();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec("UPDATE ingest_owners SET handover_to = ? WHERE enterprise_id = ? AND node <> ?",
                       {to_node, enterprise_id, to_node});
}

Result<std::vector<std::pair<std::int64_t, std::string>>> SqlMeter::HandoversFrom(const std::string& node) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<std::pair<std::int64_t, std::string>>(
      (*conn)->Query("SELECT enterprise_id, handover_to FROM ingest_owners WHERE node = ? AND handover_to IS NOT NULL",
                     {node}),
      [](const SqlRow& r) { return std::make_pair(AsInt(r[0]), AsText(r[1])); });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqlMeter::JournaledElsewhere(const std::string& node) {
  auto conn = db_.Reader();
  if (!conn.ok()) return conn.status();
  return Collect<std::pair<std::string, std::int64_t>>(
      (*conn)->Query("SELECT DISTINCT node, enterprise_id FROM ingest_journal WHERE node <> ? AND enterprise_id <> 0",
                     {node}),
      [](const SqlRow& r) { return std::make_pair(AsText(r[0]), AsInt(r[1])); });
}

}  // namespace kiln::storage
