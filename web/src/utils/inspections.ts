// Inspections (督导检查) in Chinese: a plan's kind, a task's selection and status, a finding's category,
// severity and state with their colours, a deduction's indicator and unit; the plan and the visit as they are
// sent (texts trimmed, every row kept so that the server's field names point at it), an event's photos, what a
// task's findings count, and the row a server field names.
import type { Attachment } from '../api/reviews'
import type {
  Finding,
  FindingEvent,
  IndicatorDeduction,
  InspectionPlanFiling,
  InspectionTeamFiling,
  InspectionVisit,
  Severity,
  VisitFinding,
} from '../api/inspections'
import { i18n, t } from '../i18n'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

const named = (key: string, fallback: string) => (i18n.global.te(key) ? t(key) : fallback)

export const kindName = (kind: string) => named(`inspections.kinds.${kind}`, kind)
export const selectionName = (selection: string) => named(`inspections.selections.${selection}`, selection)
export const taskStatusName = (status: string) => named(`inspections.taskStatuses.${status}`, status)
export const categoryName = (category: string) => named(`inspections.categories.${category}`, category)
export const severityName = (severity: string) => named(`inspections.severities.${severity}`, severity)
export const findingStateName = (state: string) => named(`inspections.findingStates.${state}`, state)
export const eventName = (kind: string) => named(`inspections.eventKinds.${kind}`, kind)
export const indicatorName = (indicator: string) => named(`inspections.indicators.${indicator}`, indicator)
export const unitName = (unit: string) => named(`inspections.units.${unit}`, unit)

export function kindType(kind: string): TagType {
  if (kind === 'comprehensive') return 'primary'
  if (kind === 'four_in') return 'success'
  return 'warning'
}

export const taskStatusType = (status: string): TagType => (status === 'visited' ? 'success' : 'info')
export const severityType = (severity: Severity | string): TagType => (severity === 'major' ? 'danger' : 'warning')

export function findingStateType(state: string): TagType {
  switch (state) {
    case 'verified':
      return 'success'
    case 'rectified':
      return 'primary'
    default:
      return 'danger'
  }
}

export function eventType(kind: string): TagType {
  if (kind === 'verified') return 'success'
  if (kind === 'reopened') return 'danger'
  if (kind === 'rectified') return 'primary'
  return 'warning'
}

// An open finding past its deadline (dates as YYYY-MM-DD, China time).
export const findingOverdue = (f: Pick<Finding, 'state' | 'deadline'>, today: string) =>
  f.state === 'open' && f.deadline < today

// How many of the findings are open, rectified (waiting for the check) and verified.
export function findingCounts(findings: Pick<Finding, 'state'>[]): Record<Finding['state'], number> {
  const out = { open: 0, rectified: 0, verified: 0 }
  for (const f of findings) if (f.state in out) out[f.state]++
  return out
}

// The files an event carries, in its order, from the task's attachments (an id the task lacks is skipped).
export function filesOf(e: Pick<FindingEvent, 'attachments'>, attachments: Attachment[]): Attachment[] {
  const byId = new Map(attachments.map((a) => [a.id, a]))
  return e.attachments.map((id) => byId.get(id)).filter((a): a is Attachment => !!a)
}

export const isImage = (a: Pick<Attachment, 'media_type'>) => a.media_type.startsWith('image/')

// Whom a deduction is charged to: the enterprise, or the region.
export const deductionTarget = (d: Pick<IndicatorDeduction, 'enterprise' | 'region_name'>) =>
  d.enterprise?.name ?? d.region_name

export const emptyTeam = (): InspectionTeamFiling => ({ name: '', leader: '', members: '' })

// The plan as it is sent: texts trimmed, the region only when one is chosen. Every team row is sent, so that
// the server's "teams[1].leader" names the row of the form.
export function planFiling(form: InspectionPlanFiling): InspectionPlanFiling {
  const out: InspectionPlanFiling = {
    kind: form.kind,
    title: form.title.trim(),
    starts_on: form.starts_on,
    ends_on: form.ends_on,
    focus: form.focus.trim(),
    teams: form.teams.map((team) => ({
      name: team.name.trim(),
      leader: team.leader.trim(),
      members: team.members.trim(),
    })),
  }
  if (form.region) out.region = form.region
  return out
}

export interface FindingRow extends Omit<VisitFinding, 'attachments' | 'category'> {
  category: VisitFinding['category'] | ''
  files: Attachment[]
}

export const emptyFinding = (): FindingRow => ({
  category: '',
  description: '',
  severity: 'minor',
  requirement: '',
  deadline: '',
  files: [],
})

// The visit as it is sent: texts trimmed, photos as attachment ids. Every finding row is sent (a visit without
// findings has none), so that the server's "findings[1].deadline" names the row of the form.
export function visitOf(visitedOn: string, summary: string, rows: FindingRow[]): InspectionVisit {
  return {
    visited_on: visitedOn,
    summary: summary.trim(),
    findings: rows.map((f) => {
      const finding: VisitFinding = {
        category: f.category as VisitFinding['category'],
        description: f.description.trim(),
        severity: f.severity,
        requirement: f.requirement.trim(),
        deadline: f.deadline,
      }
      if (f.files.length) finding.attachments = f.files.map((a) => a.id)
      return finding
    }),
  }
}

// A server field of the visit ("findings[1].deadline") as the row and the field of the form, or null.
export function findingField(field: string): { row: number; field: string } | null {
  const m = /^findings\[(\d+)\]\.(\w+)$/.exec(field)
  return m ? { row: Number(m[1]), field: m[2] } : null
}

// A team row's field the server named ("teams[0].leader"), likewise.
export function teamField(field: string): { row: number; field: string } | null {
  const m = /^teams\[(\d+)\]\.(\w+)$/.exec(field)
  return m ? { row: Number(m[1]), field: m[2] } : null
}
