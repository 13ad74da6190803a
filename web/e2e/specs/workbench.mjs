// The workbench: its figures, the chart, and the lists its figures click through to.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, assert, chartDrawn, env, figure, login, shot, test, viewports } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    const mobile = label === 'mobile'

    await test(
      `${label}: province workbench figures and chart`,
      async ({ page }) => {
        await login(page, 'province')
        await page.goto(env.url + '/', { waitUntil: 'commit' })
        const navigationStart = Date.now()
        await chartDrawn(page, '[data-test=top-industries-chart]')
        if (!mobile) figure('workbench_first_chart_ms', Date.now() - navigationStart)
        const running = await page.locator('[data-test=figure-running] .value').innerText()
        const wb = await api(page, '/api/v1/workbench')
        assert(
          running.replace(/[^0-9]/g, '') === String(wb.enterprises.running),
          `running figure ${running} vs ${wb.enterprises.running}`,
        )
        await page.waitForTimeout(300)
        await page.screenshot({ path: shot(`workbench-${label}`), fullPage: true })
        await page.locator('[data-test=figure-stopped]').click()
        await page.waitForURL(/\/enterprises\?/)
        await page.locator('[data-test=total]').waitFor()
        await page.waitForFunction(
          (n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
          wb.enterprises.stopped,
          { timeout: 10000 },
        )
      },
      { viewport },
    )

    await test(
      `${label}: comprehensive energy clicks through to the ranking with its factors`,
      async ({ page }) => {
        await login(page, 'city')
        await page.locator('[data-test=figure-tce-month]').click()
        await page.waitForURL(/\/energy\?/)
        await page.locator('[data-test=rank-table] .el-table__row').first().waitFor()
        await chartDrawn(page, '[data-test=rank-chart]')
        const factors = await page.locator('[data-test=rank-factors]').innerText()
        assert(factors.includes('0.1229') && factors.includes('已核实'), `factors shown: ${factors.slice(0, 200)}`)
        const me = (await api(page, '/api/v1/me')).user
        const rows = await page.locator('[data-test=rank-table] .el-table__row').count()
        const city = await api(
          page,
          `/api/v1/energy?group_by=enterprise&energy_type=comprehensive&step=month&limit=1000`,
        )
        assert(rows === Math.min(100, city.items.length), `ranking rows ${rows} vs ${city.items.length}`)
        assert(me.region.endsWith('00'), 'a city official')
        await page.waitForTimeout(300)
        await page.screenshot({ path: shot(`energy-rank-${label}`), fullPage: true })
        await page.locator('[data-test=rank-table] .el-table__row').first().click()
        await page.waitForURL(/\/enterprises\/\d+$/)
        await page.goto(env.url + '/energy?type=co2&period=month&group_by=region')
        await page.locator('[data-test=rank-table] .el-table__row').first().waitFor()
        const co2 = await api(page, '/api/v1/energy?energy_type=co2&group_by=region&step=month')
        assert(co2.unit === 't' && co2.items.length > 0 && co2.items[0].total > 0, 'CO2 by region this month')
        assert((await page.locator('[data-test=rank-total]').innerText()).includes('吨'), 'CO2 total in tonnes')
      },
      { viewport },
    )

    await test(
      `${label}: the completeness figure lists the points short of data, a stopped meter first`,
      async ({ page }) => {
        await login(page, 'province')
        await page.locator('[data-test=figure-completeness]').click()
        await page.waitForURL(/\/completeness/)
        await page.locator('[data-test=completeness-table] .el-table__row').first().waitFor()
        const yesterday = new Date(Date.now() + 8 * 3600000 - 86400000).toISOString().slice(0, 10)
        const listed = await api(page, `/api/v1/completeness?date=${yesterday}&below=1&page_size=500`)
        const faults = JSON.parse(readFileSync(join(env.work, 'data', 'demo-faults.json'), 'utf8')).faults
        const stopped = faults.filter((f) => f.kind === 'stopped')
        assert(stopped.length > 0, 'the demo planted a stopped meter')
        // A meter that stopped before yesterday sent nothing then; one that stopped during yesterday, part of it.
        const yesterdayStart = Date.parse(`${yesterday}T00:00:00+08:00`)
        for (const fault of stopped) {
          const row = listed.items.find((i) => i.point_id === fault.point_id)
          if (Date.parse(fault.from) <= yesterdayStart) {
            assert(
              row && row.received === 0,
              `stopped meter ${fault.point_id} is listed with nothing received yesterday`,
            )
          } else if (Date.parse(fault.from) < yesterdayStart + 86400000) {
            assert(row && row.received < row.expected, `meter ${fault.point_id}, stopped yesterday, is listed short`)
          }
        }
        await page.waitForTimeout(300)
        await page.screenshot({ path: shot(`completeness-${label}`), fullPage: true })
        await page.locator('[data-test=completeness-table] .el-table__row').first().click()
        await page.waitForURL(/\/points\/\d+\?from=/)
        await page.locator('[data-test=point-name]').waitFor()
      },
      { viewport },
    )

    if (!mobile)
      await test(
        `${label}: workbench transfer size`,
        async ({ page }) => {
          await login(page, 'province')
          let bytes = 0
          page.on('response', (response) => {
            const type = response.headers()['content-type'] ?? ''
            if (type.includes('javascript') || type.includes('css'))
              bytes += Number(response.headers()['content-length'] ?? 0)
          })
          await page.reload({ waitUntil: 'networkidle' })
          figure('workbench_js_css_gzip_kb', Math.round(bytes / 1024))
        },
        { viewport },
      )
  }
}
