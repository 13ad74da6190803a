// Review items across flows (monthly and yearly reports, the 两高 list's entries and exits): the caller's
// to-do (awaiting=me), one item with its versions and steps, decisions, the resubmission of a returned list
// proposal, and a county's proposal to put an enterprise on the list or take it off.
import { get, post, type Page } from './request'

export type ReviewFlow = 'monthly_report' | 'yearly_report' | 'list_entry' | 'list_exit'
export type ReviewStatus = 'submitted' | 'county_approved' | 'city_approved' | 'approved' | 'returned'
// Who acts next: a level deciding, or the filer (enterprise, county) resubmitting a returned item.
export type ReviewLevel = 'enterprise' | 'county' | 'city' | 'province'
export type ListChange = 'entry' | 'exit'

export interface ReviewSubject {
  kind: 'report' | 'enterprise'
  id: number
  // A report's period (2026-10, 2025), or the enterprise's name.
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
  // The newest version's content of a list proposal; null for reports (the report page shows theirs).
  content: ListProposalContent | null
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
export const proposeListChange = (enterpriseId: number, change: ListChange, proposal: ListProposal) =>
  post<ReviewItem>(`/api/v1/enterprises/${enterpriseId}/list-proposals`, { change, ...withoutEmpty(proposal) })

// An effective date left empty is not sent (the province's approval day applies).
function withoutEmpty(proposal: ListProposal): ListProposal {
  const out: ListProposal = { reason: proposal.reason }
  if (proposal.effective_on) out.effective_on = proposal.effective_on
  if (proposal.attachments?.length) out.attachments = proposal.attachments
  return out
}
