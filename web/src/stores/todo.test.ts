import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useTodo } from './todo'

const api = vi.hoisted(() => ({ listReviews: vi.fn() }))
vi.mock('../api/reviews', () => api)

const page = (total: number) => ({ items: [], total, page: 1, page_size: 1 })

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('the to-do store', () => {
  it("counts the caller's to-do with one small page", async () => {
    api.listReviews.mockResolvedValue(page(7))
    const todo = useTodo()
    expect([todo.count, todo.loaded]).toEqual([0, false])
    await todo.refresh()
    expect(api.listReviews).toHaveBeenCalledWith({ awaiting: 'me', page_size: 1 })
    expect([todo.count, todo.loaded]).toEqual([7, true])
  })
  it('keeps only the latest answer when two cross', async () => {
    let slow!: (v: unknown) => void
    api.listReviews.mockReturnValueOnce(new Promise((r) => (slow = r))).mockResolvedValueOnce(page(2))
    const todo = useTodo()
    const first = todo.refresh()
    await todo.refresh()
    slow(page(40))
    await first
    expect(todo.count).toBe(2)
  })
  it('keeps the count shown when a read fails', async () => {
    api.listReviews.mockResolvedValueOnce(page(3)).mockRejectedValueOnce(new Error('offline'))
    const todo = useTodo()
    await todo.refresh()
    await expect(todo.refresh()).rejects.toThrow('offline')
    expect(todo.count).toBe(3)
  })
  it('forgets the count at logout, and an answer still on its way', async () => {
    let slow!: (v: unknown) => void
    api.listReviews.mockReturnValueOnce(new Promise((r) => (slow = r)))
    const todo = useTodo()
    const pending = todo.refresh()
    todo.reset()
    slow(page(9))
    await pending
    expect([todo.count, todo.loaded]).toEqual([0, false])
  })
})
