// The audit log page: filters, paging backwards, export; the operator lands on it.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { apiSession, assert, createUser, env, field, login, settled, shot, test, viewports } from '../lib.mjs'
import { DESKTOP } from '../lib.mjs'

const chinaToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
const chinaTomorrow = () => new Date(Date.now() + 32 * 3600e3).toISOString().slice(0, 10)

// Enough entries to page through, whatever ran before: logins are audited.
async function ensureEntries(n) {
  const province = await apiSession('province')
  const have = (await province.get(`/api/v1/audit?limit=${n}`)).items.length
  for (let i = have; i < n; i++) await apiSession('operator')
}

export default async function () {
  await ensureEntries(130)
  await test(
    'desktop: the audit log filters by user, action, result and day, pages back and exports',
    async ({ page }) => {
      // Something to find: a user the province creates now.
      await createUser({ role: 'county', region: '370102' })
      const province = await apiSession('province')
      await login(page, 'province')
      await page.goto(env.url + '/audit')
      await page.locator('[data-test=audit-table] .el-table__row').first().waitFor()
      const all = (await province.get('/api/v1/audit?limit=1000')).items
      assert(all.length > 100, `enough entries to page: ${all.length}`)
      assert((await page.locator('[data-test=audit-table] .el-table__row').count()) === 50, 'a first page of 50')
      await page.screenshot({ path: shot('audit-desktop'), fullPage: true })

      // Older entries follow the last one shown, without repeats.
      await page.locator('[data-test=audit-older]').click()
      await page.locator('[data-test=audit-count]', { hasText: '已显示 100 条' }).waitFor()
      const first = (await province.get('/api/v1/audit?limit=50')).items
      const second = (await province.get(`/api/v1/audit?limit=50&before_id=${first[49].id}`)).items
      assert(second.length === 50 && second[0].id < first[49].id, 'the next page is older')
      assert(new Set([...first, ...second].map((e) => e.id)).size === 100, 'no entry twice')

      // The filters: the province's own user administration that succeeded today.
      await field(page, 'audit-username').fill('province')
      await page.locator('[data-test=audit-action]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '用户管理' }).click()
      await page.locator('[data-test=audit-result]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^成功$/ }).click()
      const range = page.locator('.filters .el-range-editor input')
      await range.nth(0).fill(chinaToday())
      await range.nth(1).fill(chinaToday())
      await range.nth(1).press('Enter')
      await page.locator('[data-test=audit-search]').click()
      await page.waitForURL(
        (u) => u.searchParams.get('action') === 'user.' && u.searchParams.get('from') === chinaToday(),
      )
      const query = `username=province&action=user.&result=ok&from=${chinaToday()}&to=${chinaTomorrow()}`
      const expected = (await province.get(`/api/v1/audit?${query}&limit=1000`)).items
      assert(
        expected.length > 0 && expected.every((e) => e.action.startsWith('user.') && e.result === 'ok'),
        'entries to show',
      )
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-test=audit-table] .el-table__row').length === n,
        Math.min(50, expected.length),
        { timeout: 10000 },
      )
      const rows = await page.locator('[data-test=audit-table] .el-table__row').allInnerTexts()
      assert(
        rows.every((r) => r.includes('province') && r.includes('成功') && /新建用户|修改用户|重置密码/.test(r)),
        `filtered rows: ${rows.slice(0, 3)}`,
      )
      await page.screenshot({ path: shot('audit-filtered-desktop'), fullPage: true })

      // The exports are the same entries, as files.
      const [xlsx] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-test=audit-export-xlsx]').click(),
      ])
      assert(/\.xlsx$/.test(xlsx.suggestedFilename()), `xlsx file name ${xlsx.suggestedFilename()}`)
      const sheet = execFileSync('unzip', ['-p', await xlsx.path(), 'xl/worksheets/sheet1.xml']).toString()
      assert((sheet.match(/<row /g) ?? []).length === expected.length + 1, `xlsx rows vs ${expected.length}`)
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-test=audit-export-csv]').click(),
      ])
      const lines = readFileSync(await csv.path(), 'utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/)
      assert(lines.length === expected.length + 1, `csv lines ${lines.length - 1} vs ${expected.length}`)
      const exports = (await province.get('/api/v1/audit?action=audit.export&limit=10')).items
      assert(exports.length >= 2 && exports[0].username === 'province', 'the exports are audited')

      // Nothing found says so.
      await field(page, 'audit-username').fill('nobody_at_all')
      await page.locator('[data-test=audit-search]').click()
      await page
        .locator('[data-test=audit-table] .el-table__empty-text', { hasText: '没有符合条件的审计记录' })
        .waitFor()
    },
    { viewport: DESKTOP },
  )

  for (const [label, viewport] of viewports) {
    await test(
      `${label}: the operator lands on the audit log, its only page`,
      async ({ page }) => {
        await login(page, 'operator')
        await page.waitForURL((u) => u.pathname === '/audit')
        const menu = await page.locator('.el-menu-item').allInnerTexts()
        assert(menu.length === 1 && menu[0].includes('审计日志'), `operator menu: ${menu}`)
        const rows = label === 'mobile' ? '[data-test=audit-card]' : '[data-test=audit-table] .el-table__row'
        await page.locator(rows).first().waitFor()
        // The workbench is not the operator's: it comes back here.
        await page.goto(env.url + '/')
        await page.waitForURL((u) => u.pathname === '/audit')
        await page.locator(rows).first().waitFor()
        await settled(page, 300)
        await page.screenshot({ path: shot(`audit-operator-${label}`), fullPage: label !== 'mobile' })
        if (label === 'mobile') {
          await page.locator('[data-test=audit-older]').click()
          await page.locator('[data-test=audit-count]', { hasText: '已显示 100 条' }).waitFor()
          const width = await page.evaluate(() => document.documentElement.scrollWidth)
          assert(width <= 390, `no horizontal overflow: ${width}`)
        }
      },
      { viewport },
    )
  }
}
