// Access-end keys: an enterprise's (issued by the enterprise user or an official), a department's
// (the province chooses the department); the secret shown once, then revoked. The issued secret is
// proved by signing an upload with it (KILN-HMAC-SM3, from Node's crypto).
import { api, apiSession, assert, env, login, settled, shot, signedRequest, test } from '../lib.mjs'
import { DESKTOP, PHONE } from '../lib.mjs'

// A signed, empty meter batch: 401 when the key is unknown or revoked, otherwise not.
async function signedUpload(keyId, secret) {
  const r = await signedRequest({ key_id: keyId, secret }, 'POST', '/api/v1/readings', { readings: [] })
  return { status: r.status, code: r.body?.error?.code }
}

async function issue(page, kind) {
  await page.locator(`[data-test=issue-${kind}-key]`).click()
  await page.locator('[data-test=key-secret]').waitFor()
  const keyId = (await page.locator('[data-test=key-id]').innerText()).trim()
  const secret = (await page.locator('[data-test=key-secret]').innerText()).trim()
  assert(/^[0-9a-f]{64}$/.test(secret), `a 64-hex secret: ${secret}`)
  return { keyId, secret }
}

async function closeSecret(page, secret) {
  await page.locator('[data-test=close-secret]').click()
  await page.locator('[data-test=key-secret]').waitFor({ state: 'hidden' })
  await page.locator('.el-overlay-dialog:visible').waitFor({ state: 'hidden' })
  assert(!(await page.content()).includes(secret), 'the secret is gone from the page once closed')
}

async function revoke(page, keyId) {
  await page.locator(`[data-test=revoke-${keyId}]`).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator(`[data-test=revoke-${keyId}]`).waitFor({ state: 'detached' })
}

export default async function () {
  await test(
    'desktop: the enterprise user issues a key, sees the secret once, uploads with it and revokes it',
    async ({ page }) => {
      await login(page, 'enterprise')
      const me = (await api(page, '/api/v1/me')).user
      await page.locator('.el-menu-item', { hasText: '接入端密钥' }).click()
      await page.waitForURL((u) => u.pathname === '/keys')
      const table = page.locator('[data-test=enterprise-key-table]')
      await table.locator('.el-table__row', { hasText: 'demo-feed' }).waitFor()
      assert((await page.locator('[data-test=key-subject]').innerText()).length > 4, 'its own enterprise is named')
      assert(
        (await page.locator('[data-test=department-key-section]').count()) === 0,
        'no department keys for an enterprise',
      )
      await page.screenshot({ path: shot('keys-enterprise-desktop'), fullPage: true })
      const { keyId, secret } = await issue(page, 'enterprise')
      const notes = await page.locator('.notes').innerText()
      assert(
        notes.includes('只显示这一次') && notes.includes('KILN-HMAC-SM3') && notes.includes('/api/v1/readings'),
        notes,
      )
      assert(await page.locator('a[href="/api/v1/openapi.json"]').isVisible(), 'the API document is linked')
      await settled(page)
      await page.screenshot({ path: shot('keys-secret-desktop') })
      const accepted = await signedUpload(keyId, secret)
      assert(accepted.status !== 401, `the new key signs uploads: ${JSON.stringify(accepted)}`)
      await closeSecret(page, secret)
      const row = table.locator('.el-table__row', { hasText: keyId })
      assert(
        (await row.innerText()).includes('有效') && (await row.innerText()).includes('enterprise'),
        await row.innerText(),
      )
      await revoke(page, keyId)
      await table.locator('.el-table__row', { hasText: keyId }).filter({ hasText: '已吊销' }).waitFor()
      const refused = await signedUpload(keyId, secret)
      assert(
        refused.status === 401 && refused.code === 'unknown_key',
        `a revoked key is refused: ${JSON.stringify(refused)}`,
      )
      const keys = (await api(page, `/api/v1/enterprises/${me.enterprise_id}/keys`)).items
      assert(keys.find((k) => k.key_id === keyId).revoked, 'revoked on the server')
      assert(
        keys.some((k) => k.created_by === 'demo-feed' && !k.revoked),
        'the live feed keeps its key',
      )
    },
    { viewport: DESKTOP },
  )

  await test(
    'desktop: the province picks an enterprise and a department and manages their keys',
    async ({ page }) => {
      const province = await apiSession('province')
      const target = (await province.get('/api/v1/enterprises?page_size=1&sort=-id&q=' + encodeURIComponent('钢铁')))
        .items[0]
      await login(page, 'province')
      await page.goto(env.url + '/keys')
      await page.locator('[data-test=pick-enterprise-first]').waitFor()
      await page.locator('[data-test=key-enterprise]').click()
      await page.keyboard.type(target.name.slice(0, 5))
      await page.locator('.el-select-dropdown__item:visible', { hasText: target.uscc }).click()
      await page.waitForURL((u) => u.searchParams.get('enterprise') === String(target.id))
      await page.locator('[data-test=enterprise-key-table] .el-table__row', { hasText: 'demo-feed' }).waitFor()

      await page.locator('[data-test=key-department]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '电力公司' }).click()
      await page.waitForURL((u) => u.searchParams.get('department') === 'power')
      const departmentTable = page.locator('[data-test=department-key-table]')
      await departmentTable.waitFor()
      const { keyId, secret } = await issue(page, 'department')
      assert(keyId.startsWith('DK'), `a department key: ${keyId}`)
      assert((await page.locator('.notes').innerText()).includes('/records'), 'how a department pushes')
      await settled(page)
      await page.screenshot({ path: shot('keys-department-secret-desktop') })
      await closeSecret(page, secret)
      await departmentTable.locator('.el-table__row', { hasText: keyId }).filter({ hasText: '有效' }).waitFor()
      await page.screenshot({ path: shot('keys-province-desktop'), fullPage: true })
      await revoke(page, keyId)
      await departmentTable.locator('.el-table__row', { hasText: keyId }).filter({ hasText: '已吊销' }).waitFor()
      const stored = (await province.get('/api/v1/department-keys?department=power')).items.find(
        (k) => k.key_id === keyId,
      )
      assert(stored && stored.revoked && stored.created_by === 'province', JSON.stringify(stored))
      // Reloading keeps the choices (they are in the address).
      await page.reload()
      await page.locator('[data-test=enterprise-key-table] .el-table__row', { hasText: 'demo-feed' }).waitFor()
      await departmentTable.locator('.el-table__row', { hasText: keyId }).waitFor()
    },
    { viewport: DESKTOP },
  )

  await test(
    "desktop: the enterprise file has a keys tab; a department administrator keeps its own department's keys",
    async ({ page, open }) => {
      await login(page, 'county')
      const [first] = (await api(page, '/api/v1/enterprises?page_size=1&sort=id')).items
      await page.goto(`${env.url}/enterprises/${first.id}?tab=keys`)
      await page.locator('[data-test=enterprise-key-table] .el-table__row', { hasText: 'demo-feed' }).waitFor()
      await settled(page, 600)
      await page.screenshot({ path: shot('enterprise-file-keys-desktop'), fullPage: true })
      // A read-only department administrator sees no keys tab and no enterprise keys.
      const power = (await open()).page
      await login(power, 'power_admin')
      await power.goto(`${env.url}/enterprises/${first.id}`)
      await power.locator('[data-test=enterprise-name]').waitFor()
      assert(
        (await power.getByRole('tab', { name: '接入端密钥' }).count()) === 0,
        'no keys tab without enterprise.write',
      )
      await power.goto(env.url + '/keys')
      await power.locator('[data-test=department-key-table]').waitFor()
      assert((await power.locator('[data-test=key-department]').count()) === 0, 'its own department, no chooser')
      assert((await power.locator('[data-test=enterprise-key-section]').count()) === 0, 'no enterprise keys')
      await power.screenshot({ path: shot('keys-power-admin-desktop'), fullPage: true })
    },
    { viewport: DESKTOP },
  )

  await test(
    'mobile: keys as cards; the enterprise user issues and revokes a key on a phone',
    async ({ page }) => {
      await login(page, 'enterprise')
      await page.goto(env.url + '/keys')
      await page.locator('[data-test=enterprise-key-card]', { hasText: 'demo-feed' }).waitFor()
      await page.screenshot({ path: shot('keys-enterprise-mobile'), fullPage: true })
      const { keyId, secret } = await issue(page, 'enterprise')
      await settled(page)
      await page.screenshot({ path: shot('keys-secret-mobile') })
      await closeSecret(page, secret)
      await revoke(page, keyId)
      await page.locator('[data-test=enterprise-key-card]', { hasText: keyId }).filter({ hasText: '已吊销' }).waitFor()
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(width <= 390, `no horizontal overflow: ${width}`)
    },
    { viewport: PHONE },
  )

  await test(
    'mobile: department keys: the province chooses a department on a phone',
    async ({ page }) => {
      await login(page, 'province')
      await page.goto(env.url + '/keys?department=power')
      await page
        .locator(
          '[data-test=department-key-section] [data-test=department-key-card], [data-test=department-key-section] .empty',
        )
        .first()
        .waitFor()
      await settled(page, 300)
      await page.screenshot({ path: shot('keys-province-mobile'), fullPage: true })
    },
    { viewport: PHONE },
  )
}
