#include "ingest/ingestor.hpp"

#include "ingest/rollup_math.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

namespace kiln::ingest {
namespace {

using storage::Rollup;
using storage::RollupPeriod;

// Splits sorted period starts into runs whose neighbours are at most `gap` apart, so that each
// run is read with one query: live data touches one hour, a back-fill many adjacent ones.
std::vector<std::vector<core::UnixMillis>> Runs(const std::set<core::UnixMillis>& starts, core::UnixMillis gap) {
  std::vector<std::vector<core::UnixMillis>> runs;
  for (auto t : starts) {
    if (runs.empty() || t - runs.back().back() > gap) runs.emplace_back();
    runs.back().push_back(t);
  }
  return runs;
}

// Writes the rollups of one period kind; periods left without data lose their rollup.
core::Status WriteRollups(storage::MeterWriteTx& tx, std::int64_t point_id, RollupPeriod period,
                          const std::vector<std::pair<core::UnixMillis, std::optional<Rollup>>>& computed) {
  std::vector<Rollup> put;
  for (const auto& [start, r] : computed) {
    if (r)
      put.push_back(*r);
    else
      KILN_RETURN_IF_ERROR(tx.DeleteRollup(point_id, period, start));
  }
  return tx.PutRollups(point_id, period, put);
}

core::Status RollUpHours(storage::MeterWriteTx& tx, const storage::PointInfo& point,
                         const std::set<core::UnixMillis>& hours) {
  std::vector<std::pair<core::UnixMillis, std::optional<Rollup>>> computed;
  for (const auto& run : Runs(hours, 6 * kHourMs)) {
    auto blocks = tx.BlocksIn(point.id, run.front(), run.back() + kHourMs);
    if (!blocks.ok()) return blocks.status();
    auto block = blocks->begin();
    for (auto hour : run) {
      while (block != blocks->end() && block->start < hour) ++block;
      bool found = block != blocks->end() && block->start == hour && !block->readings.empty();
      computed.emplace_back(hour, found ? std::optional<Rollup>(HourRollup(point, *block)) : std::nullopt);
    }
  }
  return WriteRollups(tx, point.id, RollupPeriod::kHour, computed);
}

// Days from their hours, months from their days; `next` gives the end of a period.
core::Status RollUpFrom(storage::MeterWriteTx& tx, const storage::PointInfo& point, RollupPeriod finer,
                        RollupPeriod period, const std::set<core::UnixMillis>& starts,
                        core::UnixMillis (*next)(core::UnixMillis), core::UnixMillis gap) {
  std::vector<std::pair<core::UnixMillis, std::optional<Rollup>>> computed;
  for (const auto& run : Runs(starts, gap)) {
    auto parts = tx.RollupsIn(point.id, finer, run.front(), next(run.back()));
    if (!parts.ok()) return parts.status();
    auto part = parts->begin();
    for (auto start : run) {
      auto end = next(start);
      Rollup combined;
      combined.start = start;
      combined.expected = ExpectedSamples(point, period, start);
      bool any = false;
      for (; part != parts->end() && part->start < end; ++part) {
        if (part->start < start) continue;
        AddPart(combined, *part);
        any = true;
      }
      computed.emplace_back(start, any ? std::optional<Rollup>(combined) : std::nullopt);
    }
  }
  return WriteRollups(tx, point.id, period, computed);
}

}  // namespace

nlohmann::json IngestSummaryJson(const IngestSummary& summary) {
  nlohmann::json rejected = nlohmann::json::array();
  for (const auto& r : summary.rejected) {
    nlohmann::json item = {{"index", r.index}, {"code", r.code}, {"message", r.message}};
    if (r.offset) item["offset"] = *r.offset;
    rejected.push_back(std::move(item));
  }
  return {{"batch", summary.batch_id},
          {"accepted", summary.accepted},
          {"duplicates", summary.duplicates},
          {"revised", summary.revised},
          {"rejected", std::move(rejected)}};
}

core::Status DerivePoint(storage::MeterWriteTx& tx, const storage::PointInfo& point, core::UnixMillis from,
                         core::UnixMillis to, StaleTotals& stale) {
  std::set<core::UnixMillis> hours;
  if (point.kind == "register") {
    auto samples = tx.RegisterWindow(point.id, from, to);
    if (!samples.ok()) return samples.status();
    // Spikes are judged by the data-quality rules over longer spans, not here,
    // so that live maintenance and a rebuild derive the same intervals.
    auto intervals = core::DifferenceRegister(*samples, IngestRegisterOptions(point));
    if (!samples->empty()) {
      KILN_RETURN_IF_ERROR(tx.ReplaceIntervals(point.id, samples->front().ts, samples->back().ts, intervals));
    }
    for (const auto& iv : intervals) hours.insert(HourStart(iv.start));
    for (const auto& s : *samples) {
      if (s.ts >= from && s.ts <= to) hours.insert(HourStart(s.ts));
    }
  } else {
    for (auto h = HourStart(from); h <= to; h += kHourMs) hours.insert(h);
  }
  std::set<core::UnixMillis> days, months;
  KILN_RETURN_IF_ERROR(RollUpHours(tx, point, hours));
  for (auto h : hours) days.insert(ChinaDayStart(h));
  KILN_RETURN_IF_ERROR(RollUpFrom(tx, point, RollupPeriod::kHour, RollupPeriod::kDay, days, NextChinaDay, 7 * kDayMs));
  for (auto d : days) months.insert(ChinaMonthStart(d));
  KILN_RETURN_IF_ERROR(
      RollUpFrom(tx, point, RollupPeriod::kDay, RollupPeriod::kMonth, months, NextChinaMonth, 93 * kDayMs));
  stale.Add(point, days, months);
  return {};
}

void StaleTotals::Add(const storage::PointInfo& point, const std::set<core::UnixMillis>& days,
                      const std::set<core::UnixMillis>& months) {
  if (!days.empty()) {
    auto [it, fresh] = touched_.try_emplace(point.id, *days.begin(), *days.rbegin());
    if (!fresh) {
      it->second.first = std::min(it->second.first, *days.begin());
      it->second.second = std::max(it->second.second, *days.rbegin());
    }
  }
  if (point.kind == "instant" || !point.in_total) return;
  for (auto d : days) enterprise_.emplace(point.enterprise_id, point.measures, RollupPeriod::kDay, d);
  for (auto m : months) {
    enterprise_.emplace(point.enterprise_id, point.measures, RollupPeriod::kMonth, m);
    if (!point.region.empty()) region_.emplace(point.region, point.industry, point.measures, m);
  }
}

// Enterprise totals first: the county x industry totals are sums of them.
core::Status StaleTotals::Refresh(storage::MeterWriteTx& tx) const {
  for (const auto& [enterprise_id, measures, period, start] : enterprise_) {
    KILN_RETURN_IF_ERROR(tx.RefreshEnterpriseEnergy(enterprise_id, measures, period, start));
  }
  for (const auto& [region, industry, measures, month] : region_) {
    KILN_RETURN_IF_ERROR(tx.RefreshRegionEnergy(region, industry, measures, month));
  }
  return {};
}

Ingestor::Ingestor(storage::Store& store, const core::Clock& clock, IngestOptions options)
    : store_(store), clock_(clock), options_(options) {}

core::Result<std::shared_ptr<const PointTable>> Ingestor::Points(std::int64_t enterprise_id, bool reload) {
  auto writes = store_.RecordWrites();
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(points_mutex_);
    auto it = point_tables_.find(enterprise_id);
    if (!reload && it != point_tables_.end() && it->second->record_writes == writes &&
        now - it->second->loaded_at < std::chrono::seconds(5)) {
      return it->second;
    }
  }
  auto points = store_.PointsOfEnterprise(enterprise_id);
  if (!points.ok()) return points.status();
  auto table = std::make_shared<PointTable>();
  table->record_writes = writes;
  table->loaded_at = now;
  for (auto& p : *points) table->by_code.emplace(p.code, std::move(p));
  std::lock_guard lock(points_mutex_);
  point_tables_[enterprise_id] = table;
  return std::shared_ptr<const PointTable>(table);
}

core::Result<Ingestor::Prepared> Ingestor::Prepare(const BatchSource& source, DecodedBatch batch) {
  Prepared p;
  p.source = source;
  p.rejected = std::move(batch.rejected);
  auto table = Points(source.enterprise_id, false);
  if (!table.ok()) return table.status();
  std::vector<const storage::PointInfo*> found(batch.readings.size());
  auto resolve = [&] {  // true when every code is known
    bool all = true;
    for (size_t i = 0; i < found.size(); ++i) {
      auto it = (*table)->by_code.find(batch.readings[i].point);
      found[i] = it == (*table)->by_code.end() ? nullptr : &it->second;
      all = all && found[i];
    }
    return all;
  };
  if (!resolve()) {  // perhaps added since the table was loaded
    table = Points(source.enterprise_id, true);
    if (!table.ok()) return table.status();
    resolve();
  }
  auto now = clock_.Now();
  p.rows.reserve(batch.readings.size());
  for (size_t i = 0; i < batch.readings.size(); ++i) {
    auto& r = batch.readings[i];
    if (!found[i]) {
      p.rejected.push_back(
          {r.index, r.offset, "unknown_point", fmt::format("no metering point {} in this enterprise", r.point)});
      continue;
    }
    const auto& point = *found[i];
    if (r.ts > now + options_.max_future_ms) {
      p.rejected.push_back(
          {r.index, r.offset, "future_timestamp", fmt::format("{} is in the future", core::FormatInstantChina(r.ts))});
      continue;
    }
    if (point.kind == "register" && r.value < 0) {
      p.rejected.push_back({r.index, r.offset, "invalid_value", "a register reading cannot be negative"});
      continue;
    }
    p.rows.emplace_back(&point, std::move(r));
  }
  p.points = std::move(table).value();
  // Within one batch a point + time appears once; a repeat with the same value
  // is a duplicate, with another value a rejection (the first one stands).
  struct Key {
    std::int64_t point, ts;
    std::uint32_t at;  // keeps arrival order among equal keys
  };
  std::vector<Key> keys;
  keys.reserve(p.rows.size());
  bool sorted = true;
  for (std::uint32_t i = 0; i < p.rows.size(); ++i) {
    keys.push_back({p.rows[i].first->id, p.rows[i].second.ts, i});
    if (i > 0 && std::tie(keys[i - 1].point, keys[i - 1].ts) > std::tie(keys[i].point, keys[i].ts)) sorted = false;
  }
  if (!sorted) {
    std::sort(keys.begin(), keys.end(),
              [](const Key& x, const Key& y) { return std::tie(x.point, x.ts, x.at) < std::tie(y.point, y.ts, y.at); });
    std::vector<std::pair<const storage::PointInfo*, RawReading>> ordered;
    ordered.reserve(p.rows.size());
    for (const auto& k : keys) ordered.push_back(std::move(p.rows[k.at]));
    p.rows = std::move(ordered);
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < p.rows.size(); ++i) {
    if (kept > 0 && p.rows[kept - 1].first == p.rows[i].first && p.rows[kept - 1].second.ts == p.rows[i].second.ts) {
      const auto& first = p.rows[kept - 1].second;
      const auto& r = p.rows[i].second;
      if (first.value != r.value || first.quality != r.quality) {
        p.rejected.push_back({r.index, r.offset, "conflicting_in_batch",
                              "the same point and time appear twice in this batch with different values"});
      } else {
        ++p.repeated;
      }
      continue;
    }
    if (kept != i) p.rows[kept] = std::move(p.rows[i]);
    ++kept;
  }
  p.rows.resize(kept);
  return p;
}

core::Result<IngestSummary> Ingestor::Apply(storage::MeterWriteTx& tx, const Prepared& p, StaleTotals& stale) {
  IngestSummary summary;
  summary.rejected = p.rejected;
  summary.duplicates = p.repeated;
  auto batch_id = tx.BeginBatch(p.source.key_id, p.source.enterprise_id, clock_.Now());
  if (!batch_id.ok()) return batch_id.status();
  if (!p.source.nonce.empty()) KILN_RETURN_IF_ERROR(tx.RememberNonce(p.source.key_id, p.source.nonce, clock_.Now()));
  summary.batch_id = *batch_id;
  std::map<std::int64_t, std::vector<storage::StoredReading>> by_point;
  std::map<std::int64_t, const storage::PointInfo*> infos;
  for (const auto& [point, r] : p.rows) {
    by_point[point->id].push_back({r.ts, r.value, r.quality});
    infos[point->id] = point;
  }
  std::map<std::int64_t, std::pair<core::UnixMillis, core::UnixMillis>> touched;  // point -> [min ts, max ts]
  for (auto& [point_id, readings] : by_point) {
    std::sort(readings.begin(), readings.end(), [](const auto& a, const auto& b) { return a.ts < b.ts; });
    auto written = tx.PutReadings(point_id, readings, *batch_id);
    if (!written.ok()) return written.status();
    for (size_t i = 0; i < readings.size(); ++i) {
      switch ((*written)[i]) {
        case storage::ReadingWrite::kInserted: ++summary.accepted; break;
        case storage::ReadingWrite::kDuplicate: ++summary.duplicates; continue;
        case storage::ReadingWrite::kRevised: ++summary.revised; break;
      }
      auto [it, fresh] = touched.try_emplace(point_id, readings[i].ts, readings[i].ts);
      if (!fresh) {
        it->second.first = std::min(it->second.first, readings[i].ts);
        it->second.second = std::max(it->second.second, readings[i].ts);
      }
    }
  }
  for (const auto& [point_id, span] : touched) {
    KILN_RETURN_IF_ERROR(DerivePoint(tx, *infos.at(point_id), span.first, span.second, stale));
  }
  KILN_RETURN_IF_ERROR(tx.FinishBatch(*batch_id, summary.accepted, summary.duplicates, summary.revised,
                                      static_cast<int>(summary.rejected.size())));
  std::sort(summary.rejected.begin(), summary.rejected.end(), [](const Rejection& a, const Rejection& b) {
    return std::tie(a.index, a.offset) < std::tie(b.index, b.offset);
  });
  return summary;
}

core::Result<IngestSummary> Ingestor::Write(const BatchSource& source, DecodedBatch batch) {
  std::vector<core::Result<PreparedBatch>> group;
  group.push_back(Prepare(source, std::move(batch)));
  auto result = std::move(WriteGroup(std::move(group)).front());
  if (auto synced = SyncCommitted(); result.ok() && !synced.ok()) return synced;
  return result;
}

std::vector<core::Result<IngestSummary>> Ingestor::WriteGroup(std::vector<core::Result<PreparedBatch>> group) {
  std::vector<core::Result<IngestSummary>> results;
  std::vector<std::optional<Prepared>> prepared(group.size());
  for (size_t i = 0; i < group.size(); ++i) {
    if (group[i].ok()) prepared[i] = std::move(group[i]).value();
    results.emplace_back(group[i].ok() ? core::Result<IngestSummary>(IngestSummary{})
                                       : core::Result<IngestSummary>(group[i].status()));
  }
  if (nodes_) ClaimForGroup(prepared, results);
  auto in_order = WriteInOrder(prepared, results);
  if (in_order.ok() && *in_order) return results;
  if (!in_order.ok() && group.size() == 1) {
    results[0] = in_order.status();
    return results;
  }
  return WriteFullPath(prepared, std::move(results));
}

core::Result<bool> Ingestor::WriteInOrder(const std::vector<std::optional<Prepared>>& prepared,
                                          std::vector<core::Result<IngestSummary>>& results) {
  // Per batch, its readings by point in time order, with the batch's counts.
  struct Appends {
    std::vector<std::pair<const storage::PointInfo*, std::vector<LiveReading>>> by_point;
    IngestSummary summary;
  };
  std::vector<std::optional<Appends>> appends(prepared.size());
  bool in_order = true;
  std::int64_t last_seq = journal_seq_;
  std::set<std::int64_t> enterprises;
  for (const auto& p : prepared) {
    if (p) enterprises.insert(p->source.enterprise_id);
  }
  auto status = store_.WriteTransaction(
      [&](storage::MeterWriteTx& tx) -> core::Status {
        KILN_RETURN_IF_ERROR(VerifyOwned(tx, enterprises));
        std::map<std::int64_t, core::UnixMillis> newest;  // per point, including earlier batches of this group
        for (size_t i = 0; i < prepared.size(); ++i) {
          if (!prepared[i]) continue;
          const auto& p = *prepared[i];
          // Rows come sorted by point, then time.
          std::vector<std::pair<const storage::PointInfo*, std::vector<LiveReading>>> points;
          for (const auto& [point, r] : p.rows) {
            if (points.empty() || points.back().first != point) points.emplace_back(point, std::vector<LiveReading>());
            points.back().second.push_back({point->id, r.ts, r.value, r.quality});
          }
          auto& a = appends[i].emplace();
          std::vector<LiveReading> journal;
          journal.reserve(p.rows.size());
          for (auto& entry : points) {
            auto id = entry.first->id;
            auto& rows = entry.second;
            std::optional<core::UnixMillis> last;
            if (auto it = newest.find(id); it != newest.end()) {
              last = it->second;
            } else {
              auto stored = live_.LastTs(tx, *entry.first);
              if (!stored.ok()) return stored.status();
              last = *stored;
            }
            if (last && rows.front().ts <= *last) {
              in_order = false;
              return core::Status::Conflict("not in order");  // rolls back; the full path takes the group
            }
            newest[id] = rows.back().ts;
            journal.insert(journal.end(), rows.begin(), rows.end());
            a.by_point.emplace_back(entry.first, std::move(rows));
          }
          a.summary.accepted = static_cast<int>(p.rows.size());
          a.summary.duplicates = p.repeated;
          a.summary.rejected = p.rejected;
          std::sort(a.summary.rejected.begin(), a.summary.rejected.end(), [](const Rejection& x, const Rejection& y) {
            return std::tie(x.index, x.offset) < std::tie(y.index, y.offset);
          });
          auto batch_id = tx.InsertBatch(p.source.key_id, p.source.enterprise_id, clock_.Now(),
                                         {.accepted = a.summary.accepted,
                                          .duplicates = a.summary.duplicates,
                                          .rejected = static_cast<int>(a.summary.rejected.size())});
          if (!batch_id.ok()) return batch_id.status();
          a.summary.batch_id = *batch_id;
          if (!p.source.nonce.empty())
            KILN_RETURN_IF_ERROR(tx.RememberNonce(p.source.key_id, p.source.nonce, clock_.Now()));
          if (!journal.empty()) {
            auto seq = tx.AppendJournal(*batch_id, p.source.enterprise_id, node(), EncodeJournalRows(journal));
            if (!seq.ok()) return seq.status();
            last_seq = *seq;
          }
        }
        return {};
      },
      /*defer_sync=*/true);
  DropLost();
  if (!in_order) return false;
  if (!status.ok()) return status;
  journal_seq_ = last_seq;
  for (size_t i = 0; i < prepared.size(); ++i) {
    if (!appends[i]) continue;
    for (const auto& [point, rows] : appends[i]->by_point) live_.Append(*point, rows, appends[i]->summary.batch_id);
    results[i] = std::move(appends[i]->summary);
  }
  pending_.store(live_.pending(), std::memory_order_relaxed);
  return true;
}

std::vector<core::Result<IngestSummary>> Ingestor::WriteFullPath(const std::vector<std::optional<Prepared>>& prepared,
                                                                 std::vector<core::Result<IngestSummary>> results) {
  if (auto flushed = Materialise(); !flushed.ok()) {
    for (size_t i = 0; i < prepared.size(); ++i) {
      if (prepared[i]) results[i] = flushed;
    }
    return results;
  }
  // The full path rewrites blocks and rollups behind the in-memory state.
  for (const auto& p : prepared) {
    if (!p) continue;
    for (const auto& [point, r] : p->rows) live_.Forget(point->id);
  }
  std::set<std::int64_t> enterprises;
  for (const auto& p : prepared) {
    if (p) enterprises.insert(p->source.enterprise_id);
  }
  StaleTotals stale;
  auto status = store_.WriteTransaction(
      [&](storage::MeterWriteTx& tx) -> core::Status {
        KILN_RETURN_IF_ERROR(VerifyOwned(tx, enterprises));
        for (size_t i = 0; i < prepared.size(); ++i) {
          if (!prepared[i]) continue;
          auto summary = Apply(tx, *prepared[i], stale);
          if (!summary.ok()) return summary.status();
          results[i] = std::move(summary).value();
        }
        return stale.Refresh(tx);
      },
      /*defer_sync=*/true);
  DropLost();
  if (status.ok()) {
    Notify(stale);
    return results;
  }
  if (prepared.size() == 1) {
    results[0] = status;
    return results;
  }
  for (size_t i = 0; i < prepared.size(); ++i) {  // isolate the failing batch
    if (!prepared[i]) continue;
    StaleTotals alone_stale;
    auto alone = store_.WriteTransaction(
        [&](storage::MeterWriteTx& tx) -> core::Status {
          KILN_RETURN_IF_ERROR(VerifyOwned(tx, {prepared[i]->source.enterprise_id}));
          StaleTotals& stale = alone_stale;
          auto summary = Apply(tx, *prepared[i], stale);
          if (!summary.ok()) return summary.status();
          results[i] = std::move(summary).value();
          return stale.Refresh(tx);
        },
        /*defer_sync=*/true);
    DropLost();
    if (!alone.ok())
      results[i] = alone;
    else
      Notify(alone_stale);
  }
  return results;
}

core::Status Ingestor::Materialise() {
  if (live_.pending() == 0) return {};
  StaleTotals stale;
  auto status = store_.WriteTransaction(
      [&](storage::MeterWriteTx& tx) -> core::Status {
        if (nodes_) {
          // What another node took over (this one was thought dead) is no longer ours to write:
          // the taker replayed its journal entries.
          auto owned = tx.LockOwnedBy(node());
          if (!owned.ok()) return owned.status();
          for (auto e : live_.PendingEnterprises()) {
            if (owned->contains(e)) continue;
            spdlog::warn("cluster: enterprise {} went to another node; its pending readings are that node's now", e);
            live_.ForgetEnterprise(e);
            lost_.insert(e);
          }
        }
        KILN_RETURN_IF_ERROR(live_.Write(tx, stale));
        KILN_RETURN_IF_ERROR(stale.Refresh(tx));
        return tx.ClearJournal(node(), journal_seq_);
      },
      /*defer_sync=*/true);  // the journal it clears is durable; losing both together loses nothing
  DropLost();
  if (!status.ok()) return status.WithContext("materialising acknowledged readings");
  live_.Written();
  Notify(stale);
  pending_.store(0, std::memory_order_relaxed);
  return {};
}

core::Result<std::int64_t> Ingestor::Replay(storage::MeterWriteTx& tx,
                                            const std::vector<storage::JournalEntry>& entries,
                                            const std::map<std::int64_t, const storage::PointInfo*>& points,
                                            std::size_t& replayed) {
  std::int64_t last_seq = 0;
  for (const auto& entry : entries) {
    auto rows = DecodeJournalRows(entry.rows);
    if (!rows.ok()) return rows.status().WithContext(fmt::format("journal entry {}", entry.seq));
    std::map<std::int64_t, std::vector<LiveReading>> by_point;
    for (auto& r : *rows) by_point[r.point_id].push_back(std::move(r));
    for (auto& [id, readings] : by_point) {
      auto point = points.find(id);
      if (point == points.end()) continue;  // the point was deleted since
      auto last = live_.LastTs(tx, *point->second);
      if (!last.ok()) return last.status();
      // Journaled readings are newer than the blocks unless a materialisation
      // committed them; then they are already stored.
      std::erase_if(readings, [&](const LiveReading& r) { return *last && r.ts <= **last; });
      if (readings.empty()) continue;
      live_.Append(*point->second, readings, entry.batch_id);
      replayed += readings.size();
    }
    last_seq = std::max(last_seq, entry.seq);
  }
  return last_seq;
}

core::Status Ingestor::Recover() {
  auto points = store_.AllPoints();
  if (!points.ok()) return points.status();
  std::map<std::int64_t, const storage::PointInfo*> by_id;
  for (const auto& p : *points) by_id[p.id] = &p;
  std::size_t replayed = 0;
  if (nodes_) {
    auto owned = store_.OwnedBy(node());
    if (!owned.ok()) return owned.status();
    std::lock_guard lock(owned_mutex_);
    owned_ = std::move(owned).value();
  }
  auto status = store_.WriteTransaction([&](storage::MeterWriteTx& tx) -> core::Status {
    auto entries = tx.Journal(node());
    if (!entries.ok()) return entries.status();
    auto last_seq = Replay(tx, *entries, by_id, replayed);
    if (!last_seq.ok()) return last_seq.status();
    journal_seq_ = std::max(journal_seq_, *last_seq);
    StaleTotals stale;
    KILN_RETURN_IF_ERROR(live_.Write(tx, stale));
    KILN_RETURN_IF_ERROR(stale.Refresh(tx));
    return tx.ClearJournal(node(), journal_seq_);
  });
  if (!status.ok()) {
    live_.ForgetAll();
    return status.WithContext("replaying the ingest journal");
  }
  live_.Written();
  return {};
}

core::Status Ingestor::RebuildAll(const std::function<void(std::size_t, std::size_t)>& progress) {
  KILN_RETURN_IF_ERROR(Recover());
  KILN_RETURN_IF_ERROR(Materialise());
  live_.ForgetAll();
  auto points = store_.AllPoints();
  if (!points.ok()) return points.status();
  StaleTotals stale;  // refreshed once at the end, not once per point
  for (size_t i = 0; i < points->size(); ++i) {
    const auto& point = (*points)[i];
    KILN_RETURN_IF_ERROR(store_.WriteTransaction([&](storage::MeterWriteTx& tx) -> core::Status {
      KILN_RETURN_IF_ERROR(tx.DeleteDerived(point.id));
      auto span = tx.ReadingSpan(point.id);
      if (!span.ok()) return span.status();
      if (!*span) return {};
      return DerivePoint(tx, point, (*span)->first, (*span)->second, stale);
    }));
    if (progress && ((i + 1) % 100 == 0 || i + 1 == points->size())) progress(i + 1, points->size());
  }
  return store_.WriteTransaction([&](storage::MeterWriteTx& tx) { return stale.Refresh(tx); });
}

const std::string& Ingestor::node() const {
  static const std::string kOnly = "local";
  return nodes_ ? nodes_->self() : kOnly;
}

bool Ingestor::Owns(std::int64_t enterprise_id) {
  if (!nodes_) return true;
  std::lock_guard lock(owned_mutex_);
  return owned_.contains(enterprise_id);
}

void Ingestor::Disown(std::int64_t enterprise_id) {
  std::lock_guard lock(owned_mutex_);
  owned_.erase(enterprise_id);
}

core::Status Ingestor::AwaitOwnership(std::int64_t enterprise_id) {
  if (!nodes_ || Owns(enterprise_id)) return {};
  auto deadline = std::chrono::steady_clock::now() + nodes_->options().handover_wait;
  bool asked = false;
  for (;;) {
    auto owner = store_.OwnerOf(enterprise_id);
    if (!owner.ok()) return owner.status();
    if (!*owner || **owner == node() || !nodes_->Alive(**owner)) return {};  // the writer claims it
    if (!asked) {
      KILN_RETURN_IF_ERROR(store_.RequestHandover(enterprise_id, node()));
      asked = true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return core::Status::Unavailable(
                 fmt::format("node {} has not handed over enterprise {} yet; retry shortly", **owner, enterprise_id))
          .WithReason("handover");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

core::Status Ingestor::ClaimIn(storage::MeterWriteTx& tx, std::int64_t enterprise_id, std::int64_t& claimed_seq) {
  auto owner = tx.LockOwner(enterprise_id);
  if (!owner.ok()) return owner.status();
  if (*owner && **owner == node()) return {};
  if (*owner && nodes_->Alive(**owner)) {
    return core::Status::Unavailable(
               fmt::format("enterprise {} is owned by node {}; retry shortly", enterprise_id, **owner))
        .WithReason("handover");
  }
  // Free, handed to us, or its owner is dead: whatever we held of it is stale.
  live_.ForgetEnterprise(enterprise_id);
  if (*owner) {
    // Take over the dead owner's acknowledged, unwritten readings of this enterprise.
    auto entries = tx.JournalOf(**owner, enterprise_id);
    if (!entries.ok()) return entries.status();
    if (!entries->empty()) {
      auto table = Points(enterprise_id, true);
      if (!table.ok()) return table.status();
      std::map<std::int64_t, const storage::PointInfo*> by_id;
      for (const auto& [code, p] : (*table)->by_code) by_id[p.id] = &p;
      std::size_t replayed = 0;
      auto last_seq = Replay(tx, *entries, by_id, replayed);
      if (!last_seq.ok()) return last_seq.status();
      claimed_seq = std::max(claimed_seq, *last_seq);
      KILN_RETURN_IF_ERROR(tx.ReassignJournal(**owner, enterprise_id, node()));
      spdlog::info("cluster: took over enterprise {} from dead node {} with {} unwritten readings", enterprise_id,
                   **owner, replayed);
    }
  }
  return tx.SetOwner(enterprise_id, node(), clock_.Now());
}

void Ingestor::ClaimForGroup(std::vector<std::optional<Prepared>>& prepared,
                             std::vector<core::Result<IngestSummary>>& results) {
  std::set<std::int64_t> wanted;
  for (const auto& p : prepared) {
    if (p && !Owns(p->source.enterprise_id)) wanted.insert(p->source.enterprise_id);
  }
  for (auto enterprise_id : wanted) {
    std::int64_t claimed_seq = 0;
    auto claimed =
        store_.WriteTransaction([&](storage::MeterWriteTx& tx) { return ClaimIn(tx, enterprise_id, claimed_seq); });
    if (claimed.ok()) {
      journal_seq_ = std::max(journal_seq_, claimed_seq);
      pending_.store(live_.pending(), std::memory_order_relaxed);
      std::lock_guard lock(owned_mutex_);
      owned_.insert(enterprise_id);
      continue;
    }
    live_.ForgetEnterprise(enterprise_id);  // a takeover that did not commit
    pending_.store(live_.pending(), std::memory_order_relaxed);
    for (size_t i = 0; i < prepared.size(); ++i) {
      if (prepared[i] && prepared[i]->source.enterprise_id == enterprise_id) {
        results[i] = claimed;
        prepared[i].reset();
      }
    }
  }
}

core::Status Ingestor::VerifyOwned(storage::MeterWriteTx& tx, const std::set<std::int64_t>& enterprises) {
  if (!nodes_) return {};
  for (auto e : enterprises) {
    auto owner = tx.LockOwner(e);
    if (!owner.ok()) return owner.status();
    if (!*owner || **owner != node()) lost_.insert(e);
  }
  if (lost_.empty()) return {};
  return core::Status::Unavailable("the enterprise's meter data moved to another node; retry shortly")
      .WithReason("ownership_moved");
}

void Ingestor::DropLost() {
  for (auto e : lost_) {
    live_.ForgetEnterprise(e);
    Disown(e);
  }
  if (!lost_.empty()) pending_.store(live_.pending(), std::memory_order_relaxed);
  lost_.clear();
}

core::Status Ingestor::ServeHandovers() {
  auto wanted = store_.HandoversFrom(node());
  if (!wanted.ok()) return wanted.status();
  if (wanted->empty()) return {};
  // Everything acknowledged goes into the store before another node builds on it.
  KILN_RETURN_IF_ERROR(Materialise());
  std::vector<std::int64_t> handed;
  auto status = store_.WriteTransaction([&](storage::MeterWriteTx& tx) -> core::Status {
    for (const auto& [enterprise_id, to] : *wanted) {
      auto owner = tx.LockOwner(enterprise_id);
      if (!owner.ok()) return owner.status();
      if (!*owner || **owner != node()) continue;
      KILN_RETURN_IF_ERROR(tx.SetOwner(enterprise_id, to, clock_.Now()));
      handed.push_back(enterprise_id);
    }
    return {};
  });
  if (!status.ok()) return status.WithContext("handing enterprises over");
  for (auto e : handed) {
    live_.ForgetEnterprise(e);
    Disown(e);
  }
  pending_.store(live_.pending(), std::memory_order_relaxed);
  return {};
}

core::Status Ingestor::TakeOverDead() {
  auto journaled = store_.JournaledElsewhere(node());
  if (!journaled.ok()) return journaled.status();
  bool took = false;
  for (const auto& [owner, journaled_enterprise] : *journaled) {
    if (nodes_->Alive(owner)) continue;
    const std::int64_t enterprise_id = journaled_enterprise;  // lambdas may not capture bindings (clang 14)
    std::int64_t claimed_seq = 0;
    auto claimed =
        store_.WriteTransaction([&](storage::MeterWriteTx& tx) { return ClaimIn(tx, enterprise_id, claimed_seq); });
    if (!claimed.ok()) {
      live_.ForgetEnterprise(enterprise_id);
      spdlog::warn("cluster: taking over enterprise {} from node {}: {}", enterprise_id, owner, claimed.ToString());
      continue;
    }
    journal_seq_ = std::max(journal_seq_, claimed_seq);
    std::lock_guard lock(owned_mutex_);
    owned_.insert(enterprise_id);
    took = true;
  }
  pending_.store(live_.pending(), std::memory_order_relaxed);
  return took ? Materialise() : core::Status{};
}

core::Status Ingestor::ClusterTick() {
  if (!nodes_) return {};
  KILN_RETURN_IF_ERROR(ServeHandovers());
  if (++ticks_ % 20 == 0) KILN_RETURN_IF_ERROR(TakeOverDead());
  return {};
}

}  // namespace kiln::ingest
