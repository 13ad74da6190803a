import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  buildUrl,
  get,
  patch,
  setCsrfToken,
  setPasswordChangeHandler,
  setUnauthenticatedHandler,
} from './request'

function respond(status: number, body: unknown) {
  return vi.fn(
    async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
  )
}

afterEach(() => vi.unstubAllGlobals())

describe('request client', () => {
  it('builds query strings without empty parameters', () => {
    expect(buildUrl('/api/v1/enterprises', { page: 2, q: '济南', region: '', status: undefined })).toBe(
      '/api/v1/enterprises?page=2&q=%E6%B5%8E%E5%8D%97',
    )
  })

  it('sends the CSRF token on state-changing requests only', async () => {
    const fetchMock = respond(200, { ok: true })
    vi.stubGlobal('fetch', fetchMock)
    setCsrfToken('tok123')
    await patch('/api/v1/enterprises/1', { name: 'x' })
    await get('/api/v1/me')
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][]
    expect((calls[0][1].headers as Record<string, string>)['X-CSRF-Token']).toBe('tok123')
    expect((calls[1][1].headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined()
  })

  it('turns the server error shape into an ApiError with field details', async () => {
    vi.stubGlobal(
      'fetch',
      respond(400, {
        error: {
          code: 'invalid_argument',
          message: 'invalid enterprise',
          details: [{ field: 'uscc', reason: 'check character should be L' }],
        },
      }),
    )
    const error = (await patch('/api/v1/enterprises/1', {}).catch((e) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe('invalid_argument')
    expect(error.fieldReason('uscc')).toBe('check character should be L')
  })

  it('reports an expired session once to the app', async () => {
    const handler = vi.fn()
    setUnauthenticatedHandler(handler)
    vi.stubGlobal('fetch', respond(401, { error: { code: 'unauthenticated', message: 'session expired' } }))
    await expect(get('/api/v1/me')).rejects.toMatchObject({ status: 401 })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('sends an account that must change its password to the password page', async () => {
    const handler = vi.fn()
    setPasswordChangeHandler(handler)
    vi.stubGlobal('fetch', respond(403, { error: { code: 'password_change_required', message: 'change it first' } }))
    await expect(get('/api/v1/enterprises')).rejects.toMatchObject({ status: 403, code: 'password_change_required' })
    expect(handler).toHaveBeenCalledTimes(1)
    vi.stubGlobal('fetch', respond(403, { error: { code: 'permission_denied', message: 'no' } }))
    await expect(get('/api/v1/enterprises')).rejects.toMatchObject({ code: 'permission_denied' })
    expect(handler).toHaveBeenCalledTimes(1)
  })
})
