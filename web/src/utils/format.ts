// Number, unit and China-time formatting for the console (zh-CN).

const CHINA_OFFSET_MS = 8 * 3600 * 1000

// 12345 -> "12,345"; keeps up to `digits` decimals.
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  return value.toLocaleString('zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

// Electricity in the unit that keeps figures readable: 千瓦时, 万千瓦时, 亿千瓦时.
export function formatKwh(kwh: number | null | undefined): { value: string; unit: string } {
  if (kwh === null || kwh === undefined) return { value: '—', unit: '千瓦时' }
  const abs = Math.abs(kwh)
  if (abs >= 1e8) return { value: formatNumber(kwh / 1e8, 2), unit: '亿千瓦时' }
  if (abs >= 1e4) return { value: formatNumber(kwh / 1e4, 2), unit: '万千瓦时' }
  return { value: formatNumber(kwh, 1), unit: '千瓦时' }
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—'
  return `${(ratio * 100).toFixed(digits)}%`
}

// An ISO instant shown in China time: "2026-11-22 10:15".
export function formatChinaTime(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '—'
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return '—'
  const d = new Date(ms + CHINA_OFFSET_MS)
  const pad = (n: number) => String(n).padStart(2, '0')
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  return withTime ? `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : date
}

// The China-time calendar date of an instant, "YYYY-MM-DD".
export function chinaDate(ms: number): string {
  return formatChinaTime(new Date(ms).toISOString(), false)
}

// Interval in seconds as words: 300 -> "5 分钟".
export function formatInterval(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} 小时`
  if (seconds % 60 === 0) return `${seconds / 60} 分钟`
  return `${seconds} 秒`
}

// Rows as CSV text with a UTF-8 BOM so that spreadsheet programs read Chinese correctly.
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const cell = (v: string | number | boolean | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v)
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

// The calendar day after "YYYY-MM-DD" (China time has no daylight saving, so calendar arithmetic is exact).
export function nextChinaDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

// The first day of the month after "YYYY-MM": "2026-12" -> "2027-01-01".
export function nextChinaMonth(month: string): string {
  const [y, m] = month.split('-').map(Number)
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)
}

// The China month before the current one, "YYYY-MM" (the month a monthly report is due for).
export function previousChinaMonth(now = Date.now()): string {
  const [y, m] = chinaDate(now).split('-').map(Number)
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

// A table cell: integers as they are, other numbers to two decimals, text as given, nothing for null.
export function formatCell(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return ''
  return typeof v === 'number' ? formatNumber(v, Number.isInteger(v) ? 0 : 2) : v
}

// Standard coal in the unit that keeps figures readable: 吨标准煤 or 万吨标准煤.
export function formatTce(tce: number | null | undefined): { value: string; unit: string } {
  if (tce === null || tce === undefined) return { value: '—', unit: '吨标准煤' }
  if (Math.abs(tce) >= 1e4) return { value: formatNumber(tce / 1e4, 2), unit: '万吨标准煤' }
  return { value: formatNumber(tce, 1), unit: '吨标准煤' }
}

// A deadline is an exclusive instant (00:00 of the next day); people read the last day it allows.
export function dueDate(iso: string): string {
  return chinaDate(Date.parse(iso) - 1)
}
