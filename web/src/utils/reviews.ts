// Review items in Chinese: flow, level, status and step names, the status as people read it (who acts
// next), the report page a report item belongs to, the file an information change belongs to, and the list
// proposal's content. A value the console does not know yet is shown as given, never hidden.
import type { ListProposalContent, ReviewFlow, ReviewItem } from '../api/reviews'
import { i18n, t } from '../i18n'

export const FLOWS: readonly ReviewFlow[] = [
  'monthly_report',
  'yearly_report',
  'list_entry',
  'list_exit',
  'info_change',
  'violation_closure',
  'project_declaration',
  'upgrade_plan',
  'upgrade_acceptance',
]
// The list's status filter: not finished (someone still acts), approved, returned.
export const STATUS_FILTERS = ['open', 'returned', 'approved'] as const
export type StatusFilter = (typeof STATUS_FILTERS)[number]

const named = (key: string, fallback: string) => (i18n.global.te(key) ? t(key) : fallback)

export const isReportFlow = (flow: string) => flow === 'monthly_report' || flow === 'yearly_report'
export const isListFlow = (flow: string) => flow === 'list_entry' || flow === 'list_exit'
export const isInfoFlow = (flow: string) => flow === 'info_change'
export const isClosureFlow = (flow: string) => flow === 'violation_closure'
export const isDeclarationFlow = (flow: string) => flow === 'project_declaration'
export const isUpgradeFlow = (flow: string) => flow === 'upgrade_plan' || flow === 'upgrade_acceptance'
// What an enterprise user files and sees: its reports, its changes of supervised fields, its project
// declarations, its upgrade plan and the plan's acceptance (which the county files).
export const isEnterpriseFlow = (flow: string) =>
  isReportFlow(flow) || isInfoFlow(flow) || isDeclarationFlow(flow) || isUpgradeFlow(flow)

export const flowName = (flow: string, fallback = flow) => named(`todo.flows.${flow}`, fallback)
export const levelName = (level: string | null | undefined) => (level ? named(`todo.levelNames.${level}`, level) : '—')
export const actionName = (action: string) => named(`todo.actions.${action}`, action)
export const changeName = (change: string) => named(`todo.changes.${change}`, change)

// The review levels of a flow in order: "市级 → 省级".
export const levelsText = (levels: string | null | undefined) =>
  (levels ?? '')
    .split(',')
    .filter(Boolean)
    .map((l) => levelName(l.trim()))
    .join(' → ')

// Three states people tell apart: still under review, returned, approved.
export function statusKey(status: string): 'open' | 'approved' | 'returned' {
  return status === 'approved' || status === 'returned' ? status : 'open'
}
export const statusName = (status: string) => t(`todo.statuses.${statusKey(status)}`)

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'
export function statusType(status: string): TagType {
  const key = statusKey(status)
  return key === 'approved' ? 'success' : key === 'returned' ? 'danger' : 'warning'
}

// The status with who acts next, for narrow screens and summaries: 待市级审核, 退回待县级修改, 已通过.
export function statusText(item: { status: string; level: string | null }): string {
  if (item.status === 'approved' || !item.level) return statusName(item.status)
  if (item.status === 'returned') return t('todo.awaitingResubmit', { level: levelName(item.level) })
  return t('todo.awaiting', { level: levelName(item.level) })
}

// The status filter as the API takes it.
export function statusQuery(filter: StatusFilter | '' | null | undefined): { status?: string; open?: boolean } {
  if (filter === 'open') return { open: true }
  if (filter === 'approved' || filter === 'returned') return { status: filter }
  return {}
}

// The report page of a report item ("/reports/12/monthly/2026-10"); null for other flows.
export function reportPath(item: Pick<ReviewItem, 'flow' | 'subject'>): string | null {
  if (!isReportFlow(item.flow) || !item.subject.enterprise_id) return null
  const kind = item.flow === 'monthly_report' ? 'monthly' : 'yearly'
  return `/reports/${item.subject.enterprise_id}/${kind}/${encodeURIComponent(item.subject.label)}`
}

// The file an information change belongs to ("/projects/7", "/enterprises/12"); null for other flows.
export function filePath(item: Pick<ReviewItem, 'flow' | 'subject'>): string | null {
  if (!isInfoFlow(item.flow)) return null
  if (item.subject.kind === 'project') return `/projects/${item.subject.id}`
  if (item.subject.kind === 'enterprise') return `/enterprises/${item.subject.id}`
  return null
}

// What a row names: the enterprise, a report's period and kind ("2026-10 月报"), a project's name.
export function subjectName(item: Pick<ReviewItem, 'subject'>): string {
  return item.subject.enterprise_name ?? item.subject.label
}
export function subjectDetail(item: Pick<ReviewItem, 'flow' | 'subject'>): string {
  if (isInfoFlow(item.flow) || isClosureFlow(item.flow))
    return item.subject.kind === 'project' ? item.subject.label : ''
  if (!isReportFlow(item.flow)) return ''
  return `${item.subject.label} ${t(item.flow === 'monthly_report' ? 'report.monthly' : 'report.yearly')}`
}

// A list proposal's content, whatever a version holds (reports' versions hold a report: null).
export function proposalOf(content: unknown): ListProposalContent | null {
  if (!content || typeof content !== 'object') return null
  const c = content as Record<string, unknown>
  if (c.change !== 'entry' && c.change !== 'exit') return null
  return {
    change: c.change,
    reason: typeof c.reason === 'string' ? c.reason : '',
    effective_on: typeof c.effective_on === 'string' ? c.effective_on : undefined,
    attachments: Array.isArray(c.attachments) ? c.attachments.filter((a) => typeof a === 'string') : undefined,
  }
}

// What a county files to close a rectified violation: how it was rectified, and the case it closes.
export interface ClosureContent {
  violation_id: number
  reason: string
  attachments?: string[]
}

export function closureOf(content: unknown): ClosureContent | null {
  if (!content || typeof content !== 'object') return null
  const c = content as Record<string, unknown>
  if (typeof c.violation_id !== 'number') return null
  return {
    violation_id: c.violation_id,
    reason: typeof c.reason === 'string' ? c.reason : '',
    attachments: Array.isArray(c.attachments) ? c.attachments.filter((a) => typeof a === 'string') : undefined,
  }
}

// An enterprise's project declaration: a new project's file, or a project's completion.
export interface DeclarationContent {
  kind: 'new' | 'completion'
  reason: string
  attachments?: string[]
  project?: Record<string, unknown>
  project_id?: number
  name?: string
  completed_on?: string
}

export function declarationOf(content: unknown): DeclarationContent | null {
  if (!content || typeof content !== 'object') return null
  const c = content as Record<string, unknown>
  if (c.kind !== 'new' && c.kind !== 'completion') return null
  return c as unknown as DeclarationContent
}
