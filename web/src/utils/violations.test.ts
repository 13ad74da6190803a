import { describe, expect, it } from 'vitest'
import type { ReferenceItem } from '../api/reference'
import { currentCodes, disposalType, progressStatus, stateName, stateType } from './violations'

describe('violations', () => {
  it('names every rectification state in Chinese and keeps an unknown one as given', () => {
    expect(['not_started', 'in_progress', 'partly_done', 'done', 'closed'].map(stateName)).toEqual([
      '未开始整改',
      '整改中',
      '部分整改',
      '整改完成',
      '已销号',
    ])
    expect(stateName('frozen')).toBe('frozen')
    expect(stateType('closed')).toBe('success')
    expect(stateType('not_started')).toBe('info')
  })

  it('shows overdue progress as an exception and a rectified case as done', () => {
    expect(progressStatus({ state: 'in_progress', overdue: true })).toBe('exception')
    expect(progressStatus({ state: 'in_progress', overdue: false })).toBeUndefined()
    expect(progressStatus({ state: 'done', overdue: false })).toBe('success')
  })

  it('colours a disposal type added later as the strictest, and keeps the list order of active codes', () => {
    expect(disposalType('rectify_by_deadline')).toBe('warning')
    expect(disposalType('seal_up')).toBe('danger')
    const item = (code: string, sort_order: number, active = true) => ({ code, sort_order, active }) as ReferenceItem
    expect(currentCodes([item('b', 2), item('a', 1), item('c', 3, false)]).map((i) => i.code)).toEqual(['a', 'b'])
  })
})
