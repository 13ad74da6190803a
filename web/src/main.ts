import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { setPasswordChangeHandler, setUnauthenticatedHandler } from './api/request'
import { useSession } from './stores/session'

const app = createApp(App)
app.use(createPinia()).use(router).use(i18n).use(ElementPlus, { locale: zhCn })

// An expired session sends the user to login, then back to where they were.
// (Only a session that was there expires: the first visit is no expiry.)
setUnauthenticatedHandler(() => {
  const session = useSession()
  if (!session.user) return
  session.user = null
  const current = router.currentRoute.value
  if (current.name !== 'login') router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
})

// An account whose password an administrator set may do nothing else until it changes it.
setPasswordChangeHandler(() => {
  const session = useSession()
  if (session.user) session.user.must_change_password = true
  const current = router.currentRoute.value
  if (current.name !== 'password' && current.name !== 'login') {
    router.push({ name: 'password', query: { redirect: current.fullPath } })
  }
})

app.mount('#app')
