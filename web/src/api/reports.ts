import { get, post, request, type Page } from './request'
import type { Factor } from './reference'

export interface ReportSummary {
  id: number
  enterprise_id: number
  enterprise_name: string
  region: string
  region_name: string
  industry: string
  industry_name: string
  kind: 'monthly' | 'yearly'
  period: string
  status: string
  awaiting: 'county' | 'city' | 'province' | null
  version: number
  due_at: string
  first_submitted_at: string | null
  submitted_at: string | null
  updated_at: string
  late: boolean
}

export interface Product {
  product?: string
  unit?: string
  raw_material?: string
  output?: number | null
  output_value?: number | null
  capacity?: number | null
  price?: number | null
}

export interface ReportContent {
  business: Record<string, number | null>
  production: Product[]
  energy: Record<string, number | null>
}

export interface ReportFile {
  report: ReportSummary | null
  enterprise_id: number
  kind: string
  period: string
  due_at: string
  late: boolean
  content: ReportContent
  explanation: string
  metered: Record<string, number>
  last_year: ReportContent | null
  versions: {
    version: number
    content: ReportContent
    explanation: string
    comprehensive_tce: number
    factors: Factor[]
    submitted_by: string
    submitted_at: string
  }[]
  actions: { version: number; action: string; level: string; actor: string; reason: string; at: string }[]
  convention: 'equivalent' | 'equal'
  factors: Factor[]
  can: { fill: boolean; review: boolean }
}

export interface LateReport {
  enterprise_id: number
  enterprise_name: string
  region: string
  region_name: string
  status: string | null
  report_id: number | null
  first_submitted_at: string | null
  missing: boolean
  late: boolean
}

const path = (enterprise: number, kind: string, period: string) =>
  `/api/v1/enterprises/${enterprise}/reports/${kind}/${period}`

export const listReports = (query: {
  kind?: string
  period?: string
  status?: string
  awaiting?: string
  page?: number
  page_size?: number
}) => get<Page<ReportSummary>>('/api/v1/reports', query)
export const openReport = (enterprise: number, kind: string, period: string) =>
  get<ReportFile>(path(enterprise, kind, period))
export const saveReport = (
  enterprise: number,
  kind: string,
  period: string,
  content: ReportContent,
  explanation: string,
) => request<ReportSummary>('PUT', path(enterprise, kind, period), { body: { content, explanation } })
export const submitReport = (
  enterprise: number,
  kind: string,
  period: string,
  content: ReportContent,
  explanation: string,
) => post<ReportSummary>(`${path(enterprise, kind, period)}/submit`, { content, explanation })
export const reviewReport = (id: number, action: 'approve' | 'return', reason: string) =>
  post<ReportSummary>(`/api/v1/reports/${id}/review`, { action, reason })
export const lateReports = (query: { kind?: string; period?: string }) =>
  get<{ kind: string; period: string; due_at: string; total: number; items: LateReport[] }>(
    '/api/v1/reports/late',
    query,
  )

export interface Recomputed {
  report_id: number
  version: number
  published: { comprehensive_tce: number; factors: Factor[] }
  current: { comprehensive_tce: number; factors: Factor[] }
  difference_tce: number
}

export const recomputeReport = (id: number) => get<Recomputed>(`/api/v1/reports/${id}/recompute`)
