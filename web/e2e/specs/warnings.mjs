// Warnings (预警): the list with its filters, counts, chart and exports; a warning's detail with its
// evidence and history; acknowledging and closing (a dismissal needs a reason; a warning moved on meanwhile
// is shown as it is now); bulk acknowledging; the header's to-do count, recent warnings and preferences;
// an enterprise user's own warnings only; the thresholds the province edits; and a phone. Each test that
// changes a warning takes one of a rule no other test touches, and tests with users of their own.
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { PHONE, api, apiSession, assert, createUser, env, field, login, settled, shot, test } from '../lib.mjs'

const NEW_PASSWORD = 'Kiln@2026warn'

// A user of the test's own, its one-time password already changed (so the browser logs straight in).
async function ownUser(fields) {
  const user = await createUser(fields)
  const session = await apiSession(user.username, user.password)
  await session.post('/api/v1/me/password', { old_password: user.password, new_password: NEW_PASSWORD })
  return { ...user, password: NEW_PASSWORD }
}

// The evaluator works in the background: wait until the planted faults have become warnings.
async function waitForWarnings(rules) {
  const province = await apiSession('province')
  const deadline = Date.now() + 120000
  for (;;) {
    const summary = await province.get('/api/v1/warnings/summary?group_by=rule&status=open')
    const have = new Set(summary.groups.map((g) => g.key))
    if (rules.every((r) => have.has(r))) return province
    if (Date.now() > deadline) throw new Error(`no open warnings of ${rules.filter((r) => !have.has(r))} in time`)
    await new Promise((r) => setTimeout(r, 1000))
  }
}

async function firstOpen(province, query) {
  const page = await province.get(`/api/v1/warnings?status=open&page_size=100&${query}`)
  assert(page.items.length, `an open warning for ${query}`)
  return page.items
}

const rows = '[data-test=warning-table] .el-table__body-wrapper .el-table__row'

async function pick(page, select, option) {
  await page.locator(`[data-test=${select}]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
  await page.keyboard.press('Escape')
}

const totalOf = async (page) => Number((await page.locator('[data-test=total]').innerText()).replace(/\D/g, ''))

export default async function () {
  const province = await waitForWarnings([
    'gap',
    'flatline',
    'timestamp_drift',
    'day_completeness',
    'meter_stopped',
    'report_late',
  ])

  await test('desktop: the warnings list filters, counts by status, charts by region and exports', async ({ page }) => {
    await login(page, 'province')
    await page.locator('.el-menu-item', { hasText: '预警' }).first().click()
    await page.waitForURL((u) => u.pathname === '/warnings')
    await page.locator(rows).first().waitFor()
    const summary = await province.get('/api/v1/warnings/summary?group_by=region')
    const open = Number((await page.locator('[data-test=count-open]').innerText()).replace(/\D/g, ''))
    const all = Number((await page.locator('[data-test=count-all]').innerText()).replace(/\D/g, ''))
    assert(Math.abs(open - summary.totals.open) <= 2 && all >= open, `counts ${open}/${all} vs ${summary.totals.open}`)
    await page.waitForFunction(() => document.querySelector('[data-test=warning-chart] canvas')?.width > 0)
    const first = await page.locator(rows).first().innerText()
    assert(/严重|警告|提示/.test(first) && /待处理|已确认|已关闭/.test(first), `a row: ${first}`)
    await page.screenshot({ path: shot('warnings-desktop'), fullPage: true })

    // Rule and status: Chinese names in the rows, the filter in the URL, the server's total.
    await pick(page, 'filter-rule', '数据缺失')
    await pick(page, 'filter-status', '待处理')
    await page.locator('[data-test=search]').click()
    await page.waitForURL((u) => u.searchParams.get('rule') === 'gap' && u.searchParams.get('status') === 'open')
    const gaps = await province.get('/api/v1/warnings?rule=gap&status=open&page_size=1')
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=total]')?.innerText.includes(`共 ${n} 条`),
      gaps.total,
    )
    const texts = await page.locator(rows).allInnerTexts()
    assert(texts.length === Math.min(20, gaps.total), `rows ${texts.length} vs ${gaps.total}`)
    assert(
      texts.every((r) => r.includes('数据缺失') && r.includes('待处理')),
      `filtered rows: ${texts.slice(0, 2)}`,
    )
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-csv]').click()])
    const lines = readFileSync(await csv.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
    assert(lines.length === gaps.total + 1, `csv lines ${lines.length - 1} vs ${gaps.total}`)
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-xlsx]').click()])
    const sheet = execFileSync('unzip', ['-p', await xlsx.path(), 'xl/worksheets/sheet1.xml']).toString()
    assert((sheet.match(/<row /g) ?? []).length === gaps.total + 1, 'xlsx rows')

    // A bar of the chart filters by its region: the tallest city, clicked just above the axis. (The province's
    // own warnings — its policy and department-delivery warnings — are a bar too; it has no level above.)
    await page.goto(`${env.url}/warnings`)
    await page.waitForFunction(() => document.querySelector('[data-test=warning-chart] canvas')?.width > 0)
    await page.waitForLoadState('networkidle')
    const byRegion = (await province.get('/api/v1/warnings/summary?group_by=region')).groups
    const cityBars = byRegion.map((g, i) => ({ ...g, i })).filter((g) => !g.key.endsWith('0000'))
    const tallest = cityBars.reduce((best, g) => (g.total > best.total ? g : best), cityBars[0]).i
    const chart = await page.locator('[data-test=warning-chart]').boundingBox()
    const slot = (chart.width - 46 - 16) / byRegion.length
    const bar = { x: chart.x + 46 + (tallest + 0.5) * slot, y: chart.y + chart.height - 30 - 8 }
    await page.mouse.move(bar.x, bar.y)
    await settled(page, 300)
    await page.mouse.click(bar.x, bar.y)
    await page.waitForURL((u) => u.searchParams.get('region') === byRegion[tallest].key)
    await page.locator('[data-test=region-up]').click()
    await page.waitForURL((u) => !u.searchParams.has('region'))

    // A city's warnings by industry, from a link: the region and grouping come from the URL.
    const city = (await province.get('/api/v1/warnings/summary?group_by=region')).groups.find(
      (g) => g.key.endsWith('00') && !g.key.endsWith('0000'),
    )
    await page.goto(`${env.url}/warnings?region=${city.key}&group_by=industry`)
    await page.locator(rows).first().waitFor()
    const inCity = await province.get(`/api/v1/warnings?region=${city.key}&page_size=1`)
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=total]')?.innerText.includes(`共 ${n} 条`),
      inCity.total,
    )
    const cascader = await page.locator('[data-test=warning-filters] .el-cascader input').inputValue()
    assert(cascader.includes(city.name), `region shown: ${cascader}`)
    assert(
      (await page.locator('[data-test=group-by] .is-active').innerText()).includes('按行业'),
      'grouped by industry',
    )
    // A count card picks its status and keeps the rest of the filter.
    await page.locator('[data-test=count-open]').click()
    await page.waitForURL((u) => u.searchParams.get('status') === 'open' && u.searchParams.get('region') === city.key)
    const openInCity = await province.get(`/api/v1/warnings?region=${city.key}&status=open&page_size=1`)
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=total]')?.innerText.includes(`共 ${n} 条`),
      openInCity.total,
    )
    assert((await page.locator('[data-test=count-open].active').count()) === 1, 'the open card is picked')
    await page.screenshot({ path: shot('warnings-city-desktop'), fullPage: true })
    // The header's "all warnings", followed on this page, shows what it names: every open warning.
    await page.locator('[data-test=notification-bell]').click()
    await page.locator('[data-test=notification-all]').click()
    await page.waitForURL((u) => u.search === '?status=open')
    const allOpen = await province.get('/api/v1/warnings?status=open&page_size=1')
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=total]')?.innerText.includes(`共 ${n} 条`),
      allOpen.total,
    )
    assert(!(await page.locator('[data-test=warning-filters] .el-cascader input').inputValue()), 'no region')
  })

  await test('desktop: a warning shows its evidence, thresholds, links and history; the file and the point list it', async ({
    page,
  }) => {
    const [gap] = await firstOpen(province, 'rule=gap')
    await login(page, 'province')
    await page.goto(`${env.url}/warnings/${gap.id}`)
    await page.locator('[data-test=warning-rule]', { hasText: '数据缺失' }).waitFor()
    assert((await page.locator('[data-test=warning-message]').innerText()).includes(gap.message), 'the message')
    const missing = await page.locator('[data-test=figure-missing_samples]').innerText()
    assert(missing === `${gap.evidence.missing_samples} 个`, `missing samples: ${missing}`)
    const cited = await page.locator('[data-test=evidence-thresholds]').innerText()
    const minutes = gap.evidence.thresholds.min_minutes
    assert(
      cited.includes('最短缺失时长') &&
        cited.includes(`${minutes.value} 分钟`) &&
        cited.includes(`v${minutes.version}`),
      `thresholds: ${cited}`,
    )
    const history = await page.locator('[data-test=history-item]').allInnerTexts()
    assert(history[0].includes('产生预警') && history[0].includes('系统'), `history: ${history}`)
    assert((await page.locator('[data-test=handle-panel]').count()) === 1, 'the province may handle it')
    await page.screenshot({ path: shot('warning-detail-desktop'), fullPage: true })

    // The evidence's link opens the point's readings around the hole; the point lists its warnings.
    await page.locator('[data-test=evidence-links] a', { hasText: '读数曲线' }).click()
    await page.waitForURL((u) => u.pathname === `/points/${gap.point_id}` && u.searchParams.has('from'))
    const onPoint = page.locator('[data-test=warning-list-point] a', { hasText: gap.message })
    await onPoint.waitFor()
    await onPoint.click()
    await page.waitForURL((u) => u.pathname === `/warnings/${gap.id}`)
    // The enterprise file has a tab of its warnings, counting those not closed.
    await page.locator('[data-test=enterprise-link]').click()
    await page.waitForURL((u) => u.pathname === `/enterprises/${gap.enterprise_id}`)
    const tab = page.locator('.el-tabs__item', { hasText: /预警（\d+）/ })
    await tab.waitFor()
    await tab.click()
    await page.locator('[data-test=warning-list-enterprise] a', { hasText: gap.message }).waitFor()
    await page.screenshot({ path: shot('warning-enterprise-tab-desktop'), fullPage: true })
  })

  await test('desktop: acknowledge, then close as false with a reason; a warning moved on meanwhile is shown as it is', async ({
    page,
  }) => {
    // A flat line in a city that also has a late report (for the second half of the test).
    const lates = await firstOpen(province, 'rule=report_late')
    const flat = (await firstOpen(province, 'rule=flatline')).find((f) =>
      lates.some((l) => l.region.slice(0, 4) === f.region.slice(0, 4)),
    )
    assert(flat, 'a flat line in a city with a late report')
    const cityCode = flat.region.slice(0, 4) + '00'
    const official = await ownUser({ role: 'city', region: cityCode })
    await login(page, official.username, official.password)
    await page.goto(`${env.url}/warnings/${flat.id}`)
    await page.locator('[data-test=handle-panel]').waitFor()
    await field(page, 'handle-note').fill('已通知企业核查该传感器')
    await page.locator('[data-test=handle-submit]').click()
    await page.locator('[data-test=warning-status]', { hasText: '已确认' }).waitFor()
    let history = (await page.locator('[data-test=history-item]').allInnerTexts()).join('\n')
    assert(
      history.includes('确认') && history.includes(official.username) && history.includes('已通知企业核查'),
      history,
    )
    assert((await page.locator('[data-test=action-acknowledge]').count()) === 0, 'no acknowledging twice')

    // A dismissal without its reason: the server's answer on the field.
    await page.locator('[data-test=action-dismissed]').click()
    await page.locator('[data-test=handle-submit]').click()
    await page.locator('[data-test=handle-form] .el-form-item__error', { hasText: '标为误报须填写理由' }).waitFor()
    await page.screenshot({ path: shot('warning-dismiss-error-desktop'), fullPage: true })
    await field(page, 'handle-note').fill('传感器停机检修，读数恒定属正常')
    await page.locator('[data-test=handle-submit]').click()
    await page.locator('[data-test=warning-status]', { hasText: '已关闭（误报）' }).waitFor()
    assert((await page.locator('[data-test=handle-panel]').count()) === 0, 'nothing more to do')
    history = (await page.locator('[data-test=history-item]').allInnerTexts()).join('\n')
    assert(history.includes('关闭：误报') && history.includes('停机检修'), history)
    const closed = await province.get(`/api/v1/warnings/${flat.id}`)
    assert(
      closed.status === 'closed' && closed.closed_reason === 'dismissed' && closed.closed_by === official.username,
      JSON.stringify(closed),
    )

    // Another official acknowledges a warning this page shows as open: the page says so and shows it as it is.
    const [late] = await firstOpen(province, `rule=report_late&region=${cityCode}`)
    await page.goto(`${env.url}/warnings/${late.id}`)
    await page.locator('[data-test=warning-status]', { hasText: '待处理' }).waitFor()
    await province.post(`/api/v1/warnings/${late.id}/acknowledge`, { note: '省级已确认' })
    await page.locator('[data-test=handle-submit]').click()
    await page.locator('.el-message', { hasText: '已被他人更新' }).waitFor()
    await page.locator('[data-test=warning-status]', { hasText: '已确认' }).waitFor()
  })

  await test('desktop: several warnings are acknowledged at once from the list', async ({ page }) => {
    await login(page, 'province')
    await page.goto(`${env.url}/warnings?rule=timestamp_drift&status=open`)
    await page.locator(rows).first().waitFor()
    const before = await totalOf(page)
    assert(before >= 2, `enough to select: ${before}`)
    const ids = []
    for (const i of [0, 1]) {
      const row = page.locator(rows).nth(i)
      ids.push(Number((await row.locator('[data-test=warning-link]').getAttribute('href')).split('/').pop()))
      await row.locator('.el-checkbox').click()
    }
    await page.locator('[data-test=bulk-acknowledge]', { hasText: '（2）' }).click()
    await field(page, 'bulk-note').fill('接入端时钟已通知企业校准')
    await page.screenshot({ path: shot('warnings-bulk-desktop') })
    await page.locator('[data-test=bulk-confirm]').click()
    await page.locator('.el-message', { hasText: '已确认 2 条' }).waitFor()
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=total]')?.innerText.includes(`共 ${n} 条`),
      before - 2,
    )
    for (const id of ids) {
      const w = await province.get(`/api/v1/warnings/${id}`)
      assert(w.status === 'acknowledged' && w.note.includes('时钟'), `warning ${id}: ${w.status}`)
    }
  })

  await test('desktop: the header counts the to-do, lists the newest, marks them read and keeps preferences', async ({
    page,
  }) => {
    const [day] = await firstOpen(province, 'rule=day_completeness&severity=warning')
    const county = await ownUser({ role: 'county', region: day.region })
    const mine = await apiSession(county.username, county.password)
    await login(page, county.username, county.password)
    const badge = page.locator('[data-test=notification-count]')
    const badgeShows = async (n) =>
      page.waitForFunction(
        (want) => (document.querySelector('[data-test=notification-count]')?.innerText ?? '0') === want,
        n > 99 ? '99+' : String(n),
        { timeout: 10000 },
      )
    const first = await mine.get('/api/v1/me/notifications')
    assert(first.todo > 0 && first.unread === first.todo, `a to-do: ${JSON.stringify(first).slice(0, 200)}`)
    await badgeShows(first.todo)
    await page.locator('[data-test=notification-bell]').click()
    await page.locator('[data-test=notification-panel]').waitFor()
    const items = await page.locator('[data-test=notification-item]').count()
    assert(items === Math.min(first.todo, 8), `recent items: ${items}`)
    assert(
      (await page.locator('[data-test=notification-panel]').innerText()).includes(`待办 ${first.todo} 条`),
      'the to-do',
    )
    await settled(page)
    await page.screenshot({ path: shot('warnings-bell-desktop') })
    await page.locator('[data-test=notification-read]').click()
    await page.locator('.el-message', { hasText: '已全部标为已读' }).waitFor()
    const read = await mine.get('/api/v1/me/notifications')
    assert(read.unread === 0 && read.prefs.seen_until, `read: ${read.unread}`)

    // Acting on a warning counts again at once.
    await page.goto(`${env.url}/warnings/${day.id}`)
    await page.locator('[data-test=handle-submit]').click()
    await page.locator('[data-test=warning-status]', { hasText: '已确认' }).waitFor()
    const after = await mine.get('/api/v1/me/notifications')
    assert(after.todo < first.todo, `one less: ${after.todo} vs ${first.todo}`)
    await badgeShows(after.todo)

    // Only critical warnings from now on.
    await page.locator('[data-test=notification-bell]').click()
    await page.locator('[data-test=notification-prefs]').click()
    await page.locator('[data-test=prefs-form]').waitFor()
    await page.locator('[data-test=prefs-severity] .el-radio', { hasText: '严重' }).click()
    await page.locator('[data-test=prefs-save]').click()
    await page.locator('.el-message', { hasText: '通知设置已保存' }).waitFor()
    const critical = await mine.get('/api/v1/me/notifications')
    assert(critical.prefs.min_severity === 'critical', JSON.stringify(critical.prefs))
    if (critical.todo) await badgeShows(critical.todo)
    else await badge.waitFor({ state: 'detached' })
  })

  await test('desktop: an enterprise user sees only its own warnings and cannot handle them', async ({ page }) => {
    const [gap] = await firstOpen(province, 'rule=gap')
    const enterprise = await province.get(`/api/v1/enterprises/${gap.enterprise_id}`)
    const user = await ownUser({ role: 'enterprise', enterprise: enterprise.uscc })
    const own = await apiSession(user.username, user.password)
    await login(page, user.username, user.password)
    await page.locator('.el-menu-item', { hasText: '预警' }).click()
    await page.waitForURL((u) => u.pathname === '/warnings')
    await page.locator(rows).first().waitFor()
    const mine = await own.get('/api/v1/warnings?page_size=100')
    assert(mine.total > 0 && mine.items.every((w) => w.enterprise_id === gap.enterprise_id), 'only its own')
    assert(
      mine.items.every((w) => w.rule !== 'report_late'),
      'its meters and access-end only',
    )
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=total]')?.innerText.includes(`共 ${n} 条`),
      mine.total,
    )
    assert((await page.locator('[data-test=warning-filters] .el-cascader').count()) === 0, 'no region filter')
    assert((await page.locator('[data-test=warning-chart]').count()) === 0, 'no chart')
    assert((await page.locator('[data-test=bulk-acknowledge]').count()) === 0, 'no bulk acknowledge')
    await page.screenshot({ path: shot('warnings-enterprise-desktop'), fullPage: true })
    await page.goto(`${env.url}/warnings/${gap.id}`)
    await page.locator('[data-test=warning-evidence]').waitFor()
    assert((await page.locator('[data-test=handle-panel]').count()) === 0, 'no handling')
    await page.locator('[data-test=evidence-links] a', { hasText: '读数曲线' }).waitFor()
    // Someone else's warning is not there for it.
    const [other] = (await firstOpen(province, 'rule=report_late')).filter((w) => w.enterprise_id !== gap.enterprise_id)
    await page.goto(`${env.url}/warnings/${other.id}`)
    await page.locator('.el-alert', { hasText: '预警不存在或不在您的范围内' }).waitFor()
    const me = (await api(page, '/api/v1/me')).user
    assert(!me.permissions.includes('warning.handle'), 'no warning.handle')
  })

  await test('desktop: the province sets a new version of a threshold; others read them', async ({ page, open }) => {
    await login(page, 'province')
    await page.goto(`${env.url}/reference#warning-thresholds`)
    const row = page.locator('[data-test=threshold-table] .el-table__row', { hasText: '检定超期' })
    await row.waitFor()
    const before = (await province.get('/api/v1/warnings/thresholds')).items.filter(
      (t) => t.rule === 'calibration_overdue' && t.name === 'grace_days',
    )
    const version = Math.max(...before.map((t) => t.version))
    await page.locator('[data-test=edit-threshold-calibration_overdue-grace_days]').click()
    await field(page, 'threshold-new-value').fill('2')
    await page.locator('[data-test=threshold-save]').click()
    await page.locator('[data-test=threshold-form] .el-form-item__error', { hasText: '必填' }).waitFor()
    await settled(page)
    await page.screenshot({ path: shot('warning-threshold-error-desktop') })
    await field(page, 'threshold-source').fill('省发展改革委 2026 年第 12 号通知：检定到期后给予 2 天宽限')
    await page.locator('[data-test=threshold-save]').click()
    await page.locator('.el-message', { hasText: `已保存为第 ${version + 1} 版` }).waitFor()
    await row.locator('[data-test=threshold-value]', { hasText: '2 天' }).waitFor()
    assert((await row.innerText()).includes(`v${version + 1}`), 'the new version in force')
    const after = (await province.get('/api/v1/warnings/thresholds')).items.find(
      (t) => t.rule === 'calibration_overdue' && t.name === 'grace_days' && t.version === version + 1,
    )
    assert(
      after?.value === 2 && after.changed_by === 'province' && after.source.includes('第 12 号'),
      JSON.stringify(after),
    )
    await page.locator('[data-test=threshold-history]').click()
    await page.locator('[data-test=threshold-table] .el-table__row.old').first().waitFor()
    await page.screenshot({ path: shot('warning-thresholds-desktop'), fullPage: true })

    // A city official reads them, without editing.
    const other = await open()
    await login(other.page, 'city')
    await other.page.goto(`${env.url}/reference`)
    await other.page.locator('[data-test=threshold-table] .el-table__row', { hasText: '2 天' }).waitFor()
    assert((await other.page.locator('[data-test^=edit-threshold-]').count()) === 0, 'no editing for the city')
  })

  await test(
    'mobile: an official follows warnings on a phone: cards, the detail, acknowledging',
    async ({ page }) => {
      const [stopped] = await firstOpen(province, 'rule=meter_stopped')
      await login(page, 'province')
      await page.locator('.mobile-menu .el-menu-item', { hasText: '预警' }).click()
      await page.waitForURL((u) => u.pathname === '/warnings')
      await page.locator('[data-test=warning-card]').first().waitFor()
      assert((await page.locator('[data-test=warning-table]').count()) === 0, 'cards, not a table')
      await page.locator('[data-test=count-open]').waitFor()
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(width <= PHONE.width, `no horizontal overflow: ${width}`)
      await settled(page)
      await page.screenshot({ path: shot('warnings-mobile') })
      await page.locator('[data-test=chart-toggle]').click()
      await page.waitForFunction(() => document.querySelector('[data-test=warning-chart] canvas')?.width > 0)
      await page.screenshot({ path: shot('warnings-chart-mobile'), fullPage: true })

      await page.goto(`${env.url}/warnings?rule=meter_stopped&status=open`)
      const card = page.locator('[data-test=warning-card]', { hasText: stopped.message.slice(0, 12) }).first()
      await card.click()
      await page.waitForURL((u) => /^\/warnings\/\d+$/.test(u.pathname))
      const handle = page.locator('[data-test=handle-panel]')
      await handle.waitFor()
      const [handleTop, evidenceTop] = await Promise.all([
        handle.evaluate((e) => e.getBoundingClientRect().top),
        page.locator('[data-test=warning-evidence]').evaluate((e) => e.getBoundingClientRect().top),
      ])
      assert(handleTop < evidenceTop, 'on a phone the handling comes first')
      const detailWidth = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(detailWidth <= PHONE.width, `no horizontal overflow on the detail: ${detailWidth}`)
      await page.screenshot({ path: shot('warning-detail-mobile'), fullPage: true })
      await page.locator('[data-test=handle-submit]').click()
      await page.locator('[data-test=warning-status]', { hasText: '已确认' }).waitFor()
      await page.locator('[data-test=notification-bell]').click()
      const panel = page.locator('[data-test=notification-panel]')
      await panel.waitFor()
      const box = await panel.boundingBox()
      assert(box && box.x >= 0 && box.x + box.width <= PHONE.width, `the panel fits: ${JSON.stringify(box)}`)
      await settled(page)
      await page.screenshot({ path: shot('warnings-bell-mobile') })
    },
    { viewport: PHONE },
  )
}
