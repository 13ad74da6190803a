#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and
// "{name}" captures: "/api/v1/enterprises/{id}/points". A path that matches
// a pattern under another method answers 405 with Allow; none answers 404.
// Every route declares who may call it (Access) and what body it takes; the
// Gate (gate.hpp) adds routes with the checks that go with their access.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace kiln::http {

using Handler = std::function<Response(Request&)>;

// Who may call a route.
enum class Access {
  kPublic,  // anyone
  kSession,  // a logged-in user whose password is not pending a change
  kSessionAnyState,  // a logged-in user, also one who must change the password first
  kSigned,  // an access-end or department key (KILN-HMAC-SM3), checked by the handler
  kMonitoring,  // an operator's session, or an address on the monitoring allow-list
};
std::string_view AccessName(Access access);

// What a route's request body is.
enum class BodyKind {
  kJson,  // application/json (a body sent with another type answers 415)
  kFile,  // the bytes of an uploaded file, any type
};

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Access access, BodyKind body, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::string pattern;  // the route name for metrics, e.g. "/api/v1/enterprises/{id}"
    std::string allow;  // methods allowed at this path when the method did not match
  };
  // Fills request.path_params on a match.
  Match Find(Request& request) const;

  struct RouteInfo {
    std::string method, pattern;
    Access access;
    BodyKind body;
  };
  // Every route, in the order added (`kiln serve --print-routes`).
  std::vector<RouteInfo> Routes() const;

  // Runs before every matched handler (e.g. to let readers see acknowledged writes).
  void SetBarrier(std::function<void(const Request&)> barrier) { barrier_ = std::move(barrier); }
  void Barrier(const Request& request) const {
    if (barrier_) barrier_(request);
  }
  // Runs after every matched handler (e.g. to tell the warnings that data changed).
  void SetAfter(std::function<void(const Request&, const Response&)> after) { after_ = std::move(after); }
  void After(const Request& request, const Response& response) const {
    if (after_) after_(request, response);
  }

 private:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> segments;
    Access access;
    BodyKind body;
    Handler handler;
  };
  std::vector<Route> routes_;
  std::function<void(const Request&)> barrier_;
  std::function<void(const Request&, const Response&)> after_;
};

}  // namespace kiln::http
