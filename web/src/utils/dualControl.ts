// Dual control in Chinese and in figures: indicator, status and method names, units and the scale that keeps
// a target readable (万吨标准煤), the month the target is passed, the versions of a target, and the series the
// charts draw — the running totals of this year, of the projection with its band, and of last year (an
// intensity is a ratio: its months are drawn as they are, never summed).
import type { ControlTarget, TargetView, YearEndForecast } from '../api/dualControl'
import { i18n, t } from '../i18n'
import { formatNumber } from './format'
import { unitName } from './measures'

// The indicators with monthly figures, in the order they are shown (pollutants from the ecology department).
export const SHOWN_INDICATORS = [
  'energy_total',
  'energy_intensity',
  'coal_total',
  'co2_total',
  'co2_intensity',
  'so2_total',
  'nox_total',
  'output_cap',
] as const
export const STATUSES = ['exceeding', 'approaching', 'on_track', 'no_data'] as const

// The unit the server sets each indicator's targets in (a product's output may come in another).
const UNITS: Record<string, string> = {
  energy_total: 'tce',
  energy_intensity: 'tce/万元',
  coal_total: 't',
  co2_total: 't',
  co2_intensity: 't/万元',
  so2_total: 't',
  nox_total: 't',
  output_cap: 't',
}

const named = (key: string, fallback: string) => (i18n.global.te(key) ? t(key) : fallback)

export const isShownIndicator = (indicator: string) => (SHOWN_INDICATORS as readonly string[]).includes(indicator)
export const isIntensity = (indicator: string) => indicator === 'energy_intensity' || indicator === 'co2_intensity'
export const needsProduct = (indicator: string) => indicator === 'output_cap'

// "能源消费总量", "产量上限（焦炭）"; an indicator the console does not know by its id.
export function indicatorName(indicator: string, product?: string | null): string {
  const name = named(`dualControl.indicators.${indicator}`, indicator)
  return product ? `${name}（${product}）` : name
}

export const statusName = (status: string) => named(`dualControl.statuses.${status}`, status)
export const methodName = (method: string) => named(`dualControl.methods.${method}`, method)

type TagType = 'success' | 'warning' | 'danger' | 'info'

export function statusType(status: string): TagType {
  switch (status) {
    case 'on_track':
      return 'success'
    case 'approaching':
      return 'warning'
    case 'exceeding':
      return 'danger'
    default:
      return 'info'
  }
}

// The tags' colours, for the cards' edges and the chart.
export const STATUS_COLORS: Record<string, string> = {
  on_track: '#67c23a',
  approaching: '#e6a23c',
  exceeding: '#f56c6c',
  no_data: '#909399',
}

// A target's unit in words: 吨标准煤, 吨二氧化碳/万元; a unit the indicator does not usually have as given.
export function unitLabel(indicator: string, unit: string): string {
  if (UNITS[indicator] === unit) return t(`dualControl.units.${indicator}`)
  return unitName(unit)
}

// The unit a target is set in, for the form (its indicator's, before the server says).
export const defaultUnit = (indicator: string) => UNITS[indicator] ?? ''

// Totals of 100,000 or more read in 万 (ten thousands); intensities as they are.
export interface Scale {
  divisor: number
  unit: string
  digits: number
}

export function scaleFor(indicator: string, unit: string, values: (number | null | undefined)[]): Scale {
  const label = unitLabel(indicator, unit)
  if (isIntensity(indicator)) return { divisor: 1, unit: label, digits: 3 }
  const largest = Math.max(0, ...values.map((v) => Math.abs(v ?? 0)))
  if (largest >= 1e5) return { divisor: 1e4, unit: `${t('dualControl.tenThousand')}${label}`, digits: 2 }
  return { divisor: 1, unit: label, digits: 1 }
}

// The scale of one target's figures: its value, the year so far and the forecast's high end.
export const viewScale = (v: TargetView) =>
  scaleFor(v.target.indicator, v.target.unit, [v.target.value, v.forecast?.year_to_date, v.forecast?.high])

// A figure in a scale, without its unit: "300.5".
export function scaled(value: number | null | undefined, scale: Scale): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  return formatNumber(value / scale.divisor, scale.digits)
}

// A figure with its unit: "300.5 万吨标准煤".
export function withUnit(value: number | null | undefined, scale: Scale): string {
  const n = scaled(value, scale)
  return n === '—' ? n : `${n} ${scale.unit}`
}

// "已于 3 月突破" (the running total has passed the target), "预计 11 月突破", or '' (not expected this year).
export function crossingText(forecast: Pick<YearEndForecast, 'crossing_month' | 'months_known'> | null): string {
  const month = forecast?.crossing_month
  if (!month) return ''
  return t(month <= forecast.months_known ? 'dualControl.crossedIn' : 'dualControl.crossingIn', { m: month })
}

// The year so far as a share of the target (totals only: an intensity so far is no share of the year's).
export function yearToDateShare(v: TargetView): number | null {
  if (!v.forecast || isIntensity(v.target.indicator) || !(v.target.value > 0)) return null
  return (v.forecast.year_to_date / v.target.value) * 100
}

// ---- Targets and their versions ----

// One target across its versions: the region, the indicator and the product (the year is the page's).
export const targetKey = (target: Pick<ControlTarget, 'region' | 'indicator' | 'product'>) =>
  `${target.region}|${target.indicator}|${target.product ?? ''}`

// The versions of one target, newest first.
export function targetVersions(all: ControlTarget[], key: string, year?: number): ControlTarget[] {
  return all
    .filter((x) => targetKey(x) === key && (year === undefined || x.year === year))
    .sort((a, b) => b.version - a.version)
}

const indicatorRank = (indicator: string) => {
  const i = (SHOWN_INDICATORS as readonly string[]).indexOf(indicator)
  return i < 0 ? SHOWN_INDICATORS.length : i
}

// The targets in a reading order: by region code (the province first, then its cities), indicator, product;
// only the indicators with monthly figures.
export function sortViews(items: TargetView[]): TargetView[] {
  return items
    .filter((v) => isShownIndicator(v.target.indicator))
    .sort(
      (a, b) =>
        a.target.region.localeCompare(b.target.region) ||
        indicatorRank(a.target.indicator) - indicatorRank(b.target.indicator) ||
        (a.target.product ?? '').localeCompare(b.target.product ?? ''),
    )
}

export function statusCounts(items: TargetView[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]))
  for (const v of items) out[v.status] = (out[v.status] ?? 0) + 1
  return out
}

// ---- Chart series ----

// Running totals; from the first month without a figure on, none.
export function cumulative(values: readonly (number | null | undefined)[]): (number | null)[] {
  const out: (number | null)[] = []
  let sum = 0
  let open = true
  for (const v of values) {
    if (open && v !== null && v !== undefined && !Number.isNaN(v)) {
      sum += v
      out.push(sum)
    } else {
      open = false
      out.push(null)
    }
  }
  return out
}

export interface Trajectory {
  // Whether the series are running totals (false for an intensity: its months as they are).
  running: boolean
  actual: (number | null)[]
  // From the last month with a figure (where it joins the actual line) to December.
  projected: (number | null)[]
  // The band around the projection: nothing where the figures are known, the forecast's low and high in December.
  low: (number | null)[]
  high: (number | null)[]
  lastYear: (number | null)[]
  // The month index (0-11) the projection starts from; -1 when no month has a figure.
  anchor: number
}

const twelve = <T>(values: readonly T[] | null | undefined, fill: T): T[] =>
  Array.from({ length: 12 }, (_, i) => values?.[i] ?? fill)

// What the charts of one target draw. Totals run (the band widens from the last known month to the
// forecast's low and high at the year's end, in step with the projected amount); an intensity's months are
// ratios, drawn month by month with the band's relative width on the projected months.
export function trajectory(view: Pick<TargetView, 'target' | 'actual' | 'last_year' | 'forecast'>): Trajectory {
  const running = !isIntensity(view.target.indicator)
  const actualMonths = twelve<number | null>(view.actual, null)
  const actual = running ? cumulative(actualMonths) : actualMonths
  let anchor = -1
  actual.forEach((v, i) => {
    if (v !== null && (running || i === anchor + 1)) anchor = i
  })
  const lastYear = running ? cumulative(twelve(view.last_year, null)) : twelve<number | null>(view.last_year, null)
  const f = view.forecast
  const none = () => twelve<number | null>([], null)
  if (!f || !f.projected?.length)
    return { running, actual, projected: none(), low: none(), high: none(), lastYear, anchor }
  const months = twelve<number | null>(f.projected, null)
  const path = running ? cumulative(months) : months
  const projected = path.map((v, i) => (i >= anchor ? v : null))
  const low = none()
  const high = none()
  if (running) {
    const start = anchor >= 0 ? (path[anchor] ?? 0) : 0
    const end = path[11] ?? f.forecast
    const below = f.forecast - f.low
    const above = f.high - f.forecast
    for (let i = Math.max(anchor, 0); i < 12; i++) {
      const v = path[i]
      if (v === null) continue
      const share = end > start ? (v - start) / (end - start) : 1
      low[i] = v - below * share
      high[i] = v + above * share
    }
  } else {
    const band = f.forecast > 0 ? (f.high - f.forecast) / f.forecast : f.band_pct / 100
    const bandLow = f.forecast > 0 ? (f.forecast - f.low) / f.forecast : f.band_pct / 100
    for (let i = Math.max(anchor, 0); i < 12; i++) {
      const v = path[i]
      if (v === null) continue
      const known = i <= anchor
      low[i] = known ? v : v * (1 - bandLow)
      high[i] = known ? v : v * (1 + band)
    }
  }
  return { running, actual, projected, low, high, lastYear, anchor }
}

// A band as ECharts stacks it: a transparent base at the low end, the width above it shaded.
export function bandStack(low: (number | null)[], high: (number | null)[]) {
  return {
    base: low,
    width: low.map((l, i) => (l === null || high[i] === null ? null : (high[i] as number) - l)),
  }
}

// This year's months split into what is known and what is projected (the bar chart's two parts of a month).
export function monthlyBars(view: Pick<TargetView, 'actual' | 'forecast'>) {
  const actual = twelve<number | null>(view.actual, null)
  const projected = twelve<number | null>(view.forecast?.projected, null).map((v, i) => (actual[i] === null ? v : null))
  return { actual, projected }
}

// A value axis from 0 that reaches `largest` in at most `steps` round steps (1, 2, 2.5 or 5 × 10^n, the
// smallest that will do), so that the top line is a labelled one and a target near it is not drawn on the frame.
export function niceAxis(largest: number, steps = 6): { max: number; interval: number } {
  if (!(largest > 0) || !Number.isFinite(largest)) return { max: 1, interval: 0.2 }
  const magnitude = 10 ** Math.floor(Math.log10(largest / steps))
  const interval = [1, 2, 2.5, 5, 10, 20].map((m) => m * magnitude).find((d) => largest / d <= steps + 1e-9)!
  const max = Math.ceil(largest / interval - 1e-9) * interval
  return { max: Number(max.toPrecision(12)), interval: Number(interval.toPrecision(12)) }
}

// ---- The back-test ----

// The numbers of months known that the back-test has an error for (1..11).
export function backtestMonths(rows: { mape_pct: (number | null)[] }[]): number[] {
  const out: number[] = []
  for (let k = 1; k < 12; k++) if (rows.some((r) => r.mape_pct[k] !== null && r.mape_pct[k] !== undefined)) out.push(k)
  return out
}
