// Browser tests: the real kiln binary with a small demo province, the built
// console, Debian's Chromium driven by playwright-core. Takes a screenshot of
// every page at 1440x900 and 390x844 (var/screenshots/) and prints figures:
// JS+CSS bytes transferred (gzip) for the login page and the workbench, and
// time to the first chart on the workbench.
//   KILN_BIN  the kiln binary (default ../build/kiln)
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

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

async function test(name, fn) {
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
    '--history-days', '3', '--seed', '11', '--web', join(root, 'web', 'dist'), '--config', join(work, 'kiln.toml')],
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
  return page.locator(`input[data-test=${name}], [data-test=${name}] input`).first()
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

  await test(`${label}: workbench transfer size`, async () => {
    if (mobile) return
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
    assert(totals.province === 150 && totals.city < totals.province && totals.county <= totals.city,
      `totals ${JSON.stringify(totals)}`)
  })

  await test(`${label}: filter and export the enterprise list`, async () => {
    if (mobile) return
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
    await page.getByRole('tab', { name: '能耗' }).click()
    await chartDrawn(page, '[data-test=energy-chart]')
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(shots, `enterprise-file-energy-${label}.png`), fullPage: true })
    await page.getByRole('tab', { name: '计量点位' }).click()
    await page.screenshot({ path: join(shots, `enterprise-file-points-${label}.png`), fullPage: true })
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
    await page.screenshot({ path: join(shots, `project-file-${label}.png`), fullPage: true })
    await context.close()
  })

  await test(`${label}: wrong credit code is shown on the field`, async () => {
    if (mobile) return
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
}

await browser.close()
kiln.proc.kill('SIGTERM')
console.log(`figures: ${JSON.stringify(figures)}`)
console.log(`screenshots: ${shots}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
