// Violating projects in Chinese: the rectification state and its colour, the disposal type's colour (stricter
// is redder), the progress bar's status, and the codes of a reference list in force.
import type { ReferenceItem } from '../api/reference'
import type { Violation, ViolationState } from '../api/violations'
import { i18n, t } from '../i18n'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export const stateName = (state: string) =>
  i18n.global.te(`violations.states.${state}`) ? t(`violations.states.${state}`) : state

export function stateType(state: ViolationState | string): TagType {
  switch (state) {
    case 'closed':
      return 'success'
    case 'done':
      return 'primary'
    case 'partly_done':
    case 'in_progress':
      return 'warning'
    default:
      return 'info'
  }
}

// The province's four disposal types by default, mildest first; a type added later is shown as the strictest.
const DISPOSAL_TYPES: Record<string, TagType> = {
  rectify_by_deadline: 'warning',
  stop_construction: 'danger',
  stop_production: 'danger',
  close_down: 'danger',
}
export const disposalType = (code: string): TagType => DISPOSAL_TYPES[code] ?? 'danger'

export function progressStatus(v: Pick<Violation, 'state' | 'overdue'>): 'success' | 'exception' | undefined {
  if (v.state === 'closed' || v.state === 'done') return 'success'
  return v.overdue ? 'exception' : undefined
}

// The codes in force (active), in their list order.
export const currentCodes = (items: ReferenceItem[]) =>
  items.filter((i) => i.active).sort((a, b) => a.sort_order - b.sort_order || a.code.localeCompare(b.code))
