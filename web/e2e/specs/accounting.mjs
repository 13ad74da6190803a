// Energy accounting: from cities to counties to an enterprise and down to its meters.
import { api, assert, env, login, shot, test, viewports } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    await test(
      `${label}: accounting drills from cities to an enterprise and down to its meters`,
      async ({ page }) => {
        await login(page, 'province')
        const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)
        await page.goto(`${env.url}/accounting?period=${month}`)
        const rows = page.locator('[data-test=accounting-groups] .el-table__body .el-table__row')
        await rows.first().waitFor()
        const cities = await rows.count()
        assert(cities >= 2, `cities listed: ${cities}`)
        await page.screenshot({ path: shot(`accounting-${label}`), fullPage: true })
        const total = (await api(page, `/api/v1/accounting?group_by=region&period=${month}`)).total
        assert(total.tce_equivalent > 0 && total.month_sources.metered > 0, JSON.stringify(total))
        await rows.first().click() // a city: its counties
        await page.waitForURL((u) => u.searchParams.get('region')?.length === 6)
        await page
          .locator('[data-test=accounting-title]', { hasText: '/' })
          .or(page.locator('[data-test=accounting-title]'))
          .first()
          .waitFor()
        await rows.first().click() // a county: its enterprises
        await page.waitForURL((u) => u.searchParams.get('group_by') === 'enterprise')
        await rows.first().waitFor()
        await page.screenshot({ path: shot(`accounting-enterprises-${label}`), fullPage: true })
        await rows.first().click() // an enterprise: its accounting tab
        await page.waitForURL(
          (u) => /\/enterprises\/\d+$/.test(u.pathname) && u.searchParams.get('tab') === 'accounting',
        )
        await page.locator('[data-test=accounting-lines] .el-table__row').first().waitFor()
        await page.locator('[data-test=drill-line]').first().click()
        await page.locator('[data-test=drilldown-terms] .el-table__row').first().waitFor()
        const drill = await page.locator('[data-test=drilldown]').innerText()
        assert(
          drill.includes('计量数据') && drill.includes('个采集值'),
          `drill-down names meters: ${drill.slice(0, 300)}`,
        )
        await page.waitForTimeout(500) // the dialog fades in
        await page.screenshot({ path: shot(`accounting-drilldown-${label}`) })
        await page.locator('[data-test=drilldown] a[href^="/points/"]').first().click()
        await page.waitForURL(/\/points\/\d+(\?|$)/) // the page then adds its time range to the query
      },
      { viewport },
    )
  }
}
