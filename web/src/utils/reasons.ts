// The server names what is wrong with a field in English ("check character
// should be 3"); forms show it in Chinese. Unknown reasons are shown as given,
// so a new server-side rule is never hidden.
import { t } from '../i18n'

const rules: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^is required$/, () => t('reasons.required')],
  [/^is required: every factor names where it comes from$/, () => t('reasons.source')],
  [/^already exists$/, () => t('reasons.exists')],
  [/^check character should be (.)$/, (m) => t('reasons.wrongCheck', { c: m[1] })],
  [/^must be 18 characters/, () => t('reasons.usccLength')],
  [/^character \d+ .* is not allowed/, () => t('reasons.usccChar')],
  [/^positions 3-8 must be/, () => t('reasons.usccRegion')],
  [/^only officials can change this field$/, () => t('reasons.officialsOnly')],
  [/^must be a 6-digit county-level/, () => t('reasons.county')],
  [/^no county with code/, () => t('reasons.unknownRegion')],
  [/^no industry with code/, () => t('reasons.unknownIndustry')],
  [/^must be a phone number/, () => t('reasons.phone')],
  [/^must be an integer$/, () => t('reasons.integer')],
  [/^must be a (finite )?number$/, () => t('reasons.number')],
  [/^is wrong$/, () => t('reasons.oldWrong')],
  [/^must differ from the old one$/, () => t('reasons.mustDiffer')],
  [/^must be at least 8 characters$/, () => t('reasons.tooShort')],
  [/^must be at most 128 characters$/, () => t('reasons.tooLong')],
  [/^must contain three of/, () => t('reasons.classes')],
  [/^must be one of (.*)$/, (m) => t('reasons.oneOf', { list: m[1] })],
  [/^lng and lat must be given together$/, () => t('reasons.lngLat')],
  [/^must equal the conversion of the lines: ([\d.]+) tce$/, (m) => t('reasons.conversion', { v: m[1] })],
  [/^differs from the metered ([\d.]+) by ([\d.]+)%; give an explanation$/,
    (m) => t('reasons.metered', { m: m[1], p: m[2] })],
  [/^must be zero or more$/, () => t('reasons.nonNegative')],
  [/^must be a whole number$/, () => t('reasons.integer')],
  [/^is implausibly large$/, () => t('reasons.tooLarge')],
  [/^has not ended yet$/, () => t('reasons.periodOpen')],
  [/^is required to return a report$/, () => t('reasons.returnReason')],
  [/^has no conversion factor in force$/, () => t('reasons.noFactor')],
  [/^unknown (field|section)$/, () => t('reasons.unknownField')],
  [/^must be text$/, () => t('reasons.text')],
]

export function translateReason(reason: string): string {
  for (const [pattern, text] of rules) {
    const m = pattern.exec(reason)
    if (m) return text(m)
  }
  return reason
}
