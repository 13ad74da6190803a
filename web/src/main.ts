import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { setUnauthenticatedHandler } from './api/request'
import { useSession } from './stores/session'

const app = createApp(App)
app.use(createPinia()).use(router).use(i18n).use(ElementPlus, { locale: zhCn })

// An expired session sends the user to login, then back to where they were.
setUnauthenticatedHandler(() => {
  const session = useSession()
  session.user = null
  const current = router.currentRoute.value
  if (current.name !== 'login') router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
})

app.mount('#app')
