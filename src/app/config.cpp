#include "app/config.hpp"

#include <filesystem>
#include <fmt/format.h>

#include "net/signed_client.hpp"
#include <toml++/toml.h>

namespace kiln::app {

Config DefaultConfig() {
  Config c;
  c.monitoring_allow = *http::AddressList::Parse({"127.0.0.1", "::1"});
  // The web console is served only when asked for (--web or server.web_dir), so
  // that what a server answers never depends on what happens to be built.
  c.reference_data = KILN_SOURCE_DIR "/data";
  return c;
}

std::string DefaultConfigText() {
  Config d;
  return fmt::format(
      R"(# Kiln configuration. Every key is optional; unknown keys are errors.

[server]
# Address to listen on, HOST:PORT. Port 0 picks a free port.
listen = "{}"
# I/O threads; each also runs request handlers, which may wait on the store.
threads = {}
# Largest request body accepted, in bytes; larger requests get 413.
body_limit = {}
# Largest request line plus headers, in bytes; larger requests get 431.
header_limit = {}
# Seconds a client has to send a request; idle keep-alive connections close after this.
read_timeout_s = {}
# Directory of the built web console (web/dist); empty serves none.
web_dir = ""
# Open connections, and requests handled at once; beyond them the server answers 503.
max_connections = {}
max_in_flight = {}
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For and X-Forwarded-Proto are
# believed: the client address for limits and the audit log, HTTPS for HSTS and Secure cookies.
# Empty: the headers are ignored. Example: ["127.0.0.1", "10.0.0.0/8"]
trusted_proxies = []
# Who may read /metrics without logging in as an operator (addresses or CIDR networks).
monitoring_allow = ["127.0.0.1", "::1"]

[storage]
# SQLite database directory (embedded default) ...
data = ""
# ... or a PostgreSQL URL, e.g. "postgresql://kiln@127.0.0.1:5432/kiln". Exactly one is needed.
db = ""
# Connections in the pool (PostgreSQL) or readers beside the one writer (SQLite).
pool_size = {}

[security]
# PBKDF2-HMAC-SM3 iterations for new password hashes. Higher resists guessing
# from a stolen database and makes each login slower by the same factor.
pbkdf2_iterations = {}
# Consecutive wrong passwords that lock an account, and for how long.
lockout_threshold = {}
lockout_minutes = {}
# A session ends after this many idle minutes, and in any case after this many hours.
session_idle_minutes = {}
session_absolute_hours = {}
# Failed logins allowed from one address, and in all, per window; beyond them login answers 429.
login_failures_per_address = {}
login_failures_global = {}
login_window_seconds = {}
# Logins hashing a password at once, and how many more may wait (the rest answer 503 at once).
login_hashing_slots = {}
login_hashing_waiters = {}
# Mark the session cookie Secure (set when served over HTTPS).
secure_cookies = false

[ingest]
# Batches that may wait for the writer; beyond this POST /api/v1/readings answers 503 + Retry-After.
queue_capacity = {}
# Batches committed together in one transaction (group commit).
max_group = {}
# Acknowledged readings are journaled, then written into blocks and rollups in bulk: after this
# many milliseconds, or once this many are pending, or when an API call reads.
materialise_after_ms = {}
materialise_at = {}
# Beyond this many acknowledged readings not yet written, uploads get 503 + Retry-After.
max_pending = {}

[cluster]
# Several kiln nodes may share one PostgreSQL database (behind a load balancer). Each needs a name
# of its own; empty means "host:port" (a node restarted on the same host and port is the same node).
node_name = ""
# A node beats every heartbeat_ms; one silent for node_timeout_ms is dead, and its enterprises and
# unwritten journal are taken over. A batch for an enterprise another live node writes waits up to
# handover_wait_ms for it to be handed over, then answers 503 + Retry-After.
heartbeat_ms = {}
node_timeout_ms = {}
handover_wait_ms = {}

[warnings]
# Evaluate the warning rules: a point once nothing was written to it for settle_ms (looked for
# every tick_ms), and the time-driven rules (silent meters, deadlines, completeness, sources) every
# schedule_seconds and soon after data other than readings changes. Thresholds are reference data.
enabled = true
tick_ms = {}
settle_ms = {}
schedule_seconds = {}

[notifications]
# The outbound webhook (SMS gateway, office system): each warning that opens, reopens or clears is
# POSTed as JSON with the users to tell, signed KILN-HMAC-SM3 with webhook_key_id and
# webhook_secret (README "Webhook"), retried from webhook_retry_ms on, doubling up to an hour.
# Empty webhook_url: no webhook. http:// only; put a TLS proxy in front for https.
webhook_url = ""
webhook_key_id = "{}"
webhook_secret = ""
webhook_retry_ms = {}
webhook_poll_ms = {}

[accounting]
# Which electricity coefficient counts for dual control: "equivalent" (当量值, 0.1229 kgce/kWh)
# or "equal" (等价值, the year's thermal-power supply coal rate). Both totals are always shown.
electricity_convention = "{}"
# The grid CO2 factor electricity is counted with: region (national, north_china, east_china, …)
# and announcement year, as listed in data/co2_factors.csv. Shandong is on the North China grid.
grid_region = "{}"
grid_year = {}
# Energy dual control leaves out energy used as raw material (原料用能) and renewable electricity
# (DOMAIN.md section 11); the accounting shows the figure with and without them either way.
exclude_feedstock = {}
exclude_renewable = {}

[review]
# Filed items (list entries and exits, reports) pass these levels in order; a flow filed by the
# county is reviewed from the city up. An item is due decision_days after it is filed.
list_entry = "city,province"
list_exit = "city,province"
monthly_report = "county,city,province"
yearly_report = "county,city,province"
decision_days = {}

[site]
# The platform name shown in the console's header.
name = "{}"
# Reference data directory (regions/, industries.csv, departments.csv), loaded on first start.
reference_data = ""
)",
      d.server.listen, d.server.threads, d.server.body_limit, d.server.header_limit, d.server.read_timeout_s,
      d.server.max_connections, d.server.max_in_flight, d.storage.pool_size, d.security.pbkdf2_iterations,
      d.security.lockout_threshold, d.security.lockout_minutes, d.security.session_idle_minutes,
      d.security.session_absolute_hours, d.security.throttle.failures_per_address, d.security.throttle.failures_global,
      d.security.throttle.window_seconds, d.security.throttle.hashing_slots, d.security.throttle.hashing_waiters,
      d.ingest.queue_capacity, d.ingest.max_group, d.ingest.materialise_after.count(), d.ingest.materialise_at,
      d.ingest.max_pending, d.cluster.heartbeat_every.count(), d.cluster.node_timeout.count(),
      d.cluster.handover_wait.count(), d.warnings.evaluator.tick.count(), d.warnings.evaluator.settle.count(),
      d.warnings.evaluator.schedule.count(), d.webhook.key_id, d.webhook.retry.count(), d.webhook.poll.count(),
      core::ElectricityConventionName(d.accounting.convention), d.accounting.grid.region, d.accounting.grid.year,
      d.accounting.exclusions.feedstock, d.accounting.exclusions.renewable, d.review.decision_days, d.site.site_name);
}

namespace {

template <typename T>
core::Status Read(const toml::node& node, const std::string& where, T& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node.value<std::string>()) {
      out = *v;
      return {};
    }
    return core::Status::InvalidArgument(fmt::format("{} must be a string", where));
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto v = node.value<bool>()) {
      out = *v;
      return {};
    }
    return core::Status::InvalidArgument(fmt::format("{} must be true or false", where));
  } else {
    auto v = node.value<std::int64_t>();
    if (!v || *v < 0) return core::Status::InvalidArgument(fmt::format("{} must be a non-negative integer", where));
    out = static_cast<T>(*v);
    return {};
  }
}

// An array of addresses or CIDR networks.
core::Status ReadAddresses(const toml::node& node, const std::string& where, http::AddressList& out) {
  auto* array = node.as_array();
  if (!array) return core::Status::InvalidArgument(fmt::format("{} must be an array of addresses", where));
  std::vector<std::string> entries;
  for (const auto& item : *array) {
    auto v = item.value<std::string>();
    if (!v) return core::Status::InvalidArgument(fmt::format("{} must be an array of strings", where));
    entries.push_back(*v);
  }
  auto list = http::AddressList::Parse(entries);
  if (!list.ok()) return list.status().WithContext(where);
  out = std::move(list).value();
  return {};
}

}  // namespace

core::Status ApplyConfigFile(const std::string& path, Config& c) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return core::Status::InvalidArgument(
        fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column, e.description()));
  }
  for (auto& [section_key, section_node] : table) {
    std::string section(section_key.str());
    auto* section_table = section_node.as_table();
    if (!section_table) return core::Status::InvalidArgument(fmt::format("{}: [{}] must be a section", path, section));
    for (auto& [key_node, value] : *section_table) {
      std::string key(key_node.str());
      std::string where = fmt::format("{}: {}.{}", path, section, key);
      core::Status s = core::Status::InvalidArgument(fmt::format("{}: unknown key {}.{}", path, section, key));
      if (section == "server") {
        if (key == "listen")
          s = Read(value, where, c.server.listen);
        else if (key == "threads")
          s = Read(value, where, c.server.threads);
        else if (key == "body_limit")
          s = Read(value, where, c.server.body_limit);
        else if (key == "header_limit")
          s = Read(value, where, c.server.header_limit);
        else if (key == "read_timeout_s")
          s = Read(value, where, c.server.read_timeout_s);
        else if (key == "web_dir")
          s = Read(value, where, c.server.web_dir);
        else if (key == "max_connections")
          s = Read(value, where, c.server.max_connections);
        else if (key == "max_in_flight")
          s = Read(value, where, c.server.max_in_flight);
        else if (key == "trusted_proxies")
          s = ReadAddresses(value, where, c.server.trusted_proxies);
        else if (key == "monitoring_allow")
          s = ReadAddresses(value, where, c.monitoring_allow);
      } else if (section == "storage") {
        if (key == "data")
          s = Read(value, where, c.storage.data_dir);
        else if (key == "db")
          s = Read(value, where, c.storage.db_url);
        else if (key == "pool_size")
          s = Read(value, where, c.storage.pool_size);
      } else if (section == "security") {
        if (key == "pbkdf2_iterations")
          s = Read(value, where, c.security.pbkdf2_iterations);
        else if (key == "lockout_threshold")
          s = Read(value, where, c.security.lockout_threshold);
        else if (key == "lockout_minutes")
          s = Read(value, where, c.security.lockout_minutes);
        else if (key == "session_idle_minutes")
          s = Read(value, where, c.security.session_idle_minutes);
        else if (key == "session_absolute_hours")
          s = Read(value, where, c.security.session_absolute_hours);
        else if (key == "secure_cookies")
          s = Read(value, where, c.site.secure_cookies);
        else if (key == "login_failures_per_address")
          s = Read(value, where, c.security.throttle.failures_per_address);
        else if (key == "login_failures_global")
          s = Read(value, where, c.security.throttle.failures_global);
        else if (key == "login_window_seconds")
          s = Read(value, where, c.security.throttle.window_seconds);
        else if (key == "login_hashing_slots")
          s = Read(value, where, c.security.throttle.hashing_slots);
        else if (key == "login_hashing_waiters")
          s = Read(value, where, c.security.throttle.hashing_waiters);
      } else if (section == "ingest") {
        if (key == "queue_capacity")
          s = Read(value, where, c.ingest.queue_capacity);
        else if (key == "max_group")
          s = Read(value, where, c.ingest.max_group);
        else if (key == "materialise_at")
          s = Read(value, where, c.ingest.materialise_at);
        else if (key == "max_pending")
          s = Read(value, where, c.ingest.max_pending);
        else if (key == "materialise_after_ms") {
          std::int64_t ms = 0;
          s = Read(value, where, ms);
          c.ingest.materialise_after = std::chrono::milliseconds(ms);
        }
      } else if (section == "cluster") {
        std::int64_t ms = 0;
        if (key == "node_name") {
          s = Read(value, where, c.cluster.node);
        } else if (key == "heartbeat_ms" || key == "node_timeout_ms" || key == "handover_wait_ms") {
          s = Read(value, where, ms);
          auto& slot = key == "heartbeat_ms"      ? c.cluster.heartbeat_every
                       : key == "node_timeout_ms" ? c.cluster.node_timeout
                                                  : c.cluster.handover_wait;
          if (s.ok()) slot = std::chrono::milliseconds(ms);
        }
      } else if (section == "warnings") {
        std::int64_t n = 0;
        if (key == "enabled") {
          s = Read(value, where, c.warnings.enabled);
        } else if (key == "tick_ms") {
          s = Read(value, where, n);
          if (s.ok()) c.warnings.evaluator.tick = std::chrono::milliseconds(n);
        } else if (key == "settle_ms") {
          s = Read(value, where, n);
          if (s.ok()) c.warnings.evaluator.settle = std::chrono::milliseconds(n);
        } else if (key == "schedule_seconds") {
          s = Read(value, where, n);
          if (s.ok()) c.warnings.evaluator.schedule = std::chrono::seconds(n);
        }
      } else if (section == "notifications") {
        std::int64_t ms = 0;
        if (key == "webhook_url") {
          s = Read(value, where, c.webhook.url);
          if (s.ok() && !c.webhook.url.empty()) {
            auto url = net::ParseHttpUrl(c.webhook.url);
            if (!url.ok()) s = core::Status::InvalidArgument(fmt::format("{}: {}", where, url.status().message()));
          }
        } else if (key == "webhook_key_id") {
          s = Read(value, where, c.webhook.key_id);
        } else if (key == "webhook_secret") {
          s = Read(value, where, c.webhook.secret);
        } else if (key == "webhook_retry_ms") {
          s = Read(value, where, ms);
          if (s.ok()) c.webhook.retry = std::chrono::milliseconds(ms);
        } else if (key == "webhook_poll_ms") {
          s = Read(value, where, ms);
          if (s.ok()) c.webhook.poll = std::chrono::milliseconds(ms);
        }
      } else if (section == "accounting") {
        if (key == "electricity_convention") {
          std::string text;
          s = Read(value, where, text);
          if (s.ok()) {
            if (auto conv = core::ParseElectricityConvention(text))
              c.accounting.convention = *conv;
            else
              s = core::Status::InvalidArgument(fmt::format("{} must be \"equivalent\" or \"equal\"", where));
          }
        } else if (key == "grid_region") {
          s = Read(value, where, c.accounting.grid.region);
        } else if (key == "grid_year") {
          s = Read(value, where, c.accounting.grid.year);
        } else if (key == "exclude_feedstock") {
          s = Read(value, where, c.accounting.exclusions.feedstock);
        } else if (key == "exclude_renewable") {
          s = Read(value, where, c.accounting.exclusions.renewable);
        }
      } else if (section == "review") {
        if (key == "decision_days") {
          s = Read(value, where, c.review.decision_days);
          if (s.ok() && (c.review.decision_days < 1 || c.review.decision_days > 365))
            s = core::Status::InvalidArgument(fmt::format("{} must be between 1 and 365", where));
        } else if (key == "list_entry" || key == "list_exit" || key == "monthly_report" || key == "yearly_report") {
          std::string text;
          s = Read(value, where, text);
          if (s.ok()) {
            auto levels = core::ParseReviewLevels(text);
            if (levels.ok())
              c.review.levels[std::string(key)] = *levels;
            else
              s = levels.status().WithContext(where);
          }
        }
      } else if (section == "site") {
        if (key == "name")
          s = Read(value, where, c.site.site_name);
        else if (key == "reference_data")
          s = Read(value, where, c.reference_data);
      } else {
        s = core::Status::InvalidArgument(fmt::format("{}: unknown section [{}]", path, section));
      }
      KILN_RETURN_IF_ERROR(s);
    }
  }
  if (c.security.pbkdf2_iterations < 1000) {
    return core::Status::InvalidArgument(fmt::format("{}: security.pbkdf2_iterations must be at least 1000", path));
  }
  if (c.ingest.max_group < 1)
    return core::Status::InvalidArgument(fmt::format("{}: ingest.max_group must be at least 1", path));
  if (c.server.threads < 1)
    return core::Status::InvalidArgument(fmt::format("{}: server.threads must be at least 1", path));
  if (c.cluster.heartbeat_every.count() < 100 || c.cluster.node_timeout < 3 * c.cluster.heartbeat_every) {
    return core::Status::InvalidArgument(fmt::format(
        "{}: cluster.heartbeat_ms must be at least 100 and node_timeout_ms at least three heartbeats", path));
  }
  if (c.warnings.evaluator.tick.count() < 10 || c.warnings.evaluator.schedule.count() < 1) {
    return core::Status::InvalidArgument(
        fmt::format("{}: warnings.tick_ms must be at least 10 and schedule_seconds at least 1", path));
  }
  if (auto flows = workflow::ConfiguredFlows(c.review); !flows.ok()) return flows.status().WithContext(path);
  if (!c.webhook.url.empty() && c.webhook.secret.size() < 16) {
    return core::Status::InvalidArgument(
        fmt::format("{}: notifications.webhook_secret must be at least 16 characters when webhook_url is set", path));
  }
  if (c.webhook.retry.count() < 10 || c.webhook.poll.count() < 10) {
    return core::Status::InvalidArgument(
        fmt::format("{}: notifications.webhook_retry_ms and webhook_poll_ms must be at least 10", path));
  }
  if (c.security.throttle.hashing_slots < 1) {
    return core::Status::InvalidArgument(fmt::format("{}: security.login_hashing_slots must be at least 1", path));
  }
  return {};
}

}  // namespace kiln::app
