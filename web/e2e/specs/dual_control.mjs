// Dual control (双控目标与预测): the province's table of the targets in force with the example target, its
// charts and the back-test; a target_forecast warning's link opening the page on its region and year; a new
// version of a city's target through the dialog (the server's reasons on the fields first); a city official
// seeing only its jurisdiction's targets, without editing; an enterprise user's explanation; and a phone.
// Targets are added for this spec's own cities; the example target comes from data/control_targets.csv.
import { PHONE, apiSession, assert, chartDrawn, env, field, login, settled, shot, test } from '../lib.mjs'

const rows = '[data-test=dual-table] .el-table__body-wrapper .el-table__row'
const STATUS_NAMES = { on_track: '正常', approaching: '接近目标', exceeding: '超出目标', no_data: '无数据' }

const INDICATOR_NAMES = {
  energy_total: '能源消费总量',
  energy_intensity: '能耗强度',
  coal_total: '煤炭消费总量',
  co2_total: '二氧化碳排放总量',
  co2_intensity: '碳排放强度',
}

// An example target shipped with the platform (data/control_targets.csv) for this year: the province's
// energy total if there is one.
async function exampleTarget(province) {
  const { items } = await province.get('/api/v1/targets')
  const examples = items.filter((t) => t.example && INDICATOR_NAMES[t.indicator])
  const example = examples.find((t) => t.region.endsWith('0000') && t.indicator === 'energy_total') ?? examples[0]
  assert(example, `an example target this year: ${JSON.stringify(items)}`)
  return example
}

// Cities of the province with enterprises in them, in code order.
async function citiesWithEnterprises(province) {
  const regions = (await province.get('/api/v1/regions')).items.filter((r) => r.level === 'city')
  const out = []
  for (const r of regions) {
    const page = await province.get(`/api/v1/enterprises?region=${r.code}&page_size=1`)
    if (page.total > 0) out.push(r)
  }
  return out
}

// The accounting reads the departments' monthly figures a little after the demo delivers them: wait until
// the example target has its months (or the year has none to have).
async function waitForFigures(province, example) {
  const deadline = Date.now() + 120000
  for (;;) {
    const view = await province.get(`/api/v1/dual-control?year=${example.year}`)
    const item = view.items.find((i) => i.target.region === example.region && i.target.indicator === example.indicator)
    if (!view.months_known || (item && item.status !== 'no_data')) return view
    if (Date.now() > deadline) throw new Error(`no figures for the example target in time: ${JSON.stringify(item)}`)
    await new Promise((r) => setTimeout(r, 1000))
  }
}

export default async function () {
  const province = await apiSession('province')
  const example = await exampleTarget(province)
  await waitForFigures(province, example)
  const cities = await citiesWithEnterprises(province)
  const cityUser = (await apiSession('city')).user
  // A city for the dialog test: not the city official's, nobody else's.
  const dialogCity = cities.find((c) => c.code !== cityUser.region)
  assert(dialogCity, 'a second city with enterprises')

  await test('desktop: the province reads the targets in force, the example target, its charts and the back-test', async ({
    page,
  }) => {
    const view = await province.get(`/api/v1/dual-control?year=${example.year}`)
    const item = view.items.find((i) => i.target.region === example.region && i.target.indicator === example.indicator)
    assert(item?.target.example, `the example target in the view: ${JSON.stringify(view.items.map((i) => i.target))}`)
    await login(page, 'province')
    await page.locator('.el-menu-item', { hasText: '双控目标与预测' }).click()
    await page.waitForURL((u) => u.pathname === '/dual-control')
    await page.goto(`${env.url}/dual-control?year=${example.year}`)
    const row = page
      .locator(rows, { hasText: item.target.region_name })
      .filter({ hasText: INDICATOR_NAMES[example.indicator] })
      .first()
    await row.waitFor()
    const text = await row.innerText()
    assert(text.includes('示例值') && text.includes(`第 ${item.target.version} 版`), `the example row: ${text}`)
    assert(text.includes(STATUS_NAMES[item.status]), `status ${item.status}: ${text}`)
    assert((await page.locator(rows).count()) === view.items.length, 'every target in force')
    if (item.forecast) {
      assert(text.includes('区间') && /季节比例法|平均速率法/.test(text), `band and method: ${text}`)
      assert(text.includes(`${item.share_of_target_pct.toLocaleString('zh-CN')}%`), `share: ${text}`)
    }
    // The first target is selected: its charts are drawn.
    const detail = page.locator('[data-test=dual-detail]')
    await detail.locator('h3', { hasText: item.target.region_name }).waitFor()
    await chartDrawn(page, '[data-test=dual-trend-chart]')
    await chartDrawn(page, '[data-test=dual-monthly-chart]')
    assert((await detail.innerText()).includes('演示用的占位数据'), 'the example is said to be one')
    // The back-test: one row per indicator, the months known marked.
    const backtest = page.locator('[data-test=backtest-table] .el-table__body-wrapper .el-table__row')
    if (view.backtest.length && view.backtest.some((b) => b.mape_pct.some((v) => v !== null))) {
      await backtest.first().waitFor()
      assert((await backtest.count()) === view.backtest.length, 'a back-test row per indicator')
      assert((await backtest.first().innerText()).includes('能源消费总量'), 'named in Chinese')
      assert((await page.locator('[data-test=dual-backtest]').innerText()).includes('平均绝对百分比误差'), 'explained')
    }
    await settled(page)
    await page.screenshot({ path: shot('dual-control-desktop'), fullPage: true })

    // A target_forecast warning links to the page with its region and year, which the page honours.
    const warnings = await province.get('/api/v1/warnings?rule=target_forecast&page_size=50')
    const warning = warnings.items.find((w) => w.region === example.region)
    const link = `/dual-control?region=${example.region}&year=${example.year}`
    if (warning) {
      await page.goto(`${env.url}/warnings/${warning.id}`)
      await page.locator('[data-test=evidence-links] a', { hasText: '双控目标与预测' }).click()
    } else {
      await page.goto(env.url + link)
    }
    await page.waitForURL((u) => u.pathname === '/dual-control' && u.searchParams.get('region') === example.region)
    await page.locator(rows).first().waitFor()
    const cascader = await page.locator('[data-test=dual-filters] .el-cascader input').inputValue()
    assert(cascader.includes(item.target.region_name), `region shown: ${cascader}`)
    const year = await page.locator('[data-test=dual-filters] .el-date-editor input').inputValue()
    assert(year === String(example.year), `year shown: ${year}`)
    await detail.locator('h3', { hasText: item.target.region_name }).waitFor()
  })

  await test('desktop: the province adds a city target: the reasons on the fields first, then the new version', async ({
    page,
  }) => {
    // An indicator the city has no target for yet.
    const before = await province.get(`/api/v1/dual-control?region=${dialogCity.code}`)
    const set = new Set(before.items.filter((i) => i.target.region === dialogCity.code).map((i) => i.target.indicator))
    const indicator = ['coal_total', 'co2_total', 'energy_total'].find((i) => !set.has(i))
    assert(indicator, `an indicator without a target in ${dialogCity.code}`)
    const name = INDICATOR_NAMES[indicator]
    await login(page, 'province')
    await page.goto(`${env.url}/dual-control?region=${dialogCity.code}`)
    await page.locator('[data-test=months-known]', { hasText: '年' }).waitFor()
    await page.waitForFunction(
      ([selector, n]) => document.querySelectorAll(selector).length === n,
      [rows, before.items.length],
    )
    await page.locator('[data-test=add-target]').click()
    const form = page.locator('[data-test=target-form]')
    await form.waitFor()
    assert(
      (await form.locator('.el-cascader input').first().inputValue()).includes(dialogCity.name),
      'the dialog starts from the region filtered',
    )
    await form.locator('[data-test=target-indicator]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
    await field(page, 'target-value').fill('-5')
    await page.locator('[data-test=target-save]').click()
    await form.locator('.el-form-item__error', { hasText: '应为大于 0 的数' }).waitFor()
    await form.locator('.el-form-item__error', { hasText: '必填' }).waitFor()
    await settled(page)
    await page.screenshot({ path: shot('dual-control-target-error-desktop') })

    await field(page, 'target-value').fill('1500000')
    await form.locator('.hint', { hasText: '150 万吨' }).waitFor()
    await field(page, 'target-source').fill('省发展改革委 2026 年双控目标分解通知（e2e）')
    await page.locator('[data-test=target-save]').click()
    await page.locator('.el-message', { hasText: '已保存为第 1 版' }).waitFor()
    const row = page.locator(rows, { hasText: dialogCity.name }).filter({ hasText: name }).first()
    await row.waitFor()
    const view = await province.get(`/api/v1/dual-control?region=${dialogCity.code}`)
    assert(view.items.length === before.items.length + 1, `one more target: ${view.items.length}`)
    const item = view.items.find((i) => i.target.region === dialogCity.code && i.target.indicator === indicator)
    assert(
      item?.target.value === 1500000 && item.target.version === 1 && item.target.changed_by === 'province',
      JSON.stringify(item?.target),
    )
    await page.waitForFunction(
      ([selector, n]) => document.querySelectorAll(selector).length === n,
      [rows, view.items.length],
    )
    const text = await row.innerText()
    assert(text.includes('150 万吨') && text.includes(STATUS_NAMES[item.status]), `the new row: ${text}`)
    assert(!text.includes('示例值'), 'not an example')
    // The new target is selected, its charts drawn.
    await page.locator('[data-test=dual-detail] h3', { hasText: name }).waitFor()
    await chartDrawn(page, '[data-test=dual-trend-chart]')

    // A second version from the row: the versions are listed in the detail.
    await row.locator('[data-test=new-version]').click()
    await form.waitFor()
    assert((await field(page, 'target-value').inputValue()).replace(/\D/g, '') === '1500000', 'starts from v1')
    await field(page, 'target-value').fill('1600000')
    await field(page, 'target-source').fill('省发展改革委调整通知（e2e）')
    await page.locator('[data-test=target-save]').click()
    await page.locator('.el-message', { hasText: '已保存为第 2 版' }).waitFor()
    await row.filter({ hasText: '160 万吨' }).waitFor()
    await page.locator('[data-test=show-versions]').click()
    const versions = await page.locator('[data-test=versions] li').allInnerTexts()
    assert(versions.length === 2 && versions[0].includes('第 2 版') && versions[1].includes('第 1 版'), `${versions}`)
    await settled(page)
    await page.screenshot({ path: shot('dual-control-versions-desktop'), fullPage: true })
  })

  await test('desktop: a city official sees only its jurisdiction targets and cannot set them', async ({ page }) => {
    const own = cityUser.region
    const county = (await province.get('/api/v1/regions')).items.find((r) => r.parent === own)
    const other = cities.find((c) => c.code !== own && c.code !== dialogCity.code) ?? dialogCity
    const source = '分解到市县的目标（e2e）'
    const { year } = await province.get('/api/v1/targets')
    await province.post('/api/v1/targets', { region: own, year, indicator: 'coal_total', value: 5e6, source })
    await province.post('/api/v1/targets', { region: county.code, year, indicator: 'energy_total', value: 8e5, source })
    await province.post('/api/v1/targets', { region: other.code, year, indicator: 'co2_total', value: 9e6, source })
    const city = await apiSession('city')
    const view = await city.get('/api/v1/dual-control')
    assert(
      view.items.length >= 2 && view.items.every((i) => i.target.region.startsWith(own.slice(0, 4))),
      JSON.stringify(view.items.map((i) => i.target.region)),
    )
    // The workbench counts the targets at risk and links to the page.
    await login(page, 'city')
    const risky = view.items.filter((i) => i.status === 'exceeding' || i.status === 'approaching').length
    const card = page.locator('[data-test=figure-dual-control]')
    await card.locator('.sub', { hasText: `共 ${view.items.length} 项` }).waitFor()
    assert((await card.locator('.value').innerText()).startsWith(String(risky)), `at risk: ${risky}`)
    await card.click()
    await page.waitForURL((u) => u.pathname === '/dual-control')
    await page.locator(rows).first().waitFor()
    await page.waitForFunction(
      ([selector, n]) => document.querySelectorAll(selector).length === n,
      [rows, view.items.length],
    )
    const texts = await page.locator(rows).allInnerTexts()
    assert(
      texts.some((r) => r.includes(county.name) && r.includes('能源消费总量')),
      `its county: ${texts}`,
    )
    assert(!texts.some((r) => r.includes(other.name) || r.includes('山东省')), `nobody else's: ${texts}`)
    assert((await page.locator('[data-test=add-target]').count()) === 0, 'no new version button')
    assert((await page.locator('[data-test=new-version]').count()) === 0, 'no new version per row')
    // Its cascader starts at the city, its counties below.
    await page.locator('[data-test=dual-filters] .el-cascader').click()
    const top = page.locator('.el-cascader-menu').first().locator('.el-cascader-node')
    await top.first().waitFor()
    const names = await top.allInnerTexts()
    assert(names.length === 1 && names[0].includes(cityUser.region_name), `the city alone on top: ${names}`)
    await top.first().click()
    await page.locator('.el-cascader-node', { hasText: county.name }).first().waitFor()
    await page.keyboard.press('Escape')
    await page.screenshot({ path: shot('dual-control-city-desktop'), fullPage: true })
  })

  await test('desktop: an enterprise user is told that targets belong to regions', async ({ page }) => {
    await login(page, 'enterprise')
    assert((await page.locator('.el-menu-item', { hasText: '双控目标与预测' }).count()) === 0, 'no menu entry')
    await page.goto(`${env.url}/dual-control`)
    const empty = page.locator('[data-test=dual-enterprise-empty]')
    await empty.waitFor()
    assert((await empty.innerText()).includes('双控目标按行政区划下达'), 'the explanation')
    assert((await page.locator('[data-test=dual-table]').count()) === 0, 'no table')
    await page.screenshot({ path: shot('dual-control-enterprise-desktop') })
  })

  await test(
    'mobile: the targets as cards on a phone, a card opening its charts at full width',
    async ({ page }) => {
      const view = await province.get('/api/v1/dual-control')
      await login(page, 'province')
      await page.locator('.mobile-menu .el-menu-item', { hasText: '双控目标与预测' }).click()
      await page.waitForURL((u) => u.pathname === '/dual-control')
      const cards = page.locator('[data-test=dual-card]')
      await cards.first().waitFor()
      assert((await page.locator('[data-test=dual-table]').count()) === 0, 'cards, not a table')
      assert((await cards.count()) === view.items.length, `a card per target: ${view.items.length}`)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(width <= PHONE.width, `no horizontal overflow: ${width}`)
      await settled(page)
      await page.screenshot({ path: shot('dual-control-mobile') })
      const last = view.items.length - 1
      await cards.nth(last).click()
      await chartDrawn(page, '[data-test=dual-trend-chart]')
      const box = await page.locator('[data-test=dual-trend-chart]').boundingBox()
      assert(
        box && box.width >= PHONE.width - 60 && box.x + box.width <= PHONE.width,
        `full width: ${JSON.stringify(box)}`,
      )
      await chartDrawn(page, '[data-test=dual-monthly-chart]')
      const after = await page.evaluate(() => document.documentElement.scrollWidth)
      assert(after <= PHONE.width, `no horizontal overflow with the charts: ${after}`)
      await settled(page, 800)
      await page.screenshot({ path: shot('dual-control-chart-mobile') })
    },
    { viewport: PHONE },
  )
}
