// The project list and the project file with its efficiency class and accounting; a county adds a process unit
// to be eliminated and the project's class follows it, its approval documents on the file.
import {
  DESKTOP,
  api,
  apiSession,
  assert,
  env,
  field,
  login,
  settled,
  shot,
  test,
  uniqueName,
  viewports,
} from '../lib.mjs'

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

  await test(
    'desktop: a county adds a unit to be eliminated and the project is classed 淘汰类',
    async ({ page }) => {
      const province = await apiSession('province')
      const enterprise = (await apiSession('enterprise')).user
      const own = await province.get(`/api/v1/enterprises/${enterprise.enterprise_id}`)
      const project = await province.post('/api/v1/projects', {
        enterprise_id: own.id,
        name: uniqueName('装置演示项目'),
        industry: own.industry,
        equipment_category: 'allowed',
        approval_kind: 'filing',
        approval_no: '2024-371403-30-03-654321',
        approved_on: '2024-05-20',
        eia_no: '鲁环审〔2024〕66号',
        eia_on: '2024-08-01',
      })
      await login(page, 'county')
      await page.goto(`${env.url}/projects/${project.id}`)
      await page.locator('[data-test=project-documents]', { hasText: '2024-371403-30-03-654321' }).waitFor()
      await page.locator('[data-test=project-equipment]').waitFor()
      await page.locator('[data-test=equipment-add]').click()
      const dialog = page.locator('[data-test=equipment-dialog]')
      await field(page, 'equipment-name').fill('4.3米焦炉')
      await page.locator('[data-test=equipment-category]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '淘汰类' }).click()
      await dialog.locator('[data-test=equipment-save]').click()
      await dialog.locator('.el-form-item__error', { hasText: '淘汰期限' }).waitFor()
      await field(page, 'equipment-deadline').fill('2027-12-31')
      await field(page, 'equipment-deadline').press('Enter')
      await settled(page)
      await page.screenshot({ path: shot('equipment-add-desktop') })
      await dialog.locator('[data-test=equipment-save]').click()
      await page.locator('[data-test=project-equipment]', { hasText: '2027-12-31 前淘汰' }).waitFor()
      await page.locator('.title-row .el-tag', { hasText: '淘汰类' }).waitFor()
      const saved = await api(page, `/api/v1/projects/${project.id}`)
      assert(saved.equipment_category === 'eliminated', `class ${saved.equipment_category}`)
      await settled(page)
      await page.screenshot({ path: shot('project-equipment-desktop'), fullPage: true })
    },
    { viewport: DESKTOP },
  )

  await test(
    'desktop: an enterprise declares a new project, the county returns it, the enterprise resubmits from its to-do',
    async ({ open }) => {
      const name = uniqueName('申报演示项目')
      const { page } = await open()
      await login(page, 'enterprise')
      const me = await api(page, '/api/v1/me')
      await page.goto(`${env.url}/enterprises/${me.enterprise_id}`)
      await page.getByRole('tab', { name: '项目' }).first().click()
      await page.locator('[data-test=declare-open]').click()
      const dialog = page.locator('[data-test=declare-dialog]')
      await dialog.locator('[data-test=declare-submit]').waitFor()
      await settled(page)
      await dialog.locator('[data-test=declare-submit]').click()
      await dialog.locator('.el-form-item__error', { hasText: '请填写项目名称' }).waitFor()
      await field(page, 'declare-name').fill(name)
      await field(page, 'declare-capacity').fill('30')
      await field(page, 'declare-reason').fill('新建年产 30 万吨项目，已取得备案')
      await settled(page)
      await page.screenshot({ path: shot('declare-new-desktop') })
      await dialog.locator('[data-test=declare-submit]').click()
      await dialog.locator('.el-form-item__error', { hasText: '必填' }).waitFor()
      await dialog.locator('input[placeholder=单位]').fill('万吨/年')
      await dialog.locator('[data-test=declare-submit]').click()
      await page.locator('.el-message', { hasText: '已提交' }).waitFor()
      const filed = (await api(page, '/api/v1/reviews?flow=project_declaration&open=true&page_size=500')).items.find(
        (i) => i.subject.label === name,
      )
      assert(filed && filed.level === 'county', `filed for the county: ${JSON.stringify(filed)}`)

      const county = await apiSession('county')
      await county.post(`/api/v1/reviews/${filed.id}/decision`, { action: 'return', reason: '请补充备案文号' })
      await page.goto(`${env.url}/todo?item=${filed.id}`)
      const drawer = page.locator('[data-test=todo-drawer]')
      await drawer.locator('[data-test=todo-declaration]', { hasText: name }).waitFor()
      await field(page, 'todo-resubmit-reason').fill('已补充备案文号')
      await settled(page)
      await page.screenshot({ path: shot('declare-resubmit-desktop') })
      await drawer.locator('[data-test=todo-resubmit]').click()
      await drawer.locator('[data-test=todo-detail-status]', { hasText: '待县级审核' }).waitFor()
      const item = await api(page, `/api/v1/reviews/${filed.id}`)
      assert(item.version === 2 && item.content.project.name === name, `resubmitted: ${JSON.stringify(item.content)}`)
    },
    { viewport: DESKTOP },
  )
}
