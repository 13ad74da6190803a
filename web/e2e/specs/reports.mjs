// Monthly reports from draft to province approval, and the county's late and missing reports.
import { api, assert, env, field, login, shot, test, viewports } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    const mobile = label === 'mobile'

    if (!mobile)
      await test(
        `${label}: a monthly report walks from draft to province approval, with a return between`,
        async ({ open }) => {
          const pages = {}
          for (const user of ['enterprise', 'county', 'city', 'province']) {
            const { page } = await open()
            await login(page, user)
            pages[user] = page
          }
          const ent = pages.enterprise
          await ent.goto(env.url + '/reports')
          await ent.locator('[data-test=report-duty]', { hasText: '月报尚未提交' }).waitFor()
          await ent.locator('[data-test=fill-last-month]').click()
          await ent.waitForURL(/\/reports\/\d+\/monthly\/\d{4}-\d{2}$/)
          const reportUrl = ent.url()
          await ent.locator('[data-test=energy-table]').waitFor()
          const business = {
            gross_output_value: 12000,
            value_added: 3100,
            tax: 420,
            revenue: 11800,
            staff: 356,
            total_assets: 56000,
            rd_spend: 300,
          }
          for (const [key, value] of Object.entries(business)) await field(ent, `business-${key}`).fill(String(value))
          await ent.locator('[data-test=add-product]').click()
          await field(ent, 'product-0-product').fill('水泥熟料')
          await field(ent, 'product-0-unit').fill('t')
          await field(ent, 'product-0-output').fill('52000')
          // Metered types arrive pre-filled; a plant without metered electricity this month types its own.
          if (!(await field(ent, 'energy-electricity').inputValue()))
            await field(ent, 'energy-electricity').fill('200000')
          await field(ent, 'energy-raw_coal').fill('100')
          await field(ent, 'energy-comprehensive').fill('1')
          await ent.locator('[data-test=submit-report]').click()
          await ent.locator('.el-form-item__error', { hasText: '应等于各品种折标之和' }).waitFor()
          await ent.screenshot({ path: shot(`report-check-error-${label}`), fullPage: true })
          await ent.locator('[data-test=compute]').click()
          await ent.locator('[data-test=submit-report]').click()
          await ent.locator('[data-test=report-status]', { hasText: '待县级审核' }).waitFor()

          const review = async (who, action, reason) => {
            const page = pages[who]
            await page.goto(env.url + '/reports')
            await page.locator('[data-test=report-table] .el-table__row').first().waitFor()
            await page.locator('[data-test=report-table] .el-table__row').first().click()
            await page.waitForURL(/\/reports\/\d+\/monthly\//)
            await page.locator(`[data-test=${action}-report]`).waitFor()
            if (who === 'county') await page.screenshot({ path: shot(`report-review-${label}`), fullPage: true })
            await page.locator(`[data-test=${action}-report]`).click()
            if (action === 'return') {
              await field(page, 'return-reason').fill(reason)
              await page.locator('[data-test=confirm-return]').click()
            }
            await page
              .locator('[data-test=report-trail]')
              .getByText(action === 'approve' ? '审核通过' : reason)
              .last()
              .waitFor()
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

          const prov = pages.province
          await prov.locator('[data-test=report-status]', { hasText: '已通过' }).waitFor()
          const id = Number(/reports\/(\d+)\//.exec(prov.url())[1])
          const period = /monthly\/(\d{4}-\d{2})/.exec(prov.url())[1]
          const file = await api(prov, `/api/v1/enterprises/${id}/reports/monthly/${period}`)
          assert(
            file.versions.length === 2 && file.versions[1].content.business.gross_output_value === 11000,
            `two versions kept: ${JSON.stringify(file.versions.map((v) => v.version))}`,
          )
          assert(
            file.actions.map((a) => a.action).join(',') === 'submit,approve,return,submit,approve,approve,approve',
            `trail ${file.actions.map((a) => a.action)}`,
          )
          await prov.screenshot({ path: shot(`report-approved-${label}`), fullPage: true })
          // Accounting now takes the month from the approved report, and says so.
          await prov.goto(`${env.url}/enterprises/${id}`)
          await prov.getByRole('tab', { name: '能耗核算' }).click()
          await prov.locator('[data-test=accounting-sources]', { hasText: `${period} · 已审核报表` }).waitFor()
          const account = await api(prov, `/api/v1/accounting/enterprises/${id}?period=${period}`)
          assert(
            Math.abs(account.comprehensive_tce.equivalent - file.versions[1].comprehensive_tce) < 1e-6,
            `accounting ${account.comprehensive_tce.equivalent} vs report ${file.versions[1].comprehensive_tce}`,
          )
          await prov.screenshot({ path: shot(`enterprise-accounting-${label}`), fullPage: true })
          await ent.goto(env.url + '/reports')
          await ent.locator('[data-test=report-table] .el-table__row', { hasText: '已通过' }).waitFor()
          await ent.locator('[data-test=report-duty]', { hasText: '年报尚未提交' }).waitFor()
          assert(
            !(await ent.locator('[data-test=report-duty]', { hasText: '月报' }).count()),
            'no monthly duty once submitted',
          )
          await ent.screenshot({ path: shot(`reports-enterprise-${label}`), fullPage: true })
        },
        { viewport },
      )

    if (mobile)
      await test(
        `${label}: late and missing reports of the county`,
        async ({ page }) => {
          await login(page, 'county')
          await page.goto(env.url + '/reports/late')
          await page.locator('[data-test=late-table] .el-table__row').first().waitFor()
          const me = (await api(page, '/api/v1/me')).user
          const late = await api(page, '/api/v1/reports/late')
          assert(
            late.items.length > 0 && late.items.every((i) => i.region === me.region),
            'the county sees its own late list',
          )
          await page.screenshot({ path: shot(`reports-late-${label}`), fullPage: true })
        },
        { viewport },
      )
  }
}
