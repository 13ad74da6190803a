// The energy account: by region, industry or enterprise; one enterprise's or project's account, its
// drill-down to the meters and source records, and its sources side by side (with the server's tolerance).
import { get } from './request'
import type { Co2Factor, Factor } from './reference'

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
  // What counts against the energy dual-control targets, less what the exclusions leave out.
  controlled: {
    tce: number
    total_tce: number
    feedstock_tce: number
    renewable_tce: number
    exclude_feedstock: boolean
    exclude_renewable: boolean
  }
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
  controlled_tce: number
  feedstock_tce: number
  renewable_tce: number
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
  exclusions: { feedstock: boolean; renewable: boolean }
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
