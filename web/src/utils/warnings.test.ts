import { describe, expect, it } from 'vitest'
import type { WarningThreshold } from '../api/warnings'
import {
  evidenceFigures,
  evidenceThresholds,
  linkOpenable,
  openableLinks,
  parseList,
  ruleName,
  severityType,
  spanText,
  statusText,
  thresholdHistory,
  thresholdName,
  thresholdValue,
  thresholdsInForce,
} from './warnings'

const threshold = (rule: string, name: string, version: number, value = 1): WarningThreshold => ({
  rule,
  name,
  version,
  value,
  unit: 'h',
  source: '',
  changed_by: 'province',
  changed_at: '2026-11-20T00:00:00Z',
})

describe('warning names', () => {
  it('names the rules in Chinese and shows an unknown rule by its id', () => {
    expect(ruleName('gap')).toBe('数据缺失')
    expect(ruleName('register_reset')).toBe('表码回退/换表')
    expect(ruleName('task_delivery_late')).toBe('部门数据未按时报送')
    expect(ruleName('capacity_exceeded')).toBe('capacity_exceeded')
  })
  it('says how a closed warning was closed', () => {
    expect(statusText({ status: 'open', closed_reason: null })).toBe('待处理')
    expect(statusText({ status: 'closed', closed_reason: 'dismissed' })).toBe('已关闭（误报）')
    expect(statusText({ status: 'closed', closed_reason: 'cleared' })).toBe('已关闭（自动消除）')
    expect(severityType('critical')).toBe('danger')
    expect(severityType('info')).toBe('info')
  })
  it('gives the time a warning covers in China time', () => {
    expect(spanText('2026-11-28T02:00:00Z', '2026-11-28T05:00:00Z')).toBe('2026-11-28 10:00 至 13:00')
    expect(spanText('2026-11-28T02:00:00Z', '2026-11-29T00:30:00Z')).toBe('2026-11-28 10:00 至 2026-11-29 08:30')
    expect(spanText('2026-11-28T18:55:00Z', null)).toBe('2026-11-29 02:55 起，持续中')
    expect(spanText('2026-11-05T16:00:00Z', '2026-11-05T16:00:00Z')).toBe('2026-11-06 00:00')
  })
})

describe('thresholds', () => {
  it('names them by rule, by name alone for a new rule, else by their id', () => {
    expect(thresholdName('gap', 'min_minutes')).toBe('最短缺失时长')
    expect(thresholdName('source_mismatch', 'critical_pct')).toBe('严重偏差')
    expect(thresholdName('policy_new', 'grace_days')).toBe('宽限天数')
    expect(thresholdName('policy_new', 'quota')).toBe('quota')
  })
  it('reads values with their units', () => {
    expect(thresholdValue(60, 'min')).toBe('60 分钟')
    expect(thresholdValue(90, '%')).toBe('90%')
    expect(thresholdValue(1.5, '')).toBe('1.5')
    expect(thresholdValue(6, 'samples')).toBe('6 个采样')
    expect(thresholdValue(3, 'kWh')).toBe('3 kWh')
  })
  it('keeps the newest version of each in force, in rule order', () => {
    const items = [
      threshold('spike', 'robust_k', 1, 6),
      threshold('gap', 'min_minutes', 1, 60),
      threshold('gap', 'min_minutes', 3, 45),
      threshold('gap', 'min_minutes', 2, 90),
      threshold('brand_new', 'x', 1),
    ]
    const inForce = thresholdsInForce(items)
    expect(inForce.map((i) => `${i.rule}.${i.name}@${i.version}`)).toEqual([
      'gap.min_minutes@3',
      'spike.robust_k@1',
      'brand_new.x@1',
    ])
    expect(thresholdHistory(items, 'gap', 'min_minutes').map((i) => i.value)).toEqual([45, 90, 60])
  })
})

describe('evidence', () => {
  it('shows the figures readably, in order, with units', () => {
    const figures = evidenceFigures(
      {
        missing_samples: 3,
        hours: 3,
        interval_s: 3600,
        first_sample_after: '2026-11-28T05:00:00.000Z',
        last_sample_before: '2026-11-28T01:00:00.000Z',
        thresholds: { min_minutes: { value: 60, unit: 'min', version: 1 } },
        links: [{ label: '读数曲线', href: '/points/446' }],
      },
      { rule: 'gap' },
    )
    expect(figures.map((f) => `${f.label}=${f.value}`)).toEqual([
      '缺失前最后采样=2026-11-28 09:00',
      '恢复后首个采样=2026-11-28 13:00',
      '缺失采样数=3 个',
      '持续时长=3 小时',
      '采集周期=1 小时',
    ])
  })
  it('reads a figure by its rule, names codes, and keeps unknown figures by their key', () => {
    const mismatch = evidenceFigures(
      { pct: -12.345, off_source: 'reported', energy_type: 'electricity', metered: 1000, reported: null, unit: 'kWh' },
      { rule: 'source_mismatch' },
    )
    expect(mismatch.map((f) => `${f.label}=${f.value}`)).toEqual([
      '能源品种=电力',
      '偏离的数据来源=企业报表',
      '在线计量值=1,000 千瓦时',
      '企业报表值=—',
      '偏差=-12.35%',
    ])
    const late = evidenceFigures(
      { department: 'water', frequency: 'monthly', due: '2026-11-15T16:00:00.000Z', quota_used: 0.5 },
      { rule: 'task_delivery_late', names: { water: '水务部门' } },
    )
    expect(late.map((f) => `${f.label}=${f.value}`)).toEqual([
      '部门=水务部门',
      '报送频率=每月',
      '报送截止日=2026-11-15',
      'quota_used=0.5',
    ])
    const report = evidenceFigures(
      { kind: 'monthly', status: null, restarted_near_zero: true },
      { rule: 'report_late' },
    )
    expect(report.map((f) => f.value)).toEqual(['月报', '未填报', '是'])
  })
  it('names the cross-quantity model and its basis, and lists the points of a drifting access-end', () => {
    const cross = evidenceFigures(
      { model: 'so2_per_coal', basis: 'own_history', value: 0.75, expected: 1.5, pct: -50, unit: 'kg/t', coal_t: 1000 },
      { rule: 'cross_quantity' },
    )
    expect(cross.map((f) => `${f.label}=${f.value}`)).toEqual([
      '比对模型=吨煤二氧化硫排放量',
      '比对基准=企业自身历史',
      '当月值=0.75 kg/t',
      '基准值=1.5 kg/t',
      '偏差=-50%',
      '当月原煤（t）=1,000',
    ])
    const drift = evidenceFigures(
      {
        offset_s: 150,
        points_drifting: 2,
        points_total: 4,
        points: [
          { code: 'D-01', offset_s: 150 },
          { code: 'E-01', offset_s: 148.5 },
        ],
      },
      { rule: 'timestamp_drift' },
    )
    expect(drift.map((f) => `${f.label}=${f.value}`)).toContain('偏差的计量点=D-01（150 秒）、E-01（148.5 秒）')
    // The list of points takes a row of its own, after the other figures.
    expect(drift.at(-1)).toMatchObject({ key: 'points', wide: true })
    expect(drift.filter((f) => f.wide)).toHaveLength(1)
  })
  it('gives cross-quantity figures to four significant figures, large ones in whole units', () => {
    const small = evidenceFigures({ value: 0.4146, expected: 110.34, unit: 'kg/t' }, { rule: 'cross_quantity' })
    expect(small.map((f) => f.value)).toEqual(['0.4146 kg/t', '110.3 kg/t'])
    const capacity = evidenceFigures(
      { value: 1506699.984, expected: 1159000, unit: 't/年' },
      { rule: 'cross_quantity' },
    )
    expect(capacity.map((f) => f.value)).toEqual(['1,506,700 t/年', '1,159,000 t/年'])
  })
  it('lists the cited thresholds with their versions', () => {
    const rows = evidenceThresholds(
      {
        thresholds: {
          min_samples: { value: 6, unit: 'samples', version: 1 },
          min_hours: { value: 6, unit: 'h', version: 2 },
        },
      },
      'flatline',
    )
    expect(rows).toEqual([
      { name: 'min_hours', label: '最短恒定时长', value: '6 小时', version: 2 },
      { name: 'min_samples', label: '最少相同采样数', value: '6 个采样', version: 1 },
    ])
    expect(evidenceThresholds({}, 'gap')).toEqual([])
  })
})

describe('evidence links', () => {
  const official = { role: 'city', enterprise_id: null }
  const enterprise = { role: 'enterprise', enterprise_id: 3 }
  it('lets officials follow every console route, never another site', () => {
    expect(linkOpenable('/completeness?date=2026-11-20', official)).toBe(true)
    expect(linkOpenable('/departments/tasks/power_monthly', official)).toBe(true)
    expect(linkOpenable('https://example.org/x', official)).toBe(false)
    expect(linkOpenable('//example.org/x', official)).toBe(false)
    expect(linkOpenable('/points/1', null)).toBe(false)
  })
  it('lets an enterprise user follow only what it may open', () => {
    expect(linkOpenable('/points/12?from=a&to=b', enterprise)).toBe(true)
    expect(linkOpenable('/enterprises/3?tab=accounting&period=2026-10', enterprise)).toBe(true)
    expect(linkOpenable('/enterprises/4', enterprise)).toBe(false)
    expect(linkOpenable('/reports/3/monthly/2026-10', enterprise)).toBe(true)
    expect(linkOpenable('/completeness?date=2026-11-20', enterprise)).toBe(false)
    const links = openableLinks(
      {
        links: [
          { label: '数据完整率', href: '/completeness?date=2026-11-28' },
          { label: '企业档案', href: '/enterprises/3' },
        ],
      },
      enterprise,
    )
    expect(links.map((l) => l.label)).toEqual(['企业档案'])
    expect(openableLinks({}, enterprise)).toEqual([])
  })
  it("tells several links of one label apart by the points' codes", () => {
    const links = openableLinks(
      {
        points: [
          { code: 'E-01', point_id: 326 },
          { code: 'W-01', point_id: 327 },
        ],
        links: [
          { label: '读数曲线', href: '/points/326?from=a&to=b' },
          { label: '读数曲线', href: '/points/327?from=a&to=b' },
          { label: '企业档案', href: '/enterprises/3' },
        ],
      },
      enterprise,
    )
    expect(links.map((l) => l.label)).toEqual(['读数曲线 E-01', '读数曲线 W-01', '企业档案'])
    const one = openableLinks(
      { points: [{ code: 'E-01', point_id: 326 }], links: [{ label: '读数曲线', href: '/points/326' }] },
      enterprise,
    )
    expect(one.map((l) => l.label)).toEqual(['读数曲线'])
  })
})

describe('list filters', () => {
  it('reads a comma list, each value once, only the allowed ones when given', () => {
    expect(parseList('open, acknowledged,,open')).toEqual(['open', 'acknowledged'])
    expect(parseList('')).toEqual([])
    expect(parseList('open,bogus', ['open', 'closed'])).toEqual(['open'])
  })
})
