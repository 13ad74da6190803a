// Browser tests: the real kiln binary with a small demo province, the built console, Debian's
// Chromium driven by playwright-core. One spec file per area (e2e/specs/); each test runs in a
// fresh browser context at 1440x900 and, where it makes sense, 390x844, and takes screenshots of
// its pages (var/screenshots/). A failing test leaves its screenshot and console log in
// var/e2e-artifacts/. Prints `ok - name` / `FAIL - name: why`, the figures (JS+CSS bytes
// transferred for the login page and the workbench, time to the first workbench chart) and
// `e2e: N passed, M failed`; exits non-zero on a failure.
//   KILN_BIN       the kiln binary (default ../build/kiln)
//   KILN_E2E_ONLY  run only the tests whose name matches this regular expression
//   KILN_REFERENCE_DATA  the reference data directory the server loads (default: the repo's data/)
// Spec names as arguments run only those specs: `node e2e/run.mjs dual_control warnings`.
import { rmSync } from 'node:fs'
import { artifacts, env, figures, launchBrowser, shots, startKiln, stopKiln, tally } from './lib.mjs'

const allSpecs = [
  'auth',
  'workbench',
  'enterprises',
  'projects',
  'points',
  'reports',
  'reference',
  'accounting',
  'departments',
  'users',
  'audit',
  'keys',
  'warnings',
  'dual_control',
  'reviews',
  'violations',
  'upgrades',
  'inspections',
]
const asked = process.argv.slice(2)
const unknown = asked.filter((name) => !allSpecs.includes(name))
if (unknown.length) {
  console.log(`unknown specs: ${unknown.join(', ')} (known: ${allSpecs.join(', ')})`)
  process.exit(2)
}
const specs = asked.length ? allSpecs.filter((name) => asked.includes(name)) : allSpecs

let crashed = null
rmSync(artifacts, { recursive: true, force: true }) // what is there is of this run only
try {
  await startKiln()
  await launchBrowser()
  for (const name of specs) {
    const spec = await import(`./specs/${name}.mjs`)
    await spec.default()
  }
} catch (e) {
  crashed = e
  console.log(`FAIL - the run stopped: ${e.stack ?? e}`)
} finally {
  await env.browser?.close().catch(() => undefined)
  await stopKiln()
}

console.log(`figures: ${JSON.stringify(figures)}`)
console.log(`screenshots: ${shots}`)
if (tally.failed || crashed) console.log(`artifacts: ${artifacts}`)
console.log(
  `e2e: ${tally.passed} passed, ${tally.failed + (crashed ? 1 : 0)} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}`,
)
process.exit(tally.failed || crashed ? 1 : 0)
