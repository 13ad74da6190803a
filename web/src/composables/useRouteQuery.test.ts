import { describe, expect, it } from 'vitest'
import { createApp, defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { cleanQuery, queryChoice, queryText, useRouteQuery } from './useRouteQuery'

describe('filters in the URL query', () => {
  it('reads one string parameter, else the fallback', () => {
    const query = { q: '济南', page: '2', twice: ['a', 'b'], none: null }
    expect(queryText(query, 'q')).toBe('济南')
    expect(queryText(query, 'missing')).toBe('')
    expect(queryText(query, 'missing', 'region')).toBe('region')
    expect(queryText(query, 'twice')).toBe('')
    expect(queryText(query, 'none')).toBe('')
  })

  it('reads one of the allowed values, else the fallback', () => {
    const allowed = ['today', 'month', 'year'] as const
    expect(queryChoice({ period: 'year' }, 'period', allowed, 'month')).toBe('year')
    expect(queryChoice({ period: 'decade' }, 'period', allowed, 'month')).toBe('month')
    expect(queryChoice({}, 'period', allowed, 'month')).toBe('month')
  })

  it('writes the values that are set, over a base when given', () => {
    expect(cleanQuery({ q: 'x', status: '', region: undefined, industry: null, page: 2, key: false })).toEqual({
      q: 'x',
      page: '2',
      key: 'false',
    })
    expect(cleanQuery({ tab: 'uploads', gone: '' }, { period: '2026-01', gone: 'old', tab: 'tasks' })).toEqual({
      period: '2026-01',
      tab: 'uploads',
    })
  })

  it('reads and replaces the current route query', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/list', component: { render: () => h('div') } }],
    })
    await router.push('/list?status=running&tab=a')
    let query!: ReturnType<typeof useRouteQuery>
    const app = createApp(defineComponent({ setup: () => ((query = useRouteQuery()), () => h('div')) }))
    app.use(router).mount(document.createElement('div'))
    expect(query.get('status')).toBe('running')
    expect(query.pick('status', ['running', 'stopped'] as const, 'stopped')).toBe('running')
    await query.replace({ status: '', q: 'steel' })
    expect(router.currentRoute.value.query).toEqual({ q: 'steel' })
    await query.replace({ tab: 'b' }, { merge: true })
    expect(router.currentRoute.value.query).toEqual({ q: 'steel', tab: 'b' })
    expect(router.currentRoute.value.fullPath).toBe('/list?q=steel&tab=b')
    app.unmount()
  })
})
