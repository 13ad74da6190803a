import { describe, expect, it } from 'vitest'
import type { Attachment } from '../api/reviews'
import {
  categoryName,
  deductionTarget,
  emptyFinding,
  emptyTeam,
  filesOf,
  findingCounts,
  findingField,
  findingOverdue,
  findingStateName,
  findingStateType,
  indicatorName,
  isImage,
  kindName,
  planFiling,
  selectionName,
  severityType,
  teamField,
  unitName,
  visitOf,
} from './inspections'

const file = (id: string, media_type = 'image/png'): Attachment => ({
  id,
  name: `${id}.png`,
  media_type,
  size: 10,
  preview: true,
})

describe('inspections', () => {
  it('names kinds, selections, categories, states and indicators in Chinese, an unknown one as given', () => {
    expect(['comprehensive', 'four_in', 'special'].map(kindName)).toEqual(['全面检查', '四进督导', '专项督查'])
    expect(kindName('picnic')).toBe('picnic')
    expect(selectionName('random')).toBe('随机抽查')
    expect(selectionName('targeted')).toBe('定向检查')
    expect(categoryName('metering')).toBe('计量器具配备使用')
    expect(categoryName('energy_data')).toBe('能耗数据不实')
    expect(['open', 'rectified', 'verified'].map(findingStateName)).toEqual(['待整改', '已整改待核查', '已核查销号'])
    expect(findingStateType('verified')).toBe('success')
    expect(findingStateType('open')).toBe('danger')
    expect(severityType('major')).toBe('danger')
    expect(indicatorName('coal')).toBe('煤耗')
    expect(unitName('tce')).toBe('吨标准煤')
  })

  it('counts findings by state and tells an open one past its deadline', () => {
    expect(findingCounts([{ state: 'open' }, { state: 'rectified' }, { state: 'open' }])).toEqual({
      open: 2,
      rectified: 1,
      verified: 0,
    })
    expect(findingOverdue({ state: 'open', deadline: '2026-03-01' }, '2026-03-02')).toBe(true)
    expect(findingOverdue({ state: 'open', deadline: '2026-03-02' }, '2026-03-02')).toBe(false)
    expect(findingOverdue({ state: 'rectified', deadline: '2026-03-01' }, '2026-03-02')).toBe(false)
  })

  it("gives an event's files in its order and skips ids the task lacks", () => {
    const files = [file('a'), file('b', 'application/pdf')]
    expect(filesOf({ attachments: ['b', 'x', 'a'] }, files).map((f) => f.id)).toEqual(['b', 'a'])
    expect(isImage(files[0])).toBe(true)
    expect(isImage(files[1])).toBe(false)
  })

  it('names what a deduction is charged to', () => {
    expect(deductionTarget({ enterprise: { id: 1, name: '淄博示例水泥' }, region_name: '淄川区' })).toBe('淄博示例水泥')
    expect(deductionTarget({ enterprise: null, region_name: '淄博市' })).toBe('淄博市')
  })

  it('sends the plan trimmed, every team row in place, the region only when chosen', () => {
    const teams = [{ name: ' 第一组 ', leader: '张组长', members: '发改、工信' }, emptyTeam()]
    const form = { kind: 'special' as const, title: ' 专项 ', starts_on: '2026-03-01', ends_on: '2026-03-31' }
    const sent = planFiling({ ...form, region: '', focus: ' 计量 ', teams })
    expect(sent).toEqual({
      kind: 'special',
      title: '专项',
      starts_on: '2026-03-01',
      ends_on: '2026-03-31',
      focus: '计量',
      teams: [
        { name: '第一组', leader: '张组长', members: '发改、工信' },
        { name: '', leader: '', members: '' },
      ],
    })
    expect(planFiling({ ...form, region: '370300', focus: '', teams: [] }).region).toBe('370300')
    expect(teamField('teams[1].leader')).toEqual({ row: 1, field: 'leader' })
    expect(teamField('title')).toBeNull()
  })

  it('sends the visit with its findings trimmed and their photos as ids', () => {
    const row = { ...emptyFinding(), category: 'metering' as const, description: ' 电能表过期 ', files: [file('p1')] }
    const visit = visitOf('2026-03-02', ' 核查台账 ', [row, emptyFinding()])
    expect(visit.summary).toBe('核查台账')
    expect(visit.findings[0]).toEqual({
      category: 'metering',
      description: '电能表过期',
      severity: 'minor',
      requirement: '',
      deadline: '',
      attachments: ['p1'],
    })
    expect(visit.findings[1].attachments).toBeUndefined()
    expect(visitOf('2026-03-02', 'x', []).findings).toEqual([])
    expect(findingField('findings[3].deadline')).toEqual({ row: 3, field: 'deadline' })
    expect(findingField('visited_on')).toBeNull()
  })
})
