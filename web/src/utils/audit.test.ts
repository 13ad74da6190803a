import { describe, expect, it } from 'vitest'
import { actionLabel, dayRange, resultLabel, resultType, targetLabel } from './audit'

describe('audit entries in Chinese', () => {
  it('names the actions, also nested and unknown ones', () => {
    expect(actionLabel('auth.login_failed')).toBe('登录失败')
    expect(actionLabel('user.reset_password')).toBe('重置密码')
    expect(actionLabel('department_key.issue')).toBe('签发部门接入密钥')
    expect(actionLabel('reference.factor.add')).toBe('新增折标系数版本')
    expect(actionLabel('report.publish')).toBe('企业报表：publish')
    expect(actionLabel('brand.new')).toBe('brand.new')
    // A group is not an action.
    expect(actionLabel('reference.factor')).toBe('参考数据：factor')
  })
  it('names results and marks refusals', () => {
    expect(resultLabel('started')).toBe('已发起')
    expect(resultLabel('separation_of_duties')).toBe('职责分离限制')
    expect(resultLabel('something_else')).toBe('something_else')
    expect(resultType('ok')).toBe('success')
    expect(resultType('permission_denied')).toBe('danger')
    expect(resultType('not_found')).toBe('warning')
  })
  it('names targets', () => {
    expect(targetLabel('users:9')).toBe('用户 9')
    expect(targetLabel('machine_keys:AK12')).toBe('企业密钥 AK12')
    expect(targetLabel('xlsx')).toBe('xlsx')
  })
  it('turns picked days into a half-open range', () => {
    expect(dayRange('2026-11-01', '2026-11-30')).toEqual({ from: '2026-11-01', to: '2026-12-01' })
    expect(dayRange('', '2026-12-31')).toEqual({ to: '2027-01-01' })
    expect(dayRange(null, null)).toEqual({})
  })
})
