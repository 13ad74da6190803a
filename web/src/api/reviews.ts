// Review items across flows (monthly and yearly reports, the 两高 list's entries and exits, an enterprise
// user's changes of supervised fields, violations' closures, project declarations, upgrade plans and their
// acceptance): the caller's to-do (awaiting=me), one item with its versions, steps and
// attachments, decisions, the resubmission of a returned list proposal, a county's proposal to put an
// enterprise on the list or take it off, and the files attached to proposals.
import { get, post, request, type Page } from './request'

export type ReviewFlow =
  | 'monthly_report'
  | 'yearly_report'
  | 'list_entry'
  | 'list_exit'
  | 'info_change'
  | 'violation_closure'
  | 'project_declaration'
  | 'upgrade_plan'
  | 'upgrade_acceptance'
export type ReviewStatus = 'submitted' | 'county_approved' | 'city_approved' | 'approved' | 'returned'
// Who acts next: a level deciding, or the filer (enterprise, county) resubmitting a returned item.
export type ReviewLevel = 'enterprise' | 'county' | 'city' | 'province'
export type ListChange = 'entry' | 'exit'

export interface ReviewSubject {
  kind: 'report' | 'enterprise' | 'project'
  id: number
  // A report's period (2026-10, 2025), the enterprise's name, or the project's.
  label: string
  enterprise_id: number | null
  enterprise_name: string | null
}

// What a county files to put an enterprise on the list or take it off.
export interface ListProposalContent {
  change: ListChange
  reason: string
  effective_on?: string
  attachments?: string[]
}

// An enterprise user's change of supervised fields of its enterprise (status) or of a project (state,
// product, capacity, …), waiting for county, city and province: each field's value before and after.
export interface InfoChangeContent {
  kind: 'enterprise' | 'project'
  id: number
  name: string
  changes: Record<string, { old: unknown; new: unknown }>
}

// A stored file (PDF, image, Word, Excel), named by the SM3 of its bytes.
export interface Attachment {
  id: string
  name: string
  media_type: string
  size: number
  // PDFs and images open in the browser; office documents download.
  preview: boolean
  created_at?: string
}

// A file an item's step carries, with the version that added it.
export interface ReviewAttachment extends Attachment {
  version: number
}

export interface ReviewItem {
  id: number
  flow: ReviewFlow
  flow_name: string
  subject: ReviewSubject
  region: string
  region_name: string
  status: ReviewStatus
  level: ReviewLevel | null
  levels: string
  filer: ReviewLevel
  version: number
  filed_by: string
  filed_at: string
  due: string | null
  overdue: boolean
  updated_at: string
  // The newest version's content of a list proposal or an information change; null for reports (the report
  // page shows theirs).
  content: ListProposalContent | InfoChangeContent | null
}

export interface ReviewVersion {
  version: number
  content: unknown
  filed_by: string
  filed_at: string
}

export interface ReviewStep {
  version: number
  action: 'file' | 'resubmit' | 'approve' | 'return'
  level: ReviewLevel
  actor: string
  reason: string
  at: string
}

export interface ReviewDetail extends ReviewItem {
  versions: ReviewVersion[]
  history: ReviewStep[]
  may: { decide: boolean; resubmit: boolean }
  attachments?: ReviewAttachment[]
}

export interface ReviewFilter {
  awaiting?: 'me'
  flow?: ReviewFlow | ''
  status?: string
  region?: string
  enterprise?: number
  open?: boolean
  page?: number
  page_size?: number
}

export interface ListProposal {
  reason: string
  effective_on?: string | null
  attachments?: string[]
}

export const listReviews = (filter: ReviewFilter = {}) => get<Page<ReviewItem>>('/api/v1/reviews', { ...filter })
export const getReview = (id: number) => get<ReviewDetail>(`/api/v1/reviews/${id}`)
export const decideReview = (id: number, action: 'approve' | 'return', reason = '') =>
  post<ReviewItem>(`/api/v1/reviews/${id}/decision`, { action, reason })
export const resubmitReview = (id: number, proposal: ListProposal) =>
  post<ReviewItem>(`/api/v1/reviews/${id}/resubmit`, withoutEmpty(proposal))
// An enterprise's declaration of a new project (its file) or of a project's completion.
export type ProjectDeclaration =
  | { kind: 'new'; reason: string; attachments?: string[]; project: Record<string, unknown> }
  | { kind: 'completion'; reason: string; attachments?: string[]; project_id: number; completed_on: string }
export const declareProject = (enterpriseId: number, body: ProjectDeclaration) =>
  post<ReviewItem>(`/api/v1/enterprises/${enterpriseId}/project-declarations`, body)

// A returned declaration, sent again with its (corrected) content.
export const resubmitDeclaration = (id: number, body: Omit<ProjectDeclaration, 'kind'>) =>
  post<ReviewItem>(`/api/v1/reviews/${id}/resubmit`, body)

export const proposeListChange = (enterpriseId: number, change: ListChange, proposal: ListProposal) =>
  post<ReviewItem>(`/api/v1/enterprises/${enterpriseId}/list-proposals`, { change, ...withoutEmpty(proposal) })

// The raw bytes of a file to attach, named as picked; its id goes into a filing's `attachments`.
export const uploadAttachment = (file: Blob, name: string) =>
  request<Attachment>('POST', '/api/v1/attachments', { query: { filename: name }, file })
// Inline for PDFs and images, a download for office files.
export const attachmentUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}`

// An effective date left empty is not sent (the province's approval day applies).
function withoutEmpty(proposal: ListProposal): ListProposal {
  const out: ListProposal = { reason: proposal.reason }
  if (proposal.effective_on) out.effective_on = proposal.effective_on
  if (proposal.attachments?.length) out.attachments = proposal.attachments
  return out
}

// Everything that happened to an enterprise or a project, newest first.
export interface TimelineEvent {
  at: string
  kind: 'record' | 'review' | 'violation' | 'upgrade' | 'inspection' | 'warning'
  // record: create, update; review: file, resubmit, approve, return; warning: opened, acknowledged, …
  action: string
  actor: string
  subject: string
  // The fields changed (comma-separated), the reason given, or the warning's message.
  detail: string
  review_id?: number
  flow?: ReviewFlow
  flow_name?: string
  level?: string
  warning_id?: number
  rule?: string
  project_id?: number
  violation_id?: number
  upgrade_plan_id?: number
  inspection_task_id?: number
  // violation events: the rectification state after the event; upgrade events: the plan's status after it;
  // inspection events: the task's status (assigned, visited) or the finding's state after the event
  state?: string
}

export const timelineOf = (kind: 'enterprises' | 'projects', id: number, limit = 200) =>
  get<{ items: TimelineEvent[]; total: number }>(`/api/v1/${kind}/${id}/timeline`, { limit })
