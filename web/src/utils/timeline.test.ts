import { describe, expect, it } from 'vitest'
import { timelineLine } from './timeline'

describe('timelineLine', () => {
  it('reads a review step with its flow, level, actor and reason, linking to the to-do item', () => {
    const line = timelineLine(
      {
        at: '2026-11-20T02:00:00.000Z',
        kind: 'review',
        action: 'return',
        actor: 'city',
        subject: '山东鸿运水泥有限公司',
        detail: '请附关停文件',
        review_id: 7,
        flow: 'list_exit',
        flow_name: '移出清单',
        level: 'city',
      },
      'enterprise',
    )
    expect(line.title).toContain('移出清单')
    expect(line.title).toContain('city')
    expect(line.title).toContain('退回')
    expect(line.detail).toBe('请附关停文件')
    expect(line.link).toBe('/todo?item=7')
    expect(line.color).toBe('#f56c6c')
  })

  it('reads a violation event with its kind and the state it left, linking to the case', () => {
    const line = timelineLine(
      {
        at: '2026-11-20T02:00:00.000Z',
        kind: 'violation',
        action: 'escalate',
        actor: 'city',
        subject: '年产50万吨焦炭项目',
        detail: '逾期未整改',
        project_id: 3,
        violation_id: 11,
        level: 'city',
        state: 'in_progress',
      },
      'project',
    )
    expect(line.title).toBe('违规项目「年产50万吨焦炭项目」· 市级 city 升级处置（整改中）')
    expect(line.detail).toBe('逾期未整改')
    expect(line.link).toBe('/violations?id=11')
    expect(line.color).toBe('#f56c6c')
  })

  it("reads an upgrade plan's event with the status it left, linking to the plan", () => {
    const line = timelineLine(
      {
        at: '2026-11-20T02:00:00.000Z',
        kind: 'upgrade',
        action: 'completed',
        actor: 'e2e_enterprise',
        subject: '淄博示例水泥有限公司',
        detail: '改造完成，试运行正常',
        level: 'enterprise',
        upgrade_plan_id: 5,
        state: 'completed',
      },
      'enterprise',
    )
    expect(line.title).toBe('能效改造方案「淄博示例水泥有限公司」· 企业 e2e_enterprise 报告完工（已完工待验收）')
    expect(line.detail).toBe('改造完成，试运行正常')
    expect(line.link).toBe('/upgrade-plans?id=5')
    const accepted = timelineLine(
      {
        at: '2026-11-28T02:00:00.000Z',
        kind: 'upgrade',
        action: 'accepted',
        actor: 'province',
        subject: '淄博示例水泥有限公司',
        detail: '验收通过',
        level: 'province',
        upgrade_plan_id: 5,
        state: 'accepted',
        project_id: 9,
      },
      'project',
    )
    expect(accepted.title).toContain('验收通过（已验收）')
    expect(accepted.color).toBe('#67c23a')
  })

  it("reads an inspection's assignment and a finding's step with the state it left, linking to the task", () => {
    const assigned = timelineLine(
      {
        at: '2026-11-20T02:00:00.000Z',
        kind: 'inspection',
        action: 'assigned',
        actor: 'province',
        subject: '2026年上半年“两高”行业全面检查',
        detail: '平台监测发现用电量与产量背离',
        inspection_task_id: 8,
        state: 'assigned',
      },
      'enterprise',
    )
    expect(assigned.title).toBe('督导检查「2026年上半年“两高”行业全面检查」· province 列入检查')
    expect(assigned.detail).toBe('平台监测发现用电量与产量背离')
    expect(assigned.link).toBe('/inspections?task=8')
    const reopened = timelineLine(
      {
        at: '2026-11-22T02:00:00.000Z',
        kind: 'inspection',
        action: 'reopened',
        actor: 'county',
        subject: '四进督导',
        detail: '证书日期与现场不符',
        level: 'county',
        inspection_task_id: 8,
        state: 'open',
      },
      'enterprise',
    )
    expect(reopened.title).toBe('督导检查「四进督导」· 县级 county 要求重新整改（待整改）')
    expect(reopened.color).toBe('#f56c6c')
    const verified = timelineLine(
      { at: '', kind: 'inspection', action: 'verified', actor: 'city', subject: 'x', detail: '', level: 'city' },
      'enterprise',
    )
    expect(verified.link).toBeNull()
    expect(verified.color).toBe('#67c23a')
  })

  it('names the changed fields of a project on the enterprise file and links to the project', () => {
    const line = timelineLine(
      {
        at: '2026-11-20T02:00:00.000Z',
        kind: 'record',
        action: 'update',
        actor: 'province',
        subject: '二期熟料线',
        detail: 'capacity, state',
        project_id: 12,
      },
      'enterprise',
    )
    expect(line.detail).toBe('产能、状态')
    expect(line.link).toBe('/projects/12')
  })

  it('reads a warning by its rule and links to it', () => {
    const line = timelineLine(
      {
        at: '2026-11-20T02:00:00.000Z',
        kind: 'warning',
        action: 'opened',
        actor: 'system',
        subject: 'E-01',
        detail: '电表 E-01 缺数',
        warning_id: 3,
        rule: 'gap',
      },
      'enterprise',
    )
    expect(line.link).toBe('/warnings/3')
    expect(line.detail).toBe('电表 E-01 缺数')
  })

  it('does not list every field of a newly created record, and names the list fields', () => {
    const base = { at: '2026-11-20T02:00:00.000Z', kind: 'record' as const, actor: 'province', subject: '某公司' }
    expect(timelineLine({ ...base, action: 'create', detail: 'uscc, name, region' }, 'enterprise').detail).toBe('')
    expect(timelineLine({ ...base, action: 'update', detail: 'list_status, delisted_on' }, 'enterprise').detail).toBe(
      '清单状态、移出清单日期',
    )
  })
})
