#include "storage/migrations.hpp"

namespace kiln::storage {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "registry, identity, audit", R"SQL(
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent TEXT,
  lng {{REAL}},
  lat {{REAL}}
);
CREATE TABLE industries (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  classification TEXT,
  sort_order {{INT}} NOT NULL DEFAULT 0,
  source TEXT,
  status TEXT
);
CREATE TABLE departments (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE enterprises (
  id {{ID}},
  uscc TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  region TEXT NOT NULL REFERENCES regions(code),
  industry TEXT NOT NULL REFERENCES industries(code),
  address TEXT,
  lng {{REAL}},
  lat {{REAL}},
  legal_representative TEXT,
  contact TEXT,
  phone TEXT,
  status TEXT NOT NULL,
  registered_on TEXT,
  registered_capital {{REAL}},
  staff {{INT}},
  land_area {{REAL}},
  key_energy_unit {{INT}} NOT NULL DEFAULT 0,
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL
);
CREATE INDEX enterprises_region ON enterprises(region);
CREATE INDEX enterprises_industry ON enterprises(industry);
CREATE INDEX enterprises_name ON enterprises(name);
CREATE TABLE projects (
  id {{ID}},
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  name TEXT NOT NULL,
  industry TEXT NOT NULL REFERENCES industries(code),
  region TEXT NOT NULL REFERENCES regions(code),
  state TEXT NOT NULL,
  product TEXT,
  capacity {{REAL}},
  capacity_unit TEXT,
  equipment_category TEXT NOT NULL,
  efficiency_value {{REAL}},
  efficiency_unit TEXT,
  approved_on TEXT,
  investment {{REAL}},
  lng {{REAL}},
  lat {{REAL}},
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL
);
CREATE INDEX projects_region ON projects(region);
CREATE INDEX projects_enterprise ON projects(enterprise_id);
CREATE TABLE metering_points (
  id {{ID}},
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  measures TEXT NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL,
  interval_s {{INT}} NOT NULL,
  rollover {{REAL}},
  serial_no TEXT,
  calibrated_on TEXT,
  calibration_due TEXT,
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  UNIQUE (enterprise_id, code)
);
CREATE TABLE record_history (
  id {{ID}},
  kind TEXT NOT NULL,
  record_id {{INT}} NOT NULL,
  at {{INT}} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL
);
CREATE INDEX record_history_record ON record_history(kind, record_id, id);
CREATE TABLE users (
  id {{ID}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT,
  role TEXT NOT NULL,
  region TEXT,
  enterprise_id {{INT}} REFERENCES enterprises(id),
  department TEXT REFERENCES departments(code),
  permissions TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  password_salt TEXT NOT NULL,
  password_iterations {{INT}} NOT NULL,
  password_changed_at {{INT}} NOT NULL,
  failed_logins {{INT}} NOT NULL DEFAULT 0,
  locked_until {{INT}} NOT NULL DEFAULT 0,
  disabled {{INT}} NOT NULL DEFAULT 0,
  created_at {{INT}} NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id {{INT}} NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  last_seen_at {{INT}} NOT NULL,
  expires_at {{INT}} NOT NULL,
  revoked {{INT}} NOT NULL DEFAULT 0,
  address TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE audit_log (
  id {{ID}},
  at {{INT}} NOT NULL,
  username TEXT,
  address TEXT,
  action TEXT NOT NULL,
  target TEXT,
  result TEXT NOT NULL,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
)SQL"},
      {2, "machine keys, readings, intervals, rollups", R"SQL(
CREATE TABLE machine_keys (
  key_id TEXT PRIMARY KEY,
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  secret TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  revoked {{INT}} NOT NULL DEFAULT 0
);
CREATE INDEX machine_keys_enterprise ON machine_keys(enterprise_id);
CREATE TABLE request_nonces (
  key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  seen_at {{INT}} NOT NULL,
  PRIMARY KEY (key_id, nonce)
);
CREATE INDEX request_nonces_seen ON request_nonces(seen_at);
CREATE TABLE ingest_batches (
  id {{ID}},
  key_id TEXT NOT NULL,
  enterprise_id {{INT}} NOT NULL,
  received_at {{INT}} NOT NULL,
  accepted {{INT}} NOT NULL DEFAULT 0,
  duplicates {{INT}} NOT NULL DEFAULT 0,
  revised {{INT}} NOT NULL DEFAULT 0,
  rejected {{INT}} NOT NULL DEFAULT 0
);
CREATE TABLE readings (
  point_id {{INT}} NOT NULL,
  ts {{INT}} NOT NULL,
  value {{REAL}} NOT NULL,
  quality TEXT NOT NULL,
  batch_id {{INT}} NOT NULL,
  PRIMARY KEY (point_id, ts)
){{WITHOUT_ROWID}};
CREATE TABLE reading_revisions (
  point_id {{INT}} NOT NULL,
  ts {{INT}} NOT NULL,
  old_value {{REAL}} NOT NULL,
  old_quality TEXT NOT NULL,
  old_batch_id {{INT}} NOT NULL,
  revised_by_batch {{INT}} NOT NULL,
  revised_at {{INT}} NOT NULL
);
CREATE INDEX reading_revisions_point ON reading_revisions(point_id, ts);
CREATE TABLE point_intervals (
  point_id {{INT}} NOT NULL,
  end_ts {{INT}} NOT NULL,
  start_ts {{INT}} NOT NULL,
  amount {{REAL}},
  flags {{INT}} NOT NULL,
  PRIMARY KEY (point_id, end_ts)
){{WITHOUT_ROWID}};
CREATE INDEX point_intervals_start ON point_intervals(point_id, start_ts);
CREATE TABLE point_rollups (
  point_id {{INT}} NOT NULL,
  period TEXT NOT NULL,
  start_ts {{INT}} NOT NULL,
  sum {{REAL}} NOT NULL,
  count {{INT}} NOT NULL,
  expected {{INT}} NOT NULL,
  min {{REAL}} NOT NULL,
  max {{REAL}} NOT NULL,
  first {{REAL}} NOT NULL,
  last {{REAL}} NOT NULL,
  flagged {{INT}} NOT NULL,
  PRIMARY KEY (point_id, period, start_ts)
){{WITHOUT_ROWID}};
)SQL"},
      {3, "energy totals by enterprise and by county x industry", R"SQL(
ALTER TABLE metering_points ADD COLUMN in_total {{INT}} NOT NULL DEFAULT 1;
CREATE TABLE enterprise_energy (
  enterprise_id {{INT}} NOT NULL,
  energy_type TEXT NOT NULL,
  period TEXT NOT NULL,
  start_ts {{INT}} NOT NULL,
  amount {{REAL}} NOT NULL,
  points {{INT}} NOT NULL,
  PRIMARY KEY (enterprise_id, energy_type, period, start_ts)
){{WITHOUT_ROWID}};
CREATE INDEX enterprise_energy_period ON enterprise_energy(energy_type, period, start_ts);
CREATE TABLE region_energy (
  region TEXT NOT NULL,
  industry TEXT NOT NULL,
  energy_type TEXT NOT NULL,
  month_start {{INT}} NOT NULL,
  amount {{REAL}} NOT NULL,
  enterprises {{INT}} NOT NULL,
  PRIMARY KEY (region, industry, energy_type, month_start)
){{WITHOUT_ROWID}};
CREATE INDEX region_energy_month ON region_energy(energy_type, month_start);
)SQL"},
      {4, "metering point maximum rate", R"SQL(
ALTER TABLE metering_points ADD COLUMN max_rate {{REAL}};
)SQL"},
      {5, "standard-coal conversion factors, versioned", R"SQL(
CREATE TABLE conversion_factors (
  energy_type TEXT NOT NULL,
  variant TEXT NOT NULL,
  version {{INT}} NOT NULL,
  kgce_per_unit {{REAL}} NOT NULL,
  unit TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (energy_type, variant, version)
);
)SQL"},
      {6, "enterprise reports, their versions and review actions", R"SQL(
CREATE TABLE reports (
  id {{ID}},
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  status TEXT NOT NULL,
  version {{INT}} NOT NULL,
  draft TEXT NOT NULL,
  explanation TEXT NOT NULL,
  due_at {{INT}} NOT NULL,
  first_submitted_at {{INT}},
  submitted_at {{INT}},
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  UNIQUE (enterprise_id, kind, period)
);
CREATE INDEX reports_period ON reports(kind, period, status);
CREATE TABLE report_versions (
  report_id {{INT}} NOT NULL REFERENCES reports(id),
  version {{INT}} NOT NULL,
  content TEXT NOT NULL,
  explanation TEXT NOT NULL,
  comprehensive_tce {{REAL}} NOT NULL,
  factors TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  submitted_at {{INT}} NOT NULL,
  PRIMARY KEY (report_id, version)
);
CREATE TABLE report_actions (
  id {{ID}},
  report_id {{INT}} NOT NULL REFERENCES reports(id),
  version {{INT}} NOT NULL,
  action TEXT NOT NULL,
  level TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  at {{INT}} NOT NULL
);
CREATE INDEX report_actions_report ON report_actions(report_id, id);
)SQL"},
      {7, "CO2 emission factors, versioned", R"SQL(
CREATE TABLE co2_factors (
  energy_type TEXT NOT NULL,
  grid_region TEXT NOT NULL,
  year {{INT}} NOT NULL,
  version {{INT}} NOT NULL,
  kg_co2_per_unit {{REAL}} NOT NULL,
  unit TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (energy_type, grid_region, year, version)
);
)SQL"},
      {8, "energy-efficiency levels per product", R"SQL(
CREATE TABLE efficiency_levels (
  product TEXT NOT NULL PRIMARY KEY,
  process TEXT NOT NULL,
  indicator_unit TEXT NOT NULL,
  advanced {{REAL}} NOT NULL,
  benchmark {{REAL}} NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL
);
)SQL"},
      {9, "department data: collection tasks, uploads, records, department keys", R"SQL(
CREATE TABLE collection_tasks (
  code TEXT NOT NULL,
  version {{INT}} NOT NULL,
  department TEXT NOT NULL REFERENCES departments(code),
  name TEXT NOT NULL,
  frequency TEXT NOT NULL,
  fields TEXT NOT NULL,
  active {{INT}} NOT NULL,
  source TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at {{INT}} NOT NULL,
  PRIMARY KEY (code, version)
);
CREATE TABLE department_uploads (
  id {{ID}},
  task_code TEXT NOT NULL,
  task_version {{INT}} NOT NULL,
  department TEXT NOT NULL,
  region TEXT NOT NULL,
  filename TEXT NOT NULL,
  format TEXT NOT NULL,
  size {{INT}} NOT NULL,
  sm3 TEXT NOT NULL,
  original TEXT NOT NULL,
  rows_json TEXT NOT NULL,
  status TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at {{INT}} NOT NULL,
  committed_at {{INT}},
  row_count {{INT}} NOT NULL,
  error_count {{INT}} NOT NULL,
  unmatched_count {{INT}} NOT NULL
);
CREATE INDEX department_uploads_task ON department_uploads(task_code, id);
CREATE TABLE department_records (
  id {{ID}},
  task_code TEXT NOT NULL,
  task_version {{INT}} NOT NULL,
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  period TEXT NOT NULL,
  upload_id {{INT}} NOT NULL REFERENCES department_uploads(id),
  row_number {{INT}} NOT NULL,
  data TEXT NOT NULL,
  recorded_at {{INT}} NOT NULL,
  superseded {{INT}} NOT NULL DEFAULT 0
);
CREATE INDEX department_records_enterprise ON department_records(enterprise_id, task_code, period);
CREATE INDEX department_records_task ON department_records(task_code, period);
CREATE TABLE department_keys (
  key_id TEXT PRIMARY KEY,
  department TEXT NOT NULL REFERENCES departments(code),
  region TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  revoked {{INT}} NOT NULL DEFAULT 0
);
)SQL"},
      {10, "efficiency levels keep every version", R"SQL(
CREATE TABLE efficiency_level_versions (
  product TEXT NOT NULL,
  version {{INT}} NOT NULL,
  process TEXT NOT NULL,
  indicator_unit TEXT NOT NULL,
  advanced {{REAL}} NOT NULL,
  benchmark {{REAL}} NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (product, version)
);
INSERT INTO efficiency_level_versions (product, version, process, indicator_unit, advanced, benchmark, status, source)
  SELECT product, 1, process, indicator_unit, advanced, benchmark, status, source FROM efficiency_levels;
DROP TABLE efficiency_levels;
)SQL"},
      {11, "a metering point may belong to a project", R"SQL(
ALTER TABLE metering_points ADD COLUMN project_id {{INT}} REFERENCES projects(id);
CREATE INDEX metering_points_project ON metering_points(project_id);
)SQL"},
      {12, "reference lists (industries, disposal types) keep every version", R"SQL(
CREATE TABLE reference_items (
  list TEXT NOT NULL,
  code TEXT NOT NULL,
  version {{INT}} NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  sort_order {{INT}} NOT NULL,
  active {{INT}} NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at {{INT}} NOT NULL,
  PRIMARY KEY (list, code, version)
);
INSERT INTO reference_items (list, code, version, name, description, sort_order, active, status, source, changed_by,
                             changed_at)
  SELECT 'industries', code, 1, name, COALESCE(classification, ''), sort_order, 1, COALESCE(status, 'to_be_confirmed'),
         COALESCE(source, ''), 'data/industries.csv', 0 FROM industries;
)SQL"},
      {13, "raw readings in hourly blocks per point; the journal of acknowledged batches", R"SQL(
CREATE TABLE reading_blocks (
  point_id {{INT}} NOT NULL,
  start_ts {{INT}} NOT NULL,
  n {{INT}} NOT NULL,
  first_ts {{INT}} NOT NULL,
  last_ts {{INT}} NOT NULL,
  data {{BLOB}} NOT NULL,
  sum {{REAL}},
  count {{INT}},
  expected {{INT}},
  min {{REAL}},
  max {{REAL}},
  first {{REAL}},
  last {{REAL}},
  flagged {{INT}},
  PRIMARY KEY (point_id, start_ts)
){{WITHOUT_ROWID}};
CREATE TABLE ingest_journal (
  seq {{ID}},
  batch_id {{INT}} NOT NULL,
  data {{BLOB}} NOT NULL
);
)SQL"},
      {14, "accounts an administrator set must change their password; who set whose password", R"SQL(
ALTER TABLE users ADD COLUMN must_change_password {{INT}} NOT NULL DEFAULT 0;
CREATE TABLE password_grants (
  id {{ID}},
  user_id {{INT}} NOT NULL REFERENCES users(id),
  granted_by_user_id {{INT}},
  granted_by TEXT NOT NULL,
  kind TEXT NOT NULL,
  at {{INT}} NOT NULL
);
CREATE INDEX password_grants_by ON password_grants(granted_by_user_id, at);
CREATE INDEX sessions_expiry ON sessions(expires_at);
)SQL"},
      {15, "several nodes on one database: the journal per node, node heartbeats, owners of enterprises' meter data",
       R"SQL(
ALTER TABLE ingest_journal ADD COLUMN node TEXT NOT NULL DEFAULT 'local';
ALTER TABLE ingest_journal ADD COLUMN enterprise_id {{INT}} NOT NULL DEFAULT 0;
CREATE INDEX ingest_journal_node ON ingest_journal(node, enterprise_id, seq);
CREATE TABLE ingest_nodes (
  node TEXT PRIMARY KEY,
  instance TEXT NOT NULL,
  heartbeat_at {{INT}} NOT NULL
);
CREATE TABLE ingest_owners (
  enterprise_id {{INT}} PRIMARY KEY,
  node TEXT NOT NULL,
  since {{INT}} NOT NULL,
  handover_to TEXT
);
CREATE INDEX ingest_owners_node ON ingest_owners(node);
)SQL"},
      {16, "warnings with their lifecycle and events, rule thresholds, notification preferences, webhook outbox",
       R"SQL(
CREATE TABLE warnings (
  id {{ID}},
  condition_key TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  closed_reason TEXT NOT NULL DEFAULT '',
  enterprise_id {{INT}},
  point_id {{INT}},
  region TEXT NOT NULL,
  industry TEXT NOT NULL,
  from_ts {{INT}} NOT NULL,
  to_ts {{INT}},
  message TEXT NOT NULL,
  evidence TEXT NOT NULL,
  opened_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  acknowledged_at {{INT}},
  acknowledged_by TEXT NOT NULL DEFAULT '',
  closed_at {{INT}},
  closed_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  reopened {{INT}} NOT NULL DEFAULT 0
);
CREATE INDEX warnings_rule ON warnings(rule, from_ts);
CREATE INDEX warnings_status ON warnings(status, region);
CREATE INDEX warnings_enterprise ON warnings(enterprise_id, rule);
CREATE INDEX warnings_point ON warnings(point_id, rule);
CREATE TABLE warning_events (
  id {{ID}},
  warning_id {{INT}} NOT NULL REFERENCES warnings(id),
  at {{INT}} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX warning_events_warning ON warning_events(warning_id, id);
CREATE TABLE warning_thresholds (
  rule TEXT NOT NULL,
  name TEXT NOT NULL,
  version {{INT}} NOT NULL,
  value {{REAL}} NOT NULL,
  unit TEXT NOT NULL,
  source TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at {{INT}} NOT NULL,
  PRIMARY KEY (rule, name, version)
);
CREATE TABLE notification_prefs (
  user_id {{INT}} PRIMARY KEY REFERENCES users(id),
  categories TEXT NOT NULL,
  min_severity TEXT NOT NULL,
  webhook {{INT}} NOT NULL,
  seen_until {{INT}} NOT NULL
);
CREATE TABLE webhook_outbox (
  id {{ID}},
  warning_id {{INT}} NOT NULL,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts {{INT}} NOT NULL DEFAULT 0,
  next_at {{INT}} NOT NULL,
  delivered_at {{INT}},
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(delivered_at, next_at);
)SQL"},
      {17, "control targets per region and year, with versions", R"SQL(
CREATE TABLE control_targets (
  region TEXT NOT NULL,
  year {{INT}} NOT NULL,
  indicator TEXT NOT NULL,
  product TEXT NOT NULL,
  version {{INT}} NOT NULL,
  value {{REAL}} NOT NULL,
  unit TEXT NOT NULL,
  source TEXT NOT NULL,
  example {{INT}} NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at {{INT}} NOT NULL,
  PRIMARY KEY (region, year, indicator, product, version)
);
)SQL"},
      {18, "review items of every flow, their versions and steps; enterprises on and off the list", R"SQL(
CREATE TABLE review_items (
  id {{ID}},
  flow TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id {{INT}} NOT NULL,
  enterprise_id {{INT}} REFERENCES enterprises(id),
  region TEXT NOT NULL,
  subject_label TEXT NOT NULL,
  status TEXT NOT NULL,
  awaiting TEXT NOT NULL,
  filer TEXT NOT NULL,
  levels TEXT NOT NULL,
  version {{INT}} NOT NULL,
  content TEXT NOT NULL,
  filed_by TEXT NOT NULL,
  filed_at {{INT}} NOT NULL,
  due_at {{INT}},
  updated_at {{INT}} NOT NULL
);
CREATE INDEX review_items_awaiting ON review_items(awaiting, region);
CREATE INDEX review_items_subject ON review_items(subject_kind, subject_id);
CREATE INDEX review_items_enterprise ON review_items(enterprise_id);
CREATE TABLE review_versions (
  item_id {{INT}} NOT NULL REFERENCES review_items(id),
  version {{INT}} NOT NULL,
  content TEXT NOT NULL,
  filed_by TEXT NOT NULL,
  filed_at {{INT}} NOT NULL,
  PRIMARY KEY (item_id, version)
);
CREATE TABLE review_steps (
  id {{ID}},
  item_id {{INT}} NOT NULL REFERENCES review_items(id),
  version {{INT}} NOT NULL,
  action TEXT NOT NULL,
  level TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  at {{INT}} NOT NULL
);
CREATE INDEX review_steps_item ON review_steps(item_id, id);
INSERT INTO review_items (flow, subject_kind, subject_id, enterprise_id, region, subject_label, status, awaiting,
                          filer, levels, version, content, filed_by, filed_at, due_at, updated_at)
SELECT r.kind || '_report', 'report', r.id, r.enterprise_id, e.region, r.period, r.status,
       CASE r.status WHEN 'submitted' THEN 'county' WHEN 'county_approved' THEN 'city'
                     WHEN 'city_approved' THEN 'province' WHEN 'returned' THEN 'enterprise' ELSE '' END,
       'enterprise', 'county,city,province', r.version, '',
       COALESCE((SELECT v.submitted_by FROM report_versions v WHERE v.report_id = r.id AND v.version = 1), ''),
       COALESCE(r.first_submitted_at, r.updated_at), r.due_at, r.updated_at
FROM reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.status <> 'draft';
ALTER TABLE enterprises ADD COLUMN list_status TEXT NOT NULL DEFAULT 'listed';
ALTER TABLE enterprises ADD COLUMN listed_on TEXT;
ALTER TABLE enterprises ADD COLUMN delisted_on TEXT;
ALTER TABLE enterprises ADD COLUMN list_decision {{INT}};
CREATE INDEX enterprises_list_status ON enterprises(list_status);
)SQL"},
      {19, "the enterprise's basic information of seed 002 still missing", R"SQL(
ALTER TABLE enterprises ADD COLUMN legal_representative_phone TEXT;
ALTER TABLE enterprises ADD COLUMN enterprise_type TEXT;
ALTER TABLE enterprises ADD COLUMN business_scope TEXT;
ALTER TABLE enterprises ADD COLUMN remarks TEXT;
)SQL"},
      {20, "attachments stored once by SM3 hash, and the review steps that carry them", R"SQL(
CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size {{INT}} NOT NULL,
  content {{BLOB}} NOT NULL,
  created_by TEXT NOT NULL,
  created_at {{INT}} NOT NULL
);
CREATE TABLE review_attachments (
  item_id {{INT}} NOT NULL REFERENCES review_items(id),
  version {{INT}} NOT NULL,
  attachment_id TEXT NOT NULL REFERENCES attachments(id),
  PRIMARY KEY (item_id, version, attachment_id)
);
CREATE INDEX review_attachments_attachment ON review_attachments(attachment_id);
)SQL"},
      {21, "violating projects, their disposal, progress and closure", R"SQL(
CREATE TABLE violations (
  id {{ID}},
  project_id {{INT}} NOT NULL REFERENCES projects(id),
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  violation_type TEXT NOT NULL,
  disposal_type TEXT NOT NULL,
  measures TEXT NOT NULL,
  deadline TEXT NOT NULL,
  responsible_unit TEXT NOT NULL,
  state TEXT NOT NULL,
  progress {{INT}} NOT NULL,
  escalations {{INT}} NOT NULL,
  marked_by TEXT NOT NULL,
  marked_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  closed_at {{INT}}
);
CREATE INDEX violations_project ON violations(project_id);
CREATE INDEX violations_enterprise ON violations(enterprise_id);
CREATE INDEX violations_state ON violations(state, deadline);
CREATE TABLE violation_events (
  id {{ID}},
  violation_id {{INT}} NOT NULL REFERENCES violations(id),
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL,
  state TEXT NOT NULL,
  disposal_type TEXT NOT NULL,
  deadline TEXT NOT NULL,
  progress {{INT}} NOT NULL,
  at {{INT}} NOT NULL
);
CREATE INDEX violation_events_violation ON violation_events(violation_id, id);
CREATE TABLE violation_attachments (
  event_id {{INT}} NOT NULL REFERENCES violation_events(id),
  violation_id {{INT}} NOT NULL REFERENCES violations(id),
  attachment_id TEXT NOT NULL REFERENCES attachments(id),
  PRIMARY KEY (event_id, attachment_id)
);
CREATE INDEX violation_attachments_attachment ON violation_attachments(attachment_id);
)SQL"},
      {22, "a project's approval documents (核准/备案, 节能审查, 环评) and design figures", R"SQL(
ALTER TABLE projects ADD COLUMN approval_kind TEXT;
ALTER TABLE projects ADD COLUMN approval_no TEXT;
ALTER TABLE projects ADD COLUMN energy_review_no TEXT;
ALTER TABLE projects ADD COLUMN energy_review_on TEXT;
ALTER TABLE projects ADD COLUMN eia_no TEXT;
ALTER TABLE projects ADD COLUMN eia_on TEXT;
ALTER TABLE projects ADD COLUMN design_capacity {{REAL}};
ALTER TABLE projects ADD COLUMN design_energy_tce {{REAL}};
ALTER TABLE projects ADD COLUMN design_coal_t {{REAL}};
)SQL"},
      {23, "a project's process units (装置) and their class in the industrial structure catalogue", R"SQL(
CREATE TABLE project_equipment (
  id {{ID}},
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  project_id {{INT}} NOT NULL REFERENCES projects(id),
  name TEXT NOT NULL,
  process TEXT,
  model TEXT,
  capacity {{REAL}},
  capacity_unit TEXT,
  category TEXT NOT NULL,
  elimination_deadline TEXT,
  status TEXT NOT NULL,
  commissioned_on TEXT,
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL
);
CREATE INDEX project_equipment_project ON project_equipment(project_id);
CREATE INDEX project_equipment_enterprise ON project_equipment(enterprise_id);
)SQL"},
      {24, "a project's completion date (竣工)", R"SQL(
ALTER TABLE projects ADD COLUMN completed_on TEXT;
)SQL"},
      {25, "energy-efficiency upgrade plans (一企一策), their projects, progress and acceptance", R"SQL(
CREATE TABLE upgrade_plans (
  id {{ID}},
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  status TEXT NOT NULL,
  content TEXT NOT NULL,
  start_month TEXT NOT NULL,
  completion_due TEXT NOT NULL,
  expected_saving_tce {{REAL}} NOT NULL,
  progress {{INT}} NOT NULL,
  completed_on TEXT,
  measured TEXT,
  measured_saving_tce {{REAL}},
  filed_by TEXT NOT NULL,
  filed_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  accepted_at {{INT}}
);
CREATE INDEX upgrade_plans_enterprise ON upgrade_plans(enterprise_id);
CREATE TABLE upgrade_plan_projects (
  plan_id {{INT}} NOT NULL REFERENCES upgrade_plans(id),
  project_id {{INT}} NOT NULL REFERENCES projects(id),
  PRIMARY KEY (plan_id, project_id)
);
CREATE INDEX upgrade_plan_projects_project ON upgrade_plan_projects(project_id);
CREATE TABLE upgrade_plan_events (
  id {{ID}},
  plan_id {{INT}} NOT NULL REFERENCES upgrade_plans(id),
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL,
  status TEXT NOT NULL,
  progress {{INT}} NOT NULL,
  at {{INT}} NOT NULL
);
CREATE INDEX upgrade_plan_events_plan ON upgrade_plan_events(plan_id, id);
CREATE TABLE upgrade_plan_attachments (
  event_id {{INT}} NOT NULL REFERENCES upgrade_plan_events(id),
  plan_id {{INT}} NOT NULL REFERENCES upgrade_plans(id),
  attachment_id TEXT NOT NULL REFERENCES attachments(id),
  PRIMARY KEY (event_id, attachment_id)
);
CREATE INDEX upgrade_plan_attachments_attachment ON upgrade_plan_attachments(attachment_id);
)SQL"},
      {26, "inspections (督导检查): plans, teams, tasks, findings and their rectification, indicator deductions", R"SQL(
CREATE TABLE inspection_plans (
  id {{ID}},
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  region TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  focus TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at {{INT}} NOT NULL
);
CREATE TABLE inspection_teams (
  id {{ID}},
  plan_id {{INT}} NOT NULL REFERENCES inspection_plans(id),
  name TEXT NOT NULL,
  leader TEXT NOT NULL,
  members TEXT NOT NULL
);
CREATE INDEX inspection_teams_plan ON inspection_teams(plan_id);
CREATE TABLE inspection_tasks (
  id {{ID}},
  plan_id {{INT}} NOT NULL REFERENCES inspection_plans(id),
  team_id {{INT}} REFERENCES inspection_teams(id),
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  selection TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  visited_on TEXT,
  summary TEXT,
  visited_by TEXT,
  created_by TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  UNIQUE (plan_id, enterprise_id)
);
CREATE INDEX inspection_tasks_enterprise ON inspection_tasks(enterprise_id);
CREATE TABLE inspection_findings (
  id {{ID}},
  task_id {{INT}} NOT NULL REFERENCES inspection_tasks(id),
  plan_id {{INT}} NOT NULL REFERENCES inspection_plans(id),
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  severity TEXT NOT NULL,
  requirement TEXT NOT NULL,
  deadline TEXT NOT NULL,
  state TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL
);
CREATE INDEX inspection_findings_task ON inspection_findings(task_id);
CREATE INDEX inspection_findings_enterprise ON inspection_findings(enterprise_id);
CREATE TABLE inspection_finding_events (
  id {{ID}},
  finding_id {{INT}} NOT NULL REFERENCES inspection_findings(id),
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL,
  state TEXT NOT NULL,
  at {{INT}} NOT NULL
);
CREATE INDEX inspection_finding_events_finding ON inspection_finding_events(finding_id, id);
CREATE TABLE inspection_finding_attachments (
  event_id {{INT}} NOT NULL REFERENCES inspection_finding_events(id),
  finding_id {{INT}} NOT NULL REFERENCES inspection_findings(id),
  attachment_id TEXT NOT NULL REFERENCES attachments(id),
  PRIMARY KEY (event_id, attachment_id)
);
CREATE INDEX inspection_finding_attachments_attachment ON inspection_finding_attachments(attachment_id);
CREATE TABLE indicator_deductions (
  id {{ID}},
  plan_id {{INT}} REFERENCES inspection_plans(id),
  finding_id {{INT}} REFERENCES inspection_findings(id),
  enterprise_id {{INT}} REFERENCES enterprises(id),
  region TEXT NOT NULL,
  indicator TEXT NOT NULL,
  year {{INT}} NOT NULL,
  amount {{REAL}} NOT NULL,
  unit TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at {{INT}} NOT NULL
);
CREATE INDEX indicator_deductions_region ON indicator_deductions(region, year);
)SQL"},
      {27, "resident supervisors (驻企监管) of output-controlled steel and coking enterprises, and their visits", R"SQL(
CREATE TABLE resident_supervisors (
  id {{ID}},
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  phone TEXT NOT NULL,
  appointed_on TEXT NOT NULL,
  appointed_by TEXT NOT NULL,
  ended_on TEXT,
  end_reason TEXT,
  created_at {{INT}} NOT NULL
);
CREATE INDEX resident_supervisors_enterprise ON resident_supervisors(enterprise_id);
CREATE TABLE supervisor_visits (
  id {{ID}},
  supervisor_id {{INT}} NOT NULL REFERENCES resident_supervisors(id),
  enterprise_id {{INT}} NOT NULL REFERENCES enterprises(id),
  visited_on TEXT NOT NULL,
  output_t {{REAL}},
  meters_ok {{INT}} NOT NULL,
  note TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at {{INT}} NOT NULL
);
CREATE INDEX supervisor_visits_supervisor ON supervisor_visits(supervisor_id, visited_on);
)SQL"},
  };
  return kMigrations;
}

std::string RenderMigration(const char* sql, Dialect dialect) {
  std::string out(sql);
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size())) {
      out.replace(pos, from.size(), to);
    }
  };
  bool pg = dialect == Dialect::kPostgres;
  replace_all("{{ID}}", pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY");
  replace_all("{{INT}}", pg ? "BIGINT" : "INTEGER");
  replace_all("{{REAL}}", pg ? "DOUBLE PRECISION" : "REAL");
  replace_all("{{BLOB}}", pg ? "BYTEA" : "BLOB");
  replace_all("{{WITHOUT_ROWID}}", pg ? "" : " WITHOUT ROWID");
  return out;
}

}  // namespace kiln::storage
