// The project list and the project file with its efficiency class and accounting.
import { api, assert, env, login, shot, test, viewports } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    await test(
      `${label}: project list filters by state and opens a project file`,
      async ({ page }) => {
        await login(page, 'county')
        await page.goto(env.url + '/projects')
        await page.locator('[data-test=project-total]').waitFor()
        const all = await api(page, '/api/v1/projects')
        await page.waitForFunction(
          (n) => document.querySelector('[data-test=project-total]')?.textContent?.includes(`共 ${n} 个`),
          all.total,
          { timeout: 10000 },
        )
        await page.screenshot({ path: shot(`projects-county-${label}`), fullPage: true })
        const existing = await api(page, '/api/v1/projects?status=existing')
        assert(existing.total > 0 && existing.total <= all.total, 'existing projects in the county')
        await page.locator('.el-table__row').first().click()
        await page.waitForURL(/\/projects\/\d+$/)
        await page.locator('[data-test=project-name]').waitFor()
        const projectId = Number(/projects\/(\d+)$/.exec(page.url())[1])
        const efficiency = await api(page, `/api/v1/projects/${projectId}/efficiency`)
        const shown = await page.locator('[data-test=project-efficiency]').innerText()
        const word = {
          advanced: '达到标杆',
          between: '介于标杆与基准',
          below_benchmark: '低于基准',
          no_level: '暂无标杆',
          no_value: '未填报能效',
          unit_mismatch: '单位',
        }[efficiency.class ?? efficiency.unclassified]
        assert(shown.includes(word), `efficiency shown as ${shown} for ${JSON.stringify(efficiency)}`)
        await page.locator('[data-test=project-accounting] [data-test=accounting-figures]').waitFor()
        await page.screenshot({ path: shot(`project-file-${label}`), fullPage: true })
      },
      { viewport },
    )
  }
}
