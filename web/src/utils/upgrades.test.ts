import { describe, expect, it } from 'vitest'
import type { PlanContent } from '../api/upgrades'
import { translateReason } from './reasons'
import {
  acceptanceOf,
  baselineOf,
  className,
  filingOf,
  measurementReason,
  milestoneState,
  monthKgce,
  monthRanges,
  planOf,
  planSummary,
  problemText,
  regionCodeOf,
  savingRatio,
  sourceName,
  statusName,
  statusType,
  stepIndex,
  targetLevelName,
} from './upgrades'

// A plan as the server keeps it (test_27's): one clinker line at 125 kgce/t, to the advanced level.
const content = {
  plan_id: 4,
  projects: [
    {
      project_id: 12,
      name: '2号熟料生产线',
      product: '水泥熟料',
      target_level: 'advanced',
      expected_saving_tce: 1600,
      declared: 125,
      benchmark: 117,
      advanced: 100,
      unit: 'kgce/t',
    },
  ],
  measures: '更换高效篦冷机，变频改造',
  investment: 2400,
  adopted_on: '2026-06-01',
  completion_due: '2026-12-18',
  milestones: [{ title: '完成设备招标', due: '2026-07-31' }],
  reason: '已补充节能量测算',
  attachments: ['a1'],
}

describe('upgrade plans in Chinese', () => {
  it('names the statuses, target levels, classes and month sources, unknown ones as given', () => {
    expect(['filed', 'in_progress', 'completed', 'accepted'].map(statusName)).toEqual([
      '方案审核中',
      '改造实施中',
      '已完工待验收',
      '已验收',
    ])
    expect(statusName('frozen')).toBe('frozen')
    expect([statusType('accepted'), statusType('completed'), statusType('filed')]).toEqual([
      'success',
      'warning',
      'info',
    ])
    expect([targetLevelName('benchmark'), targetLevelName('advanced')]).toEqual(['达到基准水平', '达到标杆水平'])
    expect([className('below_benchmark'), className('between'), className(null)]).toEqual([
      '低于基准水平',
      '介于基准与标杆之间',
      '无法评定',
    ])
    expect(['metered', 'report', 'department', 'mixed', null].map(sourceName)).toEqual([
      '在线计量',
      '企业月报',
      '部门数据',
      '部门+计量',
      '无数据',
    ])
  })

  it('steps through review, works, completion and acceptance', () => {
    expect(['filed', 'in_progress', 'completed', 'accepted'].map(stepIndex)).toEqual([0, 1, 2, 4])
  })

  it('reads a month in kgce per tonne, and nothing without output', () => {
    expect(monthKgce({ tce: 1250, output: 10000 })).toBe(125)
    expect(monthKgce({ tce: 1250, output: 0 })).toBeNull()
    expect(monthKgce({ tce: null, output: 10000 })).toBeNull()
  })

  it('writes months as ranges, and the baseline a date of adoption gives', () => {
    expect(monthRanges(['2025-08', '2025-06', '2025-07', '2025-10', '2025-12', '2026-01'])).toBe(
      '2025-06 至 2025-08、2025-10、2025-12 至 2026-01',
    )
    expect(monthRanges([])).toBe('')
    expect(baselineOf('2026-06-15')).toEqual({ from: '2025-06', to: '2026-05' })
    expect(baselineOf('2026-01-01')).toEqual({ from: '2025-01', to: '2025-12' })
    expect(baselineOf('')).toBeNull()
  })

  it('marks a milestone overdue past its date while the works go on, done once they are', () => {
    const m = { title: '招标', due: '2026-07-31' }
    expect(milestoneState(m, '2026-08-01', 'in_progress')).toBe('overdue')
    expect(milestoneState(m, '2026-07-31', 'in_progress')).toBe('upcoming')
    expect(milestoneState(m, '2026-09-01', 'completed')).toBe('done')
  })

  it('turns a summary key into the region code filters take', () => {
    expect(regionCodeOf('3703')).toBe('370300')
    expect(regionCodeOf('370302')).toBe('370302')
  })

  it('says what the measurement lacks, naming the project and its months', () => {
    const names = new Map([[12, '2号熟料生产线']])
    expect(problemText({ project_id: null, kind: 'not_completed', months: [] })).toContain('尚未报告完工')
    expect(
      problemText({ project_id: 12, kind: 'baseline_missing', months: ['2025-06', '2025-07', '2025-09'] }, names),
    ).toBe('2号熟料生产线：基期 2025-06 至 2025-07、2025-09 无计量或报送数据')
    expect(problemText({ project_id: 13, kind: 'after_short', months: [] })).toBe(
      '项目 13：完工后有数据的完整月份不足 3 个',
    )
  })

  it('reads the refusal of an acceptance (409, field measurement) in Chinese', () => {
    const names = new Map([[12, '2号熟料生产线']])
    expect(
      measurementReason('project 12: no metered or reported figures in baseline months 2025-06, 2025-07', names),
    ).toBe('2号熟料生产线：基期 2025-06 至 2025-07 无计量或报送数据')
    expect(
      measurementReason(
        'project 12: fewer than 3 full months with figures after completion (without figures: 2026-07, 2026-08)',
        names,
      ),
    ).toBe('2号熟料生产线：完工后有数据的完整月份不足 3 个（无数据月份：2026-07 至 2026-08）')
    expect(measurementReason('project 12: fewer than 3 full months with figures after completion')).toBe(
      '项目 12：完工后有数据的完整月份不足 3 个',
    )
    expect(measurementReason('the works are not reported complete')).toContain('尚未报告完工')
    expect(measurementReason('something else')).toBeNull()
    // Elsewhere (the to-do's resubmission) the same reasons read through the forms' translation.
    expect(translateReason('the works are not reported complete')).toContain('尚未报告完工')
  })

  it("reads a filing's field reasons in Chinese", () => {
    expect(translateReason('project 5 is not an existing project below the benchmark level')).toBe(
      '不是能效低于基准水平的存量项目',
    )
    expect(translateReason('must be benchmark (基准) or advanced (标杆)')).toBe('应为达到基准水平或达到标杆水平')
    expect(translateReason('must not be after today (2026-11-30)')).toBe('不能晚于今天（2026-11-30）')
    expect(translateReason('must be after 2026-06-01')).toBe('应晚于 2026-06-01')
    expect(translateReason('has upgrade plan 4; one plan per enterprise until it is accepted')).toContain('（4）')
    expect(translateReason('is in_progress')).toBe('改造方案当前状态为“改造实施中”，不能办理')
    expect(translateReason('is required: the measures of the upgrade')).toBe('必填')
    expect(translateReason('is required: a date YYYY-MM-DD')).toBe('必填：日期')
  })
})

describe('the plan a review item carries', () => {
  it('reads a plan and an acceptance, and nothing else', () => {
    const plan = planOf(content) as PlanContent
    expect(plan.plan_id).toBe(4)
    expect(plan.projects[0].target_level).toBe('advanced')
    expect(plan.milestones).toHaveLength(1)
    expect(planOf({ change: 'exit', reason: 'x' })).toBeNull()
    expect(planOf(null)).toBeNull()
    const acceptance = acceptanceOf({
      plan_id: 4,
      reason: '现场核查',
      measurement: { measured_saving_tce: 1800, expected_saving_tce: 1600 },
    })
    expect(acceptance?.reason).toBe('现场核查')
    expect(acceptance?.attachments).toEqual([])
    expect(acceptanceOf(content)).toBeNull()
  })

  it('sends a plan again with only the fields a filing has', () => {
    const body = filingOf(planOf(content) as PlanContent, { reason: '已补充', attachments: ['a1', 'a2'] })
    expect(body).toEqual({
      projects: [{ project_id: 12, target_level: 'advanced', expected_saving_tce: 1600 }],
      measures: '更换高效篦冷机，变频改造',
      investment: 2400,
      adopted_on: '2026-06-01',
      completion_due: '2026-12-18',
      milestones: [{ title: '完成设备招标', due: '2026-07-31' }],
      reason: '已补充',
      attachments: ['a1', 'a2'],
    })
    expect(Object.keys(body)).not.toContain('plan_id')
  })

  it('sums up a plan in a line, and its saving against the one expected', () => {
    expect(planSummary(planOf(content) as PlanContent)).toBe('2号熟料生产线：达到标杆水平 · 预期节能 1,600 吨标准煤/年')
    expect(savingRatio(1800, 1600)).toBeCloseTo(1.125)
    expect(savingRatio(null, 1600)).toBeNull()
    expect(savingRatio(1800, 0)).toBeNull()
  })
})
