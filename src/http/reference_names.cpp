#include "http/reference_names.hpp"

namespace kiln::http {
namespace {

std::string Lookup(const std::map<std::string, std::string>& table, const std::string& code) {
  auto it = table.find(code);
  return it == table.end() ? std::string() : it->second;
}

}  // namespace

std::shared_ptr<const ReferenceNames::Tables> ReferenceNames::Current() {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (tables_ && now - tables_->loaded < std::chrono::seconds(30)) return tables_;
  auto tables = std::make_shared<Tables>();
  tables->loaded = now;
  if (auto regions = store_.ListRegions(); regions.ok()) {
    for (const auto& r : *regions) tables->regions[r.code] = r.name;
  }
  if (auto industries = store_.ListIndustries(); industries.ok()) {
    for (const auto& i : *industries) tables->industries[i.code] = i.name;
  }
  tables_ = tables;
  return tables_;
}

std::string ReferenceNames::Region(const std::string& code) { return Lookup(Current()->regions, code); }
std::string ReferenceNames::Industry(const std::string& code) { return Lookup(Current()->industries, code); }

std::vector<std::string> ReferenceNames::RegionsAt(const std::string& prefix, std::size_t key_length) {
  std::vector<std::string> out;
  for (const auto& [code, name] : Current()->regions) {
    if (code.size() != 6 || !code.starts_with(prefix) || key_length < 2 || key_length > 6) continue;
    // A region of this level: its own two digits set, none below them.
    bool own = code.compare(key_length - 2, 2, "00") != 0;
    bool none_below = code.find_first_not_of('0', key_length) == std::string::npos;
    if (own && none_below) out.push_back(code);
  }
  return out;
}

}  // namespace kiln::http
