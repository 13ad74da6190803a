// The one request client: JSON in and out, the session cookie, the CSRF
// header on state-changing requests, and the server's error shape turned into
// an ApiError that keeps the per-field details for forms to show.

export interface FieldError {
  field: string
  reason: string
}

export class ApiError extends Error {
  // Seconds, from the Retry-After header of 429 and 503 answers.
  retryAfter?: number

  constructor(
    public status: number,
    public code: string,
    message: string,
    public details: FieldError[] = [],
  ) {
    super(message)
  }

  // The reason given for one field, if any.
  fieldReason(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.reason
  }
}

let csrfToken = ''
let onUnauthenticated: (() => void) | null = null
let onPasswordChangeRequired: (() => void) | null = null

export function setCsrfToken(token: string) {
  csrfToken = token
}

// Called when a request answers 401 (session expired): the app sends the user to login.
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler
}

// Called when a request answers 403 password_change_required (the password was set by an administrator):
// the app sends the user to the password page.
export function setPasswordChangeHandler(handler: () => void) {
  onPasswordChangeRequired = handler
}

export type Query = Record<string, string | number | boolean | undefined | null>

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

// `file` sends bytes as they are (uploads); `body` sends JSON.
export async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; file?: Blob } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.file !== undefined) headers['Content-Type'] = 'application/octet-stream'
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let response: Response
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    })
  } catch {
    throw new ApiError(0, 'network', 'network error')
  }
  const text = await response.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: FieldError[] } } | null)?.error
    const apiError = new ApiError(
      response.status,
      error?.code ?? 'internal',
      error?.message ?? response.statusText,
      error?.details ?? [],
    )
    const retryAfter = Number(response.headers.get('Retry-After'))
    if (retryAfter > 0) apiError.retryAfter = retryAfter
    if (response.status === 401 && !path.endsWith('/auth/login') && onUnauthenticated) onUnauthenticated()
    if (response.status === 403 && apiError.code === 'password_change_required' && onPasswordChangeRequired) {
      onPasswordChangeRequired()
    }
    throw apiError
  }
  return data as T
}

export const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query })
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} })
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body })
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body })

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}
