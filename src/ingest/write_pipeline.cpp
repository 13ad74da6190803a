#include "ingest/write_pipeline.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>

namespace kiln::ingest {
namespace {

// How often the writer looks for other nodes' hand-over requests.
constexpr std::chrono::milliseconds kClusterTick{100};
constexpr int kOwnershipAttempts = 3;  // a batch moved between nodes is tried again this often

}  // namespace

WritePipeline::WritePipeline(Ingestor& ingestor, PipelineOptions options)
    : ingestor_(ingestor), options_(options), syncer_([this] { RunSyncer(); }), writer_([this] { Run(); }) {}

WritePipeline::~WritePipeline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
  {
    std::lock_guard lock(sync_mutex_);
    writer_done_ = true;
  }
  sync_wake_.notify_all();
  syncer_.join();
}

void WritePipeline::Committed(std::vector<std::unique_ptr<Job>> jobs,
                              std::vector<core::Result<IngestSummary>> results) {
  {
    std::lock_guard lock(sync_mutex_);
    unsynced_.push_back({std::move(jobs), std::move(results)});
  }
  sync_wake_.notify_one();
}

void WritePipeline::RunSyncer() {
  for (;;) {
    std::vector<Unsynced> batch;
    {
      std::unique_lock lock(sync_mutex_);
      sync_wake_.wait(lock, [&] { return writer_done_ || !unsynced_.empty(); });
      if (unsynced_.empty()) return;  // the writer has stopped and everything is answered
      batch.swap(unsynced_);
    }
    auto synced = ingestor_.SyncCommitted();
    if (!synced.ok()) spdlog::error("ingest: {}", synced.ToString());
    for (auto& group : batch) {
      for (size_t i = 0; i < group.jobs.size(); ++i) {
        if (synced.ok() || !group.results[i].ok())
          group.jobs[i]->done.set_value(std::move(group.results[i]));
        else
          group.jobs[i]->done.set_value(synced.WithContext("the batch was committed but not made durable"));
      }
    }
  }
}

std::size_t WritePipeline::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

core::Status WritePipeline::Admit() const {
  if (stopping_) return core::Status::Unavailable("the server is shutting down");
  if (queue_.size() >= options_.queue_capacity) {
    return core::Status::ResourceExhausted(
        fmt::format("ingest queue full ({} batches waiting); retry shortly", queue_.size()));
  }
  if (ingestor_.pending() >= options_.max_pending) {
    return core::Status::ResourceExhausted(
        fmt::format("{} acknowledged readings are still being written; retry shortly", ingestor_.pending()));
  }
  return {};
}

core::Result<IngestSummary> WritePipeline::Submit(const BatchSource& source, DecodedBatch batch) {
  {
    std::lock_guard lock(mutex_);  // an overloaded server refuses before checking the batch
    KILN_RETURN_IF_ERROR(Admit());
  }
  auto prepared = ingestor_.Prepare(source, std::move(batch));  // on this thread, beside the writer
  if (!prepared.ok()) return prepared.status();
  for (int attempt = 0;; ++attempt) {
    // Another node may hold the enterprise: wait here, not on the writer, for it to hand it over.
    KILN_RETURN_IF_ERROR(ingestor_.AwaitOwnership(source.enterprise_id));
    // The enterprise can move between that wait and the write (a hand-over this node has just
    // committed); the write then rolls back and the batch is tried again, not refused.
    std::optional<PreparedBatch> again;
    if (ingestor_.clustered() && attempt < kOwnershipAttempts) again = *prepared;
    auto job = std::make_unique<Job>(Job{std::move(prepared), {}});
    auto future = job->done.get_future();
    {
      std::lock_guard lock(mutex_);
      KILN_RETURN_IF_ERROR(Admit());  // again: the queue may have filled meanwhile
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    auto result = future.get();
    if (result.ok() || result.status().reason() != "ownership_moved" || !again) return result;
    prepared = std::move(*again);
  }
}

core::Status WritePipeline::Sync() {
  if (ingestor_.pending() == 0) return {};
  std::unique_lock lock(mutex_);
  if (stopping_) return {};
  auto generation = ++sync_wanted_;
  wake_.notify_one();
  materialised_.wait(lock, [&] { return sync_done_ >= generation || stopping_; });
  return last_materialise_;
}

bool WritePipeline::MaterialiseDue(std::chrono::steady_clock::time_point pending_since) const {
  auto pending = ingestor_.pending();
  return pending > 0 && (pending >= options_.materialise_at ||
                         std::chrono::steady_clock::now() - pending_since >= options_.materialise_after);
}

void WritePipeline::Run() {
  auto pending_since = std::chrono::steady_clock::now();
  auto next_tick = std::chrono::steady_clock::now();
  for (;;) {
    std::vector<std::unique_ptr<Job>> group;
    std::uint64_t sync_generation = 0;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      auto ready = [&] {
        return stopping_ || !queue_.empty() || sync_wanted_ > sync_done_ || MaterialiseDue(pending_since);
      };
      // With other nodes, the writer also wakes for their hand-over requests (ClusterTick).
      auto until = ingestor_.pending() > 0 ? pending_since + options_.materialise_after
                                           : std::chrono::steady_clock::time_point::max();
      if (ingestor_.clustered()) until = std::min(until, next_tick);
      if (until == std::chrono::steady_clock::time_point::max())
        wake_.wait(lock, ready);
      else
        wake_.wait_until(lock, until, ready);
      while (!queue_.empty() && group.size() < options_.max_group) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      sync_generation = sync_wanted_;
      stopping = stopping_ && queue_.empty();
    }
    if (!group.empty()) {
      bool was_empty = ingestor_.pending() == 0;
      std::vector<core::Result<PreparedBatch>> batches;
      batches.reserve(group.size());
      for (auto& job : group) batches.push_back(std::move(job->batch));
      auto results = ingestor_.WriteGroup(std::move(batches));
      Committed(std::move(group), std::move(results));
      if (was_empty && ingestor_.pending() > 0) pending_since = std::chrono::steady_clock::now();
    }
    bool synced = false;
    {
      std::lock_guard lock(mutex_);
      synced = sync_generation > sync_done_;
    }
    if (synced || stopping || MaterialiseDue(pending_since)) {
      auto status = ingestor_.Materialise();
      if (!status.ok()) spdlog::error("ingest: {}", status.ToString());
      {
        std::lock_guard lock(mutex_);
        last_materialise_ = status;
        sync_done_ = std::max(sync_done_, sync_generation);
      }
      materialised_.notify_all();
      pending_since = std::chrono::steady_clock::now();
    }
    if (ingestor_.clustered() && std::chrono::steady_clock::now() >= next_tick) {
      if (auto ticked = ingestor_.ClusterTick(); !ticked.ok()) spdlog::warn("cluster: {}", ticked.ToString());
      next_tick = std::chrono::steady_clock::now() + kClusterTick;
    }
    if (stopping) {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        sync_done_ = sync_wanted_;
        materialised_.notify_all();
        return;
      }
    }
  }
}

}  // namespace kiln::ingest
