#pragma once
// Display names of regions and industries, cached briefly: every list row and
// chart shows them, and they change only when reference data is reloaded.
// Thread-safe.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace kiln::http {

class ReferenceNames {
 public:
  explicit ReferenceNames(storage::ReferenceStore& store) : store_(store) {}

  // "" when the code is unknown.
  std::string Region(const std::string& code);
  std::string Industry(const std::string& code);
  // The regions under `prefix` whose code has its first `key_length` digits and zeros after them
  // (key_length 4: the cities of a province prefix "37"; 6: the counties of a city prefix "3714").
  std::vector<std::string> RegionsAt(const std::string& prefix, std::size_t key_length);

 private:
  struct Tables {
    std::map<std::string, std::string> regions, industries;
    std::chrono::steady_clock::time_point loaded;
  };
  std::shared_ptr<const Tables> Current();

  storage::ReferenceStore& store_;
  std::mutex mutex_;
  std::shared_ptr<const Tables> tables_;  // GUARDED_BY(mutex_)
};

}  // namespace kiln::http
