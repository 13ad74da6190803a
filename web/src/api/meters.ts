import { get, post } from './request'

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

export interface Factor {
  energy_type: string
  variant: string
  version: number
  kgce_per_unit: number
  unit: string
  valid_from: string
  valid_to: string | null
  status: 'verified' | 'to_be_confirmed'
  source: string
}

export const conversionFactors = () => get<{ items: Factor[] }>('/api/v1/reference/factors')

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

export interface Co2Factor {
  energy_type: string
  grid_region?: string
  year?: number
  version: number
  kg_co2_per_unit: number
  unit: string
  valid_from: string
  valid_to: string | null
  status: 'verified' | 'to_be_confirmed'
  source: string
}

export type AccountSource = 'report' | 'department' | 'metered'

export interface AmountSource {
  source: AccountSource
  amount: number
  task?: string
  record_id?: number | null
  upload_id?: number | null
  row?: number
}

export interface EnterpriseAccount {
  enterprise_id: number
  enterprise_name: string
  period: string
  kind: 'day' | 'month' | 'quarter' | 'year'
  months: {
    month: string
    source: AccountSource | 'mixed'
    report_id: number | null
    version: number
    amounts: Record<string, number>
    sources: Record<string, AmountSource>
    value_added: number | null
    output: number | null
  }[]
  lines: {
    energy_type: string
    amount: number
    tce_equivalent: number | null
    tce_equal: number | null
    co2_t: number | null
  }[]
  comprehensive_tce: { equivalent: number; equal: number; dual_control: 'equivalent' | 'equal' }
  co2_t: number
  value_added: number | null
  output: number | null
  intensity: { tce_per_10k_yuan: number; co2_t_per_10k_yuan: number } | null
  efficiency: {
    product: string | null
    kgce_per_t: number
    advanced: number | null
    benchmark: number | null
    indicator_unit: string | null
    class: 'advanced' | 'between' | 'below_benchmark' | null
  } | null
  grid: { region: string; year: number }
  factors: Factor[]
  co2_factors: Co2Factor[]
}

export interface DrilldownTerm {
  month: string
  energy_type: string
  input: AmountSource & {
    report_id?: number | null
    version?: number
    field?: string
    points?: {
      point_id: number
      code: string
      kind: string
      unit: string
      amount: number
      samples: number
      expected: number
      flagged: number
    }[]
  }
  equivalent: Factor | null
  equal: Factor | null
  co2_factor: Co2Factor | null
  tce_equivalent: number
  tce_equal: number
  co2_kg: number
}

export interface Drilldown {
  enterprise_id: number
  enterprise_name: string
  period: string
  energy_type: string | null
  terms: DrilldownTerm[]
  formula: { comprehensive: string; co2: string; sources: string }
}

export interface AccountGroup {
  key: string
  name: string
  enterprises: number
  tce_equivalent: number
  tce_equal: number
  co2_t: number
  value_added: number | null
  value_added_enterprises: number
  month_sources: Record<string, number>
  tce_per_10k_yuan: number | null
}

export interface AccountGroups {
  period: string
  group_by: 'region' | 'industry' | 'enterprise'
  items: AccountGroup[]
  total: AccountGroup
  dual_control: 'equivalent' | 'equal'
  grid: { region: string; year: number }
  factors: Factor[]
  co2_factors: Co2Factor[]
}

// Of an enterprise, or of a project (its own meters) when `project` is set.
export const accountingDrilldown = (id: number, period: string, energyType?: string, project = false) =>
  get<Drilldown>(`/api/v1/accounting/${project ? 'projects' : 'enterprises'}/${id}/drilldown`, {
    period,
    energy_type: energyType,
  })
export interface SourceFiguresRow {
  metered: number | null
  reported: number | null
  department: number | null
  department_task: string | null
  reported_vs_metered_pct: number | null
  department_vs_metered_pct: number | null
}
export const accountingSources = (id: number, period: string) =>
  get<{
    tolerance_pct: number
    months: { month: string; report_id: number | null; types: Record<string, SourceFiguresRow> }[]
  }>(`/api/v1/accounting/enterprises/${id}/sources`, { period })
export const projectAccount = (id: number, period: string) =>
  get<EnterpriseAccount>(`/api/v1/accounting/projects/${id}`, { period })
export const accountingGroups = (query: { group_by: string; region?: string; industry?: string; period: string }) =>
  get<AccountGroups>('/api/v1/accounting', query)

export const enterpriseAccount = (id: number, period: string) =>
  get<EnterpriseAccount>(`/api/v1/accounting/enterprises/${id}`, { period })

export const co2Factors = () => get<{ items: Co2Factor[] }>('/api/v1/reference/co2-factors')
export const addCo2Factor = (body: {
  energy_type: string
  grid_region: string
  year: number
  kg_co2_per_unit: number | null
  valid_from: string
  status: string
  source: string
}) => post<Co2Factor>('/api/v1/reference/co2-factors', body)
export const addFactor = (body: {
  energy_type: string
  variant: string
  kgce_per_unit: number | null
  valid_from: string
  status: string
  source: string
}) => post<Factor>('/api/v1/reference/factors', body)

export interface Recomputed {
  report_id: number
  version: number
  published: { comprehensive_tce: number; factors: Factor[] }
  current: { comprehensive_tce: number; factors: Factor[] }
  difference_tce: number
}

export const recomputeReport = (id: number) => get<Recomputed>(`/api/v1/reports/${id}/recompute`)
