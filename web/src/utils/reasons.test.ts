import { describe, expect, it } from 'vitest'
import { translateReason } from './reasons'

describe('field reasons in Chinese', () => {
  it('reads the server reasons the forms meet', () => {
    expect(translateReason('check character should be X')).toBe('校验码错误，应为 X')
    expect(translateReason('is required')).toBe('必填')
    expect(translateReason('must be 18 characters, got 17')).toBe('统一社会信用代码应为 18 位')
    expect(translateReason('is wrong')).toBe('当前密码不正确')
    expect(translateReason('must contain three of: lower-case letters, upper-case letters, digits, symbols')).toContain(
      '三类',
    )
    expect(translateReason('must be one of running, stopped')).toBe('取值应为：running, stopped')
    expect(translateReason('must equal the conversion of the lines: 96.0100 tce')).toBe(
      '应等于各品种折标之和：96.0100 吨标准煤',
    )
    expect(translateReason('differs from the metered 10000.00 by 50.0%; give an explanation')).toBe(
      '与计量值 10000.00 相差 50.0%，请填写差异说明',
    )
  })
  it('reads the reasons of warnings and their thresholds', () => {
    expect(translateReason('is required to dismiss')).toBe('标为误报须填写理由')
    expect(translateReason('must be a number, 0 or more')).toBe('应为不小于 0 的数字')
    expect(translateReason('unknown: bogus')).toBe('未知取值：bogus')
  })
  it('reads the reasons of review items and list proposals', () => {
    expect(translateReason('is required: why the enterprise should join or leave the list')).toBe(
      '必填：请说明列入或移出清单的理由',
    )
    expect(translateReason('is required to return an item')).toBe('退回须填写原因')
    expect(translateReason('is already delisted')).toBe('该企业已移出清单')
    expect(translateReason('has open review item 12')).toBe('该企业已有未办结的提请')
    expect(translateReason('must be a date YYYY-MM-DD')).toBe('应为日期（年-月-日）')
    expect(translateReason('is returned')).toBe('事项当前状态为“已退回”，不能办理')
    expect(translateReason('is city_approved')).toBe('事项当前状态为“审核中”，不能办理')
  })
  it('reads the reasons of user administration', () => {
    expect(translateReason('a county user needs a county-level region code')).toBe('应选择县级行政区划')
    expect(translateReason('a city user needs a city-level region code')).toBe('应选择市级行政区划')
    expect(translateReason('outside your jurisdiction')).toBe('超出您的管辖范围')
    expect(translateReason('you cannot create a dept_admin user')).toBe('您不能新建部门管理员用户')
    expect(translateReason('no enterprise with credit code 123')).toBe('没有统一社会信用代码为 123 的企业')
    expect(translateReason('cannot grant user.manage')).toBe('不能授予：用户管理')
    expect(translateReason("may contain only letters, digits, '_', '.', '-'")).toContain('字母')
    expect(translateReason('unknown department nope')).toBe('部门不存在：nope')
  })
  it('reads the reasons of control targets', () => {
    expect(translateReason('must be a positive number')).toBe('应为大于 0 的数')
    expect(translateReason('is required for output_cap')).toBe('产量上限须填写产品')
    expect(translateReason('is not a region of the registry (data/regions)')).toBe('行政区划不存在')
    expect(translateReason('must be a year between 2000 and 2100')).toBe('年度应在 2000–2100 之间')
    expect(translateReason('must be energy_total, coal_total or nox_total')).toBe(
      '指标取值应为：能源消费总量、煤炭消费总量、氮氧化物排放总量',
    )
  })
  it('reads the reasons of attachments and of the files of enterprises and projects', () => {
    expect(translateReason('is empty')).toBe('文件为空')
    expect(translateReason('is 7340032 bytes; at most 6291456 bytes are accepted')).toBe(
      '文件过大（7 MB），单个附件不超过 6 MB',
    )
    expect(
      translateReason('is not an accepted kind of file (PDF, PNG, JPEG, Word (.doc, .docx), Excel (.xls, .xlsx))'),
    ).toContain('文件类型不支持')
    expect(translateReason(`${'a'.repeat(64)} is not an uploaded attachment`)).toBe('附件不存在，请重新上传')
    expect(translateReason('is required when capacity is given')).toBe('填写了数值时必填')
    expect(translateReason('must be at most 64 bytes')).toBe('过长（至多 64 字节）')
  })
  it('shows an unknown reason as the server gave it', () => {
    expect(translateReason('a brand new rule')).toBe('a brand new rule')
  })
})
