// kiln: the platform executable. Subcommands: serve, demo, admin.

#include <CLI/CLI.hpp>
#include <csignal>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <spdlog/spdlog.h>

#include "app/config.hpp"
#include "core/registry_schema.hpp"
#include "demo/demo_registry.hpp"
#include "demo/demo_reviews.hpp"
#include "demo/demo_inspections.hpp"
#include "demo/demo_upgrades.hpp"
#include "demo/demo_violations.hpp"
#include "demo/demo_reports.hpp"
#include "demo/meter_feed.hpp"
#include "core/regions.hpp"
#include "app/platform.hpp"
#include "mqtt/mqtt_subscriber.hpp"
#include "registry/reference_data.hpp"
#include "sim/load_driver.hpp"

namespace kiln::app {
namespace {

struct ServeFlags {
  std::string config_file, listen, data, db, web, reference_data;
  int threads = 0;
  bool print_config = false;
  bool print_routes = false;
  std::uint64_t seed = 1;
  int enterprises = 1200;
  int history_days = 90;
  std::string history_order = "newest-first";
  bool no_meters = false;
  std::string mqtt;
};

void AddStoreFlags(CLI::App* cmd, std::string& data, std::string& db) {
  auto* d = cmd->add_option("--data", data, "SQLite data directory (embedded store)");
  auto* p = cmd->add_option("--db", db, "PostgreSQL URL, e.g. postgresql://kiln@127.0.0.1:5432/kiln");
  d->excludes(p);
}

int Fail(const core::Status& status) {
  std::cerr << "kiln: " << status.ToString() << "\n";
  return status.code() == core::StatusCode::kInvalidArgument ? 2 : 1;
}

core::Result<Config> BuildConfig(const ServeFlags& f) {
  Config c = DefaultConfig();
  if (!f.config_file.empty()) KILN_RETURN_IF_ERROR(ApplyConfigFile(f.config_file, c));
  if (!f.listen.empty()) c.server.listen = f.listen;
  if (!f.data.empty()) c.storage.data_dir = f.data;
  if (!f.db.empty()) c.storage.db_url = f.db;
  if (!f.web.empty()) c.server.web_dir = f.web;
  if (f.threads > 0) c.server.threads = f.threads;
  if (!f.reference_data.empty()) c.reference_data = f.reference_data;
  if (c.reference_data.empty()) c.reference_data = DefaultConfig().reference_data;
  if (c.storage.data_dir.empty() == c.storage.db_url.empty()) {
    return core::Status::InvalidArgument("give exactly one of --data DIR or --db postgresql://…");
  }
  return c;
}

int RunServer(const ServeFlags& flags, bool demo) {
  if (flags.print_config) {
    std::cout << DefaultConfigText();
    return 0;
  }
  auto config = BuildConfig(flags);
  if (!config.ok()) return Fail(config.status());
  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto store = OpenAndPrepareStore(*config);
  if (!store.ok()) return Fail(store.status());
  auto built = Platform::Build(*config, std::move(store).value());
  if (!built.ok()) return Fail(built.status());
  auto platform = std::move(built).value();
  if (flags.print_routes) {
    for (const auto& r : platform->router().Routes()) {
      std::cout << r.method << " " << r.pattern << " " << http::AccessName(r.access) << "\n";
    }
    return 0;
  }
  auto& clock = platform->clock();
  std::unique_ptr<mqtt::MqttSubscriber> mqtt_subscriber;
  if (!flags.mqtt.empty()) {
    mqtt_subscriber = std::make_unique<mqtt::MqttSubscriber>(mqtt::MqttOptions{.url = flags.mqtt}, platform->store(),
                                                             platform->machine_auth(), platform->pipeline());
    auto started = mqtt_subscriber->Start();
    if (!started.ok()) return Fail(started);
  }

  std::optional<demo::DemoSummary> summary;
  if (demo) {
    auto generated = demo::GenerateDemoRegistry(platform->store(), platform->identity(), clock,
                                                {.seed = flags.seed, .enterprises = flags.enterprises},
                                                [](const std::string& line) { spdlog::info("demo: {}", line); });
    if (!generated.ok()) return Fail(generated.status());
    summary = std::move(generated).value();
    if (summary->fresh) {
      auto reviewed = demo::FileDemoReviews(platform->store(), platform->registry(), platform->audit(), clock,
                                            platform->reviews().flows(), config->accounting.convention, flags.seed);
      if (!reviewed.ok()) return Fail(reviewed.status().WithContext("demo review work"));
      spdlog::info(
          "demo: list work filed: {} enterprises taken off the list ({} proposed again), exits waiting at the city {} "
          "and the province {}, {} returned to their county; {} capacity changes waiting for review",
          reviewed->delisted, reviewed->entries, reviewed->waiting_city, reviewed->waiting_province, reviewed->returned,
          reviewed->info_changes);
      auto violations =
          demo::MarkDemoViolations(platform->store(), platform->registry(), platform->audit(), clock,
                                   platform->reviews().flows(), config->accounting.convention, flags.seed);
      if (!violations.ok()) return Fail(violations.status().WithContext("demo violating projects"));
      spdlog::info(
          "demo: {} violating projects marked: {} past their deadline, {} escalated, {} closures waiting for review, "
          "{} returned to their county, {} closed",
          violations->marked, violations->overdue, violations->escalated, violations->closures_waiting,
          violations->returned, violations->closed);
      auto upgrades = demo::FileDemoUpgradePlans(platform->store(), platform->registry(), platform->audit(), clock,
                                                 platform->reviews().flows(), platform->accounting(),
                                                 config->accounting.convention, flags.seed);
      if (!upgrades.ok()) return Fail(upgrades.status().WithContext("demo upgrade plans"));
      spdlog::info(
          "demo: {} upgrade plans filed: {} waiting for review, {} returned, {} in progress, {} completed (accepted "
          "once the meter history is in); {} enterprises below the benchmark without a plan",
          upgrades->plans, upgrades->waiting, upgrades->returned, upgrades->in_progress, upgrades->completed,
          upgrades->without_plan);
      auto inspected =
          demo::FileDemoInspections(platform->store(), platform->registry(), platform->audit(), clock, flags.seed);
      if (!inspected.ok()) return Fail(inspected.status().WithContext("demo inspections"));
      spdlog::info(
          "demo: {} inspections, {} enterprises assigned, {} visited, {} findings ({} verified), {} indicator "
          "deductions",
          inspected->plans, inspected->tasks, inspected->visited, inspected->findings, inspected->verified,
          inspected->deductions);
    }
  }

  auto port = platform->Start();
  if (!port.ok()) return Fail(port.status());
  auto host = config->server.listen.substr(0, config->server.listen.rfind(':'));
  std::string url = fmt::format("http://{}:{}", host == "0.0.0.0" ? "127.0.0.1" : host, *port);
  spdlog::info("Kiln listening on {} ({} store{})", url,
               platform->store().dialect() == storage::Dialect::kSqlite ? "SQLite" : "PostgreSQL",
               config->server.web_dir.empty() ? ", no web console" : ", web console from " + config->server.web_dir);
  std::unique_ptr<demo::MeterFeed> feed;
  if (demo && !flags.no_meters) {
    std::string faults = config->storage.data_dir.empty()
                             ? std::string("demo-faults.json")
                             : (std::filesystem::path(config->storage.data_dir) / "demo-faults.json").string();
    // Once the meters' history is in, the enterprises file their monthly reports of it.
    auto file_reports = [&, store = &platform->store()](const std::vector<demo::PlantedFault>& planted) {
      demo::DemoReportOptions report_options{
          .seed = flags.seed, .history_days = flags.history_days, .now = clock.Now()};
      for (const auto& f : planted) {
        if (f.kind == "under_reporting") report_options.under_reporting.insert(f.enterprise_id);
      }
      auto filed = demo::FileDemoReports(
          *store,
          [&](const core::Clock& at) {
            return std::make_unique<workflow::ReportService>(*store, platform->registry(), platform->audit(), at,
                                                             config->accounting.convention);
          },
          report_options);
      if (!filed.ok()) {
        spdlog::warn("demo reports: {}", filed.status().ToString());
        return;
      }
      spdlog::info("demo reports: {} approved, {} waiting for review ({} under-reported), {} not filed",
                   filed->approved, filed->pending, filed->under_reported, filed->missing);
      // The completed upgrades have their months after completion now: the county files their acceptance.
      auto accepted =
          demo::AcceptDemoUpgrades(*store, platform->registry(), platform->audit(), clock, platform->reviews().flows(),
                                   platform->accounting(), config->accounting.convention, flags.seed);
      if (!accepted.ok()) {
        spdlog::warn("demo upgrade acceptance: {}", accepted.status().ToString());
        return;
      }
      spdlog::info(
          "demo upgrade acceptance: {} accepted with their measured saving, {} waiting at the province, {} "
          "without complete figures",
          accepted->accepted, accepted->waiting, accepted->not_ready);
    };
    feed = std::make_unique<demo::MeterFeed>(
        platform->store(), platform->machine_auth(), clock, "127.0.0.1", *port,
        demo::MeterFeedOptions{
            .seed = flags.seed,
            .history_days = flags.history_days,
            .oldest_first = flags.history_order == "oldest-first",
            .faults_file = faults,
            .history_file = std::filesystem::path(faults).replace_filename("demo-history.json").string(),
            .after_history = file_reports});
    auto prepared = feed->Prepare();
    if (!prepared.ok()) return Fail(prepared.WithContext("demo meters"));
    feed->Start();
    spdlog::info("demo meters: live readings started{}; planted faults listed in {}",
                 flags.history_days > 0 ? ", history back-fill running in the background" : "", faults);
  }
  if (summary) {
    std::cout << "\n  Kiln demo: " << url << "\n  " << summary->enterprises
              << " enterprises, registry of province 370000\n"
              << "  Demo accounts (password " << demo::DemoOptions{}.password << "):\n";
    for (const auto& a : summary->accounts) {
      std::cout << fmt::format("    {:<12} {:<11} {}\n", a.username, a.role, a.scope);
    }
    std::cout << std::endl;
  }
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}, shutting down: finishing in-flight requests", received == SIGINT ? "SIGINT" : "SIGTERM");
  if (feed) feed->Stop();
  if (mqtt_subscriber) mqtt_subscriber->Stop();
  mqtt_subscriber.reset();
  platform->Stop();
  platform.reset();  // drains batches already accepted, then closes the store
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace
}  // namespace kiln::app

int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape): an exception here ends the process as it should
  using namespace kiln;
  using namespace kiln::app;
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  CLI::App cli{"Kiln — supervision and online monitoring for energy-intensive, high-emission industries"};
  cli.require_subcommand(1);

  ServeFlags serve_flags;
  auto add_serve_flags = [&](CLI::App* cmd) {
    cmd->add_option("--listen", serve_flags.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
    AddStoreFlags(cmd, serve_flags.data, serve_flags.db);
    cmd->add_option("--config", serve_flags.config_file, "TOML configuration file")->check(CLI::ExistingFile);
    cmd->add_option("--web", serve_flags.web, "directory of the built web console")->check(CLI::ExistingDirectory);
    cmd->add_option("--threads", serve_flags.threads, "I/O threads")->check(CLI::Range(1, 256));
    cmd->add_option("--reference-data", serve_flags.reference_data,
                    "reference data directory (default: the repo's data/)");
    cmd->add_option("--mqtt", serve_flags.mqtt, "MQTT broker to take readings from, tcp://HOST:PORT");
  };
  auto* serve = cli.add_subcommand("serve", "Run the platform");
  add_serve_flags(serve);
  serve->add_flag("--print-config", serve_flags.print_config, "Print the commented default configuration and exit");
  serve->add_flag("--print-routes", serve_flags.print_routes,
                  "Print every route (method, path, who may call it) and exit; needs the store options");
  auto* demo = cli.add_subcommand("demo", "Run the platform with a generated demo province");
  add_serve_flags(demo);
  demo->add_option("--seed", serve_flags.seed, "demo data seed (same seed, same data)");
  demo->add_option("--enterprises", serve_flags.enterprises, "number of demo enterprises")
      ->check(CLI::Range(1, 100000));
  demo->add_option("--history-days", serve_flags.history_days, "days of meter history to back-fill on a fresh store")
      ->check(CLI::Range(0, 400));
  demo->add_option("--history-order", serve_flags.history_order,
                   "newest-first (recent days show at once) or oldest-first (every reading in order: the fast "
                   "ingest path, for benchmarks; live readings start when the history is in)")
      ->check(CLI::IsMember({"newest-first", "oldest-first"}));
  demo->add_flag("--no-meters", serve_flags.no_meters, "registry only: no simulated meter readings");

  sim::LoadOptions load;
  std::string key_pair;
  auto* sim_cmd = cli.add_subcommand("sim", "Drive signed ingest load at a chosen rate (benchmarks, soak tests)");
  sim_cmd->add_option("--target", load.target, "platform URL http://HOST:PORT (InfluxDB's with --influx)")->required();
  sim_cmd->add_option("--key", key_pair, "access-end key as KEY_ID:SECRET (from kiln admin issue-key)");
  sim_cmd->add_option("--points", load.points, "points SIM-000001 … to write (kiln admin add-points creates them)")
      ->check(CLI::Range(1, 10'000'000));
  sim_cmd->add_option("--rate", load.rate, "readings per second in all; 0 = as fast as accepted");
  sim_cmd->add_option("--duration", load.duration_s, "seconds to run");
  sim_cmd->add_option("--batch", load.batch, "readings per request")->check(CLI::Range(1, 200'000));
  sim_cmd->add_option("--steps-per-batch", load.steps_per_batch, "consecutive samples per point in a batch");
  sim_cmd->add_flag("--series", load.series, "send the column form (one series per point) instead of rows");
  sim_cmd->add_option("--connections", load.connections, "parallel connections")->check(CLI::Range(1, 256));
  sim_cmd->add_option("--code-prefix", load.code_prefix, "point code prefix");
  sim_cmd->add_flag("--influx", load.influx, "write InfluxDB 1.x line protocol to TARGET/write?db=kiln instead");

  auto* admin = cli.add_subcommand("admin", "Administer users, the schema and the audit log");
  admin->require_subcommand(1);
  std::string data, db, config_file, reference_data;
  auto add_admin_store = [&](CLI::App* cmd) {
    AddStoreFlags(cmd, data, db);
    cmd->add_option("--config", config_file, "TOML configuration file (security settings)")->check(CLI::ExistingFile);
  };
  auto* migrate = admin->add_subcommand("migrate", "Apply pending schema migrations");
  add_admin_store(migrate);
  security::NewUser new_user;
  auto* create_user = admin->add_subcommand("create-user", "Create a user");
  add_admin_store(create_user);
  create_user->add_option("--username", new_user.username, "login name")->required();
  create_user->add_option("--password", new_user.password, "password (>= 8 characters, three character classes)")
      ->required();
  create_user->add_option("--role", new_user.role, "province|city|county|dept_admin|dept_user|enterprise|operator")
      ->required();
  create_user->add_option("--region", new_user.region, "GB/T 2260 region code (officials, department users)");
  create_user->add_option("--enterprise", new_user.enterprise_uscc, "credit code of the enterprise (enterprise users)");
  create_user->add_option("--department", new_user.department, "department code (department users)");
  create_user->add_option("--permissions", new_user.permissions, "granted permissions, comma-separated (dept_user)");
  create_user->add_option("--display-name", new_user.display_name, "name shown in the console");
  std::string reset_username, reset_password;
  auto* reset = admin->add_subcommand("reset-password", "Set a user's password, unlock it and end its sessions");
  add_admin_store(reset);
  reset->add_option("--username", reset_username, "login name")->required();
  reset->add_option("--password", reset_password, "new password")->required();
  auto* verify_audit = admin->add_subcommand("verify-audit", "Check the audit log's hash chain");
  add_admin_store(verify_audit);
  std::string points_uscc, points_prefix = "SIM-";
  int points_count = 1000;
  std::int64_t points_interval = 300;
  auto* add_points = admin->add_subcommand("add-points", "Add simulated register points SIM-000001 … to an enterprise");
  add_admin_store(add_points);
  add_points->add_option("--enterprise", points_uscc, "the enterprise's unified social credit code")->required();
  add_points->add_option("--count", points_count, "how many")->check(CLI::Range(1, 10'000'000));
  add_points->add_option("--prefix", points_prefix, "code prefix");
  add_points->add_option("--interval", points_interval, "nominal interval in seconds");
  std::string key_uscc;
  auto* issue_key = admin->add_subcommand(
      "issue-key", "Issue an access-end key for an enterprise, or a department's key for its records; prints JSON");
  add_admin_store(issue_key);
  std::string key_department, key_region;
  auto* key_enterprise_opt =
      issue_key->add_option("--enterprise", key_uscc, "the enterprise's unified social credit code");
  auto* key_department_opt =
      issue_key->add_option("--department", key_department, "a department code (data/departments.csv) instead");
  issue_key->add_option("--region", key_region, "the department key's jurisdiction (GB/T 2260 code)")
      ->needs(key_department_opt);
  key_enterprise_opt->excludes(key_department_opt);
  auto* rebuild = admin->add_subcommand("rebuild-rollups", "Recompute intervals and rollups from raw readings");
  add_admin_store(rebuild);
  auto* evaluate = admin->add_subcommand(
      "evaluate-warnings", "Evaluate every warning rule over the look-back window and print what changed");
  add_admin_store(evaluate);
  auto* load_reference = admin->add_subcommand("load-reference", "Load or refresh reference data");
  add_admin_store(load_reference);
  load_reference->add_option("--reference-data", reference_data, "reference data directory");

  CLI11_PARSE(cli, argc, argv);

  if (serve->parsed()) return RunServer(serve_flags, false);
  if (sim_cmd->parsed()) {
    if (!load.influx) {
      auto colon = key_pair.find(':');
      if (colon == std::string::npos) return Fail(core::Status::InvalidArgument("--key must be KEY_ID:SECRET"));
      load.key_id = key_pair.substr(0, colon);
      load.secret = key_pair.substr(colon + 1);
    }
    auto report = sim::RunLoad(load);
    if (!report.ok()) return Fail(report.status());
    std::cout << nlohmann::json{{"readings", report->readings},
                                {"batches", report->batches},
                                {"refused_503", report->refused},
                                {"failed", report->failed},
                                {"seconds", report->seconds},
                                {"readings_per_second", report->per_second()},
                                {"latency_ms",
                                 {{"p50", report->p50_ms}, {"p95", report->p95_ms}, {"max", report->max_ms}}}}
                     .dump()
              << "\n";
    return report->failed > 0 && report->readings == 0 ? 1 : 0;
  }
  if (demo->parsed()) return RunServer(serve_flags, true);

  ServeFlags admin_flags;
  admin_flags.data = data;
  admin_flags.db = db;
  admin_flags.config_file = config_file;
  admin_flags.reference_data = reference_data;
  auto config = BuildConfig(admin_flags);
  if (!config.ok()) return Fail(config.status());
  config->storage.pool_size = 2;
  auto store = OpenAndPrepareStore(*config);
  if (!store.ok()) return Fail(store.status());
  core::SystemClock clock;
  security::AuditLog audit(**store, clock);
  security::Identity identity(**store, clock, audit, config->security);
  const security::PasswordSetter admin_cli{std::nullopt, "admin-cli"};

  if (migrate->parsed()) {
    auto version = (*store)->SchemaVersion();
    if (!version.ok()) return Fail(version.status());
    std::cout << "schema at version " << *version << "\n";
    return 0;
  }
  if (create_user->parsed()) {
    // Whoever ran the command knows the password, so the account must change it at its first login.
    auto user = identity.CreateUser(new_user, admin_cli);
    (void)audit.Record("admin-cli", "local", "user.create",
                       user.ok() ? fmt::format("users:{}", user->id) : new_user.username,
                       user.ok() ? "ok" : core::StatusCodeName(user.status().code()));
    if (!user.ok()) return Fail(user.status());
    std::cout << fmt::format("created user {} (id {}, role {}); the password must be changed at the first login\n",
                             user->username, user->id, user->role);
    return 0;
  }
  if (reset->parsed()) {
    auto status = identity.SetPassword(reset_username, reset_password, admin_cli);
    (void)audit.Record("admin-cli", "local", "user.reset_password", reset_username,
                       status.ok() ? "ok" : core::StatusCodeName(status.code()));
    if (!status.ok()) return Fail(status);
    std::cout << "password reset for " << reset_username
              << "; account unlocked, sessions ended; the password must be changed at the next login\n";
    return 0;
  }
  if (verify_audit->parsed()) {
    auto broken = audit.Verify();
    if (!broken.ok()) return Fail(broken.status());
    if (*broken != 0) {
      std::cerr << "audit log broken at entry " << *broken << "\n";
      return 1;
    }
    std::cout << "audit log intact\n";
    return 0;
  }
  if (add_points->parsed()) {
    auto id = (*store)->EnterpriseIdByCreditCode(points_uscc);
    if (!id.ok()) return Fail(id.status());
    if (!*id) return Fail(core::Status::NotFound("no enterprise with credit code " + points_uscc));
    std::vector<core::Record> records;
    for (int i = 1; i <= points_count; ++i) {
      core::Record p = {{"enterprise_id", **id},
                        {"code", sim::SimPointCode(points_prefix, i)},
                        {"name", fmt::format("模拟电能表 {}", i)},
                        {"measures", std::string("electricity")},
                        {"unit", std::string("kWh")},
                        {"kind", std::string("register")},
                        {"interval_s", points_interval},
                        {"in_total", false}};
      auto errors = core::ValidateRecord(core::MeteringPointSchema(), p, true);
      if (!errors.empty()) return Fail(core::Status::InvalidArgument("invalid point", errors));
      records.push_back(std::move(p));
    }
    auto created = (*store)->CreateRecords(core::MeteringPointSchema(), records, {"admin-cli", "local"}, clock.Now());
    if (!created.ok()) return Fail(created.status());
    std::cout << "added " << created->size() << " points to enterprise " << points_uscc << "\n";
    return 0;
  }
  if (issue_key->parsed() && !key_department.empty()) {
    if (core::LevelOfRegionCode(key_region) == core::RegionLevel::kInvalid) {
      return Fail(core::Status::InvalidArgument("--region must be a GB/T 2260 region code for a department key"));
    }
    auto departments = (*store)->ListDepartments();
    if (!departments.ok()) return Fail(departments.status());
    if (std::none_of(departments->begin(), departments->end(),
                     [&](const auto& d) { return d.code == key_department; })) {
      return Fail(core::Status::NotFound("no department " + key_department));
    }
    security::MachineAuth machine_auth(**store, clock);
    auto key = machine_auth.IssueForDepartment(key_department, key_region, "admin-cli");
    (void)audit.Record("admin-cli", "local", "department_key.issue",
                       key.ok() ? "department_keys:" + key->key_id : key_department,
                       key.ok() ? "ok" : core::StatusCodeName(key.status().code()));
    if (!key.ok()) return Fail(key.status());
    std::cout << nlohmann::json{{"key_id", key->key_id},
                                {"secret", key->secret},
                                {"department", key_department},
                                {"region", key_region}}
                     .dump()
              << "\n";
    return 0;
  }
  if (issue_key->parsed()) {
    if (key_uscc.empty()) return Fail(core::Status::InvalidArgument("--enterprise or --department is required"));
    auto id = (*store)->EnterpriseIdByCreditCode(key_uscc);
    if (!id.ok()) return Fail(id.status());
    if (!*id) return Fail(core::Status::NotFound("no enterprise with credit code " + key_uscc));
    security::MachineAuth machine_auth(**store, clock);
    auto key = machine_auth.Issue(**id, "admin-cli");
    (void)audit.Record("admin-cli", "local", "key.issue", key.ok() ? "machine_keys:" + key->key_id : key_uscc,
                       key.ok() ? "ok" : core::StatusCodeName(key.status().code()));
    if (!key.ok()) return Fail(key.status());
    std::cout << nlohmann::json{{"key_id", key->key_id}, {"secret", key->secret}}.dump() << "\n";
    return 0;
  }
  if (rebuild->parsed()) {
    ingest::Ingestor ingestor(**store, clock);
    auto status = ingestor.RebuildAll([](std::size_t done, std::size_t total) {
      std::cerr << fmt::format("\rrebuilding rollups: {}/{} points", done, total) << std::flush;
    });
    std::cerr << "\n";
    if (!status.ok()) return Fail(status);
    std::cout << "rollups rebuilt from raw readings\n";
    return 0;
  }
  if (evaluate->parsed()) {
    registry::Registry registry(**store, clock, audit);
    analysis::Accounting accounting(**store, registry, config->accounting.convention, config->accounting.grid,
                                    config->accounting.exclusions);
    analysis::DualControl dual_control(accounting, **store, clock);
    warnings::Evaluator evaluator(**store, accounting, dual_control, clock);
    auto summary = evaluator.EvaluateAll([](std::size_t done, std::size_t total) {
      std::cerr << fmt::format("\rchecking points: {}/{}", done, total) << std::flush;
    });
    std::cerr << "\n";
    if (!summary.ok()) return Fail(summary.status());
    storage::WarningFilter open{.statuses = {"open", "acknowledged"}, .page_size = 1};
    auto still_open = (*store)->warnings().ListWarnings(open);
    if (!still_open.ok()) return Fail(still_open.status());
    std::cout << nlohmann::json{{"points", summary->points},     {"opened", summary->opened},
                                {"reopened", summary->reopened}, {"updated", summary->updated},
                                {"cleared", summary->cleared},   {"open", still_open->second},
                                {"seconds", summary->seconds}}
                     .dump()
              << "\n";
    return 0;
  }
  if (load_reference->parsed()) {
    auto status = registry::LoadReferenceData(**store, config->reference_data);
    if (!status.ok()) return Fail(status);
    std::cout << "reference data loaded from " << config->reference_data << "\n";
    return 0;
  }
  return 0;
}
