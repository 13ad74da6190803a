// Energy-efficiency upgrade plans (一企一策), after tests/api/test_27: a fresh cement enterprise in the demo
// county has one existing clinker line declared at 125 kgce/t (benchmark 117, advanced 100). The departments
// deliver its months with their signed keys: the statistics office 10 000 t of clinker a month, the power
// company the electricity that makes 125 kgce/t in the 12 baseline months and 110 kgce/t in the 4 months since
// the works were done. In the browser the enterprise files the plan from its file, the county approves it in
// its to-do, the city returns it, the enterprise corrects it and sends it again from its to-do, county, city and
// province approve, the enterprise reports progress and the completion in the plan's drawer, the county sees
// the saving measured (1 800 tce a year next to the 1 600 expected) and files the acceptance, city and province
// approve it, and the page shows the plan accepted with its measured saving. An enterprise without figures:
// its acceptance is refused, naming the missing months in Chinese. The page on a phone.
import {
  DESKTOP,
  PHONE,
  api,
  apiSession,
  assert,
  createUser,
  env,
  field,
  login,
  makeUscc,
  settled,
  shot,
  signedRequest,
  test,
  uniqueName,
} from '../lib.mjs'

const NEW_PASSWORD = 'Kiln@2026plan'
const OUTPUT_T = 10000
const KGCE_PER_KWH = 0.1229 // electricity for dual control
const kwhFor = (kgcePerT) => Math.round(((kgcePerT * OUTPUT_T) / KGCE_PER_KWH) * 10) / 10

// China-time calendar: today, and the first day of the month `months` from this one.
const chinaToday = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10)
function monthShift(date, months) {
  const [y, m] = date.split('-').map(Number)
  const index = y * 12 + m - 1 + months
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`
}
const addDays = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10)

async function loaded(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 15000 })
  await settled(page, 300)
}

const message = (page, text) => page.locator('.el-message', { hasText: text }).first().waitFor()

// A user of the test's own with its one-time password changed (it may then act at once).
async function ownUser(fields) {
  const user = await createUser(fields)
  const session = await apiSession(user.username, user.password)
  await session.post('/api/v1/me/password', { old_password: user.password, new_password: NEW_PASSWORD })
  return { username: user.username, session: await apiSession(user.username, NEW_PASSWORD) }
}

// A department's rows, signed with a key its administrator issues.
async function deliver(admin, task, rows) {
  const key = await admin.post('/api/v1/department-keys')
  const r = await signedRequest(key, 'POST', `/api/v1/collection-tasks/${task}/records`, { rows })
  assert(r.status === 200 && r.body.accepted === rows.length, `${task}: ${r.status} ${JSON.stringify(r.body)}`)
}

let serial = Date.now() % 9000000
// A cement enterprise of the demo county with one existing clinker line at `efficiency` kgce/t, and a user of it.
async function cementPlant(name, efficiency = 125) {
  const province = await apiSession('province')
  const county = (await apiSession('county')).user.region
  const enterprise = await province.post('/api/v1/enterprises', {
    uscc: makeUscc(county, serial++),
    name: uniqueName(name),
    region: county,
    industry: 'C3011',
    address: '淄川区经济开发区 27 号',
    lng: 117.97,
    lat: 36.64,
    phone: '0533-7654327',
    staff: 300,
    key_energy_unit: true,
  })
  const line = await province.post('/api/v1/projects', {
    enterprise_id: enterprise.id,
    name: uniqueName('2号熟料生产线'),
    industry: 'C3011',
    state: 'existing',
    product: '水泥熟料',
    capacity: 120,
    capacity_unit: '万吨/年',
    efficiency_value: efficiency,
    efficiency_unit: 'kgce/t',
  })
  const user = await ownUser({ role: 'enterprise', enterprise: enterprise.uscc, display_name: '能效改造填报员' })
  return { enterprise, line, user }
}

// Opens an item of the to-do as `page`'s user and waits for its drawer.
async function openItem(page, id) {
  await page.goto(`${env.url}/todo?item=${id}&scope=all`)
  const drawer = page.locator('[data-test=todo-drawer]')
  await drawer.locator('[data-test=todo-detail-status]').waitFor()
  await loaded(page)
  return drawer
}

async function approve(page, id, after) {
  const drawer = await openItem(page, id)
  await drawer.locator('[data-test=todo-approve]').click()
  await drawer.locator('[data-test=todo-detail-status]', { hasText: after }).waitFor()
}

async function openPlan(page, id) {
  await page.goto(`${env.url}/upgrade-plans?id=${id}`)
  const drawer = page.locator('[data-test=upgrade-drawer]')
  await drawer.locator('[data-test=upgrade-facts]').waitFor()
  await loaded(page)
  return drawer
}

async function pickDate(page, name, date) {
  await field(page, name).fill(date)
  await field(page, name).press('Enter')
}

export default async function () {
  await test(
    'desktop: an enterprise files its upgrade plan, it is returned, corrected, approved, done, measured and accepted',
    async ({ open }) => {
      // The months: the plan adopted five months ago, the baseline the 12 months before, the works done in its
      // first days, so that the 4 full months since have figures.
      const today = chinaToday()
      const thisMonth = monthShift(today, 0)
      const adopted = monthShift(thisMonth, -5)
      const baseline = Array.from({ length: 12 }, (_, k) => monthShift(adopted, k - 12).slice(0, 7))
      const after = Array.from({ length: 4 }, (_, k) => monthShift(thisMonth, k - 4).slice(0, 7))
      const { enterprise, line, user } = await cementPlant('能效改造演示水泥')
      await deliver(
        await apiSession('power_admin'),
        'power_monthly',
        [...baseline, ...after].map((period) => ({
          credit_code: enterprise.uscc,
          period,
          values: { electricity: kwhFor(baseline.includes(period) ? 125 : 110) },
        })),
      )
      const statistics = await ownUser({ role: 'dept_admin', department: 'statistics' })
      await deliver(
        statistics.session,
        'statistics_monthly',
        [...baseline, ...after].map((period) => ({
          credit_code: enterprise.uscc,
          period,
          values: { product: '水泥熟料', output: OUTPUT_T },
        })),
      )

      const pages = {}
      for (const [who, username, password] of [
        ['enterprise', user.username, NEW_PASSWORD],
        ['county', 'county'],
        ['city', 'city'],
        ['province', 'province'],
      ]) {
        const { page } = await open()
        await login(page, username, password)
        pages[who] = page
      }
      const { county, city, province } = pages
      const ent = pages.enterprise

      // The enterprise's file lists the line below the benchmark; it files the plan, the form first naming
      // what is missing.
      await ent.goto(`${env.url}/enterprises/${enterprise.id}?tab=upgrades`)
      const section = ent.locator('[data-test=enterprise-upgrades]')
      await section.locator('[data-test=upgrade-candidates]', { hasText: line.name }).waitFor()
      await loaded(ent)
      await ent.locator('[data-test=upgrade-file-open]').click()
      const dialog = ent.locator('[data-test=upgrade-dialog]')
      await dialog.locator('[data-test=upgrade-candidate]', { hasText: line.name }).waitFor()
      await settled(ent)
      await dialog.locator('[data-test=upgrade-submit]').click()
      await dialog.locator('.el-form-item__error', { hasText: '请填写改造措施' }).waitFor()
      await field(ent, 'upgrade-expected-saving').fill('1500')
      await field(ent, 'upgrade-expected-saving').press('Tab')
      await field(ent, 'upgrade-measures-input').fill('更换高效篦冷机，窑头窑尾余热发电改造，变频改造')
      await field(ent, 'upgrade-investment').fill('2400')
      await field(ent, 'upgrade-investment').press('Tab')
      await pickDate(ent, 'upgrade-adopted-on', adopted)
      await pickDate(ent, 'upgrade-completion-due', addDays(adopted, 200))
      await dialog.locator('[data-test=upgrade-baseline-hint]', { hasText: baseline[0] }).waitFor()
      for (const [k, [title, days]] of [
        ['完成设备招标', 60],
        ['改造完成并试运行', 150],
      ].entries()) {
        await dialog.locator('[data-test=upgrade-milestone-add]').click()
        const row = dialog.locator('[data-test=upgrade-milestone]').nth(k)
        await row.locator('input[data-test=upgrade-milestone-title]').fill(title)
        await row.locator('[data-test=upgrade-milestone-due] input').fill(addDays(adopted, days))
        await row.locator('[data-test=upgrade-milestone-due] input').press('Enter')
      }
      await settled(ent)
      await ent.screenshot({ path: shot('upgrade-file-desktop') })
      await dialog.locator('[data-test=upgrade-submit]').click()
      await message(ent, '已提交改造方案')
      await section.locator('[data-test=enterprise-upgrade-plans]', { hasText: '方案审核中' }).waitFor()
      await section.locator('[data-test=upgrade-candidates]', { hasText: '方案审核中' }).waitFor()
      await loaded(ent)
      await ent.screenshot({ path: shot('enterprise-upgrades-desktop'), fullPage: true })
      const listed = await api(ent, `/api/v1/upgrade-plans?enterprise=${enterprise.id}`)
      assert(listed.total === 1, `one plan: ${JSON.stringify(listed)}`)
      const planId = listed.items[0].id
      const filed = await api(ent, `/api/v1/upgrade-plans/${planId}`)
      assert(filed.start_month === adopted.slice(0, 7) && filed.plan.milestones.length === 2, JSON.stringify(filed))
      const reviewId = filed.reviews[0].id

      // The county approves it in its to-do, the city returns it.
      const cd = await openItem(county, reviewId)
      await cd.locator('[data-test=todo-upgrade-plan]', { hasText: '达到基准水平' }).waitFor()
      await settled(county)
      await county.screenshot({ path: shot('upgrade-plan-todo-desktop') })
      await cd.locator('[data-test=todo-approve]').click()
      await cd.locator('[data-test=todo-detail-status]', { hasText: '待市级审核' }).waitFor()
      const td = await openItem(city, reviewId)
      await td.locator('[data-test=todo-return]').click()
      await field(city, 'todo-return-reason').fill('预期节能量依据不足，请补充测算')
      await city.locator('[data-test=todo-return-dialog] [data-test=todo-confirm-return]').click()
      await td.locator('[data-test=todo-detail-status]', { hasText: '退回待企业修改' }).waitFor()

      // The enterprise corrects the plan from its to-do: the advanced level, 1 600 tce a year.
      const ed = await openItem(ent, reviewId)
      await ed.locator('[data-test=todo-resubmit-form]').waitFor()
      await ed.locator('[data-test=todo-upgrade-edit]').click()
      const edit = ent.locator('[data-test=upgrade-dialog]:visible')
      await edit.locator('[data-test=upgrade-candidate]', { hasText: line.name }).waitFor()
      await settled(ent)
      assert(
        (
          await edit
            .locator('input[data-test=upgrade-measures-input], textarea[data-test=upgrade-measures-input]')
            .inputValue()
        ).includes('篦冷机'),
        'the dialog starts from the returned plan',
      )
      await edit.locator('[data-test=upgrade-target-level] label', { hasText: '达到标杆水平' }).click()
      await edit.locator('[data-test=upgrade-expected-saving] input').fill('1600')
      await edit.locator('[data-test=upgrade-expected-saving] input').press('Tab')
      await edit.locator('textarea[data-test=upgrade-reason]').fill('已补充节能量测算')
      await settled(ent)
      await ent.screenshot({ path: shot('upgrade-resubmit-desktop') })
      await edit.locator('[data-test=upgrade-submit]').click()
      await message(ent, '已重新提交')
      await ed.locator('[data-test=todo-detail-status]', { hasText: '待县级审核' }).waitFor()
      await ed.locator('[data-test=todo-upgrade-plan]', { hasText: '达到标杆水平' }).waitFor()

      for (const [page, status] of [
        [county, '待市级审核'],
        [city, '待省级审核'],
        [province, '已通过'],
      ])
        await approve(page, reviewId, status)
      const approved = await api(ent, `/api/v1/upgrade-plans/${planId}`)
      assert(
        approved.status === 'in_progress' && approved.expected_saving_tce === 1600,
        `approved: ${approved.status} ${approved.expected_saving_tce}`,
      )

      // The enterprise reports its progress and then the works done, in the plan's drawer.
      const pd = await openPlan(ent, planId)
      await pd.locator('[data-test=upgrade-status]', { hasText: '改造实施中' }).waitFor()
      await field(ent, 'upgrade-progress-value').fill('40')
      await field(ent, 'upgrade-progress-value').press('Tab')
      await field(ent, 'upgrade-progress-note').fill('篦冷机已到货，余热发电土建完成')
      await pd.locator('[data-test=upgrade-send-progress]').click()
      await message(ent, '已报送进展')
      await pd.locator('[data-test=upgrade-events]', { hasText: '40%' }).waitFor()
      await pickDate(ent, 'upgrade-completed-on', addDays(adopted, 9))
      await field(ent, 'upgrade-completion-note').fill('改造完成，试运行正常')
      await loaded(ent)
      await ent.screenshot({ path: shot('upgrade-progress-desktop') })
      await pd.locator('[data-test=upgrade-send-completion]').click()
      await pd.locator('[data-test=upgrade-status]', { hasText: '已完工待验收' }).waitFor()
      assert((await pd.locator('[data-test=upgrade-acceptance-form]').count()) === 0, 'the county files acceptance')

      // The county sees the saving measured: 1 800 tce a year against the 1 600 expected; it files the acceptance.
      const ad = await openPlan(county, planId)
      await ad.locator('[data-test=upgrade-measured]', { hasText: '1,800' }).waitFor()
      await ad.locator('[data-test=upgrade-expected]', { hasText: '1,600' }).waitFor()
      await ad.locator('[data-test=upgrade-ready]', { hasText: '可提请验收' }).waitFor()
      const measured = (await api(county, `/api/v1/upgrade-plans/${planId}`)).measurement
      const [p] = measured.projects
      assert(
        Math.abs(measured.measured_saving_tce - 1800) < 0.5 &&
          p.baseline.with_figures === 12 &&
          p.after.with_figures === 4 &&
          Math.abs(p.baseline.kgce_per_t - 125) < 0.01 &&
          Math.abs(p.after.kgce_per_t - 110) < 0.01,
        `measured: ${JSON.stringify(measured).slice(0, 400)}`,
      )
      await ad.locator('[data-test=upgrade-month-chart] canvas').first().waitFor()
      await ad.locator('[data-test=upgrade-measured-projects]', { hasText: '125' }).waitFor()
      await ad.locator('[data-test=upgrade-measured-projects]', { hasText: '110' }).waitFor()
      await ad.locator('.el-collapse-item__header', { hasText: '逐月数据' }).click()
      await ad.locator('[data-test=upgrade-months]', { hasText: '部门数据' }).first().waitFor()
      await settled(county)
      await county.screenshot({ path: shot('upgrade-measurement-desktop') })
      await field(county, 'upgrade-acceptance-reason').fill('现场核查，改造内容与方案一致，节能量测算依据充分')
      await ad.locator('[data-test=upgrade-send-acceptance]').click()
      await message(county, '已提请验收')
      await ad.locator('[data-test=upgrade-reviews]', { hasText: '能效改造验收' }).waitFor()
      const acceptance = (await api(county, `/api/v1/upgrade-plans/${planId}`)).reviews.find(
        (r) => r.flow === 'upgrade_acceptance',
      )
      assert(acceptance?.level === 'city', `acceptance filed: ${JSON.stringify(acceptance)}`)

      // City and province approve the acceptance; the city reads it on its to-do.
      const ca = await openItem(city, acceptance.id)
      await ca.locator('[data-test=todo-upgrade-acceptance]', { hasText: '现场核查' }).waitFor()
      await ca.locator('[data-test=upgrade-measured]', { hasText: '1,800' }).waitFor()
      await settled(city)
      await city.screenshot({ path: shot('upgrade-acceptance-todo-desktop') })
      await approve(city, acceptance.id, '待省级审核')
      await approve(province, acceptance.id, '已通过')

      // The plan reads 已验收 with its measured saving on the page.
      await county.goto(`${env.url}/upgrade-plans`)
      await county.locator('[data-test=upgrade-summary]').waitFor()
      const row = county.locator('[data-test=upgrade-table] .el-table__row', { hasText: enterprise.name })
      await row.locator('[data-test=upgrade-row-status]', { hasText: '已验收' }).waitFor()
      await row.locator('[data-test=upgrade-row-measured]', { hasText: '1,800' }).waitFor()
      await county.locator('[data-test=upgrade-chart] canvas').waitFor()
      await loaded(county)
      const accepted = await api(county, `/api/v1/upgrade-plans/${planId}`)
      assert(
        accepted.status === 'accepted' &&
          Math.abs(accepted.measured_saving_tce - 1800) < 0.5 &&
          accepted.events.map((e) => e.kind).join(',') === 'filed,approved,progress,completed,accepted',
        `accepted: ${accepted.status} ${accepted.measured_saving_tce} ${accepted.events.map((e) => e.kind)}`,
      )
      const summary = await api(county, '/api/v1/upgrade-plans/summary')
      assert(summary.total.below_accepted >= 1 && summary.total.measured_saving_tce >= 1799.5, JSON.stringify(summary))
      await county.screenshot({ path: shot('upgrades-desktop'), fullPage: true })
      await row.click()
      const done = county.locator('[data-test=upgrade-drawer]')
      await done.locator('[data-test=upgrade-status]', { hasText: '已验收' }).waitFor()
      await done.locator('[data-test=upgrade-measured-saving]', { hasText: '1,800' }).waitFor()
      await loaded(county)
      await county.screenshot({ path: shot('upgrade-accepted-desktop') })

      // The enterprise's timeline holds the plan's steps, each linking to it.
      await county.goto(`${env.url}/enterprises/${enterprise.id}?tab=timeline`)
      const events = county.locator('[data-test=timeline-event]')
      await events.first().waitFor()
      await loaded(county)
      const texts = await events.allInnerTexts()
      for (const text of ['提交改造方案', '方案审核通过', '报送进展', '报告完工', '验收通过（已验收）']) {
        assert(
          texts.some((t) => t.includes('能效改造方案') && t.includes(text)),
          `${text} on the timeline: ${JSON.stringify(texts.slice(0, 12))}`,
        )
      }
    },
    { viewport: DESKTOP },
  )

  await test(
    'desktop: the acceptance of a plan without figures is refused, naming the months that lack them',
    async ({ page }) => {
      const { enterprise, line, user } = await cementPlant('无数据水泥', 130)
      const today = chinaToday()
      const adopted = monthShift(monthShift(today, 0), -5)
      const plan = await user.session.post(`/api/v1/enterprises/${enterprise.id}/upgrade-plans`, {
        projects: [{ project_id: line.id, target_level: 'benchmark', expected_saving_tce: 300 }],
        measures: '篦冷机改造',
        investment: 600,
        adopted_on: adopted,
        completion_due: addDays(adopted, 200),
      })
      for (const level of ['county', 'city', 'province'])
        await (
          await apiSession(level)
        ).post(`/api/v1/reviews/${plan.reviews[0].id}/decision`, {
          action: 'approve',
          reason: '',
        })
      await user.session.post(`/api/v1/upgrade-plans/${plan.id}/completion`, {
        completed_on: addDays(adopted, 9),
        note: '完成',
      })

      await login(page, 'county')
      const drawer = await openPlan(page, plan.id)
      await drawer.locator('[data-test=upgrade-problems]', { hasText: '无计量或报送数据' }).waitFor()
      await field(page, 'upgrade-acceptance-reason').fill('申请验收')
      await drawer.locator('[data-test=upgrade-send-acceptance]').click()
      const refused = drawer.locator('[data-test=upgrade-acceptance-refused]')
      await refused.waitFor()
      const text = await refused.innerText()
      const first = monthShift(adopted, -12).slice(0, 7)
      assert(
        text.includes(line.name) && text.includes(`基期 ${first} 至`) && text.includes('不足 3 个'),
        `the refusal in Chinese: ${text}`,
      )
      await refused.scrollIntoViewIfNeeded()
      await settled(page)
      await page.screenshot({ path: shot('upgrade-acceptance-refused-desktop') })
    },
    { viewport: DESKTOP },
  )

  await test(
    "desktop: the province sees its cities' projects and plans, drills into a city, and reads a plan under review",
    async ({ page }) => {
      await login(page, 'province')
      await page.goto(`${env.url}/upgrade-plans`)
      await page.locator('[data-test=upgrade-summary]').waitFor()
      await page.locator('[data-test=upgrade-chart] canvas').waitFor()
      await loaded(page)
      const summary = await api(page, '/api/v1/upgrade-plans/summary')
      assert(
        summary.items.length > 1 && summary.items.every((g) => g.key.length === 4),
        `the province's summary is by city: ${summary.items.map((g) => g.key)}`,
      )
      const below = await page.locator('[data-test=summary-below]').innerText()
      assert(below.replace(/,/g, '') === String(summary.total.below_benchmark), `below ${below}`)
      await page.screenshot({ path: shot('upgrades-province-desktop'), fullPage: true })

      // A city: its counties on the chart, its plans in the list, one level back up.
      const city = (await apiSession('city')).user.region
      await page.goto(`${env.url}/upgrade-plans?region=${city}`)
      await page.locator('[data-test=region-up]').waitFor()
      await page.locator('[data-test=upgrade-chart] canvas').waitFor()
      await loaded(page)
      const counties = await api(page, `/api/v1/upgrade-plans/summary?region=${city}`)
      assert(
        counties.items.every((g) => g.key.length === 6 && g.key.startsWith(city.slice(0, 4))),
        `the city's counties: ${counties.items.map((g) => g.key)}`,
      )
      const listed = await api(page, `/api/v1/upgrade-plans?region=${city}`)
      await page.locator('[data-test=upgrade-total]', { hasText: `共 ${listed.total} 个` }).waitFor()

      // A plan under review reads who decides next.
      const filed = (await api(page, '/api/v1/upgrade-plans?status=filed')).items[0]
      if (filed) {
        const drawer = await openPlan(page, filed.id)
        await drawer.locator('[data-test=upgrade-status]', { hasText: '方案审核中' }).waitFor()
        await drawer.locator('.head', { hasText: '能效改造方案' }).waitFor()
        await page.screenshot({ path: shot('upgrade-filed-desktop') })
      }
    },
    { viewport: DESKTOP },
  )

  await test(
    'mobile: the upgrade plans page fits a phone and a plan opens across the whole width',
    async ({ page }) => {
      // The city: the demo's plans in its counties and those of the tests above.
      await login(page, 'city')
      await page.goto(`${env.url}/upgrade-plans`)
      await page.locator('[data-test=upgrade-summary]').waitFor()
      await page.locator('[data-test=upgrade-table] .el-table__row').first().waitFor()
      await loaded(page)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(width <= PHONE.width, `no horizontal overflow (${width})`)
      await page.screenshot({ path: shot('upgrades-mobile'), fullPage: true })
      await page.locator('[data-test=chart-toggle]').click()
      await page.locator('[data-test=upgrade-chart] canvas').waitFor()
      await settled(page)
      await page.screenshot({ path: shot('upgrades-chart-mobile'), fullPage: true })
      await page.locator('[data-test=upgrade-table] .el-table__row').first().click()
      await page.locator('[data-test=upgrade-drawer] [data-test=upgrade-facts]').waitFor()
      await loaded(page)
      await page.screenshot({ path: shot('upgrade-drawer-mobile') })
      await page.locator('[data-test=upgrade-drawer] [data-test=upgrade-measurement]').scrollIntoViewIfNeeded()
      await settled(page)
      await page.screenshot({ path: shot('upgrade-measurement-mobile') })
    },
    { viewport: PHONE },
  )
}
