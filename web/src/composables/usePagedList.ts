// A list read page by page: the items of the page shown, the total, the page and its size, a loading flag,
// and load / reload / setPageSize. Only the latest request's answer is shown (a slow earlier one is dropped).
// With `append`, later pages are added below the first (a "load older" button) and `hasMore` says whether a
// full page came back; `loadingMore` is their flag, so that the list itself does not grey out.
import { computed, ref, shallowRef, type Ref } from 'vue'

export interface PagedAnswer<T> {
  items: T[]
  total?: number
  page?: number
}

export interface PagedListOptions {
  pageSize?: number
  append?: boolean
  // Called on a failed request (the list stays as it was); without it the error is thrown to the caller.
  onError?: (error: unknown, page: number) => void
}

// The item type comes from the answer: `usePagedList((page, size) => listEnterprises(...))` lists Enterprise.
type ItemOf<A> = A extends PagedAnswer<infer T> ? T : never

export function usePagedList<A extends PagedAnswer<unknown>>(
  fetch: (page: number, pageSize: number, loaded: readonly ItemOf<A>[]) => Promise<A>,
  options: PagedListOptions = {},
) {
  type T = ItemOf<A>
  const items = ref<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(options.pageSize ?? 20)
  const loading = ref(false)
  const loadingMore = ref(false)
  const answer = shallowRef<A | null>(null)
  const full = ref(false)
  let latest = 0

  const hasMore = computed(() => (options.append ? full.value : page.value * pageSize.value < total.value))

  async function load(pageNumber = 1): Promise<A | undefined> {
    const mine = ++latest
    const adding = !!options.append && pageNumber > 1
    const flag = adding ? loadingMore : loading
    flag.value = true
    try {
      const got = await fetch(pageNumber, pageSize.value, items.value)
      if (mine !== latest) return undefined
      answer.value = got
      items.value = adding ? [...items.value, ...(got.items as T[])] : (got.items as T[])
      total.value = got.total ?? items.value.length
      page.value = got.page ?? pageNumber
      full.value = got.items.length >= pageSize.value
      return got
    } catch (e) {
      if (mine !== latest) return undefined
      if (!options.onError) throw e
      options.onError(e, pageNumber)
      return undefined
    } finally {
      if (mine === latest) flag.value = false
    }
  }

  // An empty list (after a failed search, say), on its first page.
  function clear() {
    items.value = []
    total.value = 0
    page.value = 1
    full.value = false
    answer.value = null
  }

  // The page shown again (the first, for an appended list).
  const reload = () => load(options.append ? 1 : page.value)
  const more = () => load(page.value + 1)
  function setPageSize(size: number) {
    pageSize.value = size
    return load(1)
  }

  return { items, total, page, pageSize, loading, loadingMore, answer, hasMore, load, reload, more, setPageSize, clear }
}
