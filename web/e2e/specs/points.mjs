// The metering point page: readings, intervals and the planted faults explained.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, assert, chartDrawn, env, login, shot, test, viewports } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    await test(
      `${label}: a metering point page marks and explains a planted gap`,
      async ({ page }) => {
        const faults = JSON.parse(readFileSync(join(env.work, 'data', 'demo-faults.json'), 'utf8')).faults
        await login(page, 'province')
        let gap = null
        for (const f of faults.filter((x) => x.kind === 'gap')) {
          const point = await api(page, `/api/v1/points/${f.point_id}`)
          if (point.kind === 'register') {
            gap = { ...f, point }
            break
          }
        }
        assert(gap, 'the demo planted a gap on a register')
        const from = new Date(Date.parse(gap.from) - 6 * 3600000).toISOString()
        const to = new Date(Date.parse(gap.to) + 6 * 3600000).toISOString()
        await page.goto(
          `${env.url}/points/${gap.point_id}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        )
        await chartDrawn(page, '[data-test=point-chart]')
        const row = page.locator('[data-test=flagged-table] .el-table__row', { hasText: '缺数' }).first()
        await row.waitFor()
        const text = await row.innerText()
        assert(text.includes(gap.from.slice(0, 10)), `the flagged row is on the gap's day: ${text}`)
        const legend = await page.locator('[data-test=flag-legend]').innerText()
        assert(legend.includes('不做插补'), `the gap is explained: ${legend}`)
        const series = await api(
          page,
          `/api/v1/points/${gap.point_id}/series?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        )
        const gapIntervals = series.intervals.filter((iv) => iv.flags.includes('gap'))
        assert(gapIntervals.length >= 1, 'the API has the gap interval')
        const summary = await page.locator('[data-test=point-summary]').innerText()
        assert(
          summary.includes(`${series.readings.length} 个读数`),
          `summary ${summary} vs ${series.readings.length} readings`,
        )
        await page.waitForTimeout(400)
        await page.screenshot({ path: shot(`point-gap-${label}`), fullPage: true })
      },
      { viewport },
    )
  }
}
