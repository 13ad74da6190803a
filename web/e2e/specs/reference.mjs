// Reference data: conversion factors with their status, new versions, an edited list item.
import { api, assert, env, field, login, shot, test, viewports } from '../lib.mjs'

export default async function () {
  for (const [label, viewport] of viewports) {
    const mobile = label === 'mobile'
    await test(
      `${label}: reference data lists factors with their status; the province adds a version`,
      async ({ page }) => {
        await login(page, 'province')
        await page.goto(env.url + '/reference')
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
          // A blank source is refused as required (the server trims reference text fields).
          await page.locator('[data-test=factor-form] .el-form-item__error', { hasText: '必填' }).waitFor()
          await page.screenshot({ path: shot(`reference-add-error-${label}`) })
          await field(page, 'factor-source').fill('焦炭低位发热量复核（2030 年起）')
          await page.locator('[data-test=save-factor]').click()
          await page.locator('[data-test=factor-table] .el-table__row', { hasText: '980' }).waitFor()
          const coke = (await api(page, '/api/v1/reference/factors')).items.filter((f) => f.energy_type === 'coke')
          assert(
            coke.length === 2 && coke[1].version === 2 && coke[1].valid_from === '2030-01-01',
            JSON.stringify(coke),
          )
          // A new version of a product's efficiency levels, starting from the levels in force.
          await page.locator('[data-test=add-level]').click()
          await page.locator('[data-test=level-product]').click()
          await page.locator('.el-select-dropdown__item:visible', { hasText: '焦炭' }).click()
          await field(page, 'level-benchmark').fill('132')
          await field(page, 'factor-source').fill('焦炭基准水平复核')
          await page.locator('[data-test=save-factor]').click()
          await page.locator('[data-test=level-table] .el-table__row', { hasText: '焦炭基准水平复核' }).waitFor()
          const coking = (await api(page, '/api/v1/reference/efficiency-levels')).items.filter(
            (l) => l.product === '焦炭',
          )
          assert(
            coking.length === 2 && coking[1].benchmark === 132 && coking[1].advanced === coking[0].advanced,
            JSON.stringify(coking),
          )
          await page.locator('[data-test=factor-form]').waitFor({ state: 'hidden' })
          // The disposal types are a list the province edits; the old name stays in the history.
          await page
            .locator('[data-test=list-disposal_types] .el-table__row', { hasText: '依法关停' })
            .locator('[data-test=edit-disposal_types]')
            .click()
          await field(page, 'name-disposal_types').fill('依法关闭')
          await page.locator('[data-test=save-disposal_types]').click()
          await page.locator('[data-test=form-disposal_types] .el-form-item__error').waitFor() // a source is required
          await field(page, 'source-disposal_types').fill('省政府办公厅通知')
          await page.locator('[data-test=save-disposal_types]').click()
          await page.locator('[data-test=list-disposal_types] .el-table__row', { hasText: '依法关闭' }).waitFor()
          const closeDown = (await api(page, '/api/v1/reference/lists/disposal_types')).items.find(
            (d) => d.code === 'close_down',
          )
          assert(closeDown.version === 2 && closeDown.history[0].name === '依法关停', JSON.stringify(closeDown))
          await page.locator('[data-test=form-disposal_types]').waitFor({ state: 'hidden' })
        }
        await page.screenshot({ path: shot(`reference-${label}`), fullPage: true })
      },
      { viewport },
    )
  }
}
