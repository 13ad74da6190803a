// Inspections (督导检查), after tests/api/test_29: the province plans a special inspection with two teams in the
// browser, assigns the demo enterprise with a reason (定向检查) and draws three more at random; the county
// records the visit with two findings and a photo; the enterprise reports one finding rectified with a photo
// from its own file; the county reopens it, the enterprise rectifies it again, the city verifies it; the
// province deducts the enterprise's energy indicator for that finding; the plan counts one enterprise visited
// and one finding still open, the deductions tab lists the deduction, the enterprise's timeline has the steps.
// The page on a phone.
import { crc32, deflateSync } from 'node:zlib'
import { DESKTOP, PHONE, api, apiSession, assert, env, field, login, settled, shot, test, uniqueName } from '../lib.mjs'

const chinaDay = (days) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)
const message = (page, text) => page.locator('.el-message', { hasText: text }).first().waitFor()

// A small PNG of one colour (24x24): the server stores the same bytes once, so each photo has its own colour.
function png(r, g, b) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const size = 24
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

async function loaded(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 15000 })
  await settled(page, 300)
}

// Picks `option` of the select `select` (a locator).
async function pick(page, select, option) {
  await select.click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

async function openTask(page, id) {
  await page.goto(`${env.url}/inspections?task=${id}`)
  const drawer = page.locator('[data-test=inspection-task-drawer]')
  await drawer.locator('[data-test=inspection-task-facts]').waitFor()
  await loaded(page)
  return drawer
}

const finding = (drawer, n) => drawer.locator('[data-test=inspection-finding]').nth(n)

export default async function () {
  await test(
    'desktop: a plan with two teams, a targeted and three random tasks, a visit with findings, a reopened and verified rectification, a deduction',
    async ({ open }) => {
      const province = await apiSession('province')
      const enterpriseId = (await apiSession('enterprise')).user.enterprise_id
      const own = await province.get(`/api/v1/enterprises/${enterpriseId}`)
      const pages = {}
      for (const user of ['province', 'county', 'enterprise', 'city']) {
        const { page } = await open()
        await login(page, user)
        pages[user] = page
      }
      const { county, city } = pages
      const prov = pages.province
      const ent = pages.enterprise

      // The province plans it: the empty form names what is missing, then two teams.
      await prov.goto(`${env.url}/inspections`)
      await prov.locator('[data-test=inspection-plan-table] .el-table__row').first().waitFor()
      await loaded(prov)
      await prov.locator('[data-test=inspection-plan-create]').click()
      const dialog = prov.locator('[data-test=inspection-plan-dialog]')
      await dialog.locator('[data-test=inspection-plan-submit]').waitFor()
      await settled(prov)
      await dialog.locator('[data-test=inspection-plan-submit]').click()
      await dialog.locator('.el-form-item__error').first().waitFor()
      await dialog.locator('[data-test=inspection-plan-kind] label', { hasText: '专项督查' }).click()
      const title = uniqueName('计量器具专项督查')
      await field(prov, 'inspection-plan-title').fill(title)
      const range = dialog.locator('[data-test=inspection-plan-period] input')
      await range.nth(0).fill(chinaDay(-1))
      await range.nth(1).fill(chinaDay(30))
      await range.nth(1).press('Enter')
      await field(prov, 'inspection-plan-focus').fill('重点用能单位计量器具配备、检定情况和能耗数据真实性')
      const teams = dialog.locator('[data-test=inspection-team-row]')
      const team = async (n, name, leader, members) => {
        await teams.nth(n).locator('input[data-test=inspection-team-name]').fill(name)
        await teams.nth(n).locator('input[data-test=inspection-team-leader]').fill(leader)
        await teams.nth(n).locator('input[data-test=inspection-team-members]').fill(members)
      }
      await team(0, '第一督查组', '张组长', '省发展改革委、省市场监管局')
      await dialog.locator('[data-test=inspection-add-team]').click()
      await team(1, '第二督查组', '李组长', '省工业和信息化厅、省统计局')
      await settled(prov)
      await prov.screenshot({ path: shot('inspection-plan-dialog-desktop') })
      await dialog.locator('[data-test=inspection-plan-submit]').click()
      await message(prov, '检查计划已建立')
      const drawer = prov.locator('[data-test=inspection-plan-drawer]')
      await drawer.locator('[data-test=inspection-teams]', { hasText: '第二督查组' }).waitFor()
      await prov.waitForURL((u) => !!u.searchParams.get('plan'))
      const planId = Number(new URL(prov.url()).searchParams.get('plan'))
      const plan = await api(prov, `/api/v1/inspection-plans/${planId}`)
      assert(plan.title === title && plan.kind === 'special' && plan.teams.length === 2, JSON.stringify(plan))

      // 定向检查 of the demo enterprise, with a reason; then three drawn at random.
      await drawer.locator('[data-test=inspection-targeted-form]').waitFor()
      await loaded(prov)
      await drawer.locator('[data-test=inspection-targeted-enterprise] .el-select').click()
      await field(prov, 'inspection-targeted-enterprise').fill(own.name)
      await prov.locator('.el-select-dropdown__item:visible', { hasText: own.name }).first().click()
      await field(prov, 'inspection-targeted-reason').fill('平台监测发现用电量与产量背离')
      await drawer.locator('[data-test=inspection-assign]').click()
      await message(prov, '已列入检查 1 家企业')
      await drawer.locator('[data-test=inspection-plan-tasks] .el-table__row', { hasText: own.name }).waitFor()
      await field(prov, 'inspection-sample').fill('3')
      await field(prov, 'inspection-sample').press('Tab')
      await drawer.locator('[data-test=inspection-draw]').click()
      await message(prov, '已列入检查 3 家企业')
      await prov.waitForFunction(
        () => document.querySelectorAll('[data-test=inspection-plan-tasks] .el-table__row').length === 4,
      )
      const tasks = (await api(prov, `/api/v1/inspection-tasks?plan=${planId}`)).items
      assert(
        tasks.length === 4 && tasks.filter((x) => x.selection === 'random').length === 3,
        `tasks ${JSON.stringify(tasks.map((x) => [x.enterprise.name, x.selection]))}`,
      )
      const task = tasks.find((x) => x.enterprise.id === enterpriseId)
      assert(task?.selection === 'targeted' && task.reason === '平台监测发现用电量与产量背离', JSON.stringify(task))
      await loaded(prov)
      await prov.screenshot({ path: shot('inspection-plan-drawer-desktop') })

      // The county records the visit: two findings, a photo of the first.
      const cd = await openTask(county, task.id)
      await cd.locator('[data-test=inspection-visit-form]').waitFor()
      await field(county, 'inspection-visit-summary').fill('现场核查计量器具配备和能源台账，抽查月报数据')
      for (const [n, f] of [
        ['0', ['计量器具配备使用', '严重', '总进线电能表检定过期', '30 日内完成检定并上传证书', chinaDay(30)]],
        ['1', ['信息填报', '一般', '月报产量与台账不一致', '更正月报并说明原因', chinaDay(15)]],
      ]) {
        await cd.locator('[data-test=inspection-add-finding]').click()
        const row = cd.locator('[data-test=inspection-finding-row]').nth(Number(n))
        await pick(county, row.locator('[data-test=inspection-finding-category]'), f[0])
        await row.locator('[data-test=inspection-finding-severity] label', { hasText: f[1] }).click()
        await row.locator('textarea[data-test=inspection-finding-description]').fill(f[2])
        await row.locator('textarea[data-test=inspection-finding-requirement]').fill(f[3])
        await row.locator('[data-test=inspection-finding-deadline] input').fill(f[4])
        await row.locator('[data-test=inspection-finding-deadline] input').press('Enter')
      }
      await cd
        .locator('[data-test=inspection-finding-row]')
        .nth(0)
        .locator('[data-test=attachment-picker] input[type=file]')
        .setInputFiles({ name: '电能表铭牌.png', mimeType: 'image/png', buffer: png(230, 81, 0) })
      await cd.locator('[data-test=attachment-item]', { hasText: '电能表铭牌.png' }).waitFor()
      await settled(county)
      await county.screenshot({ path: shot('inspection-visit-desktop') })
      await cd.locator('[data-test=inspection-record-visit]').click()
      await cd.locator('[data-test=inspection-task-status]', { hasText: '已检查' }).waitFor()
      await cd.locator('[data-test=inspection-finding]').nth(1).waitFor()
      await finding(cd, 0).locator('[data-test=inspection-photo] img').waitFor()
      assert(
        (await cd.locator('[data-test=inspection-rectify-form]').count()) === 2,
        'the county may report rectification too',
      )

      // The enterprise, from its file: the first finding rectified with a photo.
      await ent.goto(`${env.url}/enterprises/${enterpriseId}?tab=inspections`)
      const row = ent.locator('[data-test=enterprise-inspections] .el-table__row', { hasText: title })
      await row.waitFor()
      await loaded(ent)
      await row.click()
      const ed = ent.locator('[data-test=inspection-task-drawer]')
      await finding(ed, 0).locator('[data-test=inspection-rectify-form]').waitFor()
      await loaded(ent)
      assert((await ed.locator('[data-test=inspection-verify-form]').count()) === 0, 'the enterprise does not verify')
      const rectify = async (note, photo) => {
        await finding(ed, 0).locator('textarea[data-test=inspection-rectify-note]').fill(note)
        await finding(ed, 0)
          .locator('[data-test=attachment-picker] input[type=file]')
          .setInputFiles({
            name: photo,
            mimeType: 'image/png',
            buffer: png(...(photo.includes('重新') ? [46, 125, 50] : [25, 118, 210])),
          })
        await finding(ed, 0).locator('[data-test=attachment-item]', { hasText: photo }).waitFor()
        await finding(ed, 0).locator('[data-test=inspection-rectify]').click()
        await finding(ed, 0).locator('[data-test=inspection-finding-state]', { hasText: '已整改待核查' }).waitFor()
      }
      await rectify('已完成电能表检定，证书见附件', '检定证书.png')
      await loaded(ent)
      await ent.screenshot({ path: shot('inspection-rectified-enterprise-desktop') })

      // The county reopens it; the enterprise rectifies again; the city verifies it.
      const check = async (page, action, note, after) => {
        const d = await openTask(page, task.id)
        await finding(d, 0).locator('[data-test=inspection-verify-form]').waitFor()
        await finding(d, 0).locator('textarea[data-test=inspection-verify-note]').fill(note)
        await finding(d, 0).locator(`[data-test=inspection-${action}]`).click()
        await finding(d, 0).locator('[data-test=inspection-finding-state]', { hasText: after }).waitFor()
        return d
      }
      await check(county, 'reopen', '证书日期与现场铭牌不符', '待整改')
      await ent.reload()
      await finding(ed, 0).locator('[data-test=inspection-rectify-form]').waitFor()
      await loaded(ent)
      await rectify('重新检定，证书与铭牌一致', '重新检定证书.png')
      const vd = await check(city, 'accept', '复核证书与现场一致，销号', '已核查销号')
      const kinds = (await api(city, `/api/v1/inspection-tasks/${task.id}`)).findings[0].events.map((e) => e.kind)
      assert(kinds.join(',') === 'recorded,rectified,reopened,rectified,verified', `events ${kinds}`)
      await finding(vd, 0).locator('[data-test=inspection-finding-events]', { hasText: '要求重新整改' }).waitFor()
      await loaded(city)
      await finding(vd, 0).evaluate((e) => e.scrollIntoView())
      await city.screenshot({ path: shot('inspection-verified-desktop') })

      // The province deducts the enterprise's energy indicator for the finding.
      await prov.goto(`${env.url}/inspections?plan=${planId}`)
      await drawer.locator('[data-test=inspection-deduct-form]').waitFor()
      await loaded(prov)
      await drawer.locator('[data-test=inspection-deduct]').click()
      await drawer.locator('[data-test=inspection-deduct-form] .el-form-item__error').first().waitFor()
      await field(prov, 'inspection-deduct-amount').fill('3000')
      await field(prov, 'inspection-deduct-amount').press('Tab')
      await pick(prov, drawer.locator('[data-test=inspection-deduct-enterprise]'), own.name)
      await pick(prov, drawer.locator('[data-test=inspection-deduct-finding]'), '总进线电能表检定过期')
      await field(prov, 'inspection-deduct-reason').fill('计量器具长期未检定，能耗数据不实')
      await drawer.locator('[data-test=inspection-deduct]').click()
      await message(prov, '已决定指标扣减')
      await drawer.locator('[data-test=inspection-plan-deductions] .el-table__row', { hasText: own.name }).waitFor()
      const decided = (await api(prov, `/api/v1/inspection-plans/${planId}`)).deductions
      assert(
        decided.length === 1 &&
          decided[0].indicator === 'energy' &&
          decided[0].amount === 3000 &&
          decided[0].enterprise.id === enterpriseId &&
          decided[0].finding_id === (await api(prov, `/api/v1/inspection-tasks/${task.id}`)).findings[0].id,
        JSON.stringify(decided),
      )
      for (const [name, value] of [
        ['plan-visited', '1'],
        ['plan-findings', '2'],
        ['plan-open-findings', '1'],
      ]) {
        const text = (await drawer.locator(`[data-test=${name}]`).innerText()).trim()
        assert(text === value, `${name}: ${text}`)
      }
      await loaded(prov)
      await prov.screenshot({ path: shot('inspection-deduction-desktop') })

      // The list counts the plan; the deductions tab lists the deduction.
      await prov.goto(`${env.url}/inspections`)
      const planRow = prov.locator('[data-test=inspection-plan-table] .el-table__row', { hasText: title })
      await planRow.waitFor()
      await loaded(prov)
      assert(
        (await planRow.locator('[data-test=plan-row-visited]').innerText()).trim() === '1 / 4' &&
          (await planRow.locator('[data-test=plan-row-findings]').innerText()).trim() === '1 / 2',
        `row: ${await planRow.innerText()}`,
      )
      await prov.screenshot({ path: shot('inspections-desktop'), fullPage: true })
      await prov.locator('[data-test=inspection-tabs] .el-tabs__item', { hasText: '指标扣减' }).click()
      await prov.locator('[data-test=inspection-deduction-table] .el-table__row', { hasText: own.name }).waitFor()
      await prov.waitForURL((u) => u.searchParams.get('tab') === 'deductions')
      await loaded(prov)
      await prov.screenshot({ path: shot('inspection-deductions-desktop'), fullPage: true })

      // The enterprise's timeline holds the assignment, the visit and the finding's steps, linking to the task.
      await ent.goto(`${env.url}/enterprises/${enterpriseId}?tab=timeline`)
      const events = ent.locator('[data-test=timeline-event]')
      await events.first().waitFor()
      await loaded(ent)
      const texts = (await events.allInnerTexts()).filter((x) => x.includes(title))
      for (const text of ['列入检查', '现场检查', '发现问题', '要求重新整改', '核查销号']) {
        assert(
          texts.some((x) => x.includes(text)),
          `${text} on the timeline: ${JSON.stringify(texts)}`,
        )
      }

      // The enterprise's own page of inspections: its tasks, the plan among them.
      await ent.goto(`${env.url}/inspections`)
      await ent.locator('[data-test=inspection-task-table] .el-table__row', { hasText: title }).waitFor()
      await loaded(ent)
      await ent.screenshot({ path: shot('inspections-enterprise-desktop') })
    },
    { viewport: DESKTOP },
  )

  await test(
    'mobile: the inspections page fits a phone and a plan opens over the whole width',
    async ({ page }) => {
      await login(page, 'city')
      await page.goto(`${env.url}/inspections`)
      await page.locator('[data-test=inspection-plan-table] .el-table__row').first().waitFor()
      await loaded(page)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(width <= PHONE.width, `no horizontal overflow (${width})`)
      await page.screenshot({ path: shot('inspections-mobile'), fullPage: true })
      await page.locator('[data-test=inspection-plan-table] .el-table__row').first().click()
      await page.locator('[data-test=inspection-plan-drawer] [data-test=inspection-plan-counts]').waitFor()
      await loaded(page)
      await page.screenshot({ path: shot('inspection-plan-mobile') })
      // A visited task opens over the plan.
      await page.locator('[data-test=inspection-plan-tasks] .el-table__row', { hasText: '已检查' }).first().click()
      await page.locator('[data-test=inspection-task-drawer] [data-test=inspection-task-facts]').waitFor()
      await loaded(page)
      await page.screenshot({ path: shot('inspection-task-mobile') })
    },
    { viewport: PHONE },
  )
}
