// Dual control (能耗双控 / 碳排放双控): the regions' control targets (versioned reference data the province
// sets) and, for each target in force, the year so far by month, last year, the year-end forecast with its
// band and the month the running total is expected to pass the target; the forecast's back-test.
import { get, post } from './request'

export type TargetIndicator =
  | 'energy_total'
  | 'energy_intensity'
  | 'coal_total'
  | 'co2_total'
  | 'co2_intensity'
  | 'output_cap'
  | 'so2_total'
  | 'nox_total'

export type TargetStatus = 'on_track' | 'approaching' | 'exceeding' | 'no_data'
export type ForecastMethod = 'seasonal' | 'run_rate'

export interface ControlTarget {
  region: string
  region_name?: string
  year: number
  indicator: TargetIndicator | string
  product: string | null
  version: number
  value: number
  // tce, tce/万元, t/万元 or t.
  unit: string
  source: string
  // A placeholder shipped for the demo (data/control_targets.csv), not an official figure.
  example?: boolean
  changed_by: string
  changed_at: string
}

export interface YearEndForecast {
  months_known: number
  // Known months without figures yet: estimated like the months to come.
  months_missing: number
  year_to_date: number
  forecast: number
  low: number
  high: number
  band_pct: number
  method: ForecastMethod | string
  ratio: number
  // Actual for known months, projected for the rest (intensities: monthly ratios).
  projected: number[]
  crossing_month: number | null
}

export interface TargetView {
  target: ControlTarget
  status: TargetStatus | string
  share_of_target_pct: number
  actual: (number | null)[]
  last_year: (number | null)[]
  forecast: YearEndForecast | null
}

export interface BackTest {
  indicator: string
  year: number
  regions: number
  // Index k: the mean absolute percentage error of the year-end forecast with k months known (index 0 unused).
  mape_pct: (number | null)[]
}

export interface DualControl {
  year: number
  months_known: number
  approach_pct: number
  items: TargetView[]
  backtest: BackTest[]
}

export interface TargetInput {
  region: string
  year: number
  indicator: string
  product?: string
  value: number | null
  source: string
}

export const getDualControl = (query: { year?: number | string; region?: string }) =>
  get<DualControl>('/api/v1/dual-control', query)
export const listTargets = (query: { year?: number | string; region?: string }) =>
  get<{ year: number; items: ControlTarget[] }>('/api/v1/targets', query)
export const addTarget = (body: TargetInput) => post<ControlTarget>('/api/v1/targets', body)
