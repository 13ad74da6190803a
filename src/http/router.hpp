#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and
// "{name}" captures: "/api/v1/enterprises/{id}/points". A path that matches
// a pattern under another method answers 405 with Allow; none answers 404.

#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace kiln::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::string pattern;  // the route name for metrics, e.g. "/api/v1/enterprises/{id}"
    std::string allow;  // methods allowed at this path when the method did not match
  };
  // Fills request.path_params on a match.
  Match Find(Request& request) const;

  // Runs before every matched handler (e.g. to let readers see acknowledged writes).
  void SetBarrier(std::function<void(const Request&)> barrier) { barrier_ = std::move(barrier); }
  void Barrier(const Request& request) const {
    if (barrier_) barrier_(request);
  }

 private:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
  std::function<void(const Request&)> barrier_;
};

}  // namespace kiln::http
