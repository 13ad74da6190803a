#pragma once
// The bounded write queue in front of the Ingestor. Request threads submit a
// batch and wait; one writer thread takes everything queued (up to
// `max_group` batches) and commits it in one transaction (group commit), then
// answers each waiter. A full queue refuses at once with kResourceExhausted
// (HTTP 503 + Retry-After), so memory stays bounded under overload.
//
// Thread-safety: Submit may be called from any thread.

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
};

class WritePipeline {
 public:
  WritePipeline(Ingestor& ingestor, PipelineOptions options);
  ~WritePipeline();  // drains the queue, then stops the writer

  // Blocks until the batch is committed (or refused).
  core::Result<IngestSummary> Submit(BatchSource source, DecodedBatch batch);

  std::size_t queued() const;

 private:
  struct Job {
    BatchSource source;
    DecodedBatch batch;
    std::promise<core::Result<IngestSummary>> done;
  };
  void Run();

  Ingestor& ingestor_;
  const PipelineOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Job>> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread writer_;
};

}  // namespace kiln::ingest
