#pragma once
// The bounded write queue in front of the Ingestor. Request threads submit a
// batch and wait; one writer thread takes everything queued (up to
// `max_group` batches) and commits it in one transaction (group commit), then
// answers each waiter. A full queue refuses at once with kResourceExhausted
// (HTTP 503 + Retry-After), so memory stays bounded under overload; so does
// a backlog of acknowledged readings not yet materialised beyond
// `max_pending`.
//
// A second thread makes committed groups durable (Ingestor::SyncCommitted:
// one disk sync for every group committed meanwhile) and only then answers
// their waiters, so the writer never waits for the disk.
//
// The writer materialises acknowledged readings (Ingestor::Materialise)
// when they have waited `materialise_after`, when `materialise_at` of them
// are pending, when a reader asks for them (Sync), and at shutdown.
//
// Thread-safety: Submit and Sync may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "ingest/ingestor.hpp"

namespace kiln::ingest {

struct PipelineOptions {
  // Batches waiting beyond the one being written. More queue absorbs bursts
  // but holds more memory and makes clients wait longer before a 503.
  std::size_t queue_capacity = 64;
  std::size_t max_group = 16;  // batches committed together
  std::size_t materialise_at = 1'000'000;  // pending readings that trigger a materialisation
  std::size_t max_pending = 4'000'000;  // beyond this, batches are refused (503) until materialised
  std::chrono::milliseconds materialise_after{1000};
};

class WritePipeline {
 public:
  WritePipeline(Ingestor& ingestor, PipelineOptions options);
  ~WritePipeline();  // drains the queue, materialises, then stops the writer

  // Blocks until the batch is committed (or refused).
  core::Result<IngestSummary> Submit(const BatchSource& source, DecodedBatch batch);

  // Returns once every batch acknowledged before the call is materialised
  // (blocks, intervals, rollups and totals readable), so that a reader sees
  // what was acknowledged. Immediate when nothing is pending.
  core::Status Sync();

  std::size_t queued() const;

 private:
  struct Job {
    core::Result<PreparedBatch> batch;
    std::promise<core::Result<IngestSummary>> done;
  };
  // Whether a batch may join the queue now. REQUIRES(mutex_)
  core::Status Admit() const;
  void Run();
  void RunSyncer();
  // Hands committed jobs to the syncer, which answers them once durable.
  void Committed(std::vector<std::unique_ptr<Job>> jobs, std::vector<core::Result<IngestSummary>> results);
  bool MaterialiseDue(std::chrono::steady_clock::time_point pending_since) const;

  Ingestor& ingestor_;
  const PipelineOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, materialised_;
  std::deque<std::unique_ptr<Job>> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::uint64_t sync_wanted_ = 0, sync_done_ = 0;  // GUARDED_BY(mutex_); generations of Sync requests
  core::Status last_materialise_;  // GUARDED_BY(mutex_)
  struct Unsynced {
    std::vector<std::unique_ptr<Job>> jobs;
    std::vector<core::Result<IngestSummary>> results;
  };
  std::mutex sync_mutex_;
  std::condition_variable sync_wake_;
  std::vector<Unsynced> unsynced_;  // GUARDED_BY(sync_mutex_)
  bool writer_done_ = false;  // GUARDED_BY(sync_mutex_)
  std::thread syncer_;  // started before the writer, stopped after it
  std::thread writer_;
};

}  // namespace kiln::ingest
