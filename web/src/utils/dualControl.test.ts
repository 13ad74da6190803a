import { describe, expect, it } from 'vitest'
import type { ControlTarget, TargetView } from '../api/dualControl'
import {
  backtestMonths,
  bandStack,
  crossingText,
  cumulative,
  indicatorName,
  methodName,
  monthlyBars,
  niceAxis,
  scaleFor,
  sortViews,
  statusCounts,
  statusName,
  statusType,
  targetKey,
  targetVersions,
  trajectory,
  unitLabel,
  viewScale,
  withUnit,
  yearToDateShare,
} from './dualControl'

const target = (fields: Partial<ControlTarget> = {}): ControlTarget => ({
  region: '370100',
  region_name: '济南市',
  year: 2026,
  indicator: 'energy_total',
  product: null,
  version: 1,
  value: 1200,
  unit: 'tce',
  source: '文件',
  changed_by: 'province',
  changed_at: '2026-11-20T00:00:00Z',
  ...fields,
})

const months = (...values: (number | null)[]) => [...values, ...Array(12 - values.length).fill(null)]

// 100 a month so far (3 months known), 100 a month projected: 1200 by December, ±10 %.
const view = (fields: Partial<TargetView> = {}): TargetView => ({
  target: target(),
  status: 'approaching',
  share_of_target_pct: 100,
  actual: months(100, 100, 100),
  last_year: Array(12).fill(90),
  forecast: {
    months_known: 3,
    months_missing: 0,
    year_to_date: 300,
    forecast: 1200,
    low: 1080,
    high: 1320,
    band_pct: 10,
    method: 'seasonal',
    ratio: 1.11,
    projected: Array(12).fill(100),
    crossing_month: 12,
  },
  ...fields,
})

describe('dual-control names', () => {
  it('names indicators, products, statuses and methods in Chinese; unknown ones by their id', () => {
    expect(indicatorName('energy_total')).toBe('能源消费总量')
    expect(indicatorName('co2_intensity')).toBe('碳排放强度')
    expect(indicatorName('output_cap', '焦炭')).toBe('产量上限（焦炭）')
    expect(indicatorName('water_total')).toBe('water_total')
    expect(statusName('approaching')).toBe('接近目标')
    expect(statusName('exceeding')).toBe('超出目标')
    expect(statusName('something')).toBe('something')
    expect(methodName('seasonal')).toBe('季节比例法')
    expect(methodName('run_rate')).toBe('平均速率法')
  })
  it('colours a status as its tag: success, warning, danger, info', () => {
    expect(['on_track', 'approaching', 'exceeding', 'no_data', 'other'].map(statusType)).toEqual([
      'success',
      'warning',
      'danger',
      'info',
      'info',
    ])
  })
  it('says when the target is passed: already, expected, or not this year', () => {
    expect(crossingText({ crossing_month: 3, months_known: 10 })).toBe('已于 3 月突破')
    expect(crossingText({ crossing_month: 10, months_known: 10 })).toBe('已于 10 月突破')
    expect(crossingText({ crossing_month: 11, months_known: 10 })).toBe('预计 11 月突破')
    expect(crossingText({ crossing_month: null, months_known: 10 })).toBe('')
    expect(crossingText(null)).toBe('')
  })
})

describe('units and scale', () => {
  it('reads units by indicator; a unit the indicator does not usually have as given', () => {
    expect(unitLabel('energy_total', 'tce')).toBe('吨标准煤')
    expect(unitLabel('co2_total', 't')).toBe('吨二氧化碳')
    expect(unitLabel('energy_intensity', 'tce/万元')).toBe('吨标准煤/万元')
    expect(unitLabel('output_cap', 'm3')).toBe('立方米')
    expect(unitLabel('output_cap', '重量箱')).toBe('重量箱')
  })
  it('reads totals of 100,000 or more in 万, intensities as they are', () => {
    expect(scaleFor('energy_total', 'tce', [3_000_000, 3_812_650])).toMatchObject({ divisor: 1e4, unit: '万吨标准煤' })
    expect(scaleFor('coal_total', 't', [50_000])).toMatchObject({ divisor: 1, unit: '吨' })
    expect(scaleFor('energy_intensity', 'tce/万元', [1e6])).toMatchObject({ divisor: 1, digits: 3 })
    const big = view({ target: target({ value: 3_000_000 }) })
    expect(withUnit(3_812_649.9, viewScale(big))).toBe('381.26 万吨标准煤')
    expect(withUnit(null, viewScale(big))).toBe('—')
  })
  it('gives the year so far as a share of a total target, not of an intensity', () => {
    expect(yearToDateShare(view())).toBe(25)
    expect(yearToDateShare(view({ forecast: null }))).toBeNull()
    expect(yearToDateShare(view({ target: target({ indicator: 'energy_intensity', unit: 'tce/万元' }) }))).toBeNull()
  })
})

describe('targets and versions', () => {
  it('keys a target by region, indicator and product, and lists its versions newest first', () => {
    const all = [
      target({ version: 1 }),
      target({ version: 3 }),
      target({ version: 2 }),
      target({ version: 1, indicator: 'coal_total' }),
      target({ version: 1, year: 2025 }),
      target({ version: 1, indicator: 'output_cap', product: '焦炭' }),
    ]
    expect(targetKey(all[5])).toBe('370100|output_cap|焦炭')
    const versions = targetVersions(all, targetKey(target()), 2026)
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1])
    expect(targetVersions(all, '370100|output_cap|焦炭')).toHaveLength(1)
  })
  it('orders targets by region, then indicator, and leaves out indicators it does not know', () => {
    const items = [
      view({ target: target({ region: '370200', indicator: 'energy_total' }) }),
      view({ target: target({ region: '370100', indicator: 'co2_total' }) }),
      view({ target: target({ region: '370100', indicator: 'so2_total' }) }),
      view({ target: target({ region: '370100', indicator: 'pm25_total' }) }),
      view({ target: target({ region: '370000', indicator: 'output_cap', product: '焦炭' }) }),
      view({ target: target({ region: '370100', indicator: 'energy_total' }) }),
    ]
    expect(sortViews(items).map((v) => `${v.target.region} ${v.target.indicator}`)).toEqual([
      '370000 output_cap',
      '370100 energy_total',
      '370100 co2_total',
      '370100 so2_total',
      '370200 energy_total',
    ])
  })
  it('counts targets by status', () => {
    const items = [view({ status: 'exceeding' }), view({ status: 'exceeding' }), view({ status: 'no_data' })]
    expect(statusCounts(items)).toEqual({ exceeding: 2, approaching: 0, on_track: 0, no_data: 1 })
  })
})

describe('chart series', () => {
  it('runs a total until the first month without a figure', () => {
    expect(cumulative([1, 2, 3, null, 5])).toEqual([1, 3, 6, null, null])
    expect(cumulative([null, 2])).toEqual([null, null])
    expect(cumulative([])).toEqual([])
  })
  it('continues the actual running total with the projection, the band widening to the year-end low and high', () => {
    const x = trajectory(view())
    expect(x.running).toBe(true)
    expect(x.anchor).toBe(2)
    expect(x.actual.slice(0, 4)).toEqual([100, 200, 300, null])
    expect(x.projected.slice(0, 4)).toEqual([null, null, 300, 400])
    expect(x.projected[11]).toBe(1200)
    // No width where the figures are known; the forecast's band at December; in step with the amount between.
    expect([x.low[2], x.high[2]]).toEqual([300, 300])
    expect([x.low[11], x.high[11]]).toEqual([1080, 1320])
    expect(x.low[6]).toBeCloseTo(700 - 120 * (4 / 9))
    expect(x.low[1]).toBeNull()
    expect(x.lastYear[11]).toBe(1080)
  })
  it('projects a month without a figure in the year so far, from the last month before it', () => {
    const x = trajectory(view({ actual: months(100, null, 100) }))
    expect(x.anchor).toBe(0)
    expect(x.actual.slice(0, 3)).toEqual([100, null, null])
    expect(x.projected.slice(0, 3)).toEqual([100, 200, 300])
  })
  it('projects from January when no month has a figure', () => {
    const x = trajectory(view({ actual: months() }))
    expect(x.anchor).toBe(-1)
    expect(x.projected[0]).toBe(100)
    expect(x.low[0]).toBeCloseTo(100 - 120 / 12)
  })
  it('draws an intensity month by month, never summed', () => {
    const intensity = view({
      target: target({ indicator: 'energy_intensity', unit: 'tce/万元', value: 0.5 }),
      actual: months(0.4, 0.5),
      last_year: Array(12).fill(0.45),
      forecast: { ...view().forecast!, forecast: 0.46, low: 0.4508, high: 0.4692, projected: Array(12).fill(0.46) },
    })
    const x = trajectory(intensity)
    expect(x.running).toBe(false)
    expect(x.actual.slice(0, 3)).toEqual([0.4, 0.5, null])
    expect(x.lastYear[11]).toBe(0.45)
    expect(x.projected.slice(0, 3)).toEqual([null, 0.46, 0.46])
    expect(x.low[1]).toBe(0.46)
    expect(x.high[5]).toBeCloseTo(0.46 * 1.02)
  })
  it('has no projection without a forecast', () => {
    const x = trajectory(view({ forecast: null }))
    expect(x.projected.every((v) => v === null)).toBe(true)
    expect(x.actual[2]).toBe(300)
  })
  it('rounds the value axis to at most six steps of 1, 2, 2.5 or 5', () => {
    expect(niceAxis(525)).toEqual({ max: 600, interval: 100 })
    expect(niceAxis(381.26)).toEqual({ max: 400, interval: 100 })
    expect(niceAxis(4.24)).toEqual({ max: 5, interval: 1 })
    expect(niceAxis(1201)).toEqual({ max: 1250, interval: 250 })
    expect(niceAxis(1200)).toEqual({ max: 1200, interval: 200 })
    expect(niceAxis(0.061)).toEqual({ max: 0.08, interval: 0.02 })
    expect(niceAxis(0)).toEqual({ max: 1, interval: 0.2 })
  })
  it('stacks a band as a base and a width', () => {
    expect(bandStack([1, null, 3], [2, 5, null])).toEqual({ base: [1, null, 3], width: [1, null, null] })
  })
  it('splits this year by month into the known and the projected', () => {
    const bars = monthlyBars(view({ actual: months(100, null, 100) }))
    expect(bars.actual.slice(0, 4)).toEqual([100, null, 100, null])
    expect(bars.projected.slice(0, 4)).toEqual([null, 100, null, 100])
  })
  it('lists the months known the back-test has errors for', () => {
    expect(
      backtestMonths([{ mape_pct: [null, 3.2, null, 1, ...Array(8).fill(null)] }, { mape_pct: [null, 2] }]),
    ).toEqual([1, 3])
    expect(backtestMonths([])).toEqual([])
  })
})
