// Logging in and out: the login page and its answers, the lockout, an expired session, the forced
// change of a password an administrator set, and changing one's own password. Every account whose
// password is changed or locked here is one the test created (never a shared demo account).
import {
  api,
  apiSession,
  assert,
  chartDrawn,
  createUser,
  env,
  field,
  figure,
  login,
  shot,
  test,
  viewports,
} from '../lib.mjs'

async function attempt(page, username, password) {
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(password)
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.locator('[data-test=login]').click(),
  ])
  await page.locator('[data-test=login-error]').waitFor()
  return { status: answer.status(), text: await page.locator('[data-test=login-error]').innerText() }
}

export default async function () {
  for (const [label, viewport] of viewports) {
    const mobile = label === 'mobile'

    await test(
      `${label}: login page and transfer size`,
      async ({ page }) => {
        let bytes = 0
        page.on('response', async (response) => {
          const type = response.headers()['content-type'] ?? ''
          if (type.includes('javascript') || type.includes('css'))
            bytes += Number(response.headers()['content-length'] ?? 0)
        })
        await page.goto(env.url + '/login', { waitUntil: 'networkidle' })
        if (!mobile) figure('login_js_css_gzip_kb', Math.round(bytes / 1024))
        assert((await page.locator('.el-alert').count()) === 0, 'a first visit is no expired session')
        await page.screenshot({ path: shot(`login-${label}`) })
        // An unknown name and a wrong password get the same answer, with no count of attempts left.
        const unknown = await attempt(page, 'no_such_user_e2e', 'wrong-password')
        const someone = await createUser({ role: 'county', region: '370102' })
        const wrong = await attempt(page, someone.username, 'wrong-password')
        for (const answer of [unknown, wrong]) {
          assert(
            answer.status === 401 && answer.text.includes('用户名或密码错误'),
            `wrong password: ${JSON.stringify(answer)}`,
          )
          assert(!/还可|次数/.test(answer.text), `no attempts left are told: ${answer.text}`)
        }
        assert(unknown.text === wrong.text, `the same words for both: ${unknown.text} / ${wrong.text}`)
        await page.screenshot({ path: shot(`login-wrong-${label}`) })
      },
      { viewport },
    )

    await test(
      `${label}: five wrong passwords lock the account; the right one then says so, with the minutes`,
      async ({ page }) => {
        const user = await createUser({ role: 'county', region: '370102' })
        await page.goto(env.url + '/login')
        for (let i = 0; i < 5; i++) {
          const answer = await attempt(page, user.username, `Wrong@${i}xyz`)
          assert(
            answer.status === 401 && answer.text.includes('用户名或密码错误'),
            `attempt ${i + 1}: ${JSON.stringify(answer)}`,
          )
        }
        const locked = await attempt(page, user.username, user.password)
        assert(locked.status === 403, `locked answers 403, got ${locked.status}`)
        assert(
          locked.text.includes('账号已锁定') &&
            /请 \d+ 分钟后再试/.test(locked.text) &&
            locked.text.includes('连续 5 次'),
          `locked message: ${locked.text}`,
        )
        assert(page.url().includes('/login'), 'still on the login page')
        await page.screenshot({ path: shot(`login-locked-${label}`) })
      },
      { viewport },
    )

    await test(
      `${label}: an expired session goes to login and back to the page`,
      async ({ page, context }) => {
        await login(page, 'county')
        await chartDrawn(page, '[data-test=top-industries-chart]') // the workbench has all it asked for
        await page.waitForTimeout(300)
        await context.clearCookies()
        // Within the page: the next request finds the session gone and says so.
        await page.locator('.el-menu-item', { hasText: '项目清单' }).click()
        await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('expired') === '1')
        await page.locator('.el-alert', { hasText: '登录已过期' }).waitFor()
        // Opening a page afresh goes to login as well, and back to it afterwards.
        await page.goto(env.url + '/projects?status=existing')
        await page.waitForURL(/\/login\?redirect=/)
        await field(page, 'username').fill('county')
        await field(page, 'password').fill('Kiln@2026demo')
        await page.locator('[data-test=login]').click()
        await page.waitForURL((u) => u.pathname === '/projects' && u.search.includes('status=existing'))
      },
      { viewport },
    )

    await test(
      `${label}: a one-time password is changed before anything else, then on to the page wanted`,
      async ({ page }) => {
        const user = await createUser({ role: 'county', region: '370302', display_name: '淄川区新同事' })
        assert(user.must_change_password === true, 'a new account must change its password')
        await page.goto(env.url + '/projects?status=existing')
        await page.waitForURL(/\/login\?redirect=/)
        await field(page, 'username').fill(user.username)
        await field(page, 'password').fill(user.password)
        await page.locator('[data-test=login]').click()
        await page.waitForURL((u) => u.pathname === '/password')
        const notice = await page.locator('[data-test=forced-notice]').innerText()
        assert(notice.includes('管理员') && notice.includes('修改之前不能使用'), `forced notice: ${notice}`)
        assert((await page.locator('.el-menu-item').count()) === 0, 'no menu items before the change')
        assert((await page.locator('[data-test=crumbs]').count()) === 0, 'no breadcrumbs before the change')
        await page.screenshot({ path: shot(`password-forced-${label}`), fullPage: true })
        // Nothing else opens, in the console or the API.
        await page.goto(env.url + '/enterprises')
        await page.waitForURL((u) => u.pathname === '/password' && u.searchParams.get('redirect') === '/enterprises')
        const refused = await page.evaluate(async () => {
          const r = await fetch('/api/v1/enterprises')
          return { status: r.status, code: (await r.json()).error?.code }
        })
        assert(refused.status === 403 && refused.code === 'password_change_required', JSON.stringify(refused))
        // Back to the page first wanted, to continue there after the change.
        await page.goto(env.url + '/projects?status=existing')
        await page.waitForURL((u) => u.pathname === '/password')
        await field(page, 'old-password').fill(user.password)
        await field(page, 'new-password').fill(user.password)
        await field(page, 'confirm-password').fill(user.password)
        await page.locator('[data-test=change-password]').click()
        await page.locator('.el-form-item__error', { hasText: '新密码不能与当前密码相同' }).waitFor()
        await field(page, 'new-password').fill('Zibo@2026mine')
        await field(page, 'confirm-password').fill('Zibo@2026mine')
        await page.locator('[data-test=change-password]').click()
        await page.waitForURL((u) => u.pathname === '/projects' && u.search.includes('status=existing'))
        await page.locator('[data-test=project-total]').waitFor()
        assert((await page.locator('.el-menu-item').count()) > 0, 'the menu is back')
        const me = (await api(page, '/api/v1/me')).user
        assert(me.must_change_password === false, 'the flag is gone')
        await page.screenshot({ path: shot(`password-forced-done-${label}`), fullPage: true })
      },
      { viewport },
    )

    await test(
      `${label}: change password, with the policy shown on the field`,
      async ({ page }) => {
        // An enterprise user of its own: first its forced change, then a change of its own choosing.
        const user = await createUser({ role: 'enterprise', enterprise: await firstUscc() })
        await login(page, user.username, user.password)
        await page.waitForURL(/\/password\?redirect=/)
        await field(page, 'old-password').fill(user.password)
        await field(page, 'new-password').fill('Kiln@2026first')
        await field(page, 'confirm-password').fill('Kiln@2026first')
        await page.locator('[data-test=change-password]').click()
        await page.waitForURL(/\/enterprises\/\d+$/)
        const changeTo = async (oldPassword, newPassword) => {
          await page.locator('[data-test=user-menu]').click()
          await page.locator('[data-test=password-link]').click()
          await page.waitForURL(/\/password$/)
          assert(
            (await page.locator('[data-test=forced-notice]').count()) === 0,
            'no forced notice for a change by choice',
          )
          await field(page, 'old-password').fill(oldPassword)
          await field(page, 'new-password').fill(newPassword)
          await field(page, 'confirm-password').fill(newPassword)
          await page.locator('[data-test=change-password]').click()
        }
        await changeTo('Kiln@2026first', 'short')
        await page.locator('.el-form-item__error', { hasText: '至少 8 位' }).waitFor()
        await page.screenshot({ path: shot(`password-error-${label}`) })
        await field(page, 'new-password').fill('Kiln@2026next')
        await field(page, 'confirm-password').fill('Kiln@2026next')
        await page.locator('[data-test=change-password]').click()
        await page.waitForURL(/\/login/)
        await field(page, 'username').fill(user.username)
        await field(page, 'password').fill('Kiln@2026next')
        await page.locator('[data-test=login]').click()
        await page.waitForURL((u) => /\/enterprises\/\d+$/.test(u.pathname))
      },
      { viewport },
    )
  }
}

// The credit code of the first enterprise of the province.
async function firstUscc() {
  const province = await apiSession('province')
  return (await province.get('/api/v1/enterprises?page_size=1&sort=id')).items[0].uscc
}
