// The browser tests' shared library: the real kiln binary with a small demo province, Debian's
// Chromium driven by playwright-core (never a downloaded browser), a fresh browser context per test
// (closed whatever happens), screenshots and the page's console log kept in var/e2e-artifacts/ when a
// test fails, and the figures the run prints at the end.
import { chromium } from 'playwright-core'
import { execFileSync, spawn } from 'node:child_process'
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '..', '..')
export const shots = join(root, 'var', 'screenshots')
export const artifacts = join(root, 'var', 'e2e-artifacts')
export const PASSWORD = 'Kiln@2026demo'
export const DESKTOP = { width: 1440, height: 900 }
export const PHONE = { width: 390, height: 844 }
export const viewports = [
  ['desktop', DESKTOP],
  ['mobile', PHONE],
]

// What the run shares: the server, the browser, the work directory, the tally and the figures.
export const env = { url: '', work: '', browser: null, kiln: null }
export const figures = {}
export const tally = { passed: 0, failed: 0, skipped: 0 }
const only = process.env.KILN_E2E_ONLY ? new RegExp(process.env.KILN_E2E_ONLY) : null

export function assert(condition, message) {
  if (!condition) throw new Error(message)
}

export function figure(name, value) {
  figures[name] = value
}

export function shot(name) {
  return join(shots, `${name}.png`)
}

// A valid GB 32100 credit code registered in `region`.
export function makeUscc(region, serial) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const first17 = '91' + region + 'MA' + String(serial).padStart(7, '0')
  const sum = [...first17].reduce((acc, c, i) => acc + alphabet.indexOf(c) * weights[i], 0)
  return first17 + alphabet[(31 - (sum % 31)) % 31]
}

// Usernames no other test or run uses.
let serial = 0
export function uniqueName(prefix) {
  return `${prefix}_${Date.now().toString(36)}${(serial++).toString(36)}`
}

// An xlsx file as a department's spreadsheet program writes it (openpyxl, from Debian's python3-openpyxl).
export function writeXlsx(path, rows) {
  const script = [
    'import json, sys, openpyxl',
    'wb = openpyxl.Workbook(); ws = wb.active',
    'ws.append(["统一社会信用代码", "企业名称", "期间", "用电量（kWh）", "最大需量（kW）"])',
    'for r in json.loads(sys.argv[2]): ws.append(r)',
    'wb.save(sys.argv[1])',
  ].join('\n')
  execFileSync('/usr/bin/python3', ['-c', script, path, JSON.stringify(rows)])
}

// Starts `kiln demo` on a free port with a fresh data directory and waits for the back-filled history.
export async function startKiln() {
  const kilnBin = process.env.KILN_BIN ?? join(root, 'build', 'kiln')
  env.work = mkdtempSync(join(tmpdir(), 'kiln-e2e-'))
  // Cheap hashing for many logins; every test logs in from 127.0.0.1, so the per-address failure
  // throttle is raised (the lockout of an account still applies: tests use accounts of their own).
  // The warning rules look at the back-filled history a few seconds after it is written (not 20), so
  // that the planted faults are warnings long before the warnings tests run.
  writeFileSync(
    join(env.work, 'kiln.toml'),
    '[security]\npbkdf2_iterations = 1000\nlogin_failures_per_address = 1000\n' +
      '[warnings]\ntick_ms = 1000\nsettle_ms = 3000\nschedule_seconds = 20\n',
  )
  const proc = spawn(
    kilnBin,
    [
      'demo',
      '--listen',
      '127.0.0.1:0',
      '--data',
      join(env.work, 'data'),
      '--enterprises',
      '150',
      '--history-days',
      '4',
      '--seed',
      '11',
      '--web',
      join(root, 'web', 'dist'),
      '--config',
      join(env.work, 'kiln.toml'),
      // Reference data other than the repo's data/ (a binary older than the data/ being edited).
      ...(process.env.KILN_REFERENCE_DATA ? ['--reference-data', process.env.KILN_REFERENCE_DATA] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  proc.stdout.on('data', (d) => (log += d))
  proc.stderr.on('data', (d) => (log += d))
  env.kiln = { proc, log: () => log }
  await new Promise((resolvePromise, reject) => {
    const deadline = Date.now() + 120000
    const timer = setInterval(() => {
      const url = /Kiln listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1]
      if (url && log.includes('demo history complete')) {
        clearInterval(timer)
        env.url = url
        resolvePromise()
      } else if (Date.now() > deadline || proc.exitCode !== null) {
        clearInterval(timer)
        reject(new Error('kiln did not start:\n' + log))
      }
    }, 200)
  })
  return env.kiln
}

export async function stopKiln() {
  const proc = env.kiln?.proc
  if (!proc || proc.exitCode !== null) return
  const exited = new Promise((r) => proc.once('exit', r))
  proc.kill('SIGTERM')
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))])
  if (proc.exitCode === null) proc.kill('SIGKILL')
  mkdirSync(artifacts, { recursive: true })
  writeFileSync(join(artifacts, 'kiln.log'), env.kiln.log())
}

export async function launchBrowser() {
  mkdirSync(shots, { recursive: true })
  env.browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
  return env.browser
}

const slug = (name) =>
  name
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 90)

// One test: a fresh browser context (and more on request, for tests with several users), each
// closed in `finally`. A failure keeps a screenshot and the console log of every page it opened.
// A Content-Security-Policy violation in any page fails the test.
//   fn({ page, context, open(viewport?) }) where open() gives { page, context } of another context.
export async function test(name, fn, { viewport = DESKTOP, permissions = [] } = {}) {
  if (only && !only.test(name)) {
    tally.skipped++
    return
  }
  const opened = []
  const open = async (size = viewport) => {
    const context = await env.browser.newContext({ viewport: size, locale: 'zh-CN', acceptDownloads: true })
    if (permissions.length) await context.grantPermissions(permissions, { origin: env.url })
    const page = await context.newPage()
    const entry = { context, page, log: [], csp: [] }
    page.on('console', (m) => {
      const text = m.text()
      entry.log.push(`${new Date().toISOString()} ${m.type()}: ${text}`)
      if (/Content Security Policy/i.test(text)) entry.csp.push(text)
    })
    page.on('pageerror', (e) => entry.log.push(`${new Date().toISOString()} pageerror: ${e.message}`))
    page.on('requestfailed', (r) =>
      entry.log.push(`${new Date().toISOString()} requestfailed: ${r.url()} ${r.failure()?.errorText}`),
    )
    opened.push(entry)
    return { context, page }
  }
  try {
    const first = await open()
    await fn({ ...first, open })
    const violations = opened.flatMap((o) => o.csp)
    if (violations.length)
      throw new Error(`Content-Security-Policy violations: ${violations.join(' | ').slice(0, 500)}`)
    tally.passed++
    console.log(`ok - ${name}`)
  } catch (e) {
    tally.failed++
    console.log(`FAIL - ${name}: ${String(e?.message ?? e).split('\n')[0]}`)
    await keepArtifacts(name, opened, e)
  } finally {
    for (const o of opened) await o.context.close().catch(() => undefined)
  }
}

// A failed test's pages: a screenshot and the console log of each (with the error), in var/e2e-artifacts/.
async function keepArtifacts(name, opened, error) {
  mkdirSync(artifacts, { recursive: true })
  for (const [i, o] of opened.entries()) {
    const base = join(artifacts, `${slug(name)}-${i}`)
    await o.page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10000 }).catch(() => undefined)
    writeFileSync(
      `${base}.log`,
      [`error: ${error?.stack ?? error}`, `url: ${o.page.url()}`, ...o.log].join('\n') + '\n',
    )
  }
}

// Element Plus puts data-test on the <input> itself for el-input, on a wrapper elsewhere.
export function field(page, name) {
  return page
    .locator(
      `input[data-test=${name}], [data-test=${name}] input, textarea[data-test=${name}], [data-test=${name}] textarea`,
    )
    .first()
}

export async function login(page, username, password = PASSWORD) {
  await page.goto(env.url + '/login')
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(password)
  await page.locator('[data-test=login]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

// A GET through the page's session.
export async function api(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).json(), path)
}

export async function chartDrawn(page, selector) {
  await page.waitForFunction(
    (sel) => {
      const canvas = document.querySelector(`${sel} canvas`)
      return canvas && canvas.width > 0
    },
    selector,
    { timeout: 15000 },
  )
}

// Waits until an Element Plus dialog or message box has faded in, for screenshots.
export async function settled(page, ms = 400) {
  await page.waitForTimeout(ms)
}

// The API from Node as one user, with its session cookie and CSRF token (for setting up a test).
export async function apiSession(username, password = PASSWORD) {
  const response = await fetch(`${env.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const body = await response.json()
  if (!response.ok) throw new Error(`login ${username}: ${response.status} ${JSON.stringify(body)}`)
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const call = async (method, path, json) => {
    const headers = { Cookie: cookie, Accept: 'application/json' }
    if (method !== 'GET') headers['X-CSRF-Token'] = body.csrf_token
    if (json !== undefined) headers['Content-Type'] = 'application/json'
    const r = await fetch(env.url + path, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
    })
    const text = await r.text()
    const data = text ? JSON.parse(text) : null
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`)
    return data
  }
  return {
    user: body.user,
    get: (path) => call('GET', path),
    post: (path, json) => call('POST', path, json),
    patch: (path, json) => call('PATCH', path, json),
  }
}

// A user of the test's own, created by the province with a one-time password (it must change it at
// its first login), so that no test changes or locks a shared demo account.
export async function createUser(fields, creator = 'province') {
  const admin = await apiSession(creator)
  const password = fields.password ?? `Kiln@e2e-${Math.random().toString(36).slice(2, 8)}A1`
  const username = fields.username ?? uniqueName(`e2e_${fields.role}`)
  const user = await admin.post('/api/v1/users', { ...fields, username, password })
  return { ...user, password }
}

// A request signed with a machine key (an enterprise's access end, a department's): KILN-HMAC-SM3 as
// docs/openapi.json describes it (securitySchemes.kilnHmacSm3), with Node's SM3. Answers { status, body }.
export async function signedRequest(key, method, path, json) {
  const body = json === undefined ? '' : JSON.stringify(json)
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(12).toString('hex')
  const digest = createHash('sm3').update(body).digest('hex')
  const signature = createHmac('sm3', key.secret)
    .update([method, path, timestamp, nonce, digest].join('\n'))
    .digest('hex')
  const r = await fetch(env.url + path, {
    method,
    body: json === undefined ? undefined : body,
    headers: {
      ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
      Authorization: `KILN-HMAC-SM3 Credential=${key.key_id}, Timestamp=${timestamp}, Nonce=${nonce}, Signature=${signature}`,
    },
  })
  const text = await r.text()
  let parsed
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  return { status: r.status, body: parsed }
}
