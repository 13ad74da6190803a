// The open information change (flow info_change) of an enterprise's or a project's file, if any: what the
// file shows as under review, and what keeps an enterprise user from changing its supervised fields again
// until it is decided. A failure to read it shows nothing (the server still answers 409 on a second change).
import { ref } from 'vue'
import { listReviews, type ReviewItem } from '../api/reviews'
import { pendingChangeOf, type RecordKind } from '../utils/infoChange'

export function usePendingChange() {
  const pending = ref<ReviewItem | null>(null)
  let latest = 0

  async function load(kind: RecordKind, id: number, enterpriseId: number) {
    const mine = ++latest
    try {
      const page = await listReviews({ enterprise: enterpriseId, flow: 'info_change', open: true, page_size: 100 })
      if (mine === latest) pending.value = pendingChangeOf(page.items, kind, id)
    } catch {
      if (mine === latest) pending.value = null
    }
  }

  return { pending, load }
}
