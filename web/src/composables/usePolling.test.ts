import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h } from 'vue'
import { usePolling } from './usePolling'

function mountWith<T>(use: () => T) {
  let result!: T
  const app = createApp(defineComponent({ setup: () => ((result = use()), () => h('div')) }))
  app.mount(document.createElement('div'))
  return { result, app }
}

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
}

beforeEach(() => {
  vi.useFakeTimers()
  setHidden(false)
})
afterEach(() => {
  vi.useRealTimers()
  setHidden(false)
})

describe('usePolling', () => {
  it('runs at once and then every interval until the component goes', () => {
    const task = vi.fn()
    const { app } = mountWith(() => usePolling(task, 60000))
    expect(task).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(60000)
    expect(task).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(120000)
    expect(task).toHaveBeenCalledTimes(4)
    app.unmount()
    vi.advanceTimersByTime(600000)
    expect(task).toHaveBeenCalledTimes(4)
  })
  it('waits for the first interval when not immediate', () => {
    const task = vi.fn()
    const { app } = mountWith(() => usePolling(task, 1000, { immediate: false }))
    expect(task).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1000)
    expect(task).toHaveBeenCalledTimes(1)
    app.unmount()
  })
  it('asks nothing while the page is hidden and catches up when it is shown', () => {
    const task = vi.fn()
    const { app } = mountWith(() => usePolling(task, 1000))
    setHidden(true)
    vi.advanceTimersByTime(5000)
    expect(task).toHaveBeenCalledTimes(1)
    setHidden(false)
    document.dispatchEvent(new Event('visibilitychange'))
    expect(task).toHaveBeenCalledTimes(2)
    app.unmount()
    document.dispatchEvent(new Event('visibilitychange'))
    expect(task).toHaveBeenCalledTimes(2)
  })
  it('keeps going after a failed run, and restarts the interval on request', async () => {
    const task = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(undefined)
    const { result, app } = mountWith(() => usePolling(task, 1000))
    await Promise.resolve()
    vi.advanceTimersByTime(600)
    result.restart()
    expect(task).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(600)
    expect(task).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(400)
    expect(task).toHaveBeenCalledTimes(3)
    app.unmount()
  })
})
