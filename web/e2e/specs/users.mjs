// The users page: creating with the server's field errors on the form, the one-time password shown
// once, resetting, disabling, what a county and a department administrator may see and do.
import { apiSession, assert, createUser, env, field, login, settled, shot, test, uniqueName } from '../lib.mjs'
import { DESKTOP, PHONE } from '../lib.mjs'

// Confirms an Element Plus message box.
async function confirmBox(page) {
  await page.locator('.el-message-box__btns .el-button--primary').click()
}

async function pickCascader(page, scope, names) {
  await page.locator(`${scope} .el-cascader`).click()
  for (const [i, name] of names.entries()) {
    await page
      .locator('.el-cascader__dropdown:visible .el-cascader-menu')
      .nth(i)
      .locator('.el-cascader-node', { hasText: name })
      .click()
  }
}

async function oneTimePassword(page) {
  const value = page.locator('[data-test=one-time-password]')
  await value.waitFor()
  return (await value.innerText()).trim()
}

async function closeSecret(page) {
  await page.locator('[data-test=close-secret]').click()
  await page.locator('[data-test=one-time-password]').waitFor({ state: 'hidden' })
}

async function loginAnswer(page, username, password) {
  await page.goto(env.url + '/login')
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(password)
  await page.locator('[data-test=login]').click()
}

export default async function () {
  await test(
    'desktop: the province creates a county user (field error first), resets and disables it',
    async ({ page, open }) => {
      await login(page, 'province')
      await page.goto(env.url + '/users')
      await page.locator('[data-test=user-table] .el-table__row').first().waitFor()
      const hint = await page.locator('[data-test=creatable-roles]').innerText()
      assert(hint.includes('市级管理') && hint.includes('部门管理员'), `the province may create: ${hint}`)
      await page.screenshot({ path: shot('users-desktop'), fullPage: true })

      const username = uniqueName('zichuan')
      await page.locator('[data-test=create-user]').click()
      await page.locator('[data-test=role-county]').click()
      await field(page, 'user-username').fill(username)
      await field(page, 'user-display-name').fill('淄川区发改局科员')
      // No region: the server names the field.
      await page.locator('[data-test=user-save]').click()
      await page.locator('[data-test=user-form] .el-form-item__error', { hasText: '应选择县级行政区划' }).waitFor()
      await settled(page)
      await page.screenshot({ path: shot('users-create-error-desktop') })
      await pickCascader(page, '[data-test=user-form]', ['山东省', '淄博市', '淄川区'])
      const typed = await field(page, 'user-password').inputValue()
      assert(typed.length >= 12, 'a generated one-time password is offered')
      await page.locator('[data-test=user-save]').click()
      const shown = await oneTimePassword(page)
      assert(shown === typed, `the one-time password shown is the one given: ${shown} vs ${typed}`)
      await page.locator('[data-test=copy-one-time-password]').click()
      await page.locator('.el-message', { hasText: '已复制' }).waitFor()
      assert((await page.evaluate(() => navigator.clipboard.readText())) === typed, 'copied to the clipboard')
      await settled(page)
      await page.screenshot({ path: shot('users-otp-created-desktop') })
      await closeSecret(page)
      assert(!(await page.content()).includes(typed), 'the password is gone from the page once closed')

      const row = page.locator('[data-test=user-table] .el-table__row', { hasText: username })
      await row.waitFor()
      assert(
        (await row.innerText()).includes('待修改初始密码') && (await row.innerText()).includes('淄川区'),
        await row.innerText(),
      )
      const admin = await apiSession('province')
      const created = (await admin.get(`/api/v1/users?q=${username}`)).items[0]
      assert(
        created.role === 'county' && created.region === '370302' && created.must_change_password,
        JSON.stringify(created),
      )

      // A reset: a new one-time password, with separation of duties explained.
      await row.locator('[data-test=reset-password]').click()
      await confirmBox(page)
      const reset = await oneTimePassword(page)
      assert(reset && reset !== typed, 'a new one-time password')
      const notes = await page.locator('.notes').last().innerText()
      assert(notes.includes('只显示这一次') && notes.includes('必须先修改密码') && notes.includes('职责分离'), notes)
      await settled(page)
      await page.screenshot({ path: shot('users-otp-reset-desktop') })
      await closeSecret(page)
      // The old one-time password no longer works; the new one leads to the forced change.
      const other = (await open()).page
      await loginAnswer(other, username, typed)
      await other.locator('[data-test=login-error]', { hasText: '用户名或密码错误' }).waitFor()
      await loginAnswer(other, username, reset)
      await other.waitForURL((u) => u.pathname === '/password')
      await other.locator('[data-test=forced-notice]').waitFor()

      // Disabling: the account cannot log in any more, and the login page says why.
      await row.locator('[data-test=toggle-disabled]').click()
      await confirmBox(page)
      await page
        .locator('[data-test=user-table] .el-table__row', { hasText: username })
        .filter({ hasText: '已停用' })
        .waitFor()
      assert((await admin.get(`/api/v1/users?q=${username}`)).items[0].disabled === true, 'disabled on the server')
      const third = (await open()).page
      await loginAnswer(third, username, reset)
      await third.locator('[data-test=login-error]', { hasText: '账号已停用' }).waitFor()
      await page.screenshot({ path: shot('users-disabled-desktop'), fullPage: true })
    },
    { viewport: DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] },
  )

  await test(
    'desktop: a county official sees only the enterprise users of its county and creates only those',
    async ({ page }) => {
      const province = await apiSession('province')
      const county = await apiSession('county')
      const ours = (await province.get(`/api/v1/enterprises?region=${county.user.region}&page_size=1&sort=id`)).items[0]
      const theirs = (await province.get('/api/v1/enterprises?page_size=100&sort=id')).items.find(
        (e) => !e.region.startsWith(county.user.region),
      )
      const inside = await createUser({ role: 'enterprise', enterprise: ours.uscc, display_name: '本县企业填报员' })
      const outside = await createUser({ role: 'enterprise', enterprise: theirs.uscc, display_name: '外县企业填报员' })

      await login(page, 'county')
      await page.goto(env.url + '/users')
      await page.locator('[data-test=user-table] .el-table__row', { hasText: inside.username }).waitFor()
      const rows = await page.locator('[data-test=user-table] .el-table__row').allInnerTexts()
      assert(
        rows.every((r) => r.includes('企业用户')),
        `only enterprise users: ${rows}`,
      )
      assert(!rows.some((r) => r.includes(outside.username)), 'not the users of another county')
      const listed = (await county.get('/api/v1/users')).items
      assert(listed.length === rows.length && listed.every((u) => u.role === 'enterprise'), JSON.stringify(listed))
      await page
        .locator('[data-test=user-table] .el-table__row', { hasText: inside.username })
        .getByText(ours.name)
        .waitFor()
      await page.screenshot({ path: shot('users-county-desktop'), fullPage: true })
      await page.locator('[data-test=create-user]').click()
      await page.locator('[data-test=role-enterprise]').waitFor()
      assert((await page.locator('[data-test=user-role] [data-test^=role-]').count()) === 1, 'one role offered')
      assert((await page.locator('[data-test=role-dept_admin]').count()) === 0, 'no department administrators')
      // The server agrees.
      const refusal = await county
        .post('/api/v1/users', {
          username: uniqueName('nope'),
          password: 'Kiln@2026abcd',
          role: 'dept_admin',
          department: 'ecology',
        })
        .then(
          () => 'created',
          (e) => e.message,
        )
      assert(refusal.includes(': 403 ') && refusal.includes('"field":"role"'), `county creating dept_admin: ${refusal}`)
      await settled(page)
      await page.screenshot({ path: shot('users-county-create-desktop') })
    },
    { viewport: DESKTOP },
  )

  await test(
    'desktop: a department administrator grants its department user permissions',
    async ({ page }) => {
      const user = await createUser({ role: 'dept_user', permissions: 'enterprise.read' }, 'dept_admin')
      await login(page, 'dept_admin')
      await page.goto(env.url + '/users')
      const row = page.locator('[data-test=user-table] .el-table__row', { hasText: user.username })
      await row.waitFor()
      assert((await row.innerText()).includes('查看企业档案'), await row.innerText())
      const hint = await page.locator('[data-test=creatable-roles]').innerText()
      assert(hint.includes('部门用户') && !hint.includes('县级'), hint)
      await row.locator('[data-test=edit-permissions]').click()
      await page.locator('[data-test=grant-permissions] label', { hasText: '查看计量点位' }).click()
      await settled(page)
      await page.screenshot({ path: shot('users-permissions-desktop') })
      await page.locator('[data-test=save-permissions]').click()
      await page
        .locator('[data-test=user-table] .el-table__row', { hasText: user.username })
        .filter({ hasText: '查看计量点位' })
        .waitFor()
      const admin = await apiSession('dept_admin')
      const stored = (await admin.get(`/api/v1/users?q=${user.username}`)).items[0]
      assert(stored.permissions.split(',').sort().join(',') === 'enterprise.read,point.read', stored.permissions)
    },
    { viewport: DESKTOP },
  )

  await test(
    'mobile: users as cards; the province creates an enterprise user found by search',
    async ({ page }) => {
      const province = await apiSession('province')
      const enterprise = (
        await province.get('/api/v1/enterprises?page_size=1&sort=-id&q=' + encodeURIComponent('水泥'))
      ).items[0]
      await login(page, 'province')
      await page.goto(env.url + '/users')
      await page.locator('[data-test=user-card]').first().waitFor()
      await page.screenshot({ path: shot('users-mobile'), fullPage: true })
      const username = uniqueName('cement')
      await page.locator('[data-test=create-user]').click()
      await page.locator('[data-test=role-enterprise]').click()
      await field(page, 'user-username').fill(username)
      await page.locator('[data-test=user-enterprise]').click()
      await page.keyboard.type(enterprise.name.slice(0, 4))
      await page.locator('.el-select-dropdown__item:visible', { hasText: enterprise.uscc }).click()
      await settled(page)
      await page.screenshot({ path: shot('users-create-mobile') })
      await page.locator('[data-test=user-save]').click()
      await oneTimePassword(page)
      await settled(page)
      await page.screenshot({ path: shot('users-otp-mobile') })
      await closeSecret(page)
      const card = page.locator('[data-test=user-card]', { hasText: username })
      await card.waitFor()
      assert((await card.innerText()).includes(enterprise.name), await card.innerText())
      const stored = (await province.get(`/api/v1/users?q=${username}`)).items[0]
      assert(stored.role === 'enterprise' && stored.enterprise_id === enterprise.id, JSON.stringify(stored))
    },
    { viewport: PHONE },
  )
}
