// Upgrade plans (一企一策) in Chinese: the plan's status and its colour, the target level, a month's source,
// an efficiency class; the plan and the acceptance a review item carries, the plan as it is sent again, the
// measurement's problems and the server's refusal of an acceptance in words; months as ranges, the baseline
// a date of adoption gives, a milestone's state, and a city/county key as a region code.
import type {
  MeasuredMonth,
  Measurement,
  MeasurementProblem,
  Milestone,
  PlanContent,
  UpgradePlanFiling,
  UpgradeStatus,
} from '../api/upgrades'
import { i18n, t } from '../i18n'
import { formatNumber } from './format'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

const named = (key: string, fallback: string) => (i18n.global.te(key) ? t(key) : fallback)

export const statusName = (status: string) => named(`upgrades.statuses.${status}`, status)
export const targetLevelName = (level: string) => named(`upgrades.targetLevels.${level}`, level)
export const className = (cls: string | null | undefined) =>
  cls ? named(`upgrades.classes.${cls}`, cls) : t('upgrades.classes.none')
// The class in a few words, for tables: 标杆水平, 基准与标杆之间, 低于基准.
export const classShort = (cls: string | null | undefined) =>
  cls ? named(`upgrades.classesShort.${cls}`, cls) : t('upgrades.classes.none')
export const sourceName = (source: string | null | undefined) =>
  source ? named(`upgrades.sources.${source}`, source) : t('upgrades.sources.none')
export const eventName = (kind: string) => named(`upgrades.eventKinds.${kind}`, kind)

export function statusType(status: UpgradeStatus | string): TagType {
  switch (status) {
    case 'accepted':
      return 'success'
    case 'completed':
      return 'warning'
    case 'in_progress':
      return 'primary'
    default:
      return 'info'
  }
}

export function classType(cls: string | null | undefined): TagType {
  if (cls === 'advanced') return 'success'
  if (cls === 'between') return 'primary'
  if (cls === 'below_benchmark') return 'danger'
  return 'info'
}

// The chart's colours: classes green (advanced) to red (below the benchmark); plans grey (under review),
// violet (at work), amber (done) and teal (accepted), apart from the classes beside them.
export const STATUS_COLORS: Record<UpgradeStatus, string> = {
  filed: '#adb5bd',
  in_progress: '#7950f2',
  completed: '#f59f00',
  accepted: '#0ca678',
}
export const CLASS_COLORS = { advanced: '#2f9e44', between: '#74c0fc', below_benchmark: '#e8590c' } as const

// The steps a plan goes through, for el-steps: where it is (all four done once accepted).
export const STEPS: UpgradeStatus[] = ['filed', 'in_progress', 'completed', 'accepted']
export const stepIndex = (status: string) =>
  status === 'accepted' ? STEPS.length : Math.max(0, STEPS.indexOf(status as UpgradeStatus))

// A month's unit consumption, kgce per tonne of output; null without figures.
export function monthKgce(m: Pick<MeasuredMonth, 'tce' | 'output'>): number | null {
  if (m.tce === null || m.output === null || !(m.output > 0)) return null
  return (m.tce * 1000) / m.output
}

// "2025-06", "2025-07", "2025-08", "2025-10" → "2025-06 至 2025-08、2025-10".
export function monthRanges(months: string[]): string {
  const index = (m: string) => {
    const [y, mo] = m.split('-').map(Number)
    return y * 12 + mo - 1
  }
  const sorted = [...new Set(months)].filter((m) => /^\d{4}-\d{2}$/.test(m)).sort()
  const runs: string[][] = []
  for (const m of sorted) {
    const run = runs[runs.length - 1]
    if (run && index(m) === index(run[run.length - 1]) + 1) run.push(m)
    else runs.push([m])
  }
  return runs
    .map((r) => (r.length > 1 ? t('upgrades.monthRange', { from: r[0], to: r[r.length - 1] }) : r[0]))
    .join('、')
}

// The baseline a plan adopted on `date` (YYYY-MM-DD) is measured against: the 12 months before its month.
export function baselineOf(date: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})/.exec(date)
  if (!m) return null
  const at = Number(m[1]) * 12 + Number(m[2]) - 1
  const month = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
  return { from: month(at - 12), to: month(at - 1) }
}

// A milestone: done once the works are complete, overdue past its date, otherwise still to come.
export function milestoneState(m: Milestone, today: string, status: string): 'done' | 'overdue' | 'upcoming' {
  if (status === 'completed' || status === 'accepted') return 'done'
  return m.due < today ? 'overdue' : 'upcoming'
}

// A summary group's key ("3703", "370302") as the region code filters take ("370300", "370302").
export const regionCodeOf = (key: string) => (key.length >= 6 ? key.slice(0, 6) : key.padEnd(6, '0'))

// What the measurement still lacks, in words; `names` gives projects their names (else "项目 12").
export function problemText(p: MeasurementProblem, names: Map<number, string> = new Map()): string {
  const project = p.project_id === null ? '' : (names.get(p.project_id) ?? t('upgrades.projectN', { id: p.project_id }))
  const months = monthRanges(p.months)
  switch (p.kind) {
    case 'not_completed':
      return t('upgrades.problems.not_completed')
    case 'baseline_missing':
      return t('upgrades.problems.baseline_missing', { project, months })
    case 'after_short':
      return months
        ? t('upgrades.problems.after_short_months', { project, months })
        : t('upgrades.problems.after_short', { project })
    default:
      return project ? `${project}：${p.kind}` : p.kind
  }
}

// The server's reason for refusing an acceptance (409, field "measurement") in Chinese: the same words as the
// measurement's problems. Null when it is not one of those.
export function measurementReason(reason: string, names: Map<number, string> = new Map()): string | null {
  if (/^the works are not reported complete$/.test(reason))
    return problemText({ project_id: null, kind: 'not_completed', months: [] })
  const missing = /^project (\d+): no metered or reported figures in baseline months (.+)$/.exec(reason)
  if (missing)
    return problemText(
      { project_id: Number(missing[1]), kind: 'baseline_missing', months: missing[2].split(/,\s*/) },
      names,
    )
  const short =
    /^project (\d+): fewer than \d+ full months with figures after completion(?: \(without figures: (.+)\))?$/.exec(
      reason,
    )
  if (short)
    return problemText(
      { project_id: Number(short[1]), kind: 'after_short', months: short[2] ? short[2].split(/,\s*/) : [] },
      names,
    )
  return null
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

// The plan a review item of flow upgrade_plan carries (any version), or null.
export function planOf(content: unknown): PlanContent | null {
  if (!isObject(content) || !Array.isArray(content.projects) || typeof content.measures !== 'string') return null
  return {
    plan_id: typeof content.plan_id === 'number' ? content.plan_id : undefined,
    projects: content.projects.filter(isObject) as unknown as PlanContent['projects'],
    measures: content.measures,
    investment: typeof content.investment === 'number' ? content.investment : 0,
    adopted_on: typeof content.adopted_on === 'string' ? content.adopted_on : '',
    completion_due: typeof content.completion_due === 'string' ? content.completion_due : '',
    milestones: Array.isArray(content.milestones)
      ? (content.milestones.filter(isObject) as unknown as Milestone[])
      : [],
    reason: typeof content.reason === 'string' ? content.reason : '',
    attachments: Array.isArray(content.attachments)
      ? content.attachments.filter((a): a is string => typeof a === 'string')
      : [],
  }
}

// What a county files for acceptance (flow upgrade_acceptance): its opinion and the measurement, or null.
export interface AcceptanceContent {
  plan_id: number
  reason: string
  attachments: string[]
  measurement: Measurement
}

export function acceptanceOf(content: unknown): AcceptanceContent | null {
  if (!isObject(content) || typeof content.plan_id !== 'number' || !isObject(content.measurement)) return null
  return {
    plan_id: content.plan_id,
    reason: typeof content.reason === 'string' ? content.reason : '',
    attachments: Array.isArray(content.attachments)
      ? content.attachments.filter((a): a is string => typeof a === 'string')
      : [],
    measurement: content.measurement as unknown as Measurement,
  }
}

// A plan as it is sent (filed, or sent again after a return): only the fields a filing has, the projects with
// their id, target level and expected saving.
export function filingOf(plan: PlanContent, changes: Partial<UpgradePlanFiling> = {}): UpgradePlanFiling {
  return {
    projects: plan.projects.map((p) => ({
      project_id: p.project_id,
      target_level: p.target_level,
      expected_saving_tce: p.expected_saving_tce,
    })),
    measures: plan.measures,
    investment: plan.investment,
    adopted_on: plan.adopted_on || undefined,
    completion_due: plan.completion_due,
    milestones: plan.milestones.map((m) => ({ title: m.title, due: m.due })),
    reason: plan.reason || undefined,
    attachments: plan.attachments,
    ...changes,
  }
}

// One line for a plan: its projects' targets and the saving expected ("熟料线：达到标杆水平 · 预期节能 1,600 吨标准煤/年").
export function planSummary(plan: PlanContent): string {
  const targets = plan.projects.map((p) => `${p.name}：${targetLevelName(p.target_level)}`).join('；')
  const expected = plan.projects.reduce((sum, p) => sum + (p.expected_saving_tce || 0), 0)
  return `${targets} · ${t('upgrades.expectedLine', { v: formatNumber(expected, 1) })}`
}

// Measured against expected, as a ratio (1.2 = 20 % more saved than expected); null without either.
export function savingRatio(measured: number | null | undefined, expected: number | null | undefined): number | null {
  if (measured === null || measured === undefined || !expected) return null
  return measured / expected
}
