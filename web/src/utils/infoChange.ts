// Changes of an enterprise's or a project's file in Chinese: field labels as the files and their forms show
// them, values as people read them (在产, 存量, 1,723.6), the fields an enterprise user's change of which waits
// for county, city and province (flow info_change), the notice after such a save, and the 409 that says a
// change of the record is still under review. A field or value the console does not know is shown as given.
import { ApiError } from '../api/request'
import type { InfoChangeContent } from '../api/reviews'
import { i18n, t } from '../i18n'
import { formatNumber } from './format'

export type RecordKind = 'enterprise' | 'project'

// Field → i18n key of its label, as the file and its edit form name it.
const LABELS: Record<RecordKind, Record<string, string>> = {
  enterprise: {
    name: 'enterprise.name',
    uscc: 'enterprise.uscc',
    region: 'enterprise.region',
    industry: 'enterprise.industry',
    status: 'enterprise.status',
    key_energy_unit: 'enterprise.keyUnit',
    enterprise_type: 'enterprise.enterpriseType',
    list_status: 'list.status',
    listed_on: 'list.listedOnField',
    delisted_on: 'list.delistedOnField',
    list_decision: 'list.decisionField',
    business_scope: 'enterprise.businessScope',
    address: 'enterprise.address',
    legal_representative: 'enterprise.legalRep',
    legal_representative_phone: 'enterprise.legalRepPhone',
    contact: 'enterprise.contact',
    phone: 'enterprise.phone',
    registered_on: 'enterprise.registeredOn',
    registered_capital: 'enterprise.capital',
    staff: 'enterprise.staff',
    land_area: 'enterprise.landArea',
    remarks: 'enterprise.remarks',
    lng: 'enterprise.lng',
    lat: 'enterprise.lat',
  },
  project: {
    name: 'project.name',
    industry: 'enterprise.industry',
    region: 'enterprise.region',
    state: 'project.state',
    product: 'project.product',
    capacity: 'project.capacity',
    capacity_unit: 'project.capacityUnit',
    equipment_category: 'project.category',
    efficiency_value: 'project.efficiency',
    efficiency_unit: 'project.efficiencyUnit',
    approval_kind: 'project.approvalKind',
    approval_no: 'project.approvalNo',
    approved_on: 'project.approvedOn',
    energy_review_no: 'project.energyReviewNo',
    energy_review_on: 'project.energyReviewOn',
    eia_no: 'project.eiaNo',
    eia_on: 'project.eiaOn',
    design_capacity: 'project.designCapacity',
    design_energy_tce: 'project.designEnergy',
    design_coal_t: 'project.designCoal',
    investment: 'project.investment',
    // Its process units' fields, as their changes appear on the project's timeline.
    category: 'equipment.category',
    process: 'equipment.process',
    model: 'equipment.model',
    status: 'equipment.status',
    elimination_deadline: 'equipment.deadline',
    commissioned_on: 'equipment.commissionedOn',
    lng: 'enterprise.lng',
    lat: 'enterprise.lat',
  },
}

// What an enterprise user changes only through review; officials' edits apply at once.
export const SUPERVISED: Record<RecordKind, readonly string[]> = {
  enterprise: ['status'],
  project: [
    'state',
    'product',
    'capacity',
    'capacity_unit',
    'equipment_category',
    'efficiency_value',
    'efficiency_unit',
  ],
}

const known = (key: string, fallback: string) => (i18n.global.te(key) ? t(key) : fallback)

export function fieldLabel(kind: string, field: string): string {
  const key = LABELS[kind as RecordKind]?.[field]
  return key ? known(key, field) : field
}

// A value as the file shows it: enumerations by name, numbers grouped, nothing as （空）.
export function fieldValue(kind: string, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('common.empty')
  if (typeof value === 'boolean') return t(value ? 'enterprise.yes' : 'enterprise.no')
  if (typeof value === 'number') return formatNumber(value, 6)
  const text = String(value)
  if (kind === 'enterprise' && field === 'status') return known(`enterprise.${text}`, text)
  if (kind === 'enterprise' && field === 'list_status') return known(`list.${text}`, text)
  if (kind === 'project' && (field === 'state' || field === 'equipment_category')) return known(`project.${text}`, text)
  return text
}

export interface ChangeRow {
  field: string
  label: string
  old: string
  new: string
}

// An information change's content, whatever a version holds (null for other flows' content).
export function infoChangeOf(content: unknown): InfoChangeContent | null {
  if (!content || typeof content !== 'object') return null
  const c = content as Record<string, unknown>
  if ((c.kind !== 'enterprise' && c.kind !== 'project') || !c.changes || typeof c.changes !== 'object') return null
  const changes: InfoChangeContent['changes'] = {}
  for (const [field, change] of Object.entries(c.changes as Record<string, unknown>)) {
    const pair = (change && typeof change === 'object' ? change : {}) as Record<string, unknown>
    changes[field] = { old: pair.old ?? null, new: pair.new ?? null }
  }
  return { kind: c.kind, id: Number(c.id), name: typeof c.name === 'string' ? c.name : '', changes }
}

// The rows of the 字段 / 原值 / 新值 table, in the order the files list the fields.
export function changeRows(change: Pick<InfoChangeContent, 'kind' | 'changes'>): ChangeRow[] {
  const order = Object.keys(LABELS[change.kind] ?? {})
  const rank = (field: string) => {
    const i = order.indexOf(field)
    return i < 0 ? order.length : i
  }
  return Object.entries(change.changes)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([field, pair]) => ({
      field,
      label: fieldLabel(change.kind, field),
      old: fieldValue(change.kind, field, pair.old),
      new: fieldValue(change.kind, field, pair.new),
    }))
}

// One line per change for short summaries: "产能：1,498.8 → 1,723.6".
export const changeSummary = (change: Pick<InfoChangeContent, 'kind' | 'changes'>) =>
  changeRows(change).map((r) => `${r.label}：${r.old} → ${r.new}`)

// The supervised fields a save's changes touch (the fields named in the notice after it).
export const supervisedIn = (kind: RecordKind, fields: Iterable<string>) =>
  [...fields].filter((f) => SUPERVISED[kind].includes(f))

// The fields of a change by label, "产能、产能单位"; the kind's supervised fields when none are named.
export function fieldsText(kind: RecordKind, fields: readonly string[]): string {
  const named = fields.length ? fields : SUPERVISED[kind]
  return [...new Set(named.map((f) => fieldLabel(kind, f)))].join('、')
}

// The item a 409 names when a change of the record is still under review ("item 6 is submitted"); null for
// any other failure.
export function reviewConflict(e: unknown): number | null {
  if (!(e instanceof ApiError) || e.status !== 409) return null
  const detail = e.details.find((d) => d.field === 'review')
  if (!detail) return null
  const id = /item (\d+)/.exec(detail.reason)?.[1] ?? /item (\d+)/.exec(e.message)?.[1]
  return id ? Number(id) : 0
}

// The open information change of one record among an enterprise's open items (a returned one counts: it
// waits for the enterprise to edit the record again); null when there is none.
export function pendingChangeOf<T extends { flow: string; subject: { kind: string; id: number } }>(
  items: readonly T[],
  kind: RecordKind,
  id: number,
): T | null {
  return items.find((i) => i.flow === 'info_change' && i.subject.kind === kind && i.subject.id === id) ?? null
}

// What a project's edit form sends: the fields whose text differs from the record, empty as null, numbers as
// numbers (text that is no number is sent as typed, for the server to name the field).
export function projectPatch(
  record: Record<string, unknown>,
  form: Record<string, string>,
  numbers: readonly string[],
): Record<string, unknown> {
  const patch: Record<string, unknown> = {}
  for (const [field, text] of Object.entries(form)) {
    const old = record[field] === null || record[field] === undefined ? '' : String(record[field])
    const value = (text ?? '').trim()
    if (value === old) continue
    if (value === '') patch[field] = null
    else if (numbers.includes(field)) patch[field] = Number.isFinite(Number(value)) ? Number(value) : value
    else patch[field] = value
  }
  return patch
}
