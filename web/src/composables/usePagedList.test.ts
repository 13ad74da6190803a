import { describe, expect, it, vi } from 'vitest'
import { usePagedList } from './usePagedList'

const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i }))

// A promise the test settles when it likes.
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe('usePagedList', () => {
  it('loads a page with its total, the size asked and a loading flag', async () => {
    const fetch = vi.fn(async (page: number, size: number) => ({
      items: rows((page - 1) * size, size),
      total: 45,
      page,
    }))
    const list = usePagedList(fetch, { pageSize: 20 })
    const pending = list.load(2)
    expect(list.loading.value).toBe(true)
    await pending
    expect(fetch).toHaveBeenCalledWith(2, 20, [])
    expect(list.loading.value).toBe(false)
    expect(list.items.value.map((r) => r.id)[0]).toBe(20)
    expect([list.total.value, list.page.value, list.hasMore.value]).toEqual([45, 2, true])
    await list.load(3)
    expect(list.hasMore.value).toBe(false)
  })

  it('reloads the page shown; a new page size starts again at the first', async () => {
    const fetch = vi.fn(async (page: number, size: number) => ({
      items: rows(0, 1),
      total: 100,
      page,
      page_size: size,
    }))
    const list = usePagedList(fetch)
    await list.load(3)
    await list.reload()
    expect(fetch).toHaveBeenLastCalledWith(3, 20, expect.anything())
    await list.setPageSize(50)
    expect(fetch).toHaveBeenLastCalledWith(1, 50, expect.anything())
    expect(list.page.value).toBe(1)
    expect(list.answer.value).toMatchObject({ page_size: 50 })
  })

  it('shows only the latest answer when requests overlap', async () => {
    const slow = deferred<{ items: { id: number }[]; total: number }>()
    const fast = deferred<{ items: { id: number }[]; total: number }>()
    const list = usePagedList(vi.fn().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise))
    const first = list.load(1)
    const second = list.load(2)
    fast.resolve({ items: rows(2, 1), total: 2 })
    await second
    slow.resolve({ items: rows(1, 1), total: 1 })
    await first
    expect(list.items.value).toEqual([{ id: 2 }])
    expect(list.page.value).toBe(2)
    expect(list.loading.value).toBe(false)
  })

  it('counts the items when the answer has no total', async () => {
    const list = usePagedList(async () => ({ items: rows(0, 7) }))
    await list.load()
    expect(list.total.value).toBe(7)
  })

  it('appends later pages below the first and knows when a short page ended the list', async () => {
    const fetch = vi.fn(async (page: number, size: number, loaded: readonly { id: number }[]) => ({
      items: page === 1 ? rows(0, size) : rows(loaded.length, 3),
    }))
    const list = usePagedList(fetch, { pageSize: 5, append: true })
    await list.load(1)
    expect(list.hasMore.value).toBe(true)
    const more = list.more()
    expect([list.loading.value, list.loadingMore.value]).toEqual([false, true])
    await more
    expect(list.items.value.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(fetch).toHaveBeenLastCalledWith(2, 5, expect.any(Array))
    expect(list.hasMore.value).toBe(false)
    await list.reload()
    expect(list.items.value).toHaveLength(5)
    list.clear()
    expect([list.items.value.length, list.hasMore.value, list.page.value]).toEqual([0, false, 1])
  })

  it('hands a failure to onError and keeps the list; without onError it throws', async () => {
    const onError = vi.fn()
    let fail = false
    const fetch = async () => {
      if (fail) throw new Error('down')
      return { items: rows(0, 2), total: 2 }
    }
    const list = usePagedList(fetch, { onError })
    await list.load(1)
    fail = true
    await list.load(1)
    expect(onError).toHaveBeenCalledWith(expect.any(Error), 1)
    expect(list.items.value).toHaveLength(2)
    expect(list.loading.value).toBe(false)
    const bare = usePagedList(fetch)
    await expect(bare.load(1)).rejects.toThrow('down')
    expect(bare.loading.value).toBe(false)
  })
})
