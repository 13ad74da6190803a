// The server names what is wrong with a field in English ("check character
// should be 3"); forms show it in Chinese. Unknown reasons are shown as given,
// so a new server-side rule is never hidden.
import { i18n, t } from '../i18n'
import { formatSize } from './attachments'
import { measurementReason, statusName as upgradeStatusName } from './upgrades'

const known = (key: string, fallback: string) => (i18n.global.te(key) ? t(key) : fallback)
const permissionName = (p: string) => known(`permissionNames.${p.replace(/\./g, '_')}`, p)

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
  [
    /^differs from the metered ([\d.]+) by ([\d.]+)%; give an explanation$/,
    (m) => t('reasons.metered', { m: m[1], p: m[2] }),
  ],
  [/^must be zero or more$/, () => t('reasons.nonNegative')],
  [/^must be a whole number$/, () => t('reasons.integer')],
  [/^is implausibly large$/, () => t('reasons.tooLarge')],
  [/^has not ended yet$/, () => t('reasons.periodOpen')],
  [/^is required to return a report$/, () => t('reasons.returnReason')],
  [/^has no conversion factor in force$/, () => t('reasons.noFactor')],
  [/^unknown (field|section)$/, () => t('reasons.unknownField')],
  [/^must be text$/, () => t('reasons.text')],
  // User administration.
  [
    /^an? (\w+) user needs an? (\w+)-level region code$/,
    (m) => t('reasons.levelRegion', { level: known(`reasons.levels.${m[2]}`, m[2]) }),
  ],
  [/^outside your jurisdiction$/, () => t('reasons.outsideJurisdiction')],
  [/^you cannot create an? (\w+) user$/, (m) => t('reasons.cannotCreateRole', { role: known(`roles.${m[1]}`, m[1]) })],
  [/^cannot be created through the API$/, () => t('reasons.notThroughApi')],
  [/^is required for enterprise users$/, () => t('reasons.enterpriseRequired')],
  [/^no enterprise with credit code (.*)$/, (m) => t('reasons.noEnterprise', { c: m[1] })],
  [/^is required for department users$/, () => t('reasons.departmentRequired')],
  [/^unknown department (.+)$/, (m) => t('reasons.unknownDepartment', { d: m[1] })],
  [/^is not a known department$/, () => t('reasons.knownDepartment')],
  [/^must be your own department$/, () => t('reasons.ownDepartment')],
  [/^cannot grant (.+)$/, (m) => t('reasons.cannotGrant', { p: permissionName(m[1]) })],
  [/^only department users are granted permissions individually$/, () => t('reasons.onlyDeptUsers')],
  [/^may contain only letters, digits/, () => t('reasons.usernameChars')],
  [/^must be a GB\/T 2260 region code$/, () => t('reasons.regionCode')],
  [/^you cannot disable yourself$/, () => t('reasons.disableSelf')],
  [/^you cannot grant yourself permissions$/, () => t('reasons.grantSelf')],
  [/^is your own account$/, () => t('reasons.ownAccount')],
  // Warnings.
  [/^is required to dismiss$/, () => t('reasons.dismissNote')],
  [/^must be a number, 0 or more$/, () => t('reasons.nonNegativeNumber')],
  [/^unknown: (.+)$/, (m) => t('reasons.unknownValue', { v: m[1] })],
  // Control targets.
  [/^must be a positive number$/, () => t('reasons.positive')],
  [/^is required for output_cap$/, () => t('reasons.productRequired')],
  [/^is not a region of the registry/, () => t('reasons.notRegion')],
  [/^must be a year between 2000 and 2100$/, () => t('reasons.yearRange')],
  [
    /^must be ((?:\w+, )+\w+ or \w+)$/,
    (m) =>
      t('reasons.indicatorOneOf', {
        list: m[1]
          .split(/, | or /)
          .map((c) => known(`dualControl.indicators.${c}`, c))
          .join('、'),
      }),
  ],
  // Review items and the 两高 list.
  [/^is required: why the enterprise should join or leave the list$/, () => t('reasons.listReason')],
  [/^is required to return an item$/, () => t('reasons.returnReason')],
  [/^is already listed$/, () => t('reasons.alreadyListed')],
  [/^is already delisted$/, () => t('reasons.alreadyDelisted')],
  [/^has open review item \d+$/, () => t('reasons.proposalOpen')],
  [/^must be a date YYYY-MM-DD$/, () => t('reasons.date')],
  [/^changed meanwhile$/, () => t('reasons.changedMeanwhile')],
  // Files attached to filings.
  [/^is empty$/, () => t('reasons.fileEmpty')],
  [
    /^is (\d+) bytes; at most (\d+) bytes are accepted$/,
    (m) => t('reasons.fileTooLarge', { size: formatSize(Number(m[1])), max: formatSize(Number(m[2])) }),
  ],
  [/^is not an accepted kind of file/, () => t('reasons.fileKind')],
  [/^must be 1 to 200 bytes$/, () => t('reasons.filename')],
  [/ is not an uploaded attachment$/, () => t('reasons.attachmentUnknown')],
  [/^must be a list of at most 20 attachment ids/, () => t('reasons.attachmentList')],
  // Files of enterprises and projects.
  [/^is required when \w+ is given$/, () => t('reasons.requiredWith')],
  [/^must be at most (\d+) bytes$/, (m) => t('reasons.atMostBytes', { n: m[1] })],
  [
    /^is (submitted|county_approved|city_approved|approved|returned)$/,
    (m) =>
      t('reasons.itemStatus', { status: t(`todo.statuses.${/^(approved|returned)$/.test(m[1]) ? m[1] : 'open'}`) }),
  ],
  // Upgrade plans (一企一策).
  [
    /^is required: 1 to \d+ of the enterprise's projects below the benchmark level$/,
    () => t('reasons.upgradeProjects'),
  ],
  [/^project \d+ is named twice$/, () => t('reasons.projectTwice')],
  [/^project \d+ is not one of the enterprise's$/, () => t('reasons.notOwnProject')],
  [/^project \d+ is not an existing project below the benchmark level$/, () => t('reasons.notBelowBenchmark')],
  [/^project \d+ is already in upgrade plan (\d+)$/, (m) => t('reasons.inOtherPlan', { id: m[1] })],
  [/^must be benchmark \(基准\) or advanced \(标杆\)$/, () => t('reasons.targetLevel')],
  [/^is required: a number not below 0$/, () => t('reasons.nonNegativeRequired')],
  [/^must not be after today \((.+)\)$/, (m) => t('reasons.notAfterToday', { d: m[1] })],
  [/^must not be before the plan was adopted \((.+)\)$/, (m) => t('reasons.notBeforeAdopted', { d: m[1] })],
  [/^must be after (\d{4}-\d{2}-\d{2})$/, (m) => t('reasons.after', { d: m[1] })],
  [/^must be a list of at most (\d+) milestones$/, (m) => t('reasons.milestoneList', { n: m[1] })],
  [/^must be an object with title and due$/, () => t('reasons.milestone')],
  [/^is required: a whole percentage 0–99/, () => t('reasons.progress')],
  [/^has upgrade plan (\d+); one plan per enterprise until it is accepted$/, (m) => t('reasons.onePlan', { id: m[1] })],
  [/^is (filed|in_progress|completed|accepted)$/, (m) => t('reasons.planStatus', { status: upgradeStatusName(m[1]) })],
  [/^(the works are not reported complete|project \d+: .*)$/, (m) => measurementReason(m[1]) ?? m[1]],
  // The other texts and dates a filing names.
  [/^is required: a date YYYY-MM-DD$/, () => t('reasons.dateRequired')],
  [/^must be a non-empty text: /, () => t('reasons.nonEmpty')],
  [/^is required: /, () => t('reasons.required')],
]

export function translateReason(reason: string): string {
  for (const [pattern, text] of rules) {
    const m = pattern.exec(reason)
    if (m) return text(m)
  }
  return reason
}
