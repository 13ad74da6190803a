import { describe, expect, it } from 'vitest'
import type { ReviewItem } from '../api/reviews'
import {
  actionName,
  changeName,
  filePath,
  FLOWS,
  flowName,
  isEnterpriseFlow,
  levelName,
  levelsText,
  proposalOf,
  reportPath,
  statusName,
  statusQuery,
  statusText,
  statusType,
  subjectDetail,
  subjectName,
} from './reviews'

const subject = (kind: 'report' | 'enterprise' | 'project', label: string) => ({
  kind,
  id: 5,
  label,
  enterprise_id: 12,
  enterprise_name: '济南示例水泥有限公司',
})

describe('review names', () => {
  it('names flows, levels, steps and changes in Chinese, unknown ones as given', () => {
    expect(FLOWS.map((f) => flowName(f))).toEqual([
      '月度报告',
      '年度报告',
      '列入清单',
      '移出清单',
      '信息变更',
      '违规项目销号',
      '项目申报',
      '能效改造方案',
      '能效改造验收',
    ])
    expect(FLOWS.filter(isEnterpriseFlow)).toEqual([
      'monthly_report',
      'yearly_report',
      'info_change',
      'project_declaration',
      'upgrade_plan',
      'upgrade_acceptance',
    ])
    expect(flowName('weekly_report', '周报')).toBe('周报')
    expect(['county', 'city', 'province', 'enterprise'].map(levelName)).toEqual(['县级', '市级', '省级', '企业'])
    expect(levelName(null)).toBe('—')
    expect(levelName('nation')).toBe('nation')
    expect(levelsText('city,province')).toBe('市级 → 省级')
    expect(levelsText('')).toBe('')
    expect(['file', 'resubmit', 'approve', 'return'].map(actionName)).toEqual(['提交', '重新提交', '审核通过', '退回'])
    expect([changeName('entry'), changeName('exit')]).toEqual(['列入清单', '移出清单'])
  })
  it('tells three states apart, and who acts next', () => {
    expect(['submitted', 'county_approved', 'city_approved'].map(statusName)).toEqual(['审核中', '审核中', '审核中'])
    expect([statusName('approved'), statusName('returned')]).toEqual(['已通过', '已退回'])
    expect([statusType('submitted'), statusType('approved'), statusType('returned')]).toEqual([
      'warning',
      'success',
      'danger',
    ])
    expect(statusText({ status: 'submitted', level: 'city' })).toBe('待市级审核')
    expect(statusText({ status: 'city_approved', level: 'province' })).toBe('待省级审核')
    expect(statusText({ status: 'returned', level: 'county' })).toBe('退回待县级修改')
    expect(statusText({ status: 'approved', level: null })).toBe('已通过')
  })
  it('asks the API for the status filter', () => {
    expect(statusQuery('open')).toEqual({ open: true })
    expect(statusQuery('returned')).toEqual({ status: 'returned' })
    expect(statusQuery('approved')).toEqual({ status: 'approved' })
    expect(statusQuery('')).toEqual({})
  })
})

describe('review subjects', () => {
  it('links a report item to its report page', () => {
    expect(reportPath({ flow: 'monthly_report', subject: subject('report', '2026-10') })).toBe(
      '/reports/12/monthly/2026-10',
    )
    expect(reportPath({ flow: 'yearly_report', subject: subject('report', '2025') })).toBe('/reports/12/yearly/2025')
    expect(reportPath({ flow: 'list_exit', subject: subject('enterprise', '济南示例水泥有限公司') })).toBeNull()
  })
  it('links an information change to the file it changes', () => {
    expect(filePath({ flow: 'info_change', subject: subject('project', '年产100万吨水泥熟料项目') })).toBe(
      '/projects/5',
    )
    expect(filePath({ flow: 'info_change', subject: subject('enterprise', '济南示例水泥有限公司') })).toBe(
      '/enterprises/5',
    )
    expect(filePath({ flow: 'list_exit', subject: subject('enterprise', 'x') })).toBeNull()
    expect(filePath({ flow: 'monthly_report', subject: subject('report', '2026-10') })).toBeNull()
  })
  it('names the enterprise, and a report by period and kind', () => {
    const report = { flow: 'monthly_report', subject: subject('report', '2026-10') } as Pick<
      ReviewItem,
      'flow' | 'subject'
    >
    expect(subjectName(report)).toBe('济南示例水泥有限公司')
    expect(subjectDetail(report)).toBe('2026-10 月报')
    expect(subjectDetail({ flow: 'yearly_report', subject: subject('report', '2025') })).toBe('2025 年报')
    expect(subjectDetail({ flow: 'list_entry', subject: subject('enterprise', 'x') })).toBe('')
    expect(subjectDetail({ flow: 'info_change', subject: subject('project', '年产100万吨水泥熟料项目') })).toBe(
      '年产100万吨水泥熟料项目',
    )
    expect(subjectDetail({ flow: 'info_change', subject: subject('enterprise', '济南示例水泥有限公司') })).toBe('')
    expect(subjectName({ subject: { ...subject('enterprise', '某企业'), enterprise_name: null } })).toBe('某企业')
  })
  it("reads a list proposal's content, and nothing from a report's", () => {
    expect(
      proposalOf({ change: 'exit', reason: '关停', effective_on: '2026-11-30', attachments: ['a'.repeat(64)] }),
    ).toEqual({ change: 'exit', reason: '关停', effective_on: '2026-11-30', attachments: ['a'.repeat(64)] })
    expect(proposalOf({ change: 'entry', reason: '投产' })).toEqual({
      change: 'entry',
      reason: '投产',
      effective_on: undefined,
      attachments: undefined,
    })
    expect(proposalOf({ business: {}, energy: {} })).toBeNull()
    expect(proposalOf(null)).toBeNull()
  })
})
