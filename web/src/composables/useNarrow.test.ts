import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h, type Ref } from 'vue'
import { isNarrow, useNarrow } from './useNarrow'

function setWidth(width: number) {
  Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: width })
}

// Mounts a component that uses the composable; gives its result and the app to unmount.
function mountWith<T>(use: () => T) {
  let result!: T
  const app = createApp(defineComponent({ setup: () => ((result = use()), () => h('div')) }))
  app.mount(document.createElement('div'))
  return { result, app }
}

afterEach(() => {
  setWidth(1024)
  vi.restoreAllMocks()
})

describe('useNarrow', () => {
  it('is narrow at 768 px and below', () => {
    expect(isNarrow(390)).toBe(true)
    expect(isNarrow(768)).toBe(true)
    expect(isNarrow(769)).toBe(false)
  })

  it('starts from the window width and follows its resizes', () => {
    setWidth(1440)
    const { result, app } = mountWith(useNarrow)
    const narrow = result as Readonly<Ref<boolean>>
    expect(narrow.value).toBe(false)
    setWidth(390)
    window.dispatchEvent(new Event('resize'))
    expect(narrow.value).toBe(true)
    setWidth(1024)
    window.dispatchEvent(new Event('resize'))
    expect(narrow.value).toBe(false)
    app.unmount()
  })

  it('removes its listener when the component goes', () => {
    const added = vi.spyOn(window, 'addEventListener')
    const removed = vi.spyOn(window, 'removeEventListener')
    const { result, app } = mountWith(useNarrow)
    const listener = added.mock.calls.find(([type]) => type === 'resize')?.[1]
    expect(listener).toBeTypeOf('function')
    app.unmount()
    expect(removed).toHaveBeenCalledWith('resize', listener)
    setWidth(390)
    window.dispatchEvent(new Event('resize'))
    expect(result.value).toBe(false)
  })
})
