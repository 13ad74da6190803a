import { defineStore } from 'pinia'
import { ref, computed } from 'vue'
import * as auth from '../api/auth'

export const useSession = defineStore('session', () => {
  const user = ref<auth.User | null>(null)
  const siteName = ref('「两高」行业电子监管平台')
  const checked = ref(false)

  const can = (permission: string) => user.value?.permissions.includes(permission) ?? false
  const isEnterprise = computed(() => user.value?.role === 'enterprise')

  // Restores the session from the cookie, once per page load.
  async function restore() {
    if (checked.value) return user.value
    checked.value = true
    try {
      user.value = await auth.me()
    } catch {
      user.value = null
    }
    auth.site().then((s) => (siteName.value = s.name)).catch(() => undefined)
    return user.value
  }

  async function login(username: string, password: string) {
    user.value = await auth.login(username, password)
    checked.value = true
  }

  async function logout() {
    try {
      await auth.logout()
    } finally {
      user.value = null
    }
  }

  return { user, siteName, can, isEnterprise, restore, login, logout }
})
