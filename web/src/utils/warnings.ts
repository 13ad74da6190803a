// Warnings in Chinese: rule, category, severity and status names, the evidence figures with their units,
// threshold names, the time a warning covers, and which of its links a user can follow. A rule, figure
// or threshold the console does not know yet is shown by its id, never hidden.
import type { User } from '../api/auth'
import type { Evidence, EvidenceLink, Warning, WarningThreshold } from '../api/warnings'
import { i18n, t } from '../i18n'
import { dueDate, formatChinaTime, formatInterval, formatNumber } from './format'
import { measureName, unitName } from './measures'

export const CATEGORIES = ['policy', 'data', 'workflow'] as const
export const SEVERITIES = ['info', 'warning', 'critical'] as const
export const STATUSES = ['open', 'acknowledged', 'closed'] as const

// The rules the console has names for, in the catalogue's order (the server's catalogue comes first).
export const KNOWN_RULES = [
  'gap',
  'meter_stopped',
  'access_end_silent',
  'flatline',
  'spike',
  'register_reset',
  'timestamp_drift',
  'day_completeness',
  'calibration_overdue',
  'source_mismatch',
  'cross_quantity',
  'report_late',
  'daily_data_late',
  'task_delivery_late',
  'review_overdue',
] as const

const named = (key: string, fallback: string) => (i18n.global.te(key) ? t(key) : fallback)

export const ruleName = (rule: string) => named(`warnings.rules.${rule}`, rule)
export const categoryName = (c: string) => named(`warnings.categories.${c}`, c)
export const severityName = (s: string) => named(`warnings.severities.${s}`, s)
export const statusName = (s: string) => named(`warnings.statuses.${s}`, s)
export const closedReasonName = (r: string | null | undefined) => (r ? named(`warnings.closedReasons.${r}`, r) : '')
export const actionName = (a: string) => named(`warnings.actions.${a}`, a)

// A warning's status as people read it: a closed one says how it was closed.
export function statusText(w: Pick<Warning, 'status' | 'closed_reason'>): string {
  if (w.status === 'closed' && w.closed_reason) return `${statusName('closed')}（${closedReasonName(w.closed_reason)}）`
  return statusName(w.status)
}

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export function severityType(s: string): TagType {
  return s === 'critical' ? 'danger' : s === 'warning' ? 'warning' : 'info'
}

export function statusType(s: string): TagType {
  return s === 'open' ? 'danger' : s === 'acknowledged' ? 'primary' : 'info'
}

// Severity colours for charts and dots, the same as the tags'.
export const SEVERITY_COLORS: Record<string, string> = { critical: '#f56c6c', warning: '#e6a23c', info: '#909399' }
export const STATUS_COLORS: Record<string, string> = { open: '#d9534f', acknowledged: '#409eff', closed: '#b1b3b8' }

// "2026-11-28 10:00 至 13:00", "2026-11-28 10:00 至 2026-11-29 08:00", "2026-11-28 10:00 起，持续中";
// an event at one instant (a deadline passed) is that instant.
export function spanText(from: string, to: string | null): string {
  const start = formatChinaTime(from)
  if (!to) return t('warnings.since', { from: start })
  const end = formatChinaTime(to)
  if (end === start) return start
  const sameDay = end.slice(0, 10) === start.slice(0, 10)
  return `${start} ${t('warnings.spanTo')} ${sameDay ? end.slice(11) : end}`
}

// ---- Thresholds ----

export function thresholdName(rule: string, name: string): string {
  return named(`warnings.thresholdNames.${rule}.${name}`, named(`warnings.thresholdNames.any.${name}`, name))
}

export const thresholdUnit = (unit: string) => (unit ? named(`warnings.thresholdUnits.${unit}`, unit) : '')

// "60 分钟", "90%", "1.5".
export function thresholdValue(value: number, unit: string): string {
  const n = formatNumber(value, 4)
  if (!unit) return n
  if (unit === '%') return `${n}%`
  return `${n} ${thresholdUnit(unit)}`
}

// The version of each threshold in force: the newest per rule and name, in the catalogue's rule order.
export function thresholdsInForce(items: WarningThreshold[], ruleOrder: readonly string[] = KNOWN_RULES) {
  const newest = new Map<string, WarningThreshold>()
  for (const item of items) {
    const key = `${item.rule}\u0000${item.name}`
    const have = newest.get(key)
    if (!have || item.version > have.version) newest.set(key, item)
  }
  const rank = (rule: string) => {
    const i = ruleOrder.indexOf(rule)
    return i < 0 ? ruleOrder.length : i
  }
  return [...newest.values()].sort((a, b) => rank(a.rule) - rank(b.rule) || a.rule.localeCompare(b.rule))
}

// The older versions of one threshold, newest first.
export function thresholdHistory(items: WarningThreshold[], rule: string, name: string) {
  return items.filter((i) => i.rule === rule && i.name === name).sort((a, b) => b.version - a.version)
}

// ---- Evidence ----

type FigureKind =
  | 'instant'
  | 'deadline'
  | 'text'
  | 'hours'
  | 'count'
  | 'seconds'
  | 'interval'
  | 'days'
  | 'pct'
  | 'signedPct'
  | 'times'
  | 'amount'
  | 'bool'
  | 'energy'
  | 'source'
  | 'reportKind'
  | 'reportStatus'
  | 'frequency'
  | 'crossModel'
  | 'crossBasis'
  | 'outputSource'
  | 'plainAmount'
  | 'ratio'
  | 'pointList'

// The figures the console knows, in the order they are shown, and how each reads.
const FIGURES: [string, FigureKind][] = [
  ['model', 'crossModel'],
  ['basis', 'crossBasis'],
  ['month', 'text'],
  ['energy_type', 'energy'],
  ['off_source', 'source'],
  ['metered', 'amount'],
  ['reported', 'amount'],
  ['department', 'amount'],
  ['department_task', 'text'],
  ['kind', 'reportKind'],
  ['period', 'text'],
  ['task', 'text'],
  ['frequency', 'frequency'],
  ['due', 'deadline'],
  ['status', 'reportStatus'],
  ['missing_days', 'days'],
  ['last_sample_before', 'instant'],
  ['first_sample_after', 'instant'],
  ['last_sample', 'instant'],
  ['silent_hours', 'hours'],
  ['points', 'count'],
  ['other_points_reporting', 'count'],
  ['missing_samples', 'count'],
  ['value', 'amount'],
  ['samples', 'count'],
  ['amount', 'amount'],
  ['typical_interval', 'amount'],
  ['ratio', 'times'],
  ['hour_amount', 'amount'],
  ['profile_median', 'amount'],
  ['profile_sigma', 'amount'],
  ['profile_days', 'days'],
  ['before', 'amount'],
  ['after', 'amount'],
  ['restarted_near_zero', 'bool'],
  ['max_rate_per_hour', 'amount'],
  ['impossible', 'bool'],
  ['offset_s', 'seconds'],
  ['hours', 'hours'],
  ['interval_s', 'interval'],
  ['received', 'count'],
  ['expected', 'count'],
  ['pct', 'pct'],
  ['calibration_due', 'text'],
  ['calibrated_on', 'text'],
  ['points_drifting', 'count'],
  ['points_total', 'count'],
  ['history_months', 'plainAmount'],
  ['industry_p10', 'amount'],
  ['industry_p90', 'amount'],
  ['industry_enterprises', 'plainAmount'],
  ['product', 'text'],
  ['output_source', 'outputSource'],
  ['output_t', 'plainAmount'],
  ['capacity_t', 'plainAmount'],
  ['electricity_kwh', 'plainAmount'],
  ['water_t', 'plainAmount'],
  ['coal_t', 'plainAmount'],
  ['so2_t', 'plainAmount'],
  ['nox_t', 'plainAmount'],
  ['revenue_10k', 'plainAmount'],
  ['price_yuan_per_t', 'plainAmount'],
]
const FIGURE_KIND = new Map(FIGURES)
// Figures that are codes, and where the console keeps their names.
const CODE_NAMES: Partial<Record<FigureKind, string>> = {
  source: 'warnings.sources',
  crossModel: 'warnings.crossModels',
  crossBasis: 'warnings.crossBases',
  outputSource: 'warnings.outputSources',
  reportKind: 'warnings.reportKinds',
  reportStatus: 'report.statuses',
  frequency: 'dept.frequencies',
}
const FIGURE_ORDER = new Map(FIGURES.map(([k], i) => [k, i]))
// Rules where a figure reads differently (a percentage that is a difference, a department that is a name).
const RULE_KINDS: Record<string, Record<string, FigureKind>> = {
  source_mismatch: { pct: 'signedPct' },
  cross_quantity: { pct: 'signedPct', value: 'ratio', expected: 'ratio', industry_p10: 'ratio', industry_p90: 'ratio' },
  timestamp_drift: { points: 'pointList' },
  task_delivery_late: { department: 'text' },
  review_overdue: { flow: 'text', status: 'text', awaiting: 'text' },
}
// Not figures: shown in their own sections, or the unit of the amounts.
const NOT_FIGURES = new Set(['thresholds', 'links', 'unit'])

export interface Figure {
  key: string
  label: string
  value: string
  // A long value (a list) that takes a row of its own.
  wide?: boolean
}

export interface FigureContext {
  rule: string
  // Names for codes the evidence cites (departments).
  names?: Record<string, string>
}

export function figureLabel(rule: string, key: string): string {
  return named(`warnings.evidence.${rule}.${key}`, named(`warnings.evidence.any.${key}`, key))
}

const words = (key: string) => t(`warnings.unitWords.${key}`)

function plain(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'number') return formatNumber(value, 3)
  if (typeof value === 'boolean') return value ? t('enterprise.yes') : t('enterprise.no')
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

function formatSignificant(n: number): string {
  return Math.abs(n) >= 1000 ? formatNumber(n, 0) : n.toLocaleString('zh-CN', { maximumSignificantDigits: 4 })
}

function figureValue(kind: FigureKind | undefined, value: unknown, unit: string, names: Record<string, string>) {
  if (value === null || value === undefined || value === '') {
    return kind === 'reportStatus' ? t('report.statuses.none') : '—'
  }
  const n = typeof value === 'number' ? value : NaN
  const num = !Number.isNaN(n)
  switch (kind) {
    case 'instant':
      return typeof value === 'string' ? formatChinaTime(value) : plain(value)
    case 'deadline':
      return typeof value === 'string' ? dueDate(value) : plain(value)
    case 'hours':
      return num ? `${formatNumber(n, 1)} ${words('hours')}` : plain(value)
    case 'count':
      return num ? `${formatNumber(n)} ${words('samples')}` : plain(value)
    case 'seconds':
      return num ? `${formatNumber(n, 1)} ${words('seconds')}` : plain(value)
    case 'days':
      return num ? `${formatNumber(n)} ${words('days')}` : plain(value)
    case 'interval':
      return num ? formatInterval(n) : plain(value)
    case 'pct':
      return num ? `${formatNumber(n, 2)}%` : plain(value)
    case 'signedPct':
      return num ? `${n > 0 ? '+' : ''}${formatNumber(n, 2)}%` : plain(value)
    case 'times':
      return num ? `${formatNumber(n, 1)} ${words('times')}` : plain(value)
    case 'amount':
      return num ? `${formatNumber(n, 3)}${unit ? ` ${unitName(unit)}` : ''}` : plain(value)
    case 'energy':
      return typeof value === 'string' ? measureName(value) : plain(value)
    case 'plainAmount':
      return num ? formatNumber(n, 3) : plain(value)
    case 'ratio':
      // Four significant figures as the message gives them (0.4146 kg/t), whole units from a thousand up
      // (1,506,700 t/年, not 1,506,699.984).
      return num ? `${formatSignificant(n)}${unit ? ` ${unitName(unit)}` : ''}` : plain(value)
    case 'pointList':
      // [{code, offset_s}]: "D-01（150 秒）、E-01（148 秒）"
      return Array.isArray(value)
        ? value
            .map((p: { code?: string; offset_s?: number }) =>
              p.offset_s === undefined
                ? String(p.code)
                : `${p.code}（${formatNumber(p.offset_s, 1)} ${words('seconds')}）`,
            )
            .join('、')
        : plain(value)
    case 'source':
    case 'crossModel':
    case 'crossBasis':
    case 'outputSource':
    case 'reportKind':
    case 'reportStatus':
    case 'frequency':
      return typeof value === 'string' ? named(`${CODE_NAMES[kind]}.${value}`, value) : plain(value)
    case 'text':
      return typeof value === 'string' ? (names[value] ?? value) : plain(value)
    default:
      return typeof value === 'string' ? (names[value] ?? value) : plain(value)
  }
}

// The evidence's figures as label → value, known ones in a reading order with their units, unknown ones
// after them by their key.
export function evidenceFigures(evidence: Evidence | null | undefined, context: FigureContext): Figure[] {
  if (!evidence) return []
  const unit = typeof evidence.unit === 'string' ? evidence.unit : ''
  const names = context.names ?? {}
  const keys = Object.keys(evidence).filter((k) => !NOT_FIGURES.has(k))
  const order = (k: string) => FIGURE_ORDER.get(k) ?? FIGURES.length
  keys.sort((a, b) => order(a) - order(b) || a.localeCompare(b))
  const figures = keys.map((key) => {
    const kind = RULE_KINDS[context.rule]?.[key] ?? FIGURE_KIND.get(key)
    const figure: Figure = {
      key,
      label: figureLabel(context.rule, key),
      value: figureValue(kind, evidence[key], unit, names),
    }
    if (kind === 'pointList') figure.wide = true
    return figure
  })
  // Wide figures after the others, so that the two-column grid stays even.
  return [...figures.filter((f) => !f.wide), ...figures.filter((f) => f.wide)]
}

export interface CitedRow {
  name: string
  label: string
  value: string
  version: number
}

export function evidenceThresholds(evidence: Evidence | null | undefined, rule: string): CitedRow[] {
  const cited = evidence?.thresholds ?? {}
  return Object.entries(cited)
    .map(([name, c]) => ({
      name,
      label: thresholdName(rule, name),
      value: thresholdValue(c.value, c.unit),
      version: c.version,
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

// ---- Links ----

// Whether a console route is one the user may open: an enterprise user only its own file, its points, its
// reports and the warnings; officials any (the server still decides what they see there).
export function linkOpenable(href: string, user: Pick<User, 'role' | 'enterprise_id'> | null | undefined): boolean {
  if (!href.startsWith('/') || href.startsWith('//')) return false
  if (!user) return false
  if (user.role !== 'enterprise') return true
  const path = href.split(/[?#]/)[0]
  const own = user.enterprise_id
  if (/^\/points\/\d+$/.test(path)) return true
  if (/^\/warnings(\/\d+)?$/.test(path)) return true
  if (path === `/enterprises/${own}`) return true
  if (path === '/reports' || path.startsWith(`/reports/${own}/`)) return true
  return false
}

export function openableLinks(
  evidence: Evidence | null | undefined,
  user: Pick<User, 'role' | 'enterprise_id'> | null,
) {
  const links: EvidenceLink[] = Array.isArray(evidence?.links) ? evidence.links : []
  const openable = links.filter((l) => typeof l?.href === 'string' && linkOpenable(l.href, user))
  // Several links of one label to points (an access-end's 读数曲线 for each point) are told apart by the
  // point's code where the evidence lists it.
  const codes = new Map<string, string>()
  for (const p of Array.isArray(evidence?.points) ? evidence.points : []) {
    if (p && typeof p === 'object' && typeof p.code === 'string' && typeof p.point_id === 'number')
      codes.set(String(p.point_id), p.code)
  }
  const count = (label: string) => openable.filter((l) => l.label === label).length
  return openable.map((l) => {
    const point = /^\/points\/(\d+)(?:[?#]|$)/.exec(l.href)?.[1]
    const code = point ? codes.get(point) : undefined
    return code && count(l.label) > 1 ? { ...l, label: `${l.label} ${code}` } : l
  })
}

// ---- Filters in the URL ----

// "open,acknowledged" -> ['open', 'acknowledged']; with `allowed`, only those (a filter typed by hand).
export function parseList(text: string, allowed?: readonly string[]): string[] {
  const values = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
  const kept = allowed ? values.filter((v) => allowed.includes(v)) : values
  return [...new Set(kept)]
}
