// Browser tests: the real kiln binary with a small demo province, the built
// console, Debian's Chromium driven by playwright-core. Takes a screenshot of
// every page at 1440x900 and 390x844 (var/screenshots/) and prints figures:
// JS+CSS bytes transferred (gzip) for the login page and the workbench, and
// time to the first chart on the workbench.
//   KILN_BIN       the kiln binary (default ../build/kiln)
//   KILN_E2E_ONLY  run only the tests whose name matches this regular expression
import { chromium } from 'playwright-core'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..', '..')
const kilnBin = process.env.KILN_BIN ?? join(root, 'build', 'kiln')
const shots = join(root, 'var', 'screenshots')
mkdirSync(shots, { recursive: true })
const work = mkdtempSync(join(tmpdir(), 'kiln-e2e-'))
writeFileSync(join(work, 'kiln.toml'), '[security]\npbkdf2_iterations = 1000\n')
const PASSWORD = 'Kiln@2026demo'

let passed = 0
let failed = 0
const figures = {}

// A valid GB 32100 credit code registered in `region`.
function makeUscc(region, serial) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const first17 = '91' + region + 'MA' + String(serial).padStart(7, '0')
  const sum = [...first17].reduce((acc, c, i) => acc + alphabet.indexOf(c) * weights[i], 0)
  return first17 + alphabet[(31 - (sum % 31)) % 31]
}

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

const only = process.env.KILN_E2E_ONLY ? new RegExp(process.env.KILN_E2E_ONLY) : null

async function test(name, fn) {
  if (only && !only.test(name)) return
  try {
    await fn()
    passed++
    console.log(`ok - ${name}`)
  } catch (e) {
    failed++
    console.log(`FAIL - ${name}: ${e.message}`)
  }
}

function startKiln() {
  const proc = spawn(kilnBin, ['demo', '--listen', '127.0.0.1:0', '--data', join(work, 'data'), '--enterprises', '150',
    '--history-days', '4', '--seed', '11', '--web', join(root, 'web', 'dist'), '--config', join(work, 'kiln.toml')],
  { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  proc.stdout.on('data', (d) => (log += d))
  proc.stderr.on('data', (d) => (log += d))
  return new Promise((resolvePromise, reject) => {
    const deadline = Date.now() + 120000
    const timer = setInterval(() => {
      const url = /Kiln listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1]
      if (url && log.includes('demo history complete')) {
        clearInterval(timer)
        resolvePromise({ proc, url, log: () => log })
      } else if (Date.now() > deadline || proc.exitCode !== null) {
        clearInterval(timer)
        reject(new Error('kiln did not start:\n' + log))
      }
    }, 200)
  })
}

const kiln = await startKiln()
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
})

async function newPage(viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true })
  const page = await context.newPage()
  return { context, page }
}

// Element Plus puts data-test on the <input> itself for el-input, on a wrapper elsewhere.
function field(page, name) {
  return page.locator(`input[data-test=${name}], [data-test=${name}] input, textarea[data-test=${name}], [data-test=${name}] textarea`).first()
}

async function login(page, username) {
  await page.goto(kiln.url + '/login')
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(PASSWORD)
  await page.locator('[data-test=login]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

async function api(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).json(), path)
}

async function chartDrawn(page, selector) {
  await page.waitForFunction((sel) => {
    const canvas = document.querySelector(`${sel} canvas`)
    return canvas && canvas.width > 0
  }, selector, { timeout: 15000 })
}

for (const [label, viewport] of [['desktop', { width: 1440, height: 900 }], ['mobile', { width: 390, height: 844 }]]) {
  const mobile = label === 'mobile'

  await test(`${label}: login page and transfer size`, async () => {
    const { context, page } = await newPage(viewport)
    let bytes = 0
    page.on('response', async (response) => {
      const type = response.headers()['content-type'] ?? ''
      if (type.includes('javascript') || type.includes('css')) {
        const length = Number(response.headers()['content-length'] ?? 0)
        bytes += length
      }
    })
    await page.goto(kiln.url + '/login', { waitUntil: 'networkidle' })
    if (!mobile) figures.login_js_css_gzip_kb = Math.round(bytes / 1024)
    await page.screenshot({ path: join(shots, `login-${label}.png`) })
    await field(page, 'username').fill('province')
    await field(page, 'password').fill('wrong-password')
    await page.locator('[data-test=login]').click()
    await page.locator('[data-test=login-error]').waitFor()
    const text = await page.locator('[data-test=login-error]').innerText()
    assert(text.includes('还可尝试 4 次'), `lockout countdown shown, got: ${text}`)
    await context.close()
  })

  await test(`${label}: province workbench figures and chart`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    const started = Date.now()
    await page.goto(kiln.url + '/', { waitUntil: 'commit' })
    const navigationStart = Date.now()
    await chartDrawn(page, '[data-test=top-industries-chart]')
    if (!mobile) figures.workbench_first_chart_ms = Date.now() - navigationStart
    const running = await page.locator('[data-test=figure-running] .value').innerText()
    const wb = await api(page, '/api/v1/workbench')
    assert(running.replace(/[^0-9]/g, '') === String(wb.enterprises.running), `running figure ${running} vs ${wb.enterprises.running}`)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(shots, `workbench-${label}.png`), fullPage: true })
    await page.locator('[data-test=figure-stopped]').click()
    await page.waitForURL(/\/enterprises\?/)
    await page.locator('[data-test=total]').waitFor()
    await page.waitForFunction((n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
      wb.enterprises.stopped, { timeout: 10000 })
    void started
    await context.close()
  })

  await test(`${label}: comprehensive energy clicks through to the ranking with its factors`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'city')
    await page.locator('[data-test=figure-tce-month]').click()
    await page.waitForURL(/\/energy\?/)
    await page.locator('[data-test=rank-table] .el-table__row').first().waitFor()
    await chartDrawn(page, '[data-test=rank-chart]')
    const factors = await page.locator('[data-test=rank-factors]').innerText()
    assert(factors.includes('0.1229') && factors.includes('已核实'), `factors shown: ${factors.slice(0, 200)}`)
    const me = (await api(page, '/api/v1/me')).user
    const rows = await page.locator('[data-test=rank-table] .el-table__row').count()
    const city = await api(page, `/api/v1/energy?group_by=enterprise&energy_type=comprehensive&step=month&limit=1000`)
    assert(rows === Math.min(100, city.items.length), `ranking rows ${rows} vs ${city.items.length}`)
    assert(me.region.endsWith('00'), 'a city official')
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(shots, `energy-rank-${label}.png`), fullPage: true })
    await page.locator('[data-test=rank-table] .el-table__row').first().click()
    await page.waitForURL(/\/enterprises\/\d+$/)
    await page.goto(kiln.url + '/energy?type=co2&period=month&group_by=region')
    await page.locator('[data-test=rank-table] .el-table__row').first().waitFor()
    const co2 = await api(page, '/api/v1/energy?energy_type=co2&group_by=region&step=month')
    assert(co2.unit === 't' && co2.items.length > 0 && co2.items[0].total > 0, 'CO2 by region this month')
    assert((await page.locator('[data-test=rank-total]').innerText()).includes('吨'), 'CO2 total in tonnes')
    await context.close()
  })

  await test(`${label}: the completeness figure lists the points short of data, a stopped meter first`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    await page.locator('[data-test=figure-completeness]').click()
    await page.waitForURL(/\/completeness/)
    await page.locator('[data-test=completeness-table] .el-table__row').first().waitFor()
    const yesterday = new Date(Date.now() + 8 * 3600000 - 86400000).toISOString().slice(0, 10)
    const listed = await api(page, `/api/v1/completeness?date=${yesterday}&page_size=500`)
    const faults = JSON.parse(readFileSync(join(work, 'data', 'demo-faults.json'), 'utf8')).faults
    const stopped = faults.filter((f) => f.kind === 'stopped').map((f) => f.point_id)
    assert(stopped.length > 0, 'the demo planted a stopped meter')
    for (const id of stopped) {
      const row = listed.items.find((i) => i.point_id === id)
      assert(row && row.received === 0, `stopped meter ${id} is listed with nothing received yesterday`)
    }
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(shots, `completeness-${label}.png`), fullPage: true })
    await page.locator('[data-test=completeness-table] .el-table__row').first().click()
    await page.waitForURL(/\/points\/\d+\?from=/)
    await page.locator('[data-test=point-name]').waitFor()
    await context.close()
  })

  if (!mobile) await test(`${label}: workbench transfer size`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    let bytes = 0
    page.on('response', (response) => {
      const type = response.headers()['content-type'] ?? ''
      if (type.includes('javascript') || type.includes('css')) bytes += Number(response.headers()['content-length'] ?? 0)
    })
    await page.reload({ waitUntil: 'networkidle' })
    figures.workbench_js_css_gzip_kb = Math.round(bytes / 1024)
    await context.close()
  })

  await test(`${label}: each official sees exactly its scope`, async () => {
    const totals = {}
    for (const user of ['province', 'city', 'county']) {
      const { context, page } = await newPage(viewport)
      await login(page, user)
      await page.goto(kiln.url + '/enterprises')
      await page.locator('[data-test=total]').waitFor()
      const me = (await api(page, '/api/v1/me')).user
      const list = await api(page, '/api/v1/enterprises?page_size=500')
      const prefix = me.region.endsWith('0000') ? me.region.slice(0, 2) : me.region.endsWith('00') ? me.region.slice(0, 4) : me.region
      assert(list.items.every((e) => e.region.startsWith(prefix)), `${user} sees only its region`)
      await page.waitForFunction((n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
        list.total, { timeout: 10000 })
      totals[user] = list.total
      if (user !== 'province') await page.screenshot({ path: join(shots, `enterprises-${user}-${label}.png`), fullPage: !mobile })
      await context.close()
    }
    // 150 generated, plus the one the desktop run creates.
    assert(totals.province >= 150 && totals.city < totals.province && totals.county <= totals.city,
      `totals ${JSON.stringify(totals)}`)
  })

  if (mobile) await test(`${label}: search an enterprise with one thumb and open its file`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    await page.goto(kiln.url + '/enterprises')
    await page.locator('[data-test=enterprise-card]').first().waitFor()
    await field(page, 'filter-q').fill('水泥')
    await page.locator('[data-test=search]').click()
    const expected = await api(page, '/api/v1/enterprises?q=' + encodeURIComponent('水泥'))
    await page.waitForFunction((n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
      expected.total, { timeout: 10000 })
    const names = await page.locator('[data-test=enterprise-card] .card-name').allInnerTexts()
    assert(names.length > 0 && names.every((n) => n.includes('水泥')), `cards match the search: ${names}`)
    await page.screenshot({ path: join(shots, `enterprises-search-${label}.png`), fullPage: true })
    await page.locator('[data-test=enterprise-card]').first().click()
    await page.waitForURL(/\/enterprises\/\d+$/)
    await page.locator('[data-test=enterprise-name]', { hasText: names[0] }).waitFor()
    await context.close()
  })

  if (!mobile) await test(`${label}: filter and export the enterprise list`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    await page.goto(kiln.url + '/enterprises')
    await page.locator('[data-test=enterprise-table] .el-table__row').first().waitFor()
    await page.screenshot({ path: join(shots, `enterprises-province-${label}.png`), fullPage: true })
    await field(page, 'filter-q').fill('钢铁')
    await page.locator('[data-test=search]').click()
    const expected = await api(page, '/api/v1/enterprises?q=' + encodeURIComponent('钢铁'))
    await page.waitForFunction((n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
      expected.total, { timeout: 10000 })
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-csv]').click()])
    const file = await download.path()
    const lines = readFileSync(file, 'utf8').trim().split(/\r\n/)
    assert(lines.length === expected.total + 1, `csv rows ${lines.length - 1} vs ${expected.total}`)
    assert(lines.slice(1).every((l) => l.includes('钢铁')), 'every exported row matches the filter')
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-xlsx]').click()])
    const sheet = execFileSync('unzip', ['-p', await xlsx.path(), 'xl/worksheets/sheet1.xml']).toString()
    const rows = (sheet.match(/<row /g) ?? []).length
    assert(rows === expected.total + 1, `xlsx rows ${rows - 1} vs ${expected.total}`)
    await context.close()
  })

  await test(`${label}: enterprise file with energy chart and history`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'city')
    const list = await api(page, '/api/v1/enterprises?page_size=1')
    const id = list.items[0].id
    await page.goto(`${kiln.url}/enterprises/${id}`)
    await page.locator('[data-test=enterprise-name]').waitFor()
    await page.screenshot({ path: join(shots, `enterprise-file-basic-${label}.png`), fullPage: true })
    await page.getByRole('tab', { name: '能耗', exact: true }).click()
    await chartDrawn(page, '[data-test=energy-chart]')
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(shots, `enterprise-file-energy-${label}.png`), fullPage: true })
    const days = await page.evaluate(() => document.querySelector('[data-test=energy-chart]')?.getAttribute('_echarts_instance_'))
    assert(days, 'the energy chart is an ECharts instance')
    await page.locator('[data-test=energy-step] label').nth(1).click()
    await page.waitForTimeout(600)
    await chartDrawn(page, '[data-test=energy-chart]')
    const monthly = await api(page, `/api/v1/energy?group_by=enterprise&enterprise=${id}&step=month`)
    assert(monthly.items.length === 1 && monthly.items[0].total > 0, 'the enterprise has metered electricity this year')
    await page.getByRole('tab', { name: '计量点位' }).click()
    await page.screenshot({ path: join(shots, `enterprise-file-points-${label}.png`), fullPage: true })
    await page.locator('[data-test=points-table] .el-table__row').first().click()
    await page.waitForURL(/\/points\/\d+/)
    await chartDrawn(page, '[data-test=point-chart]')
    await context.close()
  })

  await test(`${label}: a metering point page marks and explains a planted gap`, async () => {
    const faults = JSON.parse(readFileSync(join(work, 'data', 'demo-faults.json'), 'utf8')).faults
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    let gap = null
    for (const f of faults.filter((x) => x.kind === 'gap')) {
      const point = await api(page, `/api/v1/points/${f.point_id}`)
      if (point.kind === 'register') { gap = { ...f, point }; break }
    }
    assert(gap, 'the demo planted a gap on a register')
    const from = new Date(Date.parse(gap.from) - 6 * 3600000).toISOString()
    const to = new Date(Date.parse(gap.to) + 6 * 3600000).toISOString()
    await page.goto(`${kiln.url}/points/${gap.point_id}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
    await chartDrawn(page, '[data-test=point-chart]')
    const row = page.locator('[data-test=flagged-table] .el-table__row', { hasText: '缺数' }).first()
    await row.waitFor()
    const text = await row.innerText()
    assert(text.includes(gap.from.slice(0, 10)), `the flagged row is on the gap's day: ${text}`)
    const legend = await page.locator('[data-test=flag-legend]').innerText()
    assert(legend.includes('不做插补'), `the gap is explained: ${legend}`)
    const series = await api(page, `/api/v1/points/${gap.point_id}/series?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
    const gapIntervals = series.intervals.filter((iv) => iv.flags.includes('gap'))
    assert(gapIntervals.length >= 1, 'the API has the gap interval')
    const summary = await page.locator('[data-test=point-summary]').innerText()
    assert(summary.includes(`${series.readings.length} 个读数`), `summary ${summary} vs ${series.readings.length} readings`)
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(shots, `point-gap-${label}.png`), fullPage: true })
    await context.close()
  })

  await test(`${label}: project list filters by state and opens a project file`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'county')
    await page.goto(kiln.url + '/projects')
    await page.locator('[data-test=project-total]').waitFor()
    const all = await api(page, '/api/v1/projects')
    await page.waitForFunction((n) => document.querySelector('[data-test=project-total]')?.textContent?.includes(`共 ${n} 个`),
      all.total, { timeout: 10000 })
    await page.screenshot({ path: join(shots, `projects-county-${label}.png`), fullPage: true })
    const existing = await api(page, '/api/v1/projects?status=existing')
    assert(existing.total > 0 && existing.total <= all.total, 'existing projects in the county')
    await page.locator('.el-table__row').first().click()
    await page.waitForURL(/\/projects\/\d+$/)
    await page.locator('[data-test=project-name]').waitFor()
    const projectId = Number(/projects\/(\d+)$/.exec(page.url())[1])
    const efficiency = await api(page, `/api/v1/projects/${projectId}/efficiency`)
    const shown = await page.locator('[data-test=project-efficiency]').innerText()
    const word = { advanced: '达到标杆', between: '介于标杆与基准', below_benchmark: '低于基准', no_level: '暂无标杆',
      no_value: '未填报能效', unit_mismatch: '单位' }[efficiency.class ?? efficiency.unclassified]
    assert(shown.includes(word), `efficiency shown as ${shown} for ${JSON.stringify(efficiency)}`)
    await page.locator('[data-test=project-accounting] [data-test=accounting-figures]').waitFor()
    await page.screenshot({ path: join(shots, `project-file-${label}.png`), fullPage: true })
    await context.close()
  })

  if (!mobile) await test(`${label}: wrong credit code is shown on the field`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    await page.goto(`${kiln.url}/enterprises/2`)
    await page.locator('[data-test=edit]').click()
    const input = field(page, 'edit-uscc')
    const uscc = await input.inputValue()
    const wrong = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0')
    await input.fill(wrong)
    await page.locator('[data-test=save]').click()
    await page.locator('.el-form-item__error').first().waitFor()
    const error = await page.locator('.el-form-item__error').first().innerText()
    assert(error.includes('校验码错误，应为 ' + uscc[17]), `field error: ${error}`)
    await page.screenshot({ path: join(shots, `enterprise-edit-error-${label}.png`) })
    await context.close()
  })

  if (!mobile) await test(`${label}: create an enterprise, with the server's field errors on the form`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    await page.goto(kiln.url + '/enterprises')
    await page.locator('[data-test=create]').click()
    await field(page, 'create-name').fill('济南测试新材料有限公司')
    await page.locator('[data-test=create-form] .el-cascader').click()
    await page.locator('.el-cascader__dropdown:visible .el-cascader-menu').first().locator('.el-cascader-node').first().click()
    await page.locator('.el-cascader__dropdown:visible .el-cascader-menu').nth(1).locator('.el-cascader-node').first().click()
    await page.locator('.el-cascader__dropdown:visible .el-cascader-menu').nth(2).locator('.el-cascader-node').first().click()
    await page.locator('[data-test=create-form] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible').first().click()
    const uscc = makeUscc('370102', 4242)
    const wrong = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0')
    await field(page, 'create-uscc').fill(wrong)
    await page.screenshot({ path: join(shots, `enterprise-create-${label}.png`) })
    await page.locator('[data-test=create-save]').click()
    await page.locator('[data-test=create-form] .el-form-item__error').first().waitFor()
    const error = await page.locator('[data-test=create-form] .el-form-item__error').first().innerText()
    assert(error.includes('校验码错误，应为 ' + uscc[17]), `field error: ${error}`)
    await page.screenshot({ path: join(shots, `enterprise-create-error-${label}.png`) })
    await field(page, 'create-uscc').fill(uscc)
    await page.locator('[data-test=create-save]').click()
    await page.waitForURL(/\/enterprises\/\d+$/)
    await page.locator('[data-test=enterprise-name]', { hasText: '济南测试新材料有限公司' }).waitFor()
    const found = await api(page, `/api/v1/enterprises?q=${uscc}`)
    assert(found.total === 1 && found.items[0].name === '济南测试新材料有限公司', 'the enterprise is stored')
    await context.close()
  })

  if (!mobile) await test(`${label}: the column chooser shows and hides columns and remembers them`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'city')
    await page.goto(kiln.url + '/enterprises')
    await page.locator('[data-test=enterprise-table] .el-table__row').first().waitFor()
    const headers = () => page.locator('[data-test=enterprise-table] th').allInnerTexts()
    assert((await headers()).some((h) => h.includes('统一社会信用代码')), 'credit code shown by default')
    await page.locator('[data-test=columns]').click()
    await page.locator('[data-test=column-list] label', { hasText: '统一社会信用代码' }).click()
    await page.locator('[data-test=column-list] label', { hasText: '地址' }).click()
    await page.waitForTimeout(200)
    let now = await headers()
    assert(!now.some((h) => h.includes('统一社会信用代码')) && now.some((h) => h.includes('地址')), `headers ${now}`)
    await page.screenshot({ path: join(shots, `enterprises-columns-${label}.png`) })
    await page.reload()
    await page.locator('[data-test=enterprise-table] .el-table__row').first().waitFor()
    now = await headers()
    assert(!now.some((h) => h.includes('统一社会信用代码')) && now.some((h) => h.includes('地址')), `kept: ${now}`)
    await context.close()
  })

  await test(`${label}: an expired session goes to login and back to the page`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'county')
    await context.clearCookies()
    await page.goto(kiln.url + '/projects?status=existing')
    await page.waitForURL(/\/login\?redirect=/)
    await field(page, 'username').fill('county')
    await field(page, 'password').fill(PASSWORD)
    await page.locator('[data-test=login]').click()
    await page.waitForURL((u) => u.pathname === '/projects' && u.search.includes('status=existing'))
    await context.close()
  })

  await test(`${label}: the enterprise user sees only its own file`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'enterprise')
    const me = (await api(page, '/api/v1/me')).user
    await page.waitForURL(new RegExp(`/enterprises/${me.enterprise_id}$`))
    await page.goto(`${kiln.url}/enterprises/${me.enterprise_id + 1}`)
    await page.waitForURL(new RegExp(`/enterprises/${me.enterprise_id}$`))
    await page.goto(`${kiln.url}/enterprises`)
    await page.waitForURL(new RegExp(`/enterprises/${me.enterprise_id}$`))
    const other = await page.evaluate(async (id) => (await fetch(`/api/v1/enterprises/${id}`)).status, me.enterprise_id + 1)
    assert(other === 404, `other enterprise answers ${other}`)
    await page.locator('[data-test=enterprise-name]').waitFor()
    await page.screenshot({ path: join(shots, `enterprise-own-file-${label}.png`), fullPage: true })
    await context.close()
  })

  if (!mobile) await test(`${label}: a monthly report walks from draft to province approval, with a return between`, async () => {
    const pages = {}
    for (const user of ['enterprise', 'county', 'city', 'province']) {
      const { context, page } = await newPage(viewport)
      await login(page, user)
      pages[user] = { context, page }
    }
    const ent = pages.enterprise.page
    await ent.goto(kiln.url + '/reports')
    await ent.locator('[data-test=report-duty]', { hasText: '月报尚未提交' }).waitFor()
    await ent.locator('[data-test=fill-last-month]').click()
    await ent.waitForURL(/\/reports\/\d+\/monthly\/\d{4}-\d{2}$/)
    const reportUrl = ent.url()
    await ent.locator('[data-test=energy-table]').waitFor()
    const business = { gross_output_value: 12000, value_added: 3100, tax: 420, revenue: 11800, staff: 356,
      total_assets: 56000, rd_spend: 300 }
    for (const [key, value] of Object.entries(business)) await field(ent, `business-${key}`).fill(String(value))
    await ent.locator('[data-test=add-product]').click()
    await field(ent, 'product-0-product').fill('水泥熟料')
    await field(ent, 'product-0-unit').fill('t')
    await field(ent, 'product-0-output').fill('52000')
    // Metered types arrive pre-filled; a plant without metered electricity this month types its own.
    if (!(await field(ent, 'energy-electricity').inputValue())) await field(ent, 'energy-electricity').fill('200000')
    await field(ent, 'energy-raw_coal').fill('100')
    await field(ent, 'energy-comprehensive').fill('1')
    await ent.locator('[data-test=submit-report]').click()
    await ent.locator('.el-form-item__error', { hasText: '应等于各品种折标之和' }).waitFor()
    await ent.screenshot({ path: join(shots, `report-check-error-${label}.png`), fullPage: true })
    await ent.locator('[data-test=compute]').click()
    await ent.locator('[data-test=submit-report]').click()
    await ent.locator('[data-test=report-status]', { hasText: '待县级审核' }).waitFor()

    const review = async (who, action, reason) => {
      const page = pages[who].page
      await page.goto(kiln.url + '/reports')
      await page.locator('[data-test=report-table] .el-table__row').first().waitFor()
      await page.locator('[data-test=report-table] .el-table__row').first().click()
      await page.waitForURL(/\/reports\/\d+\/monthly\//)
      await page.locator(`[data-test=${action}-report]`).waitFor()
      if (who === 'county') await page.screenshot({ path: join(shots, `report-review-${label}.png`), fullPage: true })
      await page.locator(`[data-test=${action}-report]`).click()
      if (action === 'return') {
        await field(page, 'return-reason').fill(reason)
        await page.locator('[data-test=confirm-return]').click()
      }
      await page.locator('[data-test=report-trail]').getByText(action === 'approve' ? '审核通过' : reason).last().waitFor()
    }
    await review('county', 'approve')
    await review('city', 'return', '工业总产值与上年同期差异过大，请核实')

    await ent.goto(reportUrl)
    await ent.locator('[data-test=report-status]', { hasText: '已退回' }).waitFor()
    await ent.locator('[data-test=report-trail]').getByText('工业总产值与上年同期差异过大').waitFor()
    await field(ent, 'business-gross_output_value').fill('11000')
    await ent.locator('[data-test=submit-report]').click()
    await ent.locator('[data-test=report-status]', { hasText: '待县级审核' }).waitFor()
    await review('county', 'approve')
    await review('city', 'approve')
    await review('province', 'approve')

    const prov = pages.province.page
    await prov.locator('[data-test=report-status]', { hasText: '已通过' }).waitFor()
    const id = Number(/reports\/(\d+)\//.exec(prov.url())[1])
    const period = /monthly\/(\d{4}-\d{2})/.exec(prov.url())[1]
    const file = await api(prov, `/api/v1/enterprises/${id}/reports/monthly/${period}`)
    assert(file.versions.length === 2 && file.versions[1].content.business.gross_output_value === 11000,
      `two versions kept: ${JSON.stringify(file.versions.map((v) => v.version))}`)
    assert(file.actions.map((a) => a.action).join(',') === 'submit,approve,return,submit,approve,approve,approve',
      `trail ${file.actions.map((a) => a.action)}`)
    await prov.screenshot({ path: join(shots, `report-approved-${label}.png`), fullPage: true })
    // Accounting now takes the month from the approved report, and says so.
    await prov.goto(`${kiln.url}/enterprises/${id}`)
    await prov.getByRole('tab', { name: '能耗核算' }).click()
    await prov.locator('[data-test=accounting-sources]', { hasText: `${period} · 已审核报表` }).waitFor()
    const account = await api(prov, `/api/v1/accounting/enterprises/${id}?period=${period}`)
    assert(Math.abs(account.comprehensive_tce.equivalent - file.versions[1].comprehensive_tce) < 1e-6,
      `accounting ${account.comprehensive_tce.equivalent} vs report ${file.versions[1].comprehensive_tce}`)
    await prov.screenshot({ path: join(shots, `enterprise-accounting-${label}.png`), fullPage: true })
    await ent.goto(kiln.url + '/reports')
    await ent.locator('[data-test=report-table] .el-table__row', { hasText: '已通过' }).waitFor()
    await ent.locator('[data-test=report-duty]', { hasText: '年报尚未提交' }).waitFor()
    assert(!(await ent.locator('[data-test=report-duty]', { hasText: '月报' }).count()), 'no monthly duty once submitted')
    await ent.screenshot({ path: join(shots, `reports-enterprise-${label}.png`), fullPage: true })
    for (const { context } of Object.values(pages)) await context.close()
  })

  if (mobile) await test(`${label}: late and missing reports of the county`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'county')
    await page.goto(kiln.url + '/reports/late')
    await page.locator('[data-test=late-table] .el-table__row').first().waitFor()
    const me = (await api(page, '/api/v1/me')).user
    const late = await api(page, '/api/v1/reports/late')
    assert(late.items.length > 0 && late.items.every((i) => i.region === me.region), 'the county sees its own late list')
    await page.screenshot({ path: join(shots, `reports-late-${label}.png`), fullPage: true })
    await context.close()
  })

  await test(`${label}: reference data lists factors with their status; the province adds a version`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    await page.goto(kiln.url + '/reference')
    await page.locator('[data-test=factor-table] .el-table__row', { hasText: '0.1229' }).waitFor()
    const table = await page.locator('[data-test=factor-table]').innerText()
    assert(table.includes('已核实') && table.includes('待确认'), 'statuses shown')
    if (!mobile) {
      await page.locator('[data-test=add-factor]').click()
      await page.locator('[data-test=factor-type]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '焦炭' }).click()
      await field(page, 'factor-value').fill('980')
      await page.locator('[data-test=factor-form] .el-date-editor input').fill('2030-01-01')
      await page.keyboard.press('Enter')
      await page.locator('[data-test=save-factor]').click()
      await page.locator('[data-test=factor-form] .el-form-item__error', { hasText: '须注明来源' }).waitFor()
      await page.screenshot({ path: join(shots, `reference-add-error-${label}.png`) })
      await field(page, 'factor-source').fill('焦炭低位发热量复核（2030 年起）')
      await page.locator('[data-test=save-factor]').click()
      await page.locator('[data-test=factor-table] .el-table__row', { hasText: '980' }).waitFor()
      const coke = (await api(page, '/api/v1/reference/factors')).items.filter((f) => f.energy_type === 'coke')
      assert(coke.length === 2 && coke[1].version === 2 && coke[1].valid_from === '2030-01-01', JSON.stringify(coke))
      // A new version of a product's efficiency levels, starting from the levels in force.
      await page.locator('[data-test=add-level]').click()
      await page.locator('[data-test=level-product]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '焦炭' }).click()
      await field(page, 'level-benchmark').fill('132')
      await field(page, 'factor-source').fill('焦炭基准水平复核')
      await page.locator('[data-test=save-factor]').click()
      await page.locator('[data-test=level-table] .el-table__row', { hasText: '焦炭基准水平复核' }).waitFor()
      const coking = (await api(page, '/api/v1/reference/efficiency-levels')).items.filter((l) => l.product === '焦炭')
      assert(coking.length === 2 && coking[1].benchmark === 132 && coking[1].advanced === coking[0].advanced,
        JSON.stringify(coking))
      await page.locator('[data-test=factor-form]').waitFor({ state: 'hidden' })
      // The disposal types are a list the province edits; the old name stays in the history.
      await page.locator('[data-test=list-disposal_types] .el-table__row', { hasText: '依法关停' })
        .locator('[data-test=edit-disposal_types]').click()
      await field(page, 'name-disposal_types').fill('依法关闭')
      await page.locator('[data-test=save-disposal_types]').click()
      await page.locator('[data-test=form-disposal_types] .el-form-item__error').waitFor()  // a source is required
      await field(page, 'source-disposal_types').fill('省政府办公厅通知')
      await page.locator('[data-test=save-disposal_types]').click()
      await page.locator('[data-test=list-disposal_types] .el-table__row', { hasText: '依法关闭' }).waitFor()
      const closeDown = (await api(page, '/api/v1/reference/lists/disposal_types')).items.find((d) => d.code === 'close_down')
      assert(closeDown.version === 2 && closeDown.history[0].name === '依法关停', JSON.stringify(closeDown))
      await page.locator('[data-test=form-disposal_types]').waitFor({ state: 'hidden' })
    }
    await page.screenshot({ path: join(shots, `reference-${label}.png`), fullPage: true })
    await context.close()
  })

  await test(`${label}: accounting drills from cities to an enterprise and down to its meters`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'province')
    const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)
    await page.goto(`${kiln.url}/accounting?period=${month}`)
    const rows = page.locator('[data-test=accounting-groups] .el-table__body .el-table__row')
    await rows.first().waitFor()
    const cities = await rows.count()
    assert(cities >= 2, `cities listed: ${cities}`)
    await page.screenshot({ path: join(shots, `accounting-${label}.png`), fullPage: true })
    const total = (await api(page, `/api/v1/accounting?group_by=region&period=${month}`)).total
    assert(total.tce_equivalent > 0 && total.month_sources.metered > 0, JSON.stringify(total))
    await rows.first().click()  // a city: its counties
    await page.waitForURL((u) => u.searchParams.get('region')?.length === 6)
    await page.locator('[data-test=accounting-title]', { hasText: '/' }).or(page.locator('[data-test=accounting-title]')).first().waitFor()
    await rows.first().click()  // a county: its enterprises
    await page.waitForURL((u) => u.searchParams.get('group_by') === 'enterprise')
    await rows.first().waitFor()
    await page.screenshot({ path: join(shots, `accounting-enterprises-${label}.png`), fullPage: true })
    await rows.first().click()  // an enterprise: its accounting tab
    await page.waitForURL((u) => /\/enterprises\/\d+$/.test(u.pathname) && u.searchParams.get('tab') === 'accounting')
    await page.locator('[data-test=accounting-lines] .el-table__row').first().waitFor()
    await page.locator('[data-test=drill-line]').first().click()
    await page.locator('[data-test=drilldown-terms] .el-table__row').first().waitFor()
    const drill = await page.locator('[data-test=drilldown]').innerText()
    assert(drill.includes('计量数据') && drill.includes('个采集值'), `drill-down names meters: ${drill.slice(0, 300)}`)
    await page.waitForTimeout(500)  // the dialog fades in
    await page.screenshot({ path: join(shots, `accounting-drilldown-${label}.png`) })
    await page.locator('[data-test=drilldown] a[href^="/points/"]').first().click()
    await page.waitForURL(/\/points\/\d+$/)
    await context.close()
  })

  // An xlsx file as a department's spreadsheet program writes it (openpyxl, from Debian's python3-openpyxl).
  function writeXlsx(path, rows) {
    const script = [
      'import json, sys, openpyxl',
      'wb = openpyxl.Workbook(); ws = wb.active',
      'ws.append(["统一社会信用代码", "企业名称", "期间", "用电量（kWh）", "最大需量（kW）"])',
      'for r in json.loads(sys.argv[2]): ws.append(r)',
      'wb.save(sys.argv[1])',
    ].join('\n')
    execFileSync('/usr/bin/python3', ['-c', script, path, JSON.stringify(rows)])
  }

  if (!mobile) await test(`${label}: an xlsx upload with a bad row and an unmatched enterprise, fixed and committed`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'power_admin')
    await page.goto(kiln.url + '/departments')
    await page.locator('[data-test=task-table] .el-table__row', { hasText: '企业用电信息' }).click()
    await page.waitForURL(/\/departments\/tasks\/power_monthly$/)
    await page.screenshot({ path: join(shots, `department-task-${label}.png`), fullPage: true })
    const [a, b, c] = (await api(page, '/api/v1/enterprises?page_size=3&sort=id')).items
    const period = '2026-06'
    const bad = join(work, 'power-bad.xlsx')
    writeXlsx(bad, [[a.uscc, a.name, period, 180000, 450], [b.uscc, b.name, period, '十八万', 400],
      [makeUscc('370102', 9999991), '某不在册企业', period, 5000, null]])
    await page.locator('[data-test=upload-input]').setInputFiles(bad)
    await page.waitForURL(/\/departments\/uploads\/\d+$/)
    await page.locator('[data-test=upload-summary]', { hasText: '共 3 行：1 行有错误，1 行未匹配企业' }).waitFor()
    const error = await page.locator('[data-test=row-error]').first().innerText()
    assert(error.includes('D3') && error.includes('用电量应为数字'), `row and column named: ${error}`)
    assert(await page.locator('[data-test=commit]').isDisabled(), 'commit disabled while rows are wrong')
    await page.screenshot({ path: join(shots, `department-upload-errors-${label}.png`), fullPage: true })
    // Resolve the unmatched row by naming the enterprise it really is.
    await page.locator('[data-test=pick-enterprise]').click()
    await page.keyboard.type(c.name.slice(0, 6))
    await page.locator('.el-select-dropdown__item:visible', { hasText: c.uscc }).click()
    await page.locator('[data-test=upload-summary]', { hasText: '0 行未匹配企业' }).waitFor()
    assert(await page.locator('[data-test=commit]').isDisabled(), 'the bad row still blocks the commit')
    const upload = (await api(page, '/api/v1/department-uploads')).items[0]
    assert(upload.status === 'preview' && upload.error_count === 1, JSON.stringify(upload))
    let stored = await api(page, `/api/v1/enterprises/${a.id}/department-records`)
    assert(!JSON.stringify(stored).includes(period), 'nothing stored from the bad file')

    // The corrected file goes in whole.
    const good = join(work, 'power-good.xlsx')
    writeXlsx(good, [[a.uscc, a.name, period, 180000, 450], [b.uscc, b.name, period, 176500, 400]])
    await page.goto(kiln.url + '/departments/tasks/power_monthly')
    await page.locator('[data-test=upload-input]').setInputFiles(good)
    await page.waitForURL((u) => /\/departments\/uploads\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${upload.id}`))
    await page.locator('[data-test=upload-verdict]', { hasText: '可以入库' }).waitFor()
    await page.locator('[data-test=commit]').click()
    await page.locator('[data-test=upload-status]', { hasText: '已入库' }).waitFor()
    await page.screenshot({ path: join(shots, `department-upload-committed-${label}.png`), fullPage: true })
    stored = await api(page, `/api/v1/enterprises/${a.id}/department-records`)
    const record = stored.items.flatMap((g) => g.records).find((r) => r.period === period)
    assert(record && record.values.electricity === 180000, JSON.stringify(stored))
    await context.close()

    // The province sees the figure in the enterprise file.
    const official = await newPage(viewport)
    await login(official.page, 'province')
    await official.page.goto(`${kiln.url}/enterprises/${a.id}`)
    await official.page.locator('.el-tabs__item', { hasText: '部门数据' }).click()
    // The figure beside metered and reported use, and the record itself with its upload time.
    await official.page.locator('[data-test=source-compare] .el-table__row', { hasText: '180,000' }).waitFor()
    await official.page.locator('[data-test=department-records] .el-table__row', { hasText: '450' }).first().waitFor()
    await official.page.screenshot({ path: join(shots, `enterprise-department-records-${label}.png`), fullPage: true })
    await official.context.close()
  })

  if (mobile) await test(`${label}: a department's tasks and uploads on a phone`, async () => {
    const { context, page } = await newPage(viewport)
    await login(page, 'power_admin')
    await page.goto(kiln.url + '/departments')
    await page.locator('[data-test=task-table] .el-table__row', { hasText: '企业用电信息' }).waitFor()
    await page.screenshot({ path: join(shots, `departments-${label}.png`), fullPage: true })
    await page.locator('[data-test=task-table] .el-table__row', { hasText: '企业用电信息' }).click()
    const [a] = (await api(page, '/api/v1/enterprises?page_size=1&sort=id')).items
    const file = join(work, 'power-phone.xlsx')
    writeXlsx(file, [[a.uscc, a.name, '2026-05', 1000, null]])
    await page.locator('[data-test=upload-input]').setInputFiles(file)
    await page.waitForURL(/\/departments\/uploads\/\d+$/)
    await page.locator('[data-test=upload-verdict]', { hasText: '可以入库' }).waitFor()
    await page.screenshot({ path: join(shots, `department-upload-${label}.png`), fullPage: true })
    await context.close()
  })

  await test(`${label}: change password, with the policy shown on the field`, async () => {
    const { context, page } = await newPage(viewport)
    const changeTo = async (oldPassword, newPassword) => {
      await page.locator('[data-test=user-menu]').click()
      await page.locator('[data-test=password-link]').click()
      await page.waitForURL(/\/password$/)
      await field(page, 'old-password').fill(oldPassword)
      await field(page, 'new-password').fill(newPassword)
      await field(page, 'confirm-password').fill(newPassword)
      await page.locator('[data-test=change-password]').click()
    }
    await login(page, 'enterprise')
    await changeTo(PASSWORD, 'short')
    await page.locator('.el-form-item__error', { hasText: '至少 8 位' }).waitFor()
    await page.screenshot({ path: join(shots, `password-error-${label}.png`) })
    await field(page, 'new-password').fill('Kiln@2026next')
    await field(page, 'confirm-password').fill('Kiln@2026next')
    await page.locator('[data-test=change-password]').click()
    await page.waitForURL(/\/login/)
    await field(page, 'username').fill('enterprise')
    await field(page, 'password').fill('Kiln@2026next')
    await page.locator('[data-test=login]').click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    await changeTo('Kiln@2026next', PASSWORD)
    await page.waitForURL(/\/login/)
    await login(page, 'enterprise')
    await context.close()
  })
}

await browser.close()
kiln.proc.kill('SIGTERM')
console.log(`figures: ${JSON.stringify(figures)}`)
console.log(`screenshots: ${shots}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
