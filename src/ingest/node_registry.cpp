#include "ingest/node_registry.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>

namespace kiln::ingest {
namespace {

std::string RandomInstance() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}", rd(), rd());
}

}  // namespace

std::string DefaultNodeName(int configured_port) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "kiln");
  return fmt::format("{}:{}", host, configured_port);
}

NodeRegistry::NodeRegistry(storage::MeterStore& store, const core::Clock& clock, ClusterOptions options)
    : store_(store), clock_(clock), options_(std::move(options)), instance_(RandomInstance()) {}

NodeRegistry::~NodeRegistry() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
}

core::Status NodeRegistry::Beat() { return store_.Heartbeat(options_.node, instance_, clock_.Now()); }

core::Status NodeRegistry::Join() {
  // A namesake that beat recently is either this node before a crash or another process with the
  // same name. A live one beats again within a few heartbeats; a dead one does not.
  auto namesake = [&]() -> core::Result<std::optional<core::UnixMillis>> {
    auto beats = store_.NodeBeats();
    if (!beats.ok()) return beats.status();
    for (const auto& b : *beats) {
      if (b.node == options_.node) return std::optional<core::UnixMillis>(b.heartbeat_at);
    }
    return std::optional<core::UnixMillis>();
  };
  auto before = namesake();
  if (!before.ok()) return before.status();
  if (*before && clock_.Now() - **before < options_.node_timeout.count()) {
    spdlog::info("cluster: node {} beat {} ms ago; checking whether it is still running", options_.node,
                 clock_.Now() - **before);
    std::this_thread::sleep_for(3 * options_.heartbeat_every);
    auto after = namesake();
    if (!after.ok()) return after.status();
    if (*after && **after != **before) {
      return core::Status::Conflict(fmt::format(
          "another kiln node named {} is running on this database; give each node its own cluster.node_name",
          options_.node));
    }
  }
  KILN_RETURN_IF_ERROR(Beat());
  heartbeat_ = std::thread([this] { RunHeartbeat(); });
  spdlog::info("cluster: joined as node {}", options_.node);
  return {};
}

void NodeRegistry::RunHeartbeat() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    stop_.wait_for(lock, options_.heartbeat_every, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (auto beat = Beat(); !beat.ok())
      spdlog::warn("cluster: heartbeat of node {} failed: {}", options_.node, beat.ToString());
    lock.lock();
  }
}

std::map<std::string, core::UnixMillis> NodeRegistry::Beats() {
  std::unique_lock lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now - beats_read_ > std::chrono::milliseconds(500)) {
    lock.unlock();
    auto beats = store_.NodeBeats();
    lock.lock();
    if (beats.ok()) {
      beats_.clear();
      for (const auto& b : *beats) beats_[b.node] = b.heartbeat_at;
      beats_read_ = now;
    }
  }
  return beats_;
}

bool NodeRegistry::Alive(const std::string& node) {
  if (node == options_.node) return true;
  auto beats = Beats();
  auto it = beats.find(node);
  return it != beats.end() && clock_.Now() - it->second < options_.node_timeout.count();
}

bool NodeRegistry::Leads() {
  for (const auto& [node, at] : Beats()) {
    if (node < options_.node && clock_.Now() - at < options_.node_timeout.count()) return false;
  }
  return true;
}

}  // namespace kiln::ingest
