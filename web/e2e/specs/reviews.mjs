// The to-do (待办) across flows: a county proposes an enterprise's exit from the 两高 list on its file (it is
// not on the county's own to-do), the city finds it on its to-do and under the header's badge and returns it,
// the county resubmits, city and province approve, and the file shows the enterprise delisted; the to-do and
// its drawer on a desktop and a phone; no to-do for department staff.
import { DESKTOP, PHONE, api, apiSession, assert, env, field, login, settled, shot, test } from '../lib.mjs'

const rows = '[data-test=todo-table] .el-table__body-wrapper .el-table__row'

// The China-time calendar date `days` from now.
const chinaDay = (days) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)

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

async function noHorizontalOverflow(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert(width <= PHONE.width, `${what}: no horizontal overflow (${width})`)
}

export default async function () {
  await test(
    'desktop: a list exit goes county → city (returned) → county (resubmitted) → city → province, and the file says 已移出',
    async ({ open }) => {
      const pages = {}
      for (const user of ['county', 'city', 'province']) {
        const { page } = await open()
        await login(page, user)
        pages[user] = page
      }
      const { county, city, province } = pages

      // An enterprise of the county on the list with no proposal open; the last, away from the demo's own.
      const listed = (await api(county, '/api/v1/enterprises?page_size=200')).items.filter(
        (e) => e.list_status === 'listed',
      )
      const openItems = (await api(county, '/api/v1/reviews?open=true&page_size=500')).items
      const busy = new Set(openItems.filter((i) => i.flow.startsWith('list_')).map((i) => i.subject.id))
      const target = listed.filter((e) => !busy.has(e.id)).at(-1)
      assert(target, 'a listed enterprise of the county')
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
      await settled(county)
      await county.screenshot({ path: shot('todo-resubmit-desktop') })
      await countyDrawer.locator('[data-test=todo-resubmit]').click()
      await countyDrawer.locator('[data-test=todo-detail-status]', { hasText: '待市级审核' }).waitFor()
      await countyDrawer.locator('[data-test=todo-versions] li').nth(1).waitFor()

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
    },
    { viewport: DESKTOP },
  )

  await test(
    'mobile: the to-do collapses to its essential columns and the drawer takes the whole width',
    async ({ page, open }) => {
      // Something on the city's to-do: a fresh exit proposal filed by the county through the API.
      const county = await apiSession('county')
      const listed = (await county.get('/api/v1/enterprises?page_size=200')).items.filter(
        (e) => e.list_status === 'listed',
      )
      const openItems = (await county.get('/api/v1/reviews?open=true&page_size=500')).items
      const busy = new Set(openItems.filter((i) => i.flow.startsWith('list_')).map((i) => i.subject.id))
      const target = listed.filter((e) => !busy.has(e.id)).at(-1)
      assert(target, 'a listed enterprise of the county')
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
      await login(countyPage, 'county')
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
}
