// The caller's warning notifications, shared by the header (its to-do count and recent warnings) and the
// pages that act on warnings (they refresh it after acknowledging or closing). Read only with warning.read.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import {
  markNotificationsRead,
  myNotifications,
  setNotificationPrefs,
  type NotificationPrefs,
  type Warning,
} from '../api/warnings'

export const RECENT_LIMIT = 8

export const useNotifications = defineStore('notifications', () => {
  const todo = ref(0)
  const unread = ref(0)
  const recent = ref<Warning[]>([])
  const prefs = ref<NotificationPrefs | null>(null)
  const loaded = ref(false)
  let latest = 0

  // A warning opened after the user last marked them read.
  const isUnread = (w: Pick<Warning, 'opened_at'>) => {
    const seen = prefs.value?.seen_until
    return !seen || Date.parse(w.opened_at) > Date.parse(seen)
  }
  const hasUnread = computed(() => unread.value > 0)

  // Reads the counts again; only the latest answer counts. A failure keeps what was shown.
  async function refresh() {
    const mine = ++latest
    const got = await myNotifications(RECENT_LIMIT)
    if (mine !== latest) return
    todo.value = got.todo
    unread.value = got.unread
    recent.value = got.recent
    prefs.value = got.prefs
    loaded.value = true
  }

  async function markRead() {
    await markNotificationsRead()
    await refresh()
  }

  async function savePrefs(next: Omit<NotificationPrefs, 'seen_until'>) {
    const saved = await setNotificationPrefs(next)
    prefs.value = { ...prefs.value, ...saved }
    await refresh()
  }

  function reset() {
    latest++
    todo.value = 0
    unread.value = 0
    recent.value = []
    prefs.value = null
    loaded.value = false
  }

  return { todo, unread, recent, prefs, loaded, hasUnread, isUnread, refresh, markRead, savePrefs, reset }
})
