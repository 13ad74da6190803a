#include "http/router.hpp"

namespace kiln::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (path[i].empty()) return false;
      if (params) (*params)[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublic: return "public";
    case Access::kSession: return "session";
    case Access::kSessionAnyState: return "session-any-state";
    case Access::kSigned: return "signed";
    case Access::kMonitoring: return "monitoring";
  }
  return "unknown";
}

void Router::Add(const std::string& method, const std::string& pattern, Access access, BodyKind body, Handler handler) {
  routes_.push_back({method, pattern, Split(pattern), access, body, std::move(handler)});
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern, r.access, r.body});
  return out;
}

Router::Match Router::Find(Request& request) const {
  auto segments = Split(request.path);
  Match match;
  for (const auto& route : routes_) {
    if (!Matches(route.segments, segments, nullptr)) continue;
    if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
      Matches(route.segments, segments, &request.path_params);
      match.handler = &route.handler;
      match.pattern = route.pattern;
      match.allow.clear();
      return match;
    }
    match.pattern = route.pattern;
    match.allow += (match.allow.empty() ? "" : ", ") + route.method;
  }
  return match;
}

}  // namespace kiln::http
