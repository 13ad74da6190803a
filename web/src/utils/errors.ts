// The server's error codes in Chinese. Login answers carry figures in their English message
// (the lockout's minutes); those are read out of it. An unknown code shows the server's message.
import { ApiError } from '../api/request'
import { i18n, t } from '../i18n'

export function describeError(e: unknown): string {
  if (!(e instanceof ApiError)) return t('errors.network')
  const key = `errors.${e.code}`
  if (i18n.global.te(key)) return t(key)
  return e.message || t('errors.internal')
}

export function loginMessage(e: unknown): string {
  if (!(e instanceof ApiError)) return t('errors.network')
  switch (e.code) {
    case 'unauthenticated':
      return t('login.errors.wrong')
    case 'account_locked': {
      const after = /after (\d+) wrong/.exec(e.message)?.[1]
      const minutes = /in (\d+) minutes?/.exec(e.message)?.[1]
      if (minutes) return t('login.errors.lockedFor', { k: after ?? '5', n: minutes })
      return t('login.errors.locked')
    }
    case 'account_disabled':
      return t('login.errors.disabled')
    case 'too_many_attempts':
      return e.retryAfter ? t('login.errors.throttledFor', { n: e.retryAfter }) : t('login.errors.throttled')
    case 'login_busy':
      return t('login.errors.busy')
    default:
      return describeError(e)
  }
}
