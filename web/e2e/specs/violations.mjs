// Violating projects (违规项目整改): the county marks a project violating on its file, the enterprise reports
// progress until it is rectified with a photo attached, the county files the closure, the city returns it, the
// county resubmits from its to-do, the city and the province approve, and the case reads 已销号 on the
// violations page and on the project's timeline. The page's counts, an overdue case's escalation form for the
// city, and the page on a phone.
import { DESKTOP, PHONE, api, apiSession, assert, env, field, login, settled, shot, test, uniqueName } from '../lib.mjs'

const chinaDay = (days) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)
const message = (page, text) => page.locator('.el-message', { hasText: text }).waitFor()

async function pick(page, select, option) {
  await page.locator(`[data-test=${select}]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

async function loaded(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 15000 })
  await settled(page, 300)
}

// A small PNG (a 2x2 image), as a phone's camera would not write but a browser accepts.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
)

async function openCase(page, id) {
  await page.goto(`${env.url}/violations?id=${id}`)
  await page.locator('[data-test=violation-drawer] [data-test=violation-facts]').waitFor()
  await loaded(page)
}

export default async function () {
  await test(
    'desktop: a project is marked violating, rectified with a photo, its closure returned, resubmitted and approved',
    async ({ open }) => {
      // A project of the demo enterprise (in the demo county) made for this test.
      const province = await apiSession('province')
      const enterprise = (await apiSession('enterprise')).user
      const own = await province.get(`/api/v1/enterprises/${enterprise.enterprise_id}`)
      const project = await province.post('/api/v1/projects', {
        enterprise_id: own.id,
        name: uniqueName('违规整改演示项目'),
        industry: own.industry,
        state: 'under_construction',
        capacity: 60,
        capacity_unit: '万吨/年',
      })
      const pages = {}
      for (const user of ['county', 'enterprise', 'city', 'province']) {
        const { page } = await open()
        await login(page, user)
        pages[user] = page
      }
      const { county, city } = pages

      // The county marks it on the project's file; the form names what is missing.
      await county.goto(`${env.url}/projects/${project.id}`)
      await county.locator('[data-test=project-violations]').waitFor()
      await loaded(county)
      await county.locator('[data-test=violation-mark-open]').click()
      const dialog = county.locator('[data-test=violation-mark-dialog]')
      await dialog.locator('[data-test=violation-mark]').waitFor()
      await settled(county)
      await dialog.locator('[data-test=violation-mark]').click()
      await dialog.locator('.el-form-item__error').first().waitFor()
      await pick(county, 'violation-mark-type', '未批先建')
      await dialog.locator('[data-test=violation-mark-disposal] label', { hasText: '停工整改' }).click()
      await field(county, 'violation-mark-measures').fill('补办节能审查和环评手续，手续办结前停止建设')
      await field(county, 'violation-mark-deadline').fill(chinaDay(45))
      await field(county, 'violation-mark-deadline').press('Enter')
      await field(county, 'violation-mark-unit').fill('县发展和改革局')
      await settled(county)
      await county.screenshot({ path: shot('violation-mark-desktop') })
      await dialog.locator('[data-test=violation-mark]').click()
      await county.locator('[data-test=project-violation]', { hasText: '未开始整改' }).waitFor()
      const cases = await api(county, `/api/v1/violations?project=${project.id}`)
      assert(cases.total === 1 && cases.items[0].disposal_type === 'stop_construction', JSON.stringify(cases))
      const id = cases.items[0].id
      await loaded(county)
      await county.screenshot({ path: shot('project-violations-desktop'), fullPage: true })

      // The enterprise reports: in progress, then done with a photo.
      const ent = pages.enterprise
      await openCase(ent, id)
      const drawer = ent.locator('[data-test=violation-drawer]')
      await drawer.locator('[data-test=violation-report-form]').waitFor()
      await field(ent, 'violation-report-note').fill('已停止建设，节能审查和环评手续正在办理')
      await drawer.locator('[data-test=violation-report]').click()
      await drawer.locator('[data-test=violation-state]', { hasText: '整改中' }).waitFor()
      await drawer.locator('[data-test=violation-report-state] label', { hasText: '整改完成' }).click()
      await field(ent, 'violation-report-note').fill('节能审查意见和环评批复已取得，整改完成')
      await drawer
        .locator('[data-test=violation-report-form] [data-test=attachment-picker] input[type=file]')
        .setInputFiles({ name: '整改现场.png', mimeType: 'image/png', buffer: PNG })
      await drawer.locator('[data-test=attachment-item]', { hasText: '整改现场.png' }).waitFor()
      await settled(ent)
      await ent.screenshot({ path: shot('violation-report-desktop') })
      await drawer.locator('[data-test=violation-report]').click()
      await drawer.locator('[data-test=violation-state]', { hasText: '整改完成' }).waitFor()
      await drawer.locator('[data-test=violation-attachments]', { hasText: '整改现场.png' }).waitFor()
      assert((await drawer.locator('[data-test=violation-close-form]').count()) === 0, 'the county files closure')

      // The county files the closure.
      await openCase(county, id)
      const cd = county.locator('[data-test=violation-drawer]')
      await cd.locator('[data-test=violation-close-form]').waitFor()
      await field(county, 'violation-close-reason').fill('经县级现场核验，手续齐全，整改到位，申请销号')
      await cd.locator('[data-test=violation-close]').click()
      await message(county, '已提请销号')
      await cd.locator('[data-test=violation-closures]', { hasText: '待市级审核' }).waitFor()
      const closure = (await api(county, `/api/v1/violations/${id}`)).closures[0]

      // The city finds it on its to-do and returns it.
      await city.goto(`${env.url}/todo?item=${closure.review_id}`)
      const td = city.locator('[data-test=todo-drawer]')
      await td.locator('[data-test=todo-closure]', { hasText: '整改到位' }).waitFor()
      await settled(city)
      await city.screenshot({ path: shot('violation-closure-todo-desktop') })
      await td.locator('[data-test=todo-return]').click()
      const returnDialog = city.locator('[data-test=todo-return-dialog]')
      await field(city, 'todo-return-reason').fill('请补充节能审查意见原件')
      await returnDialog.locator('[data-test=todo-confirm-return]').click()
      await td.locator('[data-test=todo-detail-status]', { hasText: '退回待县级修改' }).waitFor()

      // The county resubmits from its to-do.
      await county.goto(`${env.url}/todo?item=${closure.review_id}`)
      const rd = county.locator('[data-test=todo-drawer]')
      await rd.locator('[data-test=todo-resubmit-form]').waitFor()
      await field(county, 'todo-resubmit-reason').fill('已补充节能审查意见原件，申请销号')
      await rd.locator('[data-test=todo-resubmit]').click()
      await rd.locator('[data-test=todo-detail-status]', { hasText: '待市级审核' }).waitFor()

      // City and province approve; the case is closed.
      for (const [page, after] of [
        [city, '待省级审核'],
        [pages.province, '已通过'],
      ]) {
        await page.goto(`${env.url}/todo?item=${closure.review_id}`)
        const d = page.locator('[data-test=todo-drawer]')
        await d.locator('[data-test=todo-approve]').click()
        await d.locator('[data-test=todo-detail-status]', { hasText: after }).waitFor()
      }
      const closed = await api(county, `/api/v1/violations/${id}`)
      assert(closed.state === 'closed' && closed.closed_at, `closed: ${JSON.stringify(closed)}`)
      assert(
        closed.events.map((e) => e.kind).join(',') === 'mark,progress,progress,closed',
        `events ${closed.events.map((e) => e.kind)}`,
      )
      await openCase(county, id)
      await cd.locator('[data-test=violation-state]', { hasText: '已销号' }).waitFor()
      await cd.locator('[data-test=violation-events]', { hasText: '销号' }).waitFor()
      await settled(county)
      await county.screenshot({ path: shot('violation-closed-desktop') })

      // The project's timeline holds the marking, the progress, the return and the closure.
      await county.goto(`${env.url}/projects/${project.id}`)
      const events = county.locator('[data-test=timeline-event]')
      await events.first().waitFor()
      await loaded(county)
      const texts = await events.allInnerTexts()
      for (const text of ['标记违规', '报送进展', '违规项目销号', '退回']) {
        assert(
          texts.some((t) => t.includes(text)),
          `${text} on the timeline: ${JSON.stringify(texts.slice(0, 10))}`,
        )
      }
    },
    { viewport: DESKTOP },
  )

  await test(
    'desktop: the violations page counts the cases, filters the overdue ones, and the city may escalate one',
    async ({ page }) => {
      await login(page, 'city')
      await page.goto(`${env.url}/violations`)
      await page.locator('[data-test=violation-summary]').waitFor()
      await page.locator('[data-test=violation-table] .el-table__row').first().waitFor()
      await loaded(page)
      await page.screenshot({ path: shot('violations-desktop'), fullPage: true })
      await page.locator('[data-test=violation-filter-overdue]').click()
      await page.waitForURL((u) => u.searchParams.get('overdue') === 'true')
      await loaded(page)
      const overdue = await api(page, '/api/v1/violations?overdue=true&page_size=1')
      assert(overdue.total > 0, 'the demo city has an overdue case')
      const rows = page.locator('[data-test=violation-table] .el-table__row')
      assert((await rows.count()) === Math.min(20, overdue.total), `rows ${await rows.count()} of ${overdue.total}`)
      await rows.first().click()
      const drawer = page.locator('[data-test=violation-drawer]')
      await drawer.locator('[data-test=violation-escalate-form]').waitFor()
      await loaded(page)
      await page.screenshot({ path: shot('violation-escalate-desktop') })
    },
    { viewport: DESKTOP },
  )

  await test(
    'mobile: the violations page fits a phone and its drawer takes the whole width',
    async ({ page }) => {
      await login(page, 'county')
      await page.goto(`${env.url}/violations`)
      await page.locator('[data-test=violation-table] .el-table__row').first().waitFor()
      await loaded(page)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(width <= PHONE.width, `no horizontal overflow (${width})`)
      await page.screenshot({ path: shot('violations-mobile'), fullPage: true })
      await page.locator('[data-test=violation-table] .el-table__row').first().click()
      await page.locator('[data-test=violation-drawer] [data-test=violation-facts]').waitFor()
      await loaded(page)
      await page.screenshot({ path: shot('violation-drawer-mobile') })
    },
    { viewport: PHONE },
  )
}
