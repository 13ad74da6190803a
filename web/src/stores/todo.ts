// The caller's to-do count, shown in the header and read again every minute: review items waiting for the
// caller's level (and returned items its level filed; an enterprise's returned reports). The to-do page
// refreshes it after a decision or a resubmission. Read only by users with a to-do (utils/access hasTodo).
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listReviews } from '../api/reviews'

export const useTodo = defineStore('todo', () => {
  const count = ref(0)
  const loaded = ref(false)
  let latest = 0

  // Reads the count again; only the latest answer counts. A failure keeps what was shown.
  async function refresh() {
    const mine = ++latest
    const got = await listReviews({ awaiting: 'me', page_size: 1 })
    if (mine !== latest) return
    count.value = got.total
    loaded.value = true
  }

  function reset() {
    latest++
    count.value = 0
    loaded.value = false
  }

  return { count, loaded, refresh, reset }
})
