// Violating projects (违规项目整改): the list and one case with its events, attachments and closure filings,
// marking a project, progress reports, escalation of an overdue case, filing a rectified case for closure
// (a review item of flow violation_closure), and counts by region, industry or disposal type.
import type { Attachment } from './reviews'
import { get, post, type Page } from './request'

export const VIOLATION_STATES = ['not_started', 'in_progress', 'partly_done', 'done', 'closed'] as const
export type ViolationState = (typeof VIOLATION_STATES)[number]
export type ProgressState = 'in_progress' | 'partly_done' | 'done'

export interface Violation {
  id: number
  project: { id: number; name: string; state: string }
  enterprise: { id: number; name: string }
  region: string
  region_name: string
  industry: string
  industry_name: string
  violation_type: string
  violation_type_name: string
  disposal_type: string
  disposal_type_name: string
  measures: string
  deadline: string
  responsible_unit: string
  state: ViolationState
  progress: number
  // Past its deadline and not rectified.
  overdue: boolean
  escalations: number
  marked_by: string
  marked_at: string
  updated_at: string
  closed_at: string | null
}

export interface ViolationEvent {
  id: number
  kind: 'mark' | 'progress' | 'escalate' | 'closed'
  level: string
  actor: string
  note: string
  state: ViolationState
  disposal_type: string
  disposal_type_name: string
  deadline: string
  progress: number
  attachments: string[]
  at: string
}

export interface ViolationClosure {
  review_id: number
  status: string
  level: string | null
  version: number
  filed_by: string
  filed_at: string
  due: string | null
}

export interface ViolationDetail extends Violation {
  events: ViolationEvent[]
  attachments: Attachment[]
  closures: ViolationClosure[]
  may: { report: boolean; escalate: boolean; close: boolean }
}

export interface ViolationFilter {
  region?: string
  state?: ViolationState | ''
  disposal_type?: string
  violation_type?: string
  industry?: string
  enterprise?: number
  project?: number
  open?: boolean
  overdue?: boolean
  page?: number
  page_size?: number
}

export interface ViolationGroup {
  key: string
  name: string
  total: number
  closed: number
  overdue: number
  closure_rate: number
  by_state: Partial<Record<ViolationState, number>>
  by_disposal: Record<string, number>
}

export interface ViolationSummary {
  group_by: 'region' | 'industry' | 'disposal_type'
  items: ViolationGroup[]
  total: ViolationGroup
  as_of: string
  disposal_types: Record<string, string>
}

export interface ViolationMark {
  violation_type: string
  disposal_type: string
  measures: string
  deadline: string
  responsible_unit: string
  note?: string
  attachments?: string[]
}

export interface ProgressReport {
  state: ProgressState
  progress?: number
  note: string
  attachments?: string[]
}

export interface Escalation {
  reason: string
  deadline: string
  disposal_type?: string
}

const withoutEmpty = <T extends object>(body: T): T =>
  Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== '' && v !== undefined && !(Array.isArray(v) && !v.length)),
  ) as T

export const listViolations = (filter: ViolationFilter = {}) =>
  get<Page<Violation>>('/api/v1/violations', { ...filter })
export const violationSummary = (groupBy: ViolationSummary['group_by'] = 'region', region = '') =>
  get<ViolationSummary>('/api/v1/violations/summary', { group_by: groupBy, region })
export const getViolation = (id: number) => get<ViolationDetail>(`/api/v1/violations/${id}`)
export const markViolation = (projectId: number, body: ViolationMark) =>
  post<Violation>(`/api/v1/projects/${projectId}/violations`, withoutEmpty(body))
export const reportProgress = (id: number, body: ProgressReport) =>
  post<Violation>(`/api/v1/violations/${id}/progress`, withoutEmpty(body))
export const escalateViolation = (id: number, body: Escalation) =>
  post<Violation>(`/api/v1/violations/${id}/escalate`, withoutEmpty(body))
export const fileClosure = (id: number, reason: string, attachments: string[] = []) =>
  post<{ id: number; status: string; level: string }>(
    `/api/v1/violations/${id}/closure`,
    withoutEmpty({ reason, attachments }),
  )
