import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/request'
import {
  changeRows,
  changeSummary,
  fieldLabel,
  fieldValue,
  fieldsText,
  infoChangeOf,
  pendingChangeOf,
  projectPatch,
  reviewConflict,
  supervisedIn,
} from './infoChange'

describe('information changes', () => {
  it('labels fields as the files and their forms do, unknown ones as given', () => {
    expect(fieldLabel('enterprise', 'status')).toBe('状态')
    expect(fieldLabel('enterprise', 'enterprise_type')).toBe('企业类型')
    expect(fieldLabel('enterprise', 'business_scope')).toBe('经营范围')
    expect(fieldLabel('enterprise', 'legal_representative_phone')).toBe('法人联系方式')
    expect(fieldLabel('enterprise', 'remarks')).toBe('备注')
    expect(
      [
        'state',
        'product',
        'capacity',
        'capacity_unit',
        'equipment_category',
        'efficiency_value',
        'efficiency_unit',
      ].map((f) => fieldLabel('project', f)),
    ).toEqual(['状态', '产品', '产能', '产能单位', '工艺装备类别', '能效指标', '能效指标单位'])
    expect(fieldLabel('project', 'colour')).toBe('colour')
    expect(fieldLabel('report', 'status')).toBe('status')
  })
  it('shows values as people read them', () => {
    expect(fieldValue('enterprise', 'status', 'stopped')).toBe('停产')
    expect(fieldValue('enterprise', 'status', 'running')).toBe('在产')
    expect(fieldValue('project', 'state', 'under_construction')).toBe('在建')
    expect(fieldValue('project', 'equipment_category', 'eliminated')).toBe('淘汰类')
    expect(fieldValue('project', 'equipment_category', 'new_kind')).toBe('new_kind')
    expect(fieldValue('project', 'capacity', 1723.6)).toBe('1,723.6')
    expect(fieldValue('project', 'capacity_unit', '万吨/年')).toBe('万吨/年')
    expect(fieldValue('project', 'product', null)).toBe('（空）')
    expect(fieldValue('enterprise', 'key_energy_unit', true)).toBe('是')
  })
  it("reads a change's content and lists its fields in the files' order", () => {
    const change = infoChangeOf({
      kind: 'project',
      id: 7,
      name: '年产1498.8万吨粗钢项目',
      changes: { capacity_unit: { old: '万吨/年', new: '吨/年' }, capacity: { old: 1498.8, new: 1723.6 } },
    })
    expect(change?.kind).toBe('project')
    expect(change?.id).toBe(7)
    expect(changeRows(change!)).toEqual([
      { field: 'capacity', label: '产能', old: '1,498.8', new: '1,723.6' },
      { field: 'capacity_unit', label: '产能单位', old: '万吨/年', new: '吨/年' },
    ])
    expect(changeSummary(change!)).toEqual(['产能：1,498.8 → 1,723.6', '产能单位：万吨/年 → 吨/年'])
    expect(infoChangeOf({ change: 'exit', reason: 'x' })).toBeNull()
    expect(infoChangeOf(null)).toBeNull()
    expect(infoChangeOf({ kind: 'enterprise', id: 1, name: 'x', changes: { status: { new: 'running' } } })).toEqual({
      kind: 'enterprise',
      id: 1,
      name: 'x',
      changes: { status: { old: null, new: 'running' } },
    })
  })
  it('names the supervised fields a save touches', () => {
    expect(supervisedIn('project', ['name', 'capacity', 'investment', 'capacity_unit'])).toEqual([
      'capacity',
      'capacity_unit',
    ])
    expect(supervisedIn('enterprise', ['status', 'remarks'])).toEqual(['status'])
    expect(fieldsText('enterprise', ['status'])).toBe('状态')
    expect(fieldsText('project', ['capacity', 'capacity_unit'])).toBe('产能、产能单位')
    expect(fieldsText('enterprise', [])).toBe('状态')
  })
  it('finds the open change of one record', () => {
    const item = (kind: 'enterprise' | 'project', id: number, flow = 'info_change') => ({
      flow,
      subject: { kind, id, label: '', enterprise_id: 1, enterprise_name: '' },
    })
    const items = [item('enterprise', 1, 'list_exit'), item('project', 2), item('enterprise', 1)]
    expect(pendingChangeOf(items, 'enterprise', 1)).toBe(items[2])
    expect(pendingChangeOf(items, 'project', 2)).toBe(items[1])
    expect(pendingChangeOf(items, 'project', 1)).toBeNull()
  })
  it('reads the item a 409 names while a change is under review', () => {
    const conflict = new ApiError(409, 'conflict', 'a change of this project is under review (item 6)', [
      { field: 'review', reason: 'item 6 is submitted' },
    ])
    expect(reviewConflict(conflict)).toBe(6)
    expect(reviewConflict(new ApiError(409, 'conflict', 'already exists', [{ field: 'uscc', reason: 'x' }]))).toBeNull()
    expect(reviewConflict(new ApiError(400, 'invalid_argument', 'x'))).toBeNull()
    expect(reviewConflict(new Error('x'))).toBeNull()
  })
  it("sends the project form's changed fields only, numbers as numbers and empty as null", () => {
    const record = { name: '项目', capacity: 159, capacity_unit: '万吨/年', product: '粗钢', investment: null }
    const form = { name: '项目', capacity: '170', capacity_unit: '万吨/年', product: '', investment: 'abc' }
    expect(projectPatch(record, form, ['capacity', 'investment'])).toEqual({
      capacity: 170,
      product: null,
      investment: 'abc',
    })
    expect(projectPatch(record, { name: '项目', capacity: '159' }, ['capacity'])).toEqual({})
  })
})
