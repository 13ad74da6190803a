// Inspections (督导检查): the province or a city plans an inspection (全面检查, 四进督导, 专项督查) with its
// teams and assigns enterprises, targeted with a reason or drawn at random; an official records the visit with
// its findings and photos; the enterprise (or its county) reports a finding rectified, an official reopens or
// verifies it; the province decides indicator deductions (指标扣减) against an enterprise or a region.
import type { Attachment } from './reviews'
import { get, post, type Page } from './request'

export const INSPECTION_KINDS = ['comprehensive', 'four_in', 'special'] as const
export type InspectionKind = (typeof INSPECTION_KINDS)[number]
export const TASK_STATUSES = ['assigned', 'visited'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]
export const FINDING_CATEGORIES = [
  'metering',
  'reporting',
  'rectification',
  'energy_data',
  'capacity',
  'upgrade',
  'other',
] as const
export type FindingCategory = (typeof FINDING_CATEGORIES)[number]
export type Severity = 'minor' | 'major'
export const FINDING_STATES = ['open', 'rectified', 'verified'] as const
export type FindingState = (typeof FINDING_STATES)[number]
export const INDICATORS = ['output', 'energy', 'coal'] as const
export type Indicator = (typeof INDICATORS)[number]

export interface InspectionTeam {
  id: number
  name: string
  leader: string
  members: string
}

export interface InspectionPlan {
  id: number
  kind: InspectionKind
  title: string
  region: string
  region_name: string
  starts_on: string
  ends_on: string
  focus: string
  teams: InspectionTeam[]
  tasks: number
  visited: number
  findings: number
  open_findings: number
  created_by: string
  created_at: string
}

export interface IndicatorDeduction {
  id: number
  plan_id: number | null
  finding_id: number | null
  enterprise: { id: number; name: string } | null
  region: string
  region_name: string
  indicator: Indicator
  year: number
  amount: number
  unit: 't' | 'tce'
  reason: string
  decided_by: string
  decided_at: string
}

export interface InspectionPlanDetail extends InspectionPlan {
  deductions: IndicatorDeduction[]
  may: { manage: boolean; deduct: boolean }
}

export interface InspectionTask {
  id: number
  plan: { id: number; title: string; kind: InspectionKind }
  team: { id: number; name: string } | null
  enterprise: { id: number; name: string }
  region: string
  region_name: string
  industry: string
  industry_name: string
  selection: 'random' | 'targeted'
  reason: string
  status: TaskStatus
  visited_on: string | null
  summary: string | null
  visited_by: string | null
  created_by: string
  created_at: string
}

export interface FindingEvent {
  id: number
  kind: 'recorded' | 'rectified' | 'reopened' | 'verified'
  level: string
  actor: string
  note: string
  state: FindingState
  attachments: string[]
  at: string
}

export interface Finding {
  id: number
  category: FindingCategory
  description: string
  severity: Severity
  requirement: string
  deadline: string
  state: FindingState
  recorded_by: string
  recorded_at: string
  events: FindingEvent[]
}

export interface InspectionTaskDetail extends InspectionTask {
  findings: Finding[]
  attachments: Attachment[]
  may: { visit: boolean; rectify: boolean; verify: boolean }
}

export interface InspectionTeamFiling {
  name: string
  leader: string
  members: string
}

export interface InspectionPlanFiling {
  kind: InspectionKind
  title: string
  region?: string
  starts_on: string
  ends_on: string
  focus: string
  teams: InspectionTeamFiling[]
}

// Targeted ({enterprise_id, reason, team_id?}) or drawn at random ({sample, region?, industry?, team_id?}).
export interface InspectionAssignment {
  enterprise_id?: number
  reason?: string
  sample?: number
  region?: string
  industry?: string
  team_id?: number
}

export interface VisitFinding {
  category: FindingCategory
  description: string
  severity: Severity
  requirement: string
  deadline: string
  attachments?: string[]
}

export interface InspectionVisit {
  visited_on: string
  summary: string
  findings: VisitFinding[]
}

export interface IndicatorDeductionFiling {
  indicator: Indicator
  year: number
  amount: number
  reason: string
  enterprise_id?: number
  region?: string
  finding_id?: number
}

export interface TaskFilter {
  plan?: number
  enterprise?: number
  status?: TaskStatus | ''
  page?: number
  page_size?: number
}

export const listInspectionPlans = (query: { page?: number; page_size?: number } = {}) =>
  get<Page<InspectionPlan>>('/api/v1/inspection-plans', query)
export const getInspectionPlan = (id: number) => get<InspectionPlanDetail>(`/api/v1/inspection-plans/${id}`)
export const createInspectionPlan = (body: InspectionPlanFiling) =>
  post<InspectionPlanDetail>('/api/v1/inspection-plans', body)
export const assignInspectionTasks = (planId: number, body: InspectionAssignment) =>
  post<{ items: InspectionTask[] }>(`/api/v1/inspection-plans/${planId}/tasks`, body)
export const listInspectionTasks = (filter: TaskFilter = {}) =>
  get<Page<InspectionTask>>('/api/v1/inspection-tasks', { ...filter })
export const getInspectionTask = (id: number) => get<InspectionTaskDetail>(`/api/v1/inspection-tasks/${id}`)
export const recordInspectionVisit = (id: number, body: InspectionVisit) =>
  post<InspectionTaskDetail>(`/api/v1/inspection-tasks/${id}/visit`, body)
export const reportFindingRectified = (id: number, body: { note: string; attachments?: string[] }) =>
  post<InspectionTaskDetail>(`/api/v1/inspection-findings/${id}/rectification`, body)
export const verifyFinding = (id: number, body: { action: 'accept' | 'reopen'; note: string }) =>
  post<InspectionTaskDetail>(`/api/v1/inspection-findings/${id}/verification`, body)
export const decideDeduction = (planId: number, body: IndicatorDeductionFiling) =>
  post<IndicatorDeduction>(`/api/v1/inspection-plans/${planId}/deductions`, body)
// Not paged: every deduction of the year (or all years) charged in the caller's jurisdiction, newest first.
export const listDeductions = (query: { year?: number | ''; region?: string } = {}) =>
  get<{ items: IndicatorDeduction[]; total: number }>('/api/v1/indicator-deductions', query)
