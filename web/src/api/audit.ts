// The audit log: newest first, paged backwards by id, exported as xlsx or CSV by the server.
import { buildUrl, get } from './request'

export interface AuditEntry {
  id: number
  at: string
  username: string
  address: string
  action: string
  target: string
  result: string
  detail: string
  hash: string
}

export interface AuditFilter {
  username?: string
  action?: string
  result?: string
  from?: string
  to?: string
}

export const listAudit = (filter: AuditFilter & { limit?: number; before_id?: number }) =>
  get<{ items: AuditEntry[] }>('/api/v1/audit', { ...filter })
export const auditExportUrl = (filter: AuditFilter, format: 'xlsx' | 'csv') =>
  buildUrl('/api/v1/audit/export', { ...filter, format })
