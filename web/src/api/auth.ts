import { get, post, setCsrfToken } from './request'

export interface User {
  id: number
  username: string
  display_name?: string
  role: string
  region: string | null
  region_name?: string
  enterprise_id: number | null
  department: string | null
  permissions: string[]
  // The password was set by an administrator: nothing else works until the user changes it.
  must_change_password?: boolean
}

interface SessionBody {
  csrf_token: string
  user: User
}

export async function login(username: string, password: string): Promise<User> {
  const body = await post<SessionBody>('/api/v1/auth/login', { username, password })
  setCsrfToken(body.csrf_token)
  return body.user
}

export async function me(): Promise<User> {
  const body = await get<SessionBody>('/api/v1/me')
  setCsrfToken(body.csrf_token)
  return body.user
}

export const logout = () => post<{ ok: boolean }>('/api/v1/auth/logout')
export const site = () => get<{ name: string }>('/api/v1/site')
export const changePassword = (oldPassword: string, newPassword: string) =>
  post<{ ok: boolean }>('/api/v1/me/password', { old_password: oldPassword, new_password: newPassword })
