#include "ingest/write_pipeline.hpp"

#include <fmt/format.h>

namespace kiln::ingest {

WritePipeline::WritePipeline(Ingestor& ingestor, PipelineOptions options)
    : ingestor_(ingestor), options_(options), writer_([this] { Run(); }) {}

WritePipeline::~WritePipeline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

std::size_t WritePipeline::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

core::Result<IngestSummary> WritePipeline::Submit(BatchSource source, DecodedBatch batch) {
  auto job = std::make_unique<Job>(Job{std::move(source), std::move(batch), {}});
  auto future = job->done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return core::Status::Unavailable("the server is shutting down");
    if (queue_.size() >= options_.queue_capacity) {
      return core::Status::ResourceExhausted(
          fmt::format("ingest queue full ({} batches waiting); retry shortly", queue_.size()));
    }
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return future.get();
}

void WritePipeline::Run() {
  for (;;) {
    std::vector<std::unique_ptr<Job>> group;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && group.size() < options_.max_group) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<std::pair<BatchSource, DecodedBatch>> batches;
    batches.reserve(group.size());
    for (auto& job : group) batches.emplace_back(std::move(job->source), std::move(job->batch));
    auto results = ingestor_.WriteGroup(batches);
    for (size_t i = 0; i < group.size(); ++i) group[i]->done.set_value(std::move(results[i]));
  }
}

}  // namespace kiln::ingest
