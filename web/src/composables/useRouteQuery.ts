// Filters kept in the URL's query, so that a list can be linked to, reloaded and gone back to as it was.
// Reading: one string parameter ('' when absent or given twice), or one of a set of allowed values.
// Writing: replaces the query (no new history entry) with the values that are set; empty ones are left out.
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'

export type QueryValues = Record<string, string | number | boolean | null | undefined>

// The parameter `name` of a query as one string, or `fallback`.
export function queryText(query: LocationQuery, name: string, fallback = ''): string {
  const v = query[name]
  return typeof v === 'string' ? v : fallback
}

// The parameter `name` if it is one of `allowed`, else `fallback`.
export function queryChoice<T extends string>(
  query: LocationQuery,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = query[name]
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback
}

// A query of the values that are set ('' null and undefined are left out), over `base` when given.
export function cleanQuery(values: QueryValues, base: LocationQuery = {}): LocationQueryRaw {
  const out: LocationQueryRaw = { ...base }
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '') delete out[k]
    else out[k] = String(v)
  }
  return out
}

export function useRouteQuery() {
  const route = useRoute()
  const router = useRouter()
  return {
    get: (name: string, fallback = '') => queryText(route.query, name, fallback),
    pick: <T extends string>(name: string, allowed: readonly T[], fallback: T) =>
      queryChoice(route.query, name, allowed, fallback),
    // `merge` keeps the parameters not named in `values` (a tab beside a page's other state).
    replace: (values: QueryValues, { merge = false } = {}) =>
      router.replace({ query: cleanQuery(values, merge ? route.query : {}) }),
  }
}
