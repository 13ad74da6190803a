// Meter readings and what is derived from them: a point's series, energy by group, the workbench's
// figures and the completeness of the day's data.
import { get } from './request'
import type { Factor } from './reference'

export interface Rollup {
  start: string
  sum: number
  count: number
  expected: number
  completeness: number
  min: number
  max: number
  flagged: number
}

export interface Workbench {
  as_of: string
  region: string | null
  enterprises: { running: number; stopped: number; key_energy_units: number }
  projects: { existing?: number; under_construction?: number; planned?: number }
  electricity_kwh: { today: number; month: number }
  comprehensive_tce: {
    dual_control: 'equivalent' | 'equal'
    today: { equivalent: number; equal: number }
    month: { equivalent: number; equal: number }
  }
  completeness_today: { received: number; expected: number; ratio: number }
  top_industries_month: { code: string; name: string; amount: number }[]
}

export const workbench = () => get<Workbench>('/api/v1/workbench')
export const pointSeries = (id: number, query: { from?: string; to?: string; step: string }) =>
  get<{ items: Rollup[]; point: { unit: string } }>(`/api/v1/points/${id}/series`, query)

export interface RawReading {
  ts: string
  v: number
  q: string
}

export interface ConsumptionInterval {
  start: string
  end: string
  amount: number | null
  flags: string
  counted: boolean
}

export const rawSeries = (id: number, query: { from: string; to: string }) =>
  get<{ readings: RawReading[]; intervals?: ConsumptionInterval[] }>(`/api/v1/points/${id}/series`, {
    ...query,
    step: 'raw',
  })

export interface EnergyGroup {
  key: string
  name: string
  total: number
  series: { start: string; amount: number }[]
}

export const energy = (query: {
  group_by: string
  energy_type: string
  step: 'day' | 'month'
  from?: string
  to?: string
  enterprise?: number
  region?: string
  industry?: string
  limit?: number
  convention?: string
}) => get<{ unit: string; items: EnergyGroup[]; convention?: string; factors?: Factor[] }>('/api/v1/energy', query)

export interface IncompletePoint {
  point_id: number
  point_code: string
  point_name: string
  measures: string
  interval_s: number
  enterprise_id: number
  enterprise_name: string
  region: string
  region_name: string
  received: number
  expected: number
  ratio: number
}

export const completeness = (query: { date?: string; below?: number; page?: number; page_size?: number }) =>
  get<{
    date: string
    below: number
    elapsed_s: number
    total: number
    page: number
    page_size: number
    items: IncompletePoint[]
  }>('/api/v1/completeness', query)
