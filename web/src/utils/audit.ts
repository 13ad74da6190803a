// Audit entries in Chinese: actions, results and targets; unknown ones are shown as the server wrote them.
import { i18n, t } from '../i18n'
import { nextChinaDay } from './format'

// Action prefixes the filter offers (the server filters by prefix).
export const AUDIT_GROUPS = [
  'auth.',
  'user.',
  'access.',
  'machine.',
  'key.',
  'department_key.',
  'report.',
  'reference.',
  'enterprises.',
  'projects.',
  'metering_points.',
  'collection_task.',
  'department_upload.',
  'department_records.',
  'audit.',
] as const

// Results the filter offers.
export const AUDIT_RESULTS = [
  'ok',
  'started',
  'not_found',
  'permission_denied',
  'separation_of_duties',
  'unauthenticated',
  'too_many_attempts',
  'account_locked',
  'account_disabled',
  'password_change_required',
  'invalid_argument',
  'conflict',
  'error',
] as const

const groupKey = (prefix: string) => `audit.groups.${prefix.replace(/\.$/, '')}`

export function groupLabel(prefix: string): string {
  return i18n.global.te(groupKey(prefix)) ? t(groupKey(prefix)) : prefix
}

export function actionLabel(action: string): string {
  const key = `audit.actions.${action}`
  if (i18n.global.te(key)) return t(key)
  const group = AUDIT_GROUPS.find((g) => action.startsWith(g))
  return group ? `${groupLabel(group)}：${action.slice(group.length)}` : action
}

export function resultLabel(result: string): string {
  const key = `audit.results.${result}`
  return i18n.global.te(key) ? t(key) : result
}

export function resultType(result: string): 'success' | 'info' | 'warning' | 'danger' {
  if (result === 'ok') return 'success'
  if (result === 'started') return 'info'
  if (
    [
      'permission_denied',
      'separation_of_duties',
      'unauthenticated',
      'account_locked',
      'too_many_attempts',
      'account_disabled',
      'unknown_key',
      'bad_signature',
      'nonce_reused',
      'stale_timestamp',
    ].includes(result)
  )
    return 'danger'
  return 'warning'
}

// "users:9" -> "用户 9".
export function targetLabel(target: string): string {
  const m = /^([a-z_]+):(.+)$/.exec(target)
  if (!m) return target
  const key = `audit.targets.${m[1]}`
  return i18n.global.te(key) ? `${t(key)} ${m[2]}` : target
}

// Picked China calendar days, both included, as the API's [from, to); either end may be open.
export function dayRange(first?: string | null, last?: string | null): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {}
  if (first) out.from = first
  if (last) out.to = nextChinaDay(last)
  return out
}
