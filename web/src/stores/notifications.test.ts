import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useNotifications } from './notifications'

const api = vi.hoisted(() => ({
  myNotifications: vi.fn(),
  markNotificationsRead: vi.fn(),
  setNotificationPrefs: vi.fn(),
}))
vi.mock('../api/warnings', () => api)

const answer = (todo: number, unread: number, seen: string | null = null) => ({
  todo,
  unread,
  recent: [{ id: todo, opened_at: '2026-11-28T10:00:00Z' }],
  prefs: { categories: ['data'], min_severity: 'warning', webhook: true, seen_until: seen },
})

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('the notifications store', () => {
  it('reads the counts, the recent warnings and the preferences', async () => {
    api.myNotifications.mockResolvedValue(answer(12, 3))
    const n = useNotifications()
    await n.refresh()
    expect(api.myNotifications).toHaveBeenCalledWith(8)
    expect([n.todo, n.unread, n.recent.length, n.loaded, n.hasUnread]).toEqual([12, 3, 1, true, true])
    expect(n.prefs?.min_severity).toBe('warning')
  })
  it('keeps only the latest answer when two cross', async () => {
    let slow!: (v: unknown) => void
    api.myNotifications.mockReturnValueOnce(new Promise((r) => (slow = r))).mockResolvedValueOnce(answer(5, 0))
    const n = useNotifications()
    const first = n.refresh()
    await n.refresh()
    slow(answer(99, 99))
    await first
    expect(n.todo).toBe(5)
  })
  it('marks everything read and reads the counts again', async () => {
    api.myNotifications.mockResolvedValueOnce(answer(4, 2)).mockResolvedValueOnce(answer(4, 0, '2026-11-28T11:00:00Z'))
    api.markNotificationsRead.mockResolvedValue({ ok: true })
    const n = useNotifications()
    await n.refresh()
    expect(n.isUnread({ opened_at: '2026-11-28T10:00:00Z' })).toBe(true)
    await n.markRead()
    expect(api.markNotificationsRead).toHaveBeenCalled()
    expect(n.unread).toBe(0)
    expect(n.isUnread({ opened_at: '2026-11-28T10:00:00Z' })).toBe(false)
    expect(n.isUnread({ opened_at: '2026-11-28T12:00:00Z' })).toBe(true)
  })
  it('saves the preferences, then counts by them', async () => {
    api.setNotificationPrefs.mockResolvedValue({ categories: ['workflow'], min_severity: 'critical', webhook: false })
    api.myNotifications.mockResolvedValue(answer(1, 0))
    const n = useNotifications()
    await n.savePrefs({ categories: ['workflow'], min_severity: 'critical', webhook: false })
    expect(api.setNotificationPrefs).toHaveBeenCalledWith({
      categories: ['workflow'],
      min_severity: 'critical',
      webhook: false,
    })
    expect(api.myNotifications).toHaveBeenCalledTimes(1)
    n.reset()
    expect([n.todo, n.loaded, n.prefs]).toEqual([0, false, null])
  })
})
