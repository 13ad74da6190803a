#pragma once
// Several kiln nodes on one PostgreSQL database. Each node has a name and
// writes a heartbeat every second; a node silent for `node_timeout` is dead.
// The meter data of an enterprise is written by one node at a time, its
// owner (ingest_owners): the in-order path keeps each point's newest block
// in memory, which is sound only while no other node writes the point. A
// node that receives a batch of an enterprise another live node owns asks
// for a hand-over; the owner writes out what it holds and passes the
// enterprise on. A dead owner's enterprises and its journal of acknowledged,
// unwritten readings are taken over by the next node that needs them (or by
// any node's periodic check), so nothing acknowledged is lost.
//
// Thread-safety: every method may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/china_time.hpp"
#include "core/status.hpp"
#include "storage/store.hpp"

namespace kiln::ingest {

struct ClusterOptions {
  std::string node;  // this node's name; unique among the nodes sharing the database
  std::chrono::milliseconds heartbeat_every{1000};
  std::chrono::milliseconds node_timeout{10000};  // silent this long: dead, taken over
  std::chrono::milliseconds handover_wait{10000};  // a batch waits this long for its enterprise; then 503
};

// "host:port", for nodes given no name: a node restarted on the same port is the same node and
// replays its own journal (two nodes on one host always listen on different ports).
std::string DefaultNodeName(int configured_port);

class NodeRegistry {
 public:
  NodeRegistry(storage::MeterStore& store, const core::Clock& clock, ClusterOptions options);
  ~NodeRegistry();

  // Registers this node and starts its heartbeat. When a process of the same
  // name beat within the timeout (this node before a crash, or a namesake),
  // waits three heartbeats: kConflict when it beats again.
  core::Status Join();

  bool Alive(const std::string& node);
  // Whether this node is the live node with the smallest name: the one that runs work done once
  // for all nodes (the scheduled warning rules).
  bool Leads();
  const std::string& self() const { return options_.node; }
  const ClusterOptions& options() const { return options_; }

 private:
  core::Status Beat();
  void RunHeartbeat();
  // Every node's last beat, read from the store at most twice a second.
  std::map<std::string, core::UnixMillis> Beats();

  storage::MeterStore& store_;
  const core::Clock& clock_;
  const ClusterOptions options_;
  const std::string instance_;
  std::mutex mutex_;
  std::map<std::string, core::UnixMillis> beats_;  // GUARDED_BY(mutex_)
  std::chrono::steady_clock::time_point beats_read_;  // GUARDED_BY(mutex_)
  std::condition_variable stop_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread heartbeat_;
};

}  // namespace kiln::ingest
