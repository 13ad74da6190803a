import { get, patch, post, type Page, type Query } from './request'
import type { EfficiencyLevel } from './reference'

export interface Enterprise {
  id: number
  uscc: string
  name: string
  region: string
  region_name?: string
  industry: string
  industry_name?: string
  address: string | null
  lng: number | null
  lat: number | null
  legal_representative: string | null
  // 法人联系方式
  legal_representative_phone?: string | null
  contact: string | null
  phone: string | null
  // 企业类型 (市场主体类型), 经营范围 as registered, and 备注.
  enterprise_type?: string | null
  business_scope?: string | null
  remarks?: string | null
  status: 'running' | 'stopped'
  registered_on: string | null
  registered_capital: number | null
  staff: number | null
  land_area: number | null
  key_energy_unit: boolean
  // The 两高 list: changed only by a county's proposal that city and province approve (list_decision, the
  // review item whose approval last changed it).
  list_status?: 'listed' | 'delisted'
  listed_on?: string | null
  delisted_on?: string | null
  list_decision?: number | null
  created_at: string
  updated_at: string
}

// An enterprise user's change of supervised fields is filed for review instead of applied (flow
// info_change): the saved record then carries the item it waits in.
export interface PendingReview {
  id: number
  flow: string
  status: string
  level: string
  version: number
}

export interface Project {
  id: number
  enterprise_id: number
  name: string
  industry: string
  region: string
  state: string
  product: string | null
  capacity: number | null
  capacity_unit: string | null
  equipment_category: string
  efficiency_value: number | null
  efficiency_unit: string | null
}

export interface MeteringPoint {
  id: number
  enterprise_id: number
  code: string
  name: string
  measures: string
  unit: string
  kind: 'register' | 'interval' | 'instant'
  interval_s: number
  rollover: number | null
  max_rate?: number | null
  in_total?: boolean
  calibration_due: string | null
}

export const getPoint = (id: number) => get<MeteringPoint>(`/api/v1/points/${id}`)

export interface HistoryEntry {
  id: number
  at: string
  actor: string
  action: string
  changes: { field: string; old: unknown; new: unknown }[]
}

export interface Region {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parent: string | null
}

export interface Industry {
  code: string
  name: string
}

export const listEnterprises = (query: Query) => get<Page<Enterprise>>('/api/v1/enterprises', query)
export const getEnterprise = (id: number) => get<Enterprise>(`/api/v1/enterprises/${id}`)
export const createEnterprise = (body: Partial<Enterprise>) => post<Enterprise>('/api/v1/enterprises', body)
export const updateEnterprise = (id: number, body: Partial<Enterprise>) =>
  patch<Enterprise & { pending_review?: PendingReview }>(`/api/v1/enterprises/${id}`, body)
export const enterpriseHistory = (id: number) => get<{ items: HistoryEntry[] }>(`/api/v1/enterprises/${id}/history`)
export const enterpriseProjects = (id: number) =>
  get<Page<Project>>(`/api/v1/enterprises/${id}/projects`, { page_size: 100 })
export const enterprisePoints = (id: number) =>
  get<Page<MeteringPoint>>(`/api/v1/enterprises/${id}/points`, { page_size: 100 })
export const listRegions = () => get<{ items: Region[] }>('/api/v1/regions')
export const listIndustries = () => get<{ items: Industry[] }>('/api/v1/industries')

export interface ProjectDetail extends Project {
  region_name?: string
  industry_name?: string
  // 核准 (approval) or 备案 (filing), with its number and date; the energy review; the environmental approval.
  approval_kind: 'approval' | 'filing' | null
  approval_no: string | null
  approved_on: string | null
  energy_review_no: string | null
  energy_review_on: string | null
  eia_no: string | null
  eia_on: string | null
  // As designed: capacity (in capacity_unit), comprehensive energy (tce/yr), coal (t/yr).
  design_capacity: number | null
  design_energy_tce: number | null
  design_coal_t: number | null
  investment: number | null
  lng: number | null
  lat: number | null
  created_at: string
  updated_at: string
}

export const listProjects = (query: Query) => get<Page<ProjectDetail>>('/api/v1/projects', query)
export const getProject = (id: number) => get<ProjectDetail>(`/api/v1/projects/${id}`)
export const updateProject = (id: number, body: Record<string, unknown>) =>
  patch<ProjectDetail & { pending_review?: PendingReview }>(`/api/v1/projects/${id}`, body)
export const projectHistory = (id: number) => get<{ items: HistoryEntry[] }>(`/api/v1/projects/${id}/history`)

export interface ProjectEfficiency {
  project_id: number
  product: string
  unit: string
  value: number | null
  level: EfficiencyLevel | null
  class: 'advanced' | 'between' | 'below_benchmark' | null
  unclassified: 'no_level' | 'no_value' | 'unit_mismatch' | null
}

export const projectEfficiency = (id: number) => get<ProjectEfficiency>(`/api/v1/projects/${id}/efficiency`)
