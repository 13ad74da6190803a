// Department data: collection tasks, an xlsx upload checked row by row, matched and committed.
import { join } from 'node:path'
import { api, assert, env, login, makeUscc, shot, test, viewports, writeXlsx } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    const mobile = label === 'mobile'

    if (!mobile)
      await test(
        `${label}: an xlsx upload with a bad row and an unmatched enterprise, fixed and committed`,
        async ({ page, open }) => {
          await login(page, 'power_admin')
          await page.goto(env.url + '/departments')
          await page.locator('[data-test=task-table] .el-table__row', { hasText: '企业用电信息' }).click()
          await page.waitForURL(/\/departments\/tasks\/power_monthly$/)
          await page.screenshot({ path: shot(`department-task-${label}`), fullPage: true })
          const [a, b, c] = (await api(page, '/api/v1/enterprises?page_size=3&sort=id')).items
          const period = '2026-06'
          const bad = join(env.work, 'power-bad.xlsx')
          writeXlsx(bad, [
            [a.uscc, a.name, period, 180000, 450],
            [b.uscc, b.name, period, '十八万', 400],
            [makeUscc('370102', 9999991), '某不在册企业', period, 5000, null],
          ])
          await page.locator('[data-test=upload-input]').setInputFiles(bad)
          await page.waitForURL(/\/departments\/uploads\/\d+$/)
          await page.locator('[data-test=upload-summary]', { hasText: '共 3 行：1 行有错误，1 行未匹配企业' }).waitFor()
          const error = await page.locator('[data-test=row-error]').first().innerText()
          assert(error.includes('D3') && error.includes('用电量应为数字'), `row and column named: ${error}`)
          assert(await page.locator('[data-test=commit]').isDisabled(), 'commit disabled while rows are wrong')
          await page.screenshot({ path: shot(`department-upload-errors-${label}`), fullPage: true })
          // Resolve the unmatched row by naming the enterprise it really is.
          await page.locator('[data-test=pick-enterprise]').click()
          await page.keyboard.type(c.name.slice(0, 6))
          await page.locator('.el-select-dropdown__item:visible', { hasText: c.uscc }).click()
          await page.locator('[data-test=upload-summary]', { hasText: '0 行未匹配企业' }).waitFor()
          assert(await page.locator('[data-test=commit]').isDisabled(), 'the bad row still blocks the commit')
          const upload = (await api(page, '/api/v1/department-uploads')).items[0]
          assert(upload.status === 'preview' && upload.error_count === 1, JSON.stringify(upload))
          // The demo's departments have delivered every month already: look for this file's figure.
          const fromFile = (records) =>
            records.items
              .filter((g) => g.task?.code === 'power_monthly')
              .flatMap((g) => g.records)
              .find((r) => r.period === period && r.values.electricity === 180000)
          let stored = await api(page, `/api/v1/enterprises/${a.id}/department-records`)
          assert(!fromFile(stored), 'nothing stored from the bad file')

          // The corrected file goes in whole.
          const good = join(env.work, 'power-good.xlsx')
          writeXlsx(good, [
            [a.uscc, a.name, period, 180000, 450],
            [b.uscc, b.name, period, 176500, 400],
          ])
          await page.goto(env.url + '/departments/tasks/power_monthly')
          await page.locator('[data-test=upload-input]').setInputFiles(good)
          await page.waitForURL(
            (u) => /\/departments\/uploads\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${upload.id}`),
          )
          await page.locator('[data-test=upload-verdict]', { hasText: '可以入库' }).waitFor()
          await page.locator('[data-test=commit]').click()
          await page.locator('[data-test=upload-status]', { hasText: '已入库' }).waitFor()
          await page.screenshot({ path: shot(`department-upload-committed-${label}`), fullPage: true })
          stored = await api(page, `/api/v1/enterprises/${a.id}/department-records`)
          assert(fromFile(stored)?.values.max_demand === 450, JSON.stringify(stored).slice(0, 2000))

          // The province sees the figure in the enterprise file.
          const official = (await open()).page
          await login(official, 'province')
          await official.goto(`${env.url}/enterprises/${a.id}`)
          await official.locator('.el-tabs__item', { hasText: '部门数据' }).click()
          // The figure beside metered and reported use, and the record itself with its upload time.
          await official.locator('[data-test=source-compare] .el-table__row', { hasText: '180,000' }).waitFor()
          await official.locator('[data-test=department-records] .el-table__row', { hasText: '450' }).first().waitFor()
          await official.screenshot({ path: shot(`enterprise-department-records-${label}`), fullPage: true })
        },
        { viewport },
      )

    if (mobile)
      await test(
        `${label}: a department's tasks and uploads on a phone`,
        async ({ page }) => {
          await login(page, 'power_admin')
          await page.goto(env.url + '/departments')
          await page.locator('[data-test=task-table] .el-table__row', { hasText: '企业用电信息' }).waitFor()
          await page.screenshot({ path: shot(`departments-${label}`), fullPage: true })
          await page.locator('[data-test=task-table] .el-table__row', { hasText: '企业用电信息' }).click()
          const [a] = (await api(page, '/api/v1/enterprises?page_size=1&sort=id')).items
          const file = join(env.work, 'power-phone.xlsx')
          writeXlsx(file, [[a.uscc, a.name, '2026-05', 1000, null]])
          await page.locator('[data-test=upload-input]').setInputFiles(file)
          await page.waitForURL(/\/departments\/uploads\/\d+$/)
          await page.locator('[data-test=upload-verdict]', { hasText: '可以入库' }).waitFor()
          await page.screenshot({ path: shot(`department-upload-${label}`), fullPage: true })
        },
        { viewport },
      )
  }
}
