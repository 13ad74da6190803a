// The enterprise list (scope, search, filters, export, columns, creating) and the enterprise file.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { api, assert, chartDrawn, env, field, login, makeUscc, shot, test, viewports } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    const mobile = label === 'mobile'

    await test(
      `${label}: each official sees exactly its scope`,
      async ({ open }) => {
        const totals = {}
        for (const user of ['province', 'city', 'county']) {
          const { page } = await open()
          await login(page, user)
          await page.goto(env.url + '/enterprises')
          await page.locator('[data-test=total]').waitFor()
          const me = (await api(page, '/api/v1/me')).user
          // The list opens on the enterprises on the 两高 list.
          const list = await api(page, '/api/v1/enterprises?page_size=500&list_status=listed')
          const prefix = me.region.endsWith('0000')
            ? me.region.slice(0, 2)
            : me.region.endsWith('00')
              ? me.region.slice(0, 4)
              : me.region
          assert(
            list.items.every((e) => e.region.startsWith(prefix)),
            `${user} sees only its region`,
          )
          await page.waitForFunction(
            (n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
            list.total,
            { timeout: 10000 },
          )
          // Those taken off the list count towards what the official may see.
          totals[user] = (await api(page, '/api/v1/enterprises?page_size=1')).total
          if (user !== 'province')
            await page.screenshot({ path: shot(`enterprises-${user}-${label}`), fullPage: !mobile })
        }
        // 150 generated, plus the one the desktop run creates.
        assert(
          totals.province >= 150 && totals.city < totals.province && totals.county <= totals.city,
          `totals ${JSON.stringify(totals)}`,
        )
      },
      { viewport },
    )

    if (mobile)
      await test(
        `${label}: search an enterprise with one thumb and open its file`,
        async ({ page }) => {
          await login(page, 'province')
          await page.goto(env.url + '/enterprises')
          await page.locator('[data-test=enterprise-card]').first().waitFor()
          await field(page, 'filter-q').fill('水泥')
          await page.locator('[data-test=search]').click()
          const expected = await api(page, '/api/v1/enterprises?list_status=listed&q=' + encodeURIComponent('水泥'))
          await page.waitForFunction(
            (n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
            expected.total,
            { timeout: 10000 },
          )
          const names = await page.locator('[data-test=enterprise-card] .card-name').allInnerTexts()
          assert(names.length > 0 && names.every((n) => n.includes('水泥')), `cards match the search: ${names}`)
          await page.screenshot({ path: shot(`enterprises-search-${label}`), fullPage: true })
          await page.locator('[data-test=enterprise-card]').first().click()
          await page.waitForURL(/\/enterprises\/\d+$/)
          await page.locator('[data-test=enterprise-name]', { hasText: names[0] }).waitFor()
        },
        { viewport },
      )

    if (!mobile)
      await test(
        `${label}: filter and export the enterprise list`,
        async ({ page }) => {
          await login(page, 'province')
          await page.goto(env.url + '/enterprises')
          await page.locator('[data-test=enterprise-table] .el-table__row').first().waitFor()
          await page.screenshot({ path: shot(`enterprises-province-${label}`), fullPage: true })
          await field(page, 'filter-q').fill('钢铁')
          await page.locator('[data-test=search]').click()
          const expected = await api(page, '/api/v1/enterprises?list_status=listed&q=' + encodeURIComponent('钢铁'))
          await page.waitForFunction(
            (n) => document.querySelector('[data-test=total]')?.textContent?.includes(`共 ${n} 家`),
            expected.total,
            { timeout: 10000 },
          )
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.locator('[data-test=export-csv]').click(),
          ])
          const file = await download.path()
          const lines = readFileSync(file, 'utf8').trim().split(/\r\n/)
          assert(lines.length === expected.total + 1, `csv rows ${lines.length - 1} vs ${expected.total}`)
          assert(
            lines.slice(1).every((l) => l.includes('钢铁')),
            'every exported row matches the filter',
          )
          const [xlsx] = await Promise.all([
            page.waitForEvent('download'),
            page.locator('[data-test=export-xlsx]').click(),
          ])
          const sheet = execFileSync('unzip', ['-p', await xlsx.path(), 'xl/worksheets/sheet1.xml']).toString()
          const rows = (sheet.match(/<row /g) ?? []).length
          assert(rows === expected.total + 1, `xlsx rows ${rows - 1} vs ${expected.total}`)
        },
        { viewport },
      )

    await test(
      `${label}: enterprise file with energy chart and history`,
      async ({ page }) => {
        await login(page, 'city')
        const list = await api(page, '/api/v1/enterprises?page_size=1')
        const id = list.items[0].id
        await page.goto(`${env.url}/enterprises/${id}`)
        await page.locator('[data-test=enterprise-name]').waitFor()
        await page.screenshot({ path: shot(`enterprise-file-basic-${label}`), fullPage: true })
        await page.getByRole('tab', { name: '能耗', exact: true }).click()
        await chartDrawn(page, '[data-test=energy-chart]')
        await page.waitForTimeout(400)
        await page.screenshot({ path: shot(`enterprise-file-energy-${label}`), fullPage: true })
        const days = await page.evaluate(() =>
          document.querySelector('[data-test=energy-chart]')?.getAttribute('_echarts_instance_'),
        )
        assert(days, 'the energy chart is an ECharts instance')
        await page.locator('[data-test=energy-step] label').nth(1).click()
        await page.waitForTimeout(600)
        await chartDrawn(page, '[data-test=energy-chart]')
        const monthly = await api(page, `/api/v1/energy?group_by=enterprise&enterprise=${id}&step=month`)
        assert(
          monthly.items.length === 1 && monthly.items[0].total > 0,
          'the enterprise has metered electricity this year',
        )
        await page.getByRole('tab', { name: '计量点位' }).click()
        await page.screenshot({ path: shot(`enterprise-file-points-${label}`), fullPage: true })
        await page.locator('[data-test=points-table] .el-table__row').first().click()
        await page.waitForURL(/\/points\/\d+/)
        await chartDrawn(page, '[data-test=point-chart]')
      },
      { viewport },
    )

    if (!mobile)
      await test(
        `${label}: wrong credit code is shown on the field`,
        async ({ page }) => {
          await login(page, 'province')
          await page.goto(`${env.url}/enterprises/2`)
          await page.locator('[data-test=edit]').click()
          const input = field(page, 'edit-uscc')
          const uscc = await input.inputValue()
          const wrong = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0')
          await input.fill(wrong)
          await page.locator('[data-test=save]').click()
          await page.locator('.el-form-item__error').first().waitFor()
          const error = await page.locator('.el-form-item__error').first().innerText()
          assert(error.includes('校验码错误，应为 ' + uscc[17]), `field error: ${error}`)
          await page.screenshot({ path: shot(`enterprise-edit-error-${label}`) })
        },
        { viewport },
      )

    if (!mobile)
      await test(
        `${label}: create an enterprise, with the server's field errors on the form`,
        async ({ page }) => {
          await login(page, 'province')
          await page.goto(env.url + '/enterprises')
          await page.locator('[data-test=create]').click()
          await field(page, 'create-name').fill('济南测试新材料有限公司')
          await page.locator('[data-test=create-form] .el-cascader').click()
          await page
            .locator('.el-cascader__dropdown:visible .el-cascader-menu')
            .first()
            .locator('.el-cascader-node')
            .first()
            .click()
          await page
            .locator('.el-cascader__dropdown:visible .el-cascader-menu')
            .nth(1)
            .locator('.el-cascader-node')
            .first()
            .click()
          await page
            .locator('.el-cascader__dropdown:visible .el-cascader-menu')
            .nth(2)
            .locator('.el-cascader-node')
            .first()
            .click()
          await page.locator('[data-test=create-form] .el-select').click()
          await page.locator('.el-select-dropdown__item:visible').first().click()
          const uscc = makeUscc('370102', 4242)
          const wrong = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0')
          await field(page, 'create-uscc').fill(wrong)
          await page.screenshot({ path: shot(`enterprise-create-${label}`) })
          await page.locator('[data-test=create-save]').click()
          await page.locator('[data-test=create-form] .el-form-item__error').first().waitFor()
          const error = await page.locator('[data-test=create-form] .el-form-item__error').first().innerText()
          assert(error.includes('校验码错误，应为 ' + uscc[17]), `field error: ${error}`)
          await page.screenshot({ path: shot(`enterprise-create-error-${label}`) })
          await field(page, 'create-uscc').fill(uscc)
          await page.locator('[data-test=create-save]').click()
          await page.waitForURL(/\/enterprises\/\d+$/)
          await page.locator('[data-test=enterprise-name]', { hasText: '济南测试新材料有限公司' }).waitFor()
          const found = await api(page, `/api/v1/enterprises?q=${uscc}`)
          assert(found.total === 1 && found.items[0].name === '济南测试新材料有限公司', 'the enterprise is stored')
        },
        { viewport },
      )

    if (!mobile)
      await test(
        `${label}: the column chooser shows and hides columns and remembers them`,
        async ({ page }) => {
          await login(page, 'city')
          await page.goto(env.url + '/enterprises')
          await page.locator('[data-test=enterprise-table] .el-table__row').first().waitFor()
          const headers = () => page.locator('[data-test=enterprise-table] th').allInnerTexts()
          assert(
            (await headers()).some((h) => h.includes('统一社会信用代码')),
            'credit code shown by default',
          )
          await page.locator('[data-test=columns]').click()
          await page.locator('[data-test=column-list] label', { hasText: '统一社会信用代码' }).click()
          await page.locator('[data-test=column-list] label', { hasText: '地址' }).click()
          await page.waitForTimeout(200)
          let now = await headers()
          assert(
            !now.some((h) => h.includes('统一社会信用代码')) && now.some((h) => h.includes('地址')),
            `headers ${now}`,
          )
          await page.screenshot({ path: shot(`enterprises-columns-${label}`) })
          await page.reload()
          await page.locator('[data-test=enterprise-table] .el-table__row').first().waitFor()
          now = await headers()
          assert(
            !now.some((h) => h.includes('统一社会信用代码')) && now.some((h) => h.includes('地址')),
            `kept: ${now}`,
          )
        },
        { viewport },
      )

    await test(
      `${label}: the enterprise user sees only its own file`,
      async ({ page }) => {
        await login(page, 'enterprise')
        const me = (await api(page, '/api/v1/me')).user
        await page.waitForURL(new RegExp(`/enterprises/${me.enterprise_id}$`))
        await page.goto(`${env.url}/enterprises/${me.enterprise_id + 1}`)
        await page.waitForURL(new RegExp(`/enterprises/${me.enterprise_id}$`))
        await page.goto(`${env.url}/enterprises`)
        await page.waitForURL(new RegExp(`/enterprises/${me.enterprise_id}$`))
        const other = await page.evaluate(
          async (id) => (await fetch(`/api/v1/enterprises/${id}`)).status,
          me.enterprise_id + 1,
        )
        assert(other === 404, `other enterprise answers ${other}`)
        await page.locator('[data-test=enterprise-name]').waitFor()
        await page.screenshot({ path: shot(`enterprise-own-file-${label}`), fullPage: true })
      },
      { viewport },
    )

    if (!mobile)
      await test(
        `${label}: creating enterprises takes enterprise.create, not enterprise.write`,
        async ({ open }) => {
          // The county may create; a department administrator (read only) may not; the enterprise user has no list.
          for (const [user, offered] of [
            ['county', true],
            ['dept_admin', false],
          ]) {
            const { page } = await open()
            await login(page, user)
            await page.goto(env.url + '/enterprises')
            await page.locator('[data-test=enterprise-table] .el-table__row').first().waitFor()
            const me = (await api(page, '/api/v1/me')).user
            assert(me.permissions.includes('enterprise.create') === offered, `${user} enterprise.create ${offered}`)
            assert(
              (await page.locator('[data-test=create]').count()) === (offered ? 1 : 0),
              `${user}: create button ${offered}`,
            )
          }
        },
        { viewport },
      )
  }
}
