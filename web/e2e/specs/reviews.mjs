// The to-do (待办) across flows: a county proposes an enterprise's exit from the 两高 list on its file (it is
// not on the county's own to-do), the city finds it on its to-do and under the header's badge and returns it,
// the county resubmits, city and province approve, and the file shows the enterprise delisted; the to-do and
// its drawer on a desktop and a phone; no to-do for department staff. Information changes: an enterprise
// user's change of a project's capacity waits (the file says so and keeps the old value) until county, city
// and province approve it; a change of the enterprise's status is returned and sent again by editing the file.
// A list proposal carries a PDF, which the city sees and opens from the drawer.
import { DESKTOP, PHONE, api, apiSession, assert, createUser, env, field, login, settled, shot, test } from '../lib.mjs'

const rows = '[data-test=todo-table] .el-table__body-wrapper .el-table__row'

// The China-time calendar date `days` from now.
const chinaDay = (days) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)

const NEW_PASSWORD = 'Kiln@2026todo'

// A county user of the test's own (its one-time password changed) in another county of the demo city's each
// time, with `count` enterprises on the list that no review item is open for, the first of which it returns.
// The demo's own county has list and change items waiting (its to-do is not empty of its enterprises), and a
// test's proposals stay open in the county it used.
const countiesTaken = new Set()
async function countyWithListed(count = 1) {
  const province = await apiSession('province')
  const city = (await apiSession('city')).user.region.slice(0, 4)
  const enterprises = (await province.get('/api/v1/enterprises?page_size=500')).items
  const open = (await province.get('/api/v1/reviews?open=true&page_size=500')).items
  const busy = new Set(open.map((i) => i.subject.enterprise_id))
  const free = new Map()
  for (const e of enterprises) {
    if (e.list_status !== 'listed' || busy.has(e.id) || !e.region.startsWith(city) || countiesTaken.has(e.region))
      continue
    free.set(e.region, [...(free.get(e.region) ?? []), e])
  }
  const [region, listed] = [...free.entries()].find(([, es]) => es.length >= count) ?? []
  assert(region, `a county of the city with ${count} listed enterprises and nothing open`)
  countiesTaken.add(region)
  const user = await createUser({ role: 'county', region })
  const session = await apiSession(user.username, user.password)
  await session.post('/api/v1/me/password', { old_password: user.password, new_password: NEW_PASSWORD })
  return { username: user.username, password: NEW_PASSWORD, target: listed[0] }
}

// Opens a page of the to-do and waits for its list to answer.
async function openTodo(page, query = '') {
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/reviews?'))
  await page.goto(`${env.url}/todo${query}`)
  await answered
  await settled(page, 300)
}

// The page of the caller's to-do of `flow` (20 a page, as the console asks) that holds the item: the list is
// oldest due first, so a new item is at its end.
async function todoPageOf(page, flow, id) {
  for (let n = 1; n < 50; n++) {
    const got = await api(page, `/api/v1/reviews?awaiting=me&flow=${flow}&page=${n}&page_size=20`)
    if (got.items.some((i) => i.id === id)) return n
    if (n * 20 >= got.total) break
  }
  throw new Error(`item ${id} is not on the to-do`)
}

async function pick(page, select, option) {
  await page.locator(`[data-test=${select}]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

// Waits until no loading mask is left (the enterprise file reads its energy after the record).
async function loaded(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 15000 })
  await settled(page, 300)
}

// A small valid PDF (one page, one line of text) as a scanner or a word processor writes one.
function tinyPdf(text) {
  const stream = `BT /F1 18 Tf 36 72 Td (${text}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets = []
  objects.forEach((body, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

// A figure as the files show it (formatNumber: grouped, up to 6 decimals).
const figureText = (n) => n.toLocaleString('zh-CN', { maximumFractionDigits: 6 })

// Waits for a message (ElMessage) with the text.
const message = (page, text) => page.locator('.el-message', { hasText: text }).waitFor()

async function noHorizontalOverflow(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert(width <= PHONE.width, `${what}: no horizontal overflow (${width})`)
}

export default async function () {
  await test(
    'desktop: a list exit goes county → city (returned) → county (resubmitted) → city → province, and the file says 已移出',
    async ({ open }) => {
      // A county of the test's own, and an enterprise of it on the list with nothing open.
      const own = await countyWithListed()
      const target = own.target
      const pages = {}
      for (const user of ['county', 'city', 'province']) {
        const { page } = await open()
        if (user === 'county') await login(page, own.username, own.password)
        else await login(page, user)
        pages[user] = page
      }
      const { county, city, province } = pages
      const effective = chinaDay(-1)

      // The county proposes the exit from the file; an empty reason is refused on the form.
      await county.goto(`${env.url}/enterprises/${target.id}`)
      await county.locator('[data-test=list-status]', { hasText: '在清单' }).waitFor()
      await county.locator('[data-test=list-propose]', { hasText: '提请移出清单' }).click()
      const dialog = county.locator('[data-test=list-propose-dialog]')
      await dialog.locator('[data-test=list-submit]').waitFor()
      await settled(county)
      await dialog.locator('[data-test=list-submit]').click()
      await dialog.locator('.el-form-item__error', { hasText: '请填写理由' }).waitFor()
      await field(county, 'list-reason').fill('主体设备已拆除，企业于上月关停')
      await field(county, 'list-effective').fill(effective)
      await field(county, 'list-effective').press('Enter')
      await settled(county, 300)
      await county.screenshot({ path: shot('list-propose-desktop') })
      await dialog.locator('[data-test=list-submit]').click()
      await county.locator('[data-test=list-pending]', { hasText: '移出清单审核中（待市级审核）' }).waitFor()
      await settled(county)
      await county.screenshot({ path: shot('list-proposed-desktop'), fullPage: true })
      const filed = (await api(county, `/api/v1/reviews?enterprise=${target.id}&flow=list_exit&open=true`)).items
      assert(filed.length === 1 && filed[0].level === 'city', `one exit awaiting the city: ${JSON.stringify(filed)}`)
      const item = filed[0]
      assert(item.content.effective_on === effective, `effective ${item.content.effective_on} vs ${effective}`)
      // The link on the file opens the item on the to-do.
      await county.locator('[data-test=list-pending]').click()
      await county.waitForURL((u) => u.pathname === '/todo' && u.searchParams.get('item') === String(item.id))
      await county.locator('[data-test=todo-drawer] [data-test=todo-history]', { hasText: '主体设备已拆除' }).waitFor()

      // Not the county's to-do: the city decides first.
      await openTodo(county)
      const mine = await api(county, '/api/v1/reviews?awaiting=me&page_size=500')
      assert(!mine.items.some((i) => i.id === item.id), "not on the county's to-do")
      assert((await county.locator(rows, { hasText: target.name }).count()) === 0, "no row on the county's to-do")

      // The city: the header's badge counts it, the to-do lists it, the drawer shows it.
      await city.goto(env.url + '/')
      const count = city.locator('[data-test=todo-badge] [data-test=todo-count]')
      await count.waitFor()
      const shown = Number((await count.innerText()).replace(/\D/g, ''))
      const awaiting = await api(city, '/api/v1/reviews?awaiting=me&page_size=1')
      assert(shown >= 1 && awaiting.total >= 1, `badge ${shown}, to-do ${awaiting.total}`)
      await city.locator('[data-test=todo-badge]').click()
      await city.waitForURL((u) => u.pathname === '/todo')
      await pick(city, 'todo-flow', '移出清单')
      const onPage = await todoPageOf(city, 'list_exit', item.id)
      if (onPage > 1)
        await city
          .locator('.el-pager li', { hasText: String(onPage) })
          .first()
          .click()
      await city.locator(rows, { hasText: target.name }).waitFor()
      await settled(city)
      await city.screenshot({ path: shot('todo-desktop'), fullPage: true })
      await city.locator(rows, { hasText: target.name }).click()
      const drawer = city.locator('[data-test=todo-drawer]')
      await drawer.locator('[data-test=todo-content]', { hasText: '主体设备已拆除' }).waitFor()
      await drawer.locator('[data-test=todo-content]', { hasText: effective }).waitFor()
      await settled(city)
      await city.screenshot({ path: shot('todo-drawer-desktop') })

      // A return needs a reason.
      await drawer.locator('[data-test=todo-return]').click()
      const returnDialog = city.locator('[data-test=todo-return-dialog]')
      await returnDialog.locator('[data-test=todo-confirm-return]').waitFor()
      await settled(city)
      await returnDialog.locator('[data-test=todo-confirm-return]').click()
      await returnDialog.locator('.el-form-item__error', { hasText: '退回须填写原因' }).waitFor()
      await field(city, 'todo-return-reason').fill('请附拆除现场照片和关停文件')
      await settled(city)
      await city.screenshot({ path: shot('todo-return-desktop') })
      await returnDialog.locator('[data-test=todo-confirm-return]').click()
      await drawer.locator('[data-test=todo-detail-status]', { hasText: '退回待县级修改' }).waitFor()
      await drawer.locator('[data-test=todo-history]', { hasText: '请附拆除现场照片和关停文件' }).waitFor()
      assert((await drawer.locator('[data-test=todo-approve]').count()) === 0, 'nothing left for the city to decide')

      // Back on the county's to-do: it resubmits with a new reason.
      await openTodo(county, `?flow=list_exit&page=${await todoPageOf(county, 'list_exit', item.id)}`)
      await county.locator(rows, { hasText: target.name }).click()
      const countyDrawer = county.locator('[data-test=todo-drawer]')
      await countyDrawer.locator('[data-test=todo-resubmit-form]').waitFor()
      await field(county, 'todo-resubmit-reason').fill('主体设备已拆除，附关停文件和现场照片')
      await countyDrawer
        .locator('[data-test=attachment-picker] input[type=file]')
        .setInputFiles({ name: '关停文件及现场照片.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Site photos') })
      await countyDrawer.locator('[data-test=attachment-item]', { hasText: '关停文件及现场照片.pdf' }).waitFor()
      await settled(county)
      await county.screenshot({ path: shot('todo-resubmit-desktop') })
      await countyDrawer.locator('[data-test=todo-resubmit]').click()
      await countyDrawer.locator('[data-test=todo-detail-status]', { hasText: '待市级审核' }).waitFor()
      await countyDrawer.locator('[data-test=todo-versions] li').nth(1).waitFor()
      await countyDrawer
        .locator('[data-test=todo-attachments] [data-test=attachment-file]', { hasText: '第 2 版' })
        .filter({ hasText: '关停文件及现场照片.pdf' })
        .waitFor()

      // The city approves (through a link to the item), then the province.
      for (const [page, after] of [
        [city, '待省级审核'],
        [province, '已通过'],
      ]) {
        await openTodo(page, `?item=${item.id}`)
        const d = page.locator('[data-test=todo-drawer]')
        await d.locator('[data-test=todo-approve]').click()
        await d.locator('[data-test=todo-detail-status]', { hasText: after }).waitFor()
      }
      const detail = await api(province, `/api/v1/reviews/${item.id}`)
      assert(
        detail.history.map((h) => `${h.action}:${h.level}`).join(',') ===
          'file:county,return:city,resubmit:county,approve:city,approve:province',
        `history ${detail.history.map((h) => h.action)}`,
      )
      assert(detail.versions.length === 2, `two versions: ${detail.versions.length}`)
      assert(
        detail.attachments.length === 1 && detail.attachments[0].version === 2,
        `the resubmission's file: ${JSON.stringify(detail.attachments)}`,
      )
      await settled(province)
      await province.screenshot({ path: shot('todo-approved-desktop') })

      // The file says so.
      await county.goto(`${env.url}/enterprises/${target.id}`)
      await county.locator('[data-test=list-status]', { hasText: '已移出' }).waitFor()
      await county.locator('[data-test=list-status-detail]', { hasText: `${effective} 移出` }).waitFor()
      await loaded(county)
      assert(
        (await county.locator('[data-test=list-propose]', { hasText: '提请列入清单' }).count()) === 1,
        'entry next',
      )
      const record = await api(county, `/api/v1/enterprises/${target.id}`)
      assert(record.list_status === 'delisted' && record.delisted_on === effective, `record ${JSON.stringify(record)}`)
      await county.screenshot({ path: shot('list-delisted-desktop'), fullPage: true })

      // Its timeline holds every step of the exit, newest first.
      await county.getByRole('tab', { name: '办理时间线' }).click()
      const events = county.locator('[data-test=timeline-event]')
      await events.first().waitFor()
      const texts = await events.allInnerTexts()
      const steps = texts.filter((text) => text.startsWith('移出清单「'))
      assert(steps.length >= 5, `the exit's steps on the timeline: ${JSON.stringify(texts.slice(0, 8))}`)
      assert(steps[0].includes('审核通过') && steps[steps.length - 1].includes('提交'), 'newest first')
      await settled(county)
      await county.screenshot({ path: shot('enterprise-timeline-desktop'), fullPage: true })
    },
    { viewport: DESKTOP },
  )

  await test(
    'mobile: the to-do collapses to its essential columns and the drawer takes the whole width',
    async ({ page, open }) => {
      // Something on the city's to-do: a fresh exit proposal filed by a county through the API (a county with a
      // second enterprise to propose for, below).
      const own = await countyWithListed(2)
      const county = await apiSession(own.username, own.password)
      const target = own.target
      const item = await county.post(`/api/v1/enterprises/${target.id}/list-proposals`, {
        change: 'exit',
        reason: '产能置换完成，原生产线已拆除，申请移出「两高」清单',
      })

      await login(page, 'city')
      await page.locator('[data-test=todo-badge] [data-test=todo-count]').waitFor()
      await openTodo(page, `?flow=list_exit&page=${await todoPageOf(page, 'list_exit', item.id)}`)
      await page.locator(rows, { hasText: target.name }).waitFor()
      const headers = await page.locator('[data-test=todo-table] th').allInnerTexts()
      assert(headers.length === 2, `two columns on a phone: ${headers}`)
      await noHorizontalOverflow(page, 'the to-do')
      await page.screenshot({ path: shot('todo-mobile') })
      await page.locator(rows, { hasText: target.name }).click()
      const drawer = page.locator('[data-test=todo-drawer]')
      await drawer.locator('[data-test=todo-content]', { hasText: '产能置换完成' }).waitFor()
      await settled(page)
      const box = await page.locator('.el-drawer').boundingBox()
      assert(box && box.width >= PHONE.width - 1, `full-width drawer: ${JSON.stringify(box)}`)
      await page.screenshot({ path: shot('todo-drawer-mobile') })
      await drawer.locator('[data-test=todo-return]').click()
      await page.locator('[data-test=todo-return-dialog] [data-test=todo-confirm-return]').waitFor()
      await field(page, 'todo-return-reason').fill('请补充产能置换批复文件')
      await settled(page)
      await page.screenshot({ path: shot('todo-return-mobile') })
      await page.locator('[data-test=todo-return-dialog] [data-test=todo-confirm-return]').click()
      await drawer.locator('[data-test=todo-detail-status]', { hasText: '退回待县级修改' }).waitFor()
      await drawer.locator('.el-drawer__body').evaluate((el) => (el.scrollTop = el.scrollHeight))
      await settled(page)
      await page.screenshot({ path: shot('todo-drawer-history-mobile') })
      const returned = await county.get(`/api/v1/reviews/${item.id}`)
      assert(returned.status === 'returned' && returned.may.resubmit, 'returned to the county')

      // The county's phone: the returned item with its form to send it again.
      const { page: countyPage } = await open(PHONE)
      await login(countyPage, own.username, own.password)
      await countyPage.goto(`${env.url}/todo?flow=list_exit&item=${item.id}`)
      await countyPage.locator('[data-test=todo-drawer] [data-test=todo-resubmit-form]').waitFor()
      await settled(countyPage)
      await noHorizontalOverflow(countyPage, 'the resubmission form')
      await countyPage.screenshot({ path: shot('todo-resubmit-mobile') })

      // And the proposal dialog on the file of an enterprise without an open proposal, on the phone.
      const enterprises = (await county.get('/api/v1/enterprises?page_size=200')).items
      const nowOpen = (await county.get('/api/v1/reviews?open=true&page_size=500')).items
      const taken = new Set(nowOpen.filter((i) => i.flow.startsWith('list_')).map((i) => i.subject.id))
      const free = enterprises.find((e) => !taken.has(e.id))
      assert(free, 'an enterprise of the county without an open proposal')
      await countyPage.goto(`${env.url}/enterprises/${free.id}`)
      await countyPage.locator('[data-test=list-propose]').click()
      await countyPage.locator('[data-test=list-propose-dialog] [data-test=list-submit]').waitFor()
      await field(countyPage, 'list-reason').fill('拟于年底关停')
      await loaded(countyPage)
      await noHorizontalOverflow(countyPage, 'the proposal dialog')
      await countyPage.screenshot({ path: shot('list-propose-mobile') })
    },
    { viewport: PHONE },
  )

  await test(
    'desktop: department staff have no to-do, in the menu or the header',
    async ({ page }) => {
      await login(page, 'dept_admin')
      await page.locator('[data-test=current-user]').waitFor()
      await settled(page, 500)
      assert((await page.locator('[data-test=todo-badge]').count()) === 0, 'no badge')
      const menu = await page.locator('.el-menu-item').allInnerTexts()
      assert(!menu.some((m) => m.includes('待办')), `menu ${menu}`)
    },
    { viewport: DESKTOP },
  )

  await test(
    "desktop: an enterprise's capacity change waits on the project file, county → city → province approve it, and it applies",
    async ({ open }) => {
      const { page: enterprise } = await open()
      await login(enterprise, 'enterprise')
      const { page: county } = await open()
      await login(county, 'county')
      const mine = await apiSession('enterprise')
      const enterpriseId = mine.user.enterprise_id
      const projects = (await mine.get(`/api/v1/enterprises/${enterpriseId}/projects`)).items
      const openChanges = (
        await mine.get(`/api/v1/reviews?enterprise=${enterpriseId}&flow=info_change&open=true&page_size=100`)
      ).items
      const busy = new Set(openChanges.filter((i) => i.subject.kind === 'project').map((i) => i.subject.id))
      const target = projects.find((p) => !busy.has(p.id) && p.capacity !== null && p.capacity_unit)
      assert(target, 'a project of the enterprise with a capacity and no change under review')
      const before = await mine.get(`/api/v1/projects/${target.id}`)
      const capacity = Math.round((before.capacity * 1.1 + 1) * 10) / 10
      const investment = Math.round((before.investment ?? 1000) + 123)

      // The enterprise edits capacity (under review) and investment (applies at once) on the project file.
      await enterprise.goto(`${env.url}/projects/${target.id}`)
      await enterprise.locator('[data-test=project-capacity]', { hasText: figureText(before.capacity) }).waitFor()
      await loaded(enterprise)
      await enterprise.locator('[data-test=project-edit]').click()
      const dialog = enterprise.locator('[data-test=project-edit-dialog]')
      await dialog.locator('[data-test=edit-note]', { hasText: '须经县级、市级、省级审核' }).waitFor()
      await field(enterprise, 'project-edit-capacity').fill(String(capacity))
      await field(enterprise, 'project-edit-investment').fill(String(investment))
      await settled(enterprise)
      await enterprise.screenshot({ path: shot('info-change-edit-desktop') })
      await dialog.locator('[data-test=project-save]').click()
      await message(enterprise, '产能变更已提交审核（待县级审核）')
      const notice = enterprise.locator('[data-test=change-pending]')
      await notice.locator('[data-test=change-pending-title]', { hasText: '产能变更审核中（待县级审核）' }).waitFor()
      await notice.filter({ hasText: `产能：${figureText(before.capacity)} → ${figureText(capacity)}` }).waitFor()
      await loaded(enterprise)
      await enterprise.screenshot({ path: shot('info-change-notice-desktop') })
      const kept = await mine.get(`/api/v1/projects/${target.id}`)
      assert(kept.capacity === before.capacity, `capacity unchanged: ${kept.capacity} vs ${before.capacity}`)
      assert(kept.investment === investment, `investment applied at once: ${kept.investment}`)
      assert(
        (await enterprise.locator('[data-test=project-capacity]').innerText()).includes(figureText(before.capacity)),
        'the file shows the old capacity',
      )
      // While it is under review the enterprise cannot change the capacity again.
      await enterprise.locator('[data-test=project-edit]').click()
      await dialog.locator('[data-test=edit-note]', { hasText: '正在审核中' }).waitFor()
      assert(await field(enterprise, 'project-edit-capacity').isDisabled(), 'capacity locked while under review')
      await dialog.getByRole('button', { name: '取消' }).click()

      const filed = (
        await mine.get(`/api/v1/reviews?enterprise=${enterpriseId}&flow=info_change&open=true&page_size=100`)
      ).items.find((i) => i.subject.kind === 'project' && i.subject.id === target.id)
      assert(filed && filed.level === 'county', `a change awaiting the county: ${JSON.stringify(filed)}`)
      // The link on the file opens the item.
      await notice.locator('[data-test=change-pending-link]').click()
      await enterprise.waitForURL((u) => u.pathname === '/todo' && u.searchParams.get('item') === String(filed.id))
      await enterprise.locator('[data-test=todo-drawer] [data-test=todo-changes]', { hasText: '产能' }).waitFor()

      // The county: the change on its to-do, the 原值/新值 table in the drawer, approved.
      await openTodo(county, `?flow=info_change&page=${await todoPageOf(county, 'info_change', filed.id)}`)
      await county.locator(rows, { hasText: target.name }).click()
      const drawer = county.locator('[data-test=todo-drawer]')
      const table = drawer.locator('[data-test=todo-changes]')
      await table.waitFor()
      const cells = await table.locator('.el-table__body-wrapper .el-table__row').first().locator('td').allInnerTexts()
      assert(
        cells[0] === '产能' && cells[1] === figureText(before.capacity) && cells[2] === figureText(capacity),
        `the change row: ${cells}`,
      )
      const heads = await table.locator('th').allInnerTexts()
      assert(heads.join(',') === '字段,原值,新值', `the table's columns: ${heads}`)
      await drawer.locator('[data-test=todo-open-file]', { hasText: '查看项目档案' }).waitFor()
      await settled(county)
      await county.screenshot({ path: shot('todo-info-change-desktop') })
      await drawer.locator('[data-test=todo-approve]').click()
      await drawer.locator('[data-test=todo-detail-status]', { hasText: '待市级审核' }).waitFor()

      // City and province through the API; then the file shows the new capacity and nothing under review.
      for (const user of ['city', 'province']) {
        const official = await apiSession(user)
        await official.post(`/api/v1/reviews/${filed.id}/decision`, { action: 'approve' })
      }
      const done = await mine.get(`/api/v1/reviews/${filed.id}`)
      assert(done.status === 'approved', `approved: ${done.status}`)
      await enterprise.goto(`${env.url}/projects/${target.id}`)
      await enterprise.locator('[data-test=project-capacity]', { hasText: figureText(capacity) }).waitFor()
      await loaded(enterprise)
      assert((await enterprise.locator('[data-test=change-pending]').count()) === 0, 'nothing under review')
      const after = await mine.get(`/api/v1/projects/${target.id}`)
      assert(after.capacity === capacity, `capacity applied: ${after.capacity}`)
    },
    { viewport: DESKTOP },
  )

  await test(
    'desktop: a list proposal carries a PDF, which the city sees in the drawer and opens',
    async ({ open }) => {
      const own = await countyWithListed()
      const target = own.target
      const { page: county } = await open()
      await login(county, own.username, own.password)
      const { page: city } = await open()
      await login(city, 'city')

      await county.goto(`${env.url}/enterprises/${target.id}`)
      await county.locator('[data-test=list-propose]', { hasText: '提请移出清单' }).click()
      const dialog = county.locator('[data-test=list-propose-dialog]')
      await dialog.locator('[data-test=list-submit]').waitFor()
      await field(county, 'list-reason').fill('企业已整体关停，附关停通知')
      const input = dialog.locator('[data-test=attachment-picker] input[type=file]')
      // A file of a kind the server does not take: its reason, in Chinese.
      await input.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not a pdf') })
      await dialog.locator('[data-test=attachment-error]', { hasText: '文件类型不支持' }).waitFor()
      const pdf = tinyPdf('Shutdown notice')
      await input.setInputFiles({ name: '关停通知.pdf', mimeType: 'application/pdf', buffer: pdf })
      const item = dialog.locator('[data-test=attachment-item]', { hasText: '关停通知.pdf' })
      await item.waitFor()
      assert((await item.innerText()).includes(`PDF · ${pdf.length} B`), `kind and size: ${await item.innerText()}`)
      await settled(county)
      await county.screenshot({ path: shot('list-propose-attachment-desktop') })
      await dialog.locator('[data-test=list-submit]').click()
      await county.locator('[data-test=list-pending]').waitFor()
      const filed = (await api(county, `/api/v1/reviews?enterprise=${target.id}&flow=list_exit&open=true`)).items[0]
      assert(filed?.content?.attachments?.length === 1, `one attachment sent: ${JSON.stringify(filed?.content)}`)

      // The city's drawer lists it; 预览 opens the bytes for the city.
      await openTodo(city, `?item=${filed.id}`)
      const drawer = city.locator('[data-test=todo-drawer]')
      const files = drawer.locator('[data-test=todo-attachments] [data-test=attachment-file]')
      await files.filter({ hasText: '关停通知.pdf' }).waitFor()
      assert((await files.first().innerText()).includes('第 1 版'), 'the version that added it')
      const preview = files.first().locator('[data-test=attachment-preview]')
      assert((await preview.getAttribute('target')) === '_blank', 'the preview opens a new tab')
      const href = await preview.getAttribute('href')
      assert(href === `/api/v1/attachments/${filed.content.attachments[0]}`, `href ${href}`)
      const head = await city.evaluate(async (h) => (await (await fetch(h)).text()).slice(0, 8), href)
      assert(head === '%PDF-1.4', `the city reads the PDF: ${head}`)
      await settled(city)
      await city.screenshot({ path: shot('todo-attachments-desktop') })

      // And on the city's phone.
      const { page: phone } = await open(PHONE)
      await login(phone, 'city')
      await openTodo(phone, `?item=${filed.id}`)
      const phoneDrawer = phone.locator('[data-test=todo-drawer]')
      await phoneDrawer.locator('[data-test=todo-attachments]').scrollIntoViewIfNeeded()
      await settled(phone)
      await noHorizontalOverflow(phone, 'the drawer with attachments')
      await phone.screenshot({ path: shot('todo-attachments-mobile') })
    },
    { viewport: DESKTOP },
  )

  await test(
    "mobile: an enterprise's status change on its file is returned by the county and sent again by editing the file",
    async ({ page, open }) => {
      const mine = await apiSession('enterprise')
      const enterpriseId = mine.user.enterprise_id
      const record = await mine.get(`/api/v1/enterprises/${enterpriseId}`)
      const wanted = record.status === 'running' ? 'stopped' : 'running'
      const names = { running: '在产', stopped: '停产' }
      const remarks = `e2e ${Date.now().toString(36)}：厂区西侧新建光伏车棚`

      await login(page, 'enterprise')
      await page.goto(`${env.url}/enterprises/${enterpriseId}`)
      await page.locator('[data-test=enterprise-name]').waitFor()
      // The basic information the demo fills.
      await page.locator('[data-test=enterprise-type]', { hasText: record.enterprise_type }).waitFor()
      await page.locator('[data-test=business-scope]', { hasText: record.business_scope }).waitFor()
      await loaded(page)
      await page.locator('[data-test=edit]').click()
      await page.locator('[data-test=edit-form]').waitFor()
      await page.locator('[data-test=edit-status]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: names[wanted] }).click()
      await field(page, 'edit-remarks').fill(remarks)
      await field(page, 'edit-legal_representative_phone').fill('0533-6901128')
      await settled(page)
      await page.screenshot({ path: shot('info-change-edit-mobile') })
      await page.locator('[data-test=save]').click()
      await message(page, '状态变更已提交审核（待县级审核）')
      await page.locator('[data-test=change-pending-title]', { hasText: '状态变更审核中（待县级审核）' }).waitFor()
      await page.locator('[data-test=remarks]', { hasText: remarks }).waitFor()
      await loaded(page)
      await noHorizontalOverflow(page, 'the file with a change under review')
      await page.screenshot({ path: shot('info-change-notice-mobile') })
      const kept = await mine.get(`/api/v1/enterprises/${enterpriseId}`)
      assert(kept.status === record.status, `status unchanged: ${kept.status}`)
      assert(kept.remarks === remarks && kept.legal_representative_phone === '0533-6901128', 'the rest applied')
      const filed = (
        await mine.get(`/api/v1/reviews?enterprise=${enterpriseId}&flow=info_change&open=true&page_size=100`)
      ).items.find((i) => i.subject.kind === 'enterprise' && i.subject.id === enterpriseId)
      assert(filed?.level === 'county', `awaiting the county: ${JSON.stringify(filed)}`)

      // The county's phone: 字段/原值/新值, returned with a reason.
      const { page: county } = await open(PHONE)
      await login(county, 'county')
      await openTodo(county, `?flow=info_change&item=${filed.id}`)
      const drawer = county.locator('[data-test=todo-drawer]')
      const table = drawer.locator('[data-test=todo-changes]')
      await table.waitFor()
      const cells = await table.locator('.el-table__body-wrapper td').allInnerTexts()
      assert(cells.join(',') === `状态,${names[record.status]},${names[wanted]}`, `the change: ${cells}`)
      await settled(county)
      await noHorizontalOverflow(county, 'the drawer of a change')
      await county.screenshot({ path: shot('todo-info-change-mobile') })
      await drawer.locator('[data-test=todo-return]').click()
      await field(county, 'todo-return-reason').fill('请附停产（复产）的证明材料')
      await county.locator('[data-test=todo-return-dialog] [data-test=todo-confirm-return]').click()
      await drawer.locator('[data-test=todo-detail-status]', { hasText: '退回待企业修改' }).waitFor()

      // The enterprise: its to-do says to edit the file again, with no resubmission form.
      await openTodo(page, `?item=${filed.id}`)
      const own = page.locator('[data-test=todo-drawer]')
      await own.locator('[data-test=todo-edit-in-file]', { hasText: '请在档案中修改后重新提交' }).waitFor()
      assert((await own.locator('[data-test=todo-resubmit-form]').count()) === 0, 'no resubmission form')
      await settled(page)
      await page.screenshot({ path: shot('todo-info-change-returned-mobile') })
      await own.locator('[data-test=todo-open-file]', { hasText: '前往档案修改' }).click()
      await page.waitForURL((u) => u.pathname === `/enterprises/${enterpriseId}`)
      await page.locator('[data-test=change-pending][data-status=returned]').waitFor()
      // Editing the status again sends it again, as its next version.
      await page.locator('[data-test=edit]').click()
      await page.locator('[data-test=edit-status]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: names[wanted] }).click()
      await page.locator('[data-test=save]').click()
      await message(page, '状态变更已提交审核（待县级审核）')
      await page.locator('[data-test=change-pending][data-status=submitted]').waitFor()
      const again = await mine.get(`/api/v1/reviews/${filed.id}`)
      assert(
        again.status === 'submitted' && again.version === 2,
        `resubmitted as v2: ${again.status} v${again.version}`,
      )
    },
    { viewport: PHONE },
  )
}
