// Energy-efficiency upgrade plans (一企一策): an enterprise's plan for its existing projects below the
// benchmark level (flow upgrade_plan, county → city → province), its progress and completion, the county's
// acceptance with the saving measured before and after (flow upgrade_acceptance, city → province), the
// enterprise's candidate projects, and the counts by city/county or industry.
import type { Attachment } from './reviews'
import { get, post, type Page } from './request'

export const UPGRADE_STATUSES = ['filed', 'in_progress', 'completed', 'accepted'] as const
export type UpgradeStatus = (typeof UPGRADE_STATUSES)[number]
export type TargetLevel = 'benchmark' | 'advanced'
export type EfficiencyClass = 'advanced' | 'between' | 'below_benchmark'
// Where a month's figures come from; null: none.
export type MonthSource = 'metered' | 'report' | 'department' | 'mixed'

export interface UpgradePlan {
  id: number
  enterprise: { id: number; name: string }
  region: string
  region_name: string
  industry: string
  industry_name: string
  status: UpgradeStatus
  project_ids: number[]
  // YYYY-MM; the baseline is the 12 months before.
  start_month: string
  completion_due: string
  expected_saving_tce: number
  measured_saving_tce: number | null
  progress: number
  completed_on: string | null
  filed_by: string
  filed_at: string
  updated_at: string
  accepted_at: string | null
}

// One project of a plan as filed: what it is, where it stands against the levels, where it is to go.
export interface PlanProject {
  project_id: number
  name: string
  product: string
  target_level: TargetLevel
  expected_saving_tce: number
  declared: number | null
  benchmark: number
  advanced: number
  unit: string
}

export interface Milestone {
  title: string
  due: string
}

// The plan's content (the newest version under review while filed, else the approved one).
export interface PlanContent {
  plan_id?: number
  projects: PlanProject[]
  measures: string
  investment: number
  adopted_on: string
  completion_due: string
  milestones: Milestone[]
  reason: string
  attachments: string[]
}

export interface UpgradeEvent {
  id: number
  kind: 'filed' | 'approved' | 'progress' | 'completed' | 'accepted'
  level: string
  actor: string
  note: string
  status: UpgradeStatus
  progress: number
  attachments: string[]
  at: string
}

export interface UpgradeReview {
  id: number
  flow: 'upgrade_plan' | 'upgrade_acceptance'
  flow_name: string
  status: string
  level: string | null
  version: number
  filed_by: string
  filed_at: string
  due: string | null
}

export interface MeasuredMonth {
  month: string
  source: MonthSource | null
  tce: number | null
  output: number | null
}

export interface MeasuredPeriod {
  months: MeasuredMonth[]
  with_figures: number
  tce: number
  output: number
  kgce_per_t: number | null
}

export interface MeasuredProject {
  project_id: number
  name: string
  product: string
  level: { benchmark: number; advanced: number; unit: string; version: number } | null
  declared: number | null
  baseline: MeasuredPeriod
  after: MeasuredPeriod
  class_before: EfficiencyClass | null
  class_after: EfficiencyClass | null
  expected_saving_tce: number
  measured_saving_tce: number | null
}

export interface MeasurementProblem {
  project_id: number | null
  kind: 'not_completed' | 'baseline_missing' | 'after_short'
  months: string[]
}

export interface Measurement {
  baseline_from: string
  baseline_to: string
  after_from: string | null
  after_to: string | null
  expected_saving_tce: number
  measured_saving_tce: number | null
  ready: boolean
  projects: MeasuredProject[]
  problems: MeasurementProblem[]
}

export interface UpgradePlanDetail extends UpgradePlan {
  plan: PlanContent
  events: UpgradeEvent[]
  attachments: Attachment[]
  reviews: UpgradeReview[]
  measurement: Measurement
  may: { report: boolean; complete: boolean; accept: boolean }
}

// An existing project of the enterprise below the benchmark level, with the plan that covers it.
export interface UpgradeCandidate {
  project_id: number
  name: string
  product: string
  capacity: number | null
  capacity_unit: string | null
  declared: number
  benchmark: number
  advanced: number
  unit: string
  plan_id: number | null
  plan_status: UpgradeStatus | null
}

// What an enterprise files (and sends again after a return).
export interface UpgradePlanFiling {
  projects: { project_id: number; target_level: TargetLevel; expected_saving_tce: number }[]
  measures: string
  investment: number
  adopted_on?: string
  completion_due: string
  milestones?: Milestone[]
  reason?: string
  attachments?: string[]
}

export interface UpgradeFilter {
  status?: UpgradeStatus | ''
  region?: string
  industry?: string
  enterprise?: number
  page?: number
  page_size?: number
}

// One city/county (or industry): its existing projects by class, the ones below the benchmark in a plan and
// accepted, capacities in t a year, the advanced share of rated capacity, plans by status, and the expected and
// measured saving of accepted plans.
export interface UpgradeGroup {
  key: string
  name: string | null
  projects: number
  advanced: number
  between: number
  below_benchmark: number
  unrated: number
  below_in_plan: number
  below_accepted: number
  rated_capacity_t: number
  advanced_capacity_t: number
  below_capacity_t: number
  advanced_share: number | null
  plans: Partial<Record<UpgradeStatus, number>>
  expected_saving_tce: number
  measured_saving_tce: number
}

export interface UpgradeSummary {
  group_by: 'region' | 'industry'
  items: UpgradeGroup[]
  total: UpgradeGroup
  advanced_share_goal: number | null
}

const withoutEmpty = <T extends object>(body: T): T =>
  Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== '' && v !== undefined && !(Array.isArray(v) && !v.length)),
  ) as T

export const listUpgradePlans = (filter: UpgradeFilter = {}) =>
  get<Page<UpgradePlan>>('/api/v1/upgrade-plans', { ...filter })
export const upgradeSummary = (groupBy: UpgradeSummary['group_by'] = 'region', region = '') =>
  get<UpgradeSummary>('/api/v1/upgrade-plans/summary', { group_by: groupBy, region })
export const getUpgradePlan = (id: number) => get<UpgradePlanDetail>(`/api/v1/upgrade-plans/${id}`)
export const upgradeCandidates = (enterpriseId: number) =>
  get<{ items: UpgradeCandidate[] }>(`/api/v1/enterprises/${enterpriseId}/upgrade-candidates`)
export const fileUpgradePlan = (enterpriseId: number, body: UpgradePlanFiling) =>
  post<UpgradePlanDetail>(`/api/v1/enterprises/${enterpriseId}/upgrade-plans`, withoutEmpty(body))
// A returned plan sent again: the whole plan, as corrected.
export const resubmitUpgradePlan = (reviewId: number, body: UpgradePlanFiling) =>
  post<{ id: number; status: string; level: string | null }>(`/api/v1/reviews/${reviewId}/resubmit`, withoutEmpty(body))
export const reportUpgradeProgress = (id: number, body: { progress: number; note: string; attachments?: string[] }) =>
  post<UpgradePlanDetail>(`/api/v1/upgrade-plans/${id}/progress`, withoutEmpty(body))
export const reportUpgradeCompletion = (
  id: number,
  body: { completed_on: string; note: string; attachments?: string[] },
) => post<UpgradePlanDetail>(`/api/v1/upgrade-plans/${id}/completion`, withoutEmpty(body))
export const fileUpgradeAcceptance = (id: number, body: { reason: string; attachments?: string[] }) =>
  post<UpgradeReview>(`/api/v1/upgrade-plans/${id}/acceptance`, withoutEmpty(body))
