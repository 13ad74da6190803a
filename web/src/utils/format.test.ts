import { describe, expect, it } from 'vitest'
import {
  chinaDate,
  formatChinaTime,
  formatInterval,
  formatKwh,
  formatNumber,
  dueDate,
  formatPercent,
  formatTce,
  nextChinaDay,
  nextChinaMonth,
  toCsv,
  previousChinaMonth,
  formatCell,
} from './format'

describe('formatting', () => {
  it('picks a readable electricity unit', () => {
    expect(formatKwh(950)).toEqual({ value: '950', unit: '千瓦时' })
    expect(formatKwh(123456)).toEqual({ value: '12.35', unit: '万千瓦时' })
    expect(formatKwh(2.5e9)).toEqual({ value: '25', unit: '亿千瓦时' })
    expect(formatKwh(null).value).toBe('—')
  })
  it('reads a deadline as the last day it allows', () => {
    expect(dueDate('2026-11-05T16:00:00.000Z')).toBe('2026-11-05')
  })
  it('shows standard coal in tonnes or ten-thousand tonnes', () => {
    expect(formatTce(812.34)).toEqual({ value: '812.3', unit: '吨标准煤' })
    expect(formatTce(123456)).toEqual({ value: '12.35', unit: '万吨标准煤' })
    expect(formatTce(undefined).value).toBe('—')
  })
  it('formats numbers and percentages', () => {
    expect(formatNumber(1234567)).toBe('1,234,567')
    expect(formatNumber(undefined)).toBe('—')
    expect(formatPercent(0.9731)).toBe('97.3%')
  })
  it('shows instants in China time, across the UTC day boundary', () => {
    expect(formatChinaTime('2026-11-21T16:00:00.000Z')).toBe('2026-11-22 00:00')
    expect(formatChinaTime('2026-11-21T15:59:00Z', false)).toBe('2026-11-21')
    expect(chinaDate(Date.parse('2026-12-31T16:30:00Z'))).toBe('2027-01-01')
    expect(formatChinaTime('garbage')).toBe('—')
  })
  it('names intervals', () => {
    expect(formatInterval(300)).toBe('5 分钟')
    expect(formatInterval(3600)).toBe('1 小时')
    expect(formatInterval(45)).toBe('45 秒')
  })
  it('writes CSV that spreadsheets read', () => {
    const csv = toCsv(
      ['名称', '备注'],
      [
        ['济南"钢铁"', 'a,b'],
        ['x', null],
      ],
    )
    expect(csv.startsWith('\uFEFF')).toBe(true)
    expect(csv).toContain('"济南""钢铁""","a,b"')
    expect(csv).toContain('x,\r\n')
  })
  it('steps China-time calendar periods across month and year ends', () => {
    expect(nextChinaDay('2026-11-30')).toBe('2026-12-01')
    expect(nextChinaDay('2028-02-28')).toBe('2028-02-29')
    expect(nextChinaMonth('2026-12')).toBe('2027-01-01')
    expect(nextChinaMonth('2026-01')).toBe('2026-02-01')
  })

  it('names the month before, in China time, and formats table cells', () => {
    // 2026-01-15 and 2026-03-31T17:00Z (already 1 April in China).
    expect(previousChinaMonth(Date.UTC(2026, 0, 15))).toBe('2025-12')
    expect(previousChinaMonth(Date.UTC(2026, 2, 31, 17))).toBe('2026-03')
    expect(formatCell(1234567)).toBe('1,234,567')
    expect(formatCell(12.345)).toBe('12.35')
    expect(formatCell('A')).toBe('A')
    expect(formatCell(null)).toBe('')
  })
})
