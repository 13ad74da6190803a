// Warnings (预警): the list and its counts, one warning with its history, acknowledging and closing,
// the rule catalogue and its versioned thresholds, and the caller's notifications.
import { buildUrl, get, post, put, type Page } from './request'

export type WarningCategory = 'policy' | 'data' | 'workflow'
export type WarningSeverity = 'info' | 'warning' | 'critical'
export type WarningStatus = 'open' | 'acknowledged' | 'closed'
export type ClosedReason = 'resolved' | 'dismissed' | 'cleared'

export interface EvidenceLink {
  label: string
  href: string
}

export interface CitedThreshold {
  value: number
  unit: string
  version: number
}

// The figures that triggered a warning, the thresholds it was judged by and links into the console.
export interface Evidence {
  thresholds?: Record<string, CitedThreshold>
  links?: EvidenceLink[]
  [figure: string]: unknown
}

export interface Warning {
  id: number
  category: WarningCategory
  rule: string
  severity: WarningSeverity
  status: WarningStatus
  closed_reason: ClosedReason | null
  enterprise_id: number | null
  enterprise_name: string | null
  point_id: number | null
  point_code: string | null
  region: string
  region_name: string
  industry: string | null
  industry_name: string | null
  from: string
  to: string | null
  message: string
  evidence: Evidence
  opened_at: string
  updated_at: string
  acknowledged_at: string | null
  acknowledged_by: string | null
  closed_at: string | null
  closed_by: string | null
  note: string
  reopened: number
}

export interface WarningEvent {
  at: string
  actor: string
  action: 'opened' | 'reopened' | 'acknowledged' | 'resolved' | 'dismissed' | 'cleared'
  note: string
}

export interface WarningDetail extends Warning {
  history: WarningEvent[]
  can: { handle: boolean }
}

// The list's filters; several values of one are separated by commas.
export interface WarningFilter {
  category?: string
  rule?: string
  status?: string
  severity?: string
  region?: string
  industry?: string
  enterprise?: number | string
  point?: number | string
  from?: string
  to?: string
}

export type SummaryGroupBy = 'region' | 'industry' | 'rule'

export interface SummaryGroup {
  key: string
  name: string
  total: number
  by_status: Partial<Record<WarningStatus, number>>
  by_category: Partial<Record<WarningCategory, number>>
  by_severity: Partial<Record<WarningSeverity, number>>
}

export interface WarningSummary {
  group_by: SummaryGroupBy
  groups: SummaryGroup[]
  totals: { total: number; open: number; acknowledged: number; closed: number }
}

export interface WarningRule {
  rule: string
  category: WarningCategory
  severity: WarningSeverity
  subject: 'point' | 'enterprise' | 'region'
  event: boolean
}

export interface WarningThreshold {
  rule: string
  name: string
  version: number
  value: number
  unit: string
  source: string
  changed_by: string
  changed_at: string
}

export interface NotificationPrefs {
  categories: WarningCategory[]
  min_severity: WarningSeverity
  webhook: boolean
  seen_until?: string | null
}

export interface Notifications {
  todo: number
  unread: number
  recent: Warning[]
  prefs: NotificationPrefs
}

export interface BulkResult {
  acknowledged: number
  results: { id: number; ok: boolean; error: string | null; message: string | null }[]
}

export const listWarnings = (filter: WarningFilter & { page?: number; page_size?: number }) =>
  get<Page<Warning>>('/api/v1/warnings', { ...filter })
export const warningSummary = (filter: WarningFilter & { group_by: SummaryGroupBy }) =>
  get<WarningSummary>('/api/v1/warnings/summary', { ...filter })
export const warningExportUrl = (filter: WarningFilter, format: 'xlsx' | 'csv') =>
  buildUrl('/api/v1/warnings/export', { ...filter, format })
export const getWarning = (id: number) => get<WarningDetail>(`/api/v1/warnings/${id}`)
export const acknowledgeWarning = (id: number, note: string) =>
  post<Warning>(`/api/v1/warnings/${id}/acknowledge`, { note })
export const closeWarning = (id: number, resolution: 'resolved' | 'dismissed', note: string) =>
  post<Warning>(`/api/v1/warnings/${id}/close`, { resolution, note })
export const acknowledgeWarnings = (ids: number[], note: string) =>
  post<BulkResult>('/api/v1/warnings/acknowledge', { ids, note })

export const warningRules = () => get<{ items: WarningRule[] }>('/api/v1/warnings/rules')
export const warningThresholds = () => get<{ items: WarningThreshold[] }>('/api/v1/warnings/thresholds')
export const addWarningThreshold = (body: { rule: string; name: string; value: number | null; source: string }) =>
  post<WarningThreshold>('/api/v1/warnings/thresholds', body)

export const myNotifications = (limit = 10) => get<Notifications>('/api/v1/me/notifications', { limit })
export const markNotificationsRead = () => post<{ ok: boolean }>('/api/v1/me/notifications/read')
export const setNotificationPrefs = (prefs: Omit<NotificationPrefs, 'seen_until'>) =>
  put<NotificationPrefs>('/api/v1/me/notification-prefs', prefs)
