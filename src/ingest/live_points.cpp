#include "ingest/live_points.hpp"

#include "core/varint.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/rollup_math.hpp"

namespace kiln::ingest {
namespace {

using storage::RollupPeriod;

storage::Rollup Empty(const storage::PointInfo& point, RollupPeriod period, core::UnixMillis start) {
  storage::Rollup r;
  r.start = start;
  r.expected = ExpectedSamples(point, period, start);
  return r;
}

// Adds `part` to `acc`; an accumulator with nothing in it yet becomes the period starting at `start`.
void AddTo(const storage::PointInfo& point, storage::Rollup& acc, RollupPeriod period, core::UnixMillis start,
           const storage::Rollup& part) {
  if (acc.count == 0) acc = Empty(point, period, start);
  AddPart(acc, part);
}

}  // namespace

// Rows as varints of the change in point and time from the row before (rows
// come sorted by point, then time), the value, and the quality ("N" as 0).
std::string EncodeJournalRows(const std::vector<LiveReading>& rows) {
  std::string out;
  out.reserve(8 + rows.size() * 14);
  core::PutVarint(out, rows.size());
  std::int64_t point = 0, ts = 0;
  for (const auto& r : rows) {
    core::PutVarint(out, core::ZigZag(r.point_id - point));
    core::PutVarint(out, core::ZigZag(r.ts - ts));
    point = r.point_id;
    ts = r.ts;
    core::PutDouble(out, r.value);
    if (r.quality == "N") {
      out.push_back(0);
    } else {
      auto n = std::min<std::size_t>(r.quality.size(), 254);
      out.push_back(static_cast<char>(n + 1));
      out.append(r.quality.data(), n);
    }
  }
  return out;
}

core::Result<std::vector<LiveReading>> DecodeJournalRows(std::string_view bytes) {
  core::ByteReader in(bytes);
  std::uint64_t count = 0;
  if (!in.Varint(count) || count > bytes.size()) return core::Status::Internal("journal entry: bad count");
  std::vector<LiveReading> rows(count);
  std::int64_t point = 0, ts = 0;
  for (auto& r : rows) {
    std::uint64_t dp = 0, dt = 0;
    std::uint8_t quality = 0;
    if (!in.Varint(dp) || !in.Varint(dt) || !in.Double(r.value) || !in.Byte(quality)) {
      return core::Status::Internal("journal entry: truncated");
    }
    point += core::UnZigZag(dp);
    ts += core::UnZigZag(dt);
    r.point_id = point;
    r.ts = ts;
    if (quality == 0)
      r.quality = "N";
    else if (!in.Text(quality - 1u, r.quality))
      return core::Status::Internal("journal entry: truncated quality");
  }
  if (!in.done()) return core::Status::Internal("journal entry: trailing bytes");
  return rows;
}

core::Result<std::optional<core::UnixMillis>> LivePoints::LastTs(storage::MeterWriteTx& tx,
                                                                 const storage::PointInfo& point) {
  auto [it, fresh] = points_.try_emplace(point.id);
  auto& state = it->second;
  if (fresh) {
    state.info = point;
    auto loaded = Load(tx, state);
    if (!loaded.ok()) {
      points_.erase(it);
      return loaded;
    }
  }
  if (!state.open || state.open->readings.empty()) return std::optional<core::UnixMillis>();
  return std::optional<core::UnixMillis>(state.open->readings.back().ts);
}

core::Status LivePoints::Load(storage::MeterWriteTx& tx, State& state) {
  auto block = tx.LastBlock(state.info.id);
  if (!block.ok()) return block.status();
  state.open = std::move(block).value();
  if (!state.open) return {};
  auto hour = state.open->start;
  auto day = ChinaDayStart(hour), month = ChinaMonthStart(hour);
  auto hours = tx.RollupsIn(state.info.id, RollupPeriod::kHour, day, hour);
  if (!hours.ok()) return hours.status();
  state.day = Empty(state.info, RollupPeriod::kDay, day);
  for (const auto& h : *hours) AddPart(state.day, h);
  auto days = tx.RollupsIn(state.info.id, RollupPeriod::kDay, month, day);
  if (!days.ok()) return days.status();
  state.month = Empty(state.info, RollupPeriod::kMonth, month);
  for (const auto& d : *days) AddPart(state.month, d);
  return {};
}

storage::Rollup LivePoints::OpenHour(const State& state) const { return HourRollup(state.info, *state.open); }

// Closes the open block: its hour is final and goes into the day.
void LivePoints::Seal(State& state) {
  auto hour = OpenHour(state);
  state.hours.push_back(hour);
  AddTo(state.info, state.day, RollupPeriod::kDay, ChinaDayStart(hour.start), hour);
  state.sealed.push_back(std::move(*state.open));
  state.open.reset();
}

void LivePoints::Append(const storage::PointInfo& point, const std::vector<LiveReading>& readings,
                        std::int64_t batch_id) {
  auto& state = points_.at(point.id);
  state.info = point;
  state.dirty = true;
  state.pending += readings.size();
  pending_ += readings.size();
  bool registers = point.kind == "register";
  const auto options = IngestRegisterOptions(point);
  for (const auto& r : readings) {
    if (registers && state.open && !state.open->readings.empty()) {
      auto& prev = state.open->readings.back();
      prev.outgoing = core::DifferencePair({prev.ts, prev.value}, {r.ts, r.value}, options);
    }
    auto start = storage::BlockStart(r.ts);
    if (!state.open || state.open->start != start) {
      if (state.open) Seal(state);
      auto day = ChinaDayStart(start), month = ChinaMonthStart(start);
      if (state.day.count > 0 && state.day.start != day) {  // the day before is complete
        if (state.month.count > 0 && state.month.start != ChinaMonthStart(state.day.start)) {
          state.months.push_back(state.month);
          state.month = {};
        }
        AddTo(point, state.month, RollupPeriod::kMonth, ChinaMonthStart(state.day.start), state.day);
        state.days.push_back(state.day);
        state.day = {};
      }
      if (state.month.count > 0 && state.month.start != month) {  // so is the month before
        state.months.push_back(state.month);
        state.month = {};
      }
      state.open = storage::ReadingBlock{start, {}};
      state.open->readings.reserve(static_cast<std::size_t>(ExpectedSamples(point, RollupPeriod::kHour, start)) + 1);
    }
    state.open->readings.push_back({r.ts, r.value, r.quality, batch_id, std::nullopt});
  }
}

core::Status LivePoints::Write(storage::MeterWriteTx& tx, StaleTotals& stale) {
  // The open blocks and hours join the sealed ones for the write, and leave after it.
  std::vector<storage::MeterWriteTx::PointBlocks> blocks;
  std::vector<std::pair<std::int64_t, storage::Rollup>> days, months;
  for (auto& [id, state] : points_) {
    if (!state.dirty) continue;
    auto hour = OpenHour(state);
    state.sealed.push_back(*state.open);
    state.hours.push_back(hour);
    blocks.push_back({id, &state.sealed, &state.hours});
    auto day = state.day, month = state.month;  // the open day and month, as they stand
    AddTo(state.info, day, RollupPeriod::kDay, ChinaDayStart(hour.start), hour);
    AddTo(state.info, month, RollupPeriod::kMonth, ChinaMonthStart(hour.start), day);
    std::set<core::UnixMillis> day_starts, month_starts;
    for (const auto& d : state.days) {
      days.emplace_back(id, d);
      day_starts.insert(d.start);
    }
    for (const auto& m : state.months) {
      months.emplace_back(id, m);
      month_starts.insert(m.start);
    }
    days.emplace_back(id, day);
    day_starts.insert(day.start);
    months.emplace_back(id, month);
    month_starts.insert(month.start);
    stale.Add(state.info, day_starts, month_starts);
  }
  auto written = tx.PutBlocks(blocks);
  for (auto& [id, state] : points_) {
    if (!state.dirty) continue;
    state.sealed.pop_back();
    state.hours.pop_back();
  }
  KILN_RETURN_IF_ERROR(written);
  KILN_RETURN_IF_ERROR(tx.PutRollupsOfPoints(RollupPeriod::kDay, days));
  return tx.PutRollupsOfPoints(RollupPeriod::kMonth, months);
}

void LivePoints::Written() {
  for (auto& [id, state] : points_) {
    if (!state.dirty) continue;
    state.sealed.clear();
    state.hours.clear();
    state.days.clear();
    state.months.clear();
    state.dirty = false;
    state.pending = 0;
  }
  pending_ = 0;
}

void LivePoints::Forget(std::int64_t point_id) {
  auto it = points_.find(point_id);
  if (it == points_.end()) return;
  pending_ -= it->second.pending;
  points_.erase(it);
}

void LivePoints::ForgetEnterprise(std::int64_t enterprise_id) {
  for (auto it = points_.begin(); it != points_.end();) {
    if (it->second.info.enterprise_id == enterprise_id) {
      pending_ -= it->second.pending;
      it = points_.erase(it);
    } else {
      ++it;
    }
  }
}

void LivePoints::ForgetAll() {
  points_.clear();
  pending_ = 0;
}

std::set<std::int64_t> LivePoints::PendingEnterprises() const {
  std::set<std::int64_t> out;
  for (const auto& [id, state] : points_) {
    if (state.pending > 0) out.insert(state.info.enterprise_id);
  }
  return out;
}

}  // namespace kiln::ingest
