// Runs a task now and then every `intervalMs` while the component is mounted: skipped while the page is
// hidden (a tab in the background asks nothing), run at once when it is shown again. The task's own errors
// are its own: a failed run does not stop the next.
import { onBeforeUnmount, onMounted } from 'vue'

export interface PollingOptions {
  // Run when the component mounts (default), or only after the first interval.
  immediate?: boolean
}

export function usePolling(task: () => unknown, intervalMs: number, options: PollingOptions = {}) {
  let timer: ReturnType<typeof setInterval> | null = null
  const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden'

  const run = () => {
    try {
      const result = task()
      if (result instanceof Promise) result.catch(() => undefined)
    } catch {
      // the next run tries again
    }
  }
  const tick = () => {
    if (!hidden()) run()
  }
  const onVisibility = () => {
    if (!hidden()) run()
  }

  function start() {
    stop()
    timer = setInterval(tick, intervalMs)
  }
  function stop() {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  onMounted(() => {
    if (options.immediate !== false) tick()
    start()
    document.addEventListener('visibilitychange', onVisibility)
  })
  onBeforeUnmount(() => {
    stop()
    document.removeEventListener('visibilitychange', onVisibility)
  })

  // `restart` runs the task now and counts the interval from here (after the user acted, say).
  return {
    stop,
    restart: () => {
      run()
      start()
    },
  }
}
