import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/request'
import { describeError, loginMessage } from './errors'

describe('login answers in Chinese', () => {
  it('says the same for an unknown name and a wrong password, without counting attempts', () => {
    expect(loginMessage(new ApiError(401, 'unauthenticated', 'wrong username or password'))).toBe('用户名或密码错误')
  })
  it('shows the lockout with its minutes', () => {
    const locked = new ApiError(
      403,
      'account_locked',
      'account locked after 5 wrong passwords; try again in 15 minutes',
    )
    expect(loginMessage(locked)).toBe('连续 5 次密码错误，账号已锁定，请 15 分钟后再试')
    expect(loginMessage(new ApiError(403, 'account_locked', 'account locked'))).toBe('账号已锁定，请稍后再试')
  })
  it('names a disabled account, throttling and a busy server', () => {
    expect(loginMessage(new ApiError(403, 'account_disabled', 'account is disabled'))).toContain('已停用')
    expect(loginMessage(new ApiError(429, 'too_many_attempts', 'too many failed logins'))).toContain('失败次数过多')
    const throttled = new ApiError(429, 'too_many_attempts', 'too many failed logins')
    throttled.retryAfter = 120
    expect(loginMessage(throttled)).toContain('120 秒后')
    expect(loginMessage(new ApiError(503, 'login_busy', 'too many logins at once'))).toContain('稍候')
  })
  it('calls anything that is not an answer a network error', () => {
    expect(loginMessage(new TypeError('failed to fetch'))).toBe('网络错误，请稍后重试')
  })
})

describe('error codes in Chinese', () => {
  it('translates known codes and keeps the message of unknown ones', () => {
    expect(describeError(new ApiError(403, 'password_change_required', 'change it first'))).toContain('初始密码')
    expect(describeError(new ApiError(403, 'separation_of_duties', '...'))).toContain('职责分离')
    expect(describeError(new ApiError(418, 'teapot', 'I am a teapot'))).toBe('I am a teapot')
  })
})
