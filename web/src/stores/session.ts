import { defineStore } from 'pinia'
import { ref, computed } from 'vue'
import * as auth from '../api/auth'
import { homePath } from '../utils/access'

export const useSession = defineStore('session', () => {
  const user = ref<auth.User | null>(null)
  const siteName = ref('「两高」行业电子监管平台')
  const checked = ref(false)

  const can = (permission: string) => user.value?.permissions.includes(permission) ?? false
  const isEnterprise = computed(() => user.value?.role === 'enterprise')
  // The password was set by an administrator: only the password page until it is changed.
  const mustChangePassword = computed(() => user.value?.must_change_password === true)
  const home = computed(() => homePath(user.value))

  // Restores the session from the cookie, once per page load.
  async function restore() {
    if (checked.value) return user.value
    checked.value = true
    try {
      user.value = await auth.me()
    } catch {
      user.value = null
    }
    auth
      .site()
      .then((s) => (siteName.value = s.name))
      .catch(() => undefined)
    return user.value
  }

  // Reads the session again (after the password changed, the permissions and the flag do).
  async function refresh() {
    user.value = await auth.me()
    checked.value = true
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

  return { user, siteName, can, isEnterprise, mustChangePassword, home, restore, refresh, login, logout }
})
