// User administration: the accounts a manager administers, one-time passwords, departments and regions.
import { get, patch, post, request } from './request'

export interface ManagedUser {
  id: number
  username: string
  display_name: string
  role: string
  region: string | null
  region_name: string | null
  enterprise_id: number | null
  department: string | null
  // Granted individually, comma-separated (department users only).
  permissions: string
  disabled: boolean
  locked: boolean
  must_change_password: boolean
  created_at: string
}

export interface NewUser {
  username: string
  password: string
  role: string
  display_name?: string
  region?: string
  enterprise?: string
  department?: string
  permissions?: string
}

export interface Department {
  code: string
  name: string
}

export interface RegionItem {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parent: string | null
}

export const listUsers = (query: { role?: string; q?: string } = {}) =>
  get<{ items: ManagedUser[]; total: number }>('/api/v1/users', query)
export const createUser = (body: NewUser) => post<ManagedUser>('/api/v1/users', body)
export const updateUser = (id: number, body: { disabled?: boolean; permissions?: string }) =>
  patch<ManagedUser>(`/api/v1/users/${id}`, body)
// No body: the server chooses the one-time password.
export const resetPassword = (id: number) =>
  request<{ one_time_password: string; must_change_password: true }>('POST', `/api/v1/users/${id}/password`)
export const listDepartments = () => get<{ items: Department[] }>('/api/v1/departments')
export const listRegionsOf = (query: { parent?: string; level?: string }) =>
  get<{ items: RegionItem[] }>('/api/v1/regions', query)
