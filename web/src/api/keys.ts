// Access-end keys: an enterprise's gateways and a department's system sign their uploads with them.
// A secret is in the answer that issues it, and never again.
import { get, post, request } from './request'

export interface MachineKey {
  key_id: string
  created_at: string
  created_by: string
  revoked: boolean
}

export interface DepartmentKey extends MachineKey {
  department: string
  region: string
}

export interface IssuedKey {
  key_id: string
  secret: string
  enterprise_id?: number
  uscc?: string
  department?: string
  region?: string
}

export const enterpriseKeys = (id: number) => get<{ items: MachineKey[] }>(`/api/v1/enterprises/${id}/keys`)
export const issueEnterpriseKey = (id: number) => request<IssuedKey>('POST', `/api/v1/enterprises/${id}/keys`)
export const revokeEnterpriseKey = (id: number, keyId: string) =>
  request<{ key_id: string; revoked: boolean }>('POST', `/api/v1/enterprises/${id}/keys/${keyId}/revoke`)

export const departmentKeys = (department?: string) =>
  get<{ items: DepartmentKey[] }>('/api/v1/department-keys', { department })
export const issueDepartmentKey = (department?: string) =>
  post<IssuedKey>('/api/v1/department-keys', department ? { department } : {})
export const revokeDepartmentKey = (keyId: string) =>
  request<{ key_id: string; revoked: boolean }>('POST', `/api/v1/department-keys/${keyId}/revoke`)
