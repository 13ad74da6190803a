import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/request'
import { useSubmit } from './useSubmit'

const messages = vi.hoisted(() => ({ error: vi.fn() }))
vi.mock('element-plus', () => ({ ElMessage: messages }))

const invalid = (...details: [string, string][]) =>
  new ApiError(
    400,
    'invalid_argument',
    'invalid',
    details.map(([field, reason]) => ({ field, reason })),
  )

beforeEach(() => messages.error.mockClear())

describe('useSubmit', () => {
  it('is busy while the action runs and says it worked', async () => {
    const form = useSubmit()
    let release!: () => void
    const done = form.submit(() => new Promise<void>((r) => (release = r)))
    expect(form.busy.value).toBe(true)
    release()
    expect(await done).toBe(true)
    expect(form.busy.value).toBe(false)
    expect(messages.error).not.toHaveBeenCalled()
  })

  it('puts the server reasons on their fields, in Chinese, and clears them on the next try', async () => {
    const form = useSubmit()
    const ok = await form.submit(() =>
      Promise.reject(invalid(['uscc', 'check character should be X'], ['name', 'is required'])),
    )
    expect(ok).toBe(false)
    expect(form.errors).toEqual({ uscc: '校验码错误，应为 X', name: '必填' })
    expect(messages.error).not.toHaveBeenCalled()
    await form.submit(async () => undefined)
    expect(form.errors).toEqual({})
  })

  it('shows every reason a field was given', async () => {
    const form = useSubmit()
    await form.submit(() =>
      Promise.reject(invalid(['permissions', 'cannot grant user.manage'], ['permissions', 'cannot grant x.y'])),
    )
    expect(form.errors.permissions).toBe('不能授予：用户管理；不能授予：x.y')
  })

  it('shows a reason given twice for a field once', async () => {
    const form = useSubmit()
    await form.submit(() =>
      Promise.reject(
        invalid(['source', 'is required'], ['value', 'must be a positive number'], ['source', 'is required']),
      ),
    )
    expect(form.errors).toEqual({ source: '必填', value: '应为大于 0 的数' })
  })

  it('shows the summary as well when one is given', async () => {
    const form = useSubmit({ summary: '请检查标红的字段' })
    await form.submit(() => Promise.reject(invalid(['energy.electricity', 'must be zero or more'])))
    expect(messages.error).toHaveBeenCalledWith('请检查标红的字段')
  })

  it('shows a failure that names no field as a message, or inline when asked', async () => {
    const form = useSubmit()
    await form.submit(() => Promise.reject(new ApiError(409, 'conflict', 'changed meanwhile')))
    expect(messages.error).toHaveBeenCalledTimes(1)
    expect(form.errors).toEqual({})
    const inline = useSubmit({ inline: true })
    await inline.submit(() => Promise.reject(new ApiError(0, 'network', 'network error')))
    expect(inline.error.value).not.toBe('')
    expect(messages.error).toHaveBeenCalledTimes(1)
    await inline.submit(async () => undefined)
    expect(inline.error.value).toBe('')
  })
})
