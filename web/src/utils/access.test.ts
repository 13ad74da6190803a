import { describe, expect, it } from 'vitest'
import type { User } from '../api/auth'
import { creatableRoles, generatePassword, hasTodo, homePath, menuItems, parsePermissions, roleFields } from './access'

const user = (role: string, permissions: string[], extra: Partial<User> = {}): User => ({
  id: 1,
  username: role,
  role,
  region: '370000',
  enterprise_id: null,
  department: null,
  permissions,
  ...extra,
})
const official = [
  'enterprise.read',
  'enterprise.write',
  'enterprise.create',
  'project.read',
  'report.review',
  'user.manage',
]

describe('who administers whom', () => {
  it('offers each manager the lower levels it may create', () => {
    expect(creatableRoles(user('province', [...official, 'audit.read']))).toEqual([
      'city',
      'county',
      'enterprise',
      'dept_admin',
      'dept_user',
    ])
    expect(creatableRoles(user('city', official))).toEqual(['county', 'enterprise'])
    expect(creatableRoles(user('county', official))).toEqual(['enterprise'])
    expect(creatableRoles(user('dept_admin', ['user.manage', 'department.keys']))).toEqual(['dept_user'])
  })
  it('offers nothing without user.manage, to enterprises, department users or operators', () => {
    expect(creatableRoles(user('county', ['enterprise.read']))).toEqual([])
    expect(creatableRoles(user('enterprise', ['enterprise.write']))).toEqual([])
    expect(creatableRoles(user('dept_user', ['enterprise.read']))).toEqual([])
    expect(creatableRoles(user('operator', ['audit.read', 'system.read', 'user.manage']))).toEqual([])
    expect(creatableRoles(null)).toEqual([])
  })
  it('asks each role for its own fields', () => {
    expect(roleFields('county')).toMatchObject({ region: 'county', regionRequired: true, enterprise: false })
    expect(roleFields('city').region).toBe('city')
    expect(roleFields('enterprise')).toMatchObject({ region: null, enterprise: true })
    expect(roleFields('dept_user')).toMatchObject({
      region: 'any',
      regionRequired: false,
      department: true,
      permissions: true,
    })
    expect(roleFields('dept_admin').permissions).toBe(false)
  })
  it('reads comma-separated permissions', () => {
    expect(parsePermissions('enterprise.read, point.read,,')).toEqual(['enterprise.read', 'point.read'])
    expect(parsePermissions('')).toEqual([])
    expect(parsePermissions(null)).toEqual([])
  })
})

describe('menu and landing page', () => {
  it('shows the new pages by permission', () => {
    const paths = menuItems(user('province', [...official, 'audit.read', 'department.keys'])).map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['/', '/users', '/keys', '/audit']))
    const county = menuItems(user('county', official)).map((i) => i.path)
    expect(county).toContain('/users')
    expect(county).toContain('/keys')
    expect(county).not.toContain('/audit')
  })
  it('lands an operator on the audit log, with nothing else', () => {
    const operator = user('operator', ['system.read', 'audit.read'], { region: null })
    expect(menuItems(operator).map((i) => i.path)).toEqual(['/audit'])
    expect(homePath(operator)).toBe('/audit')
  })
  it('lands an enterprise user on its file, with its keys', () => {
    const enterprise = user('enterprise', ['enterprise.read', 'enterprise.write', 'report.fill'], {
      enterprise_id: 7,
      region: null,
    })
    expect(homePath(enterprise)).toBe('/enterprises/7')
    expect(menuItems(enterprise).map((i) => i.path)).toEqual(['/todo', '/enterprises/7', '/reports', '/keys'])
    const reporting = user('enterprise', ['enterprise.read', 'project.read', 'violation.report'], {
      enterprise_id: 7,
      region: null,
    })
    expect(menuItems(reporting).map((i) => i.path)).toEqual(['/todo', '/enterprises/7', '/reports', '/violations'])
  })
  it('offers the upgrade plans next to the violations, to officials and to the enterprise that files them', () => {
    const county = menuItems(user('county', official)).map((i) => i.path)
    expect(county.indexOf('/upgrade-plans')).toBe(county.indexOf('/violations') + 1)
    const filing = user('enterprise', ['enterprise.read', 'violation.report', 'upgrade.plan'], {
      enterprise_id: 7,
      region: null,
    })
    expect(menuItems(filing).map((i) => i.path)).toEqual([
      '/todo',
      '/enterprises/7',
      '/reports',
      '/violations',
      '/upgrade-plans',
    ])
    const department = user('dept_user', ['enterprise.read'], { department: 'stats' })
    expect(menuItems(department).map((i) => i.path)).not.toContain('/upgrade-plans')
  })
  it('offers the inspections after the upgrade plans to officials, and to the enterprise its own', () => {
    const county = menuItems(user('county', official)).map((i) => i.path)
    expect(county.indexOf('/inspections')).toBe(county.indexOf('/upgrade-plans') + 1)
    const inspected = user('enterprise', ['enterprise.read', 'upgrade.plan', 'inspection.rectify'], {
      enterprise_id: 7,
      region: null,
    })
    expect(menuItems(inspected).map((i) => i.path)).toEqual([
      '/todo',
      '/enterprises/7',
      '/reports',
      '/upgrade-plans',
      '/inspections',
    ])
    const department = user('dept_user', ['enterprise.read'], { department: 'stats' })
    expect(menuItems(department).map((i) => i.path)).not.toContain('/inspections')
  })
  it('offers the warnings to whoever reads them, right after the workbench', () => {
    const city = menuItems(user('city', [...official, 'warning.read', 'warning.handle'])).map((i) => i.path)
    expect(city.slice(0, 3)).toEqual(['/', '/warnings', '/enterprises'])
    const enterprise = user('enterprise', ['enterprise.read', 'warning.read'], { enterprise_id: 7, region: null })
    expect(menuItems(enterprise).map((i) => i.path)).toEqual(['/todo', '/enterprises/7', '/reports', '/warnings'])
    expect(menuItems(user('operator', ['audit.read'])).map((i) => i.path)).not.toContain('/warnings')
  })
  it('offers the dual-control targets to officials who read warnings, after the accounting', () => {
    const city = menuItems(user('city', [...official, 'warning.read'])).map((i) => i.path)
    expect(city.indexOf('/dual-control')).toBe(city.indexOf('/accounting') + 1)
    const enterprise = user('enterprise', ['enterprise.read', 'warning.read'], { enterprise_id: 7, region: null })
    expect(menuItems(enterprise).map((i) => i.path)).not.toContain('/dual-control')
    const department = user('dept_user', ['enterprise.read'], { department: 'stats' })
    expect(menuItems(department).map((i) => i.path)).not.toContain('/dual-control')
    expect(menuItems(user('operator', ['audit.read'])).map((i) => i.path)).not.toContain('/dual-control')
  })
  it('puts the to-do first for officials who decide reviews and for enterprise users', () => {
    for (const role of ['province', 'city', 'county']) {
      const official_ = user(role, [...official, 'review.decide', 'warning.read'])
      expect(hasTodo(official_)).toBe(true)
      expect(menuItems(official_).map((i) => i.path)[0]).toBe('/todo')
    }
    const enterprise = user('enterprise', ['enterprise.read'], { enterprise_id: 7, region: null })
    expect(hasTodo(enterprise)).toBe(true)
    expect(homePath(enterprise)).toBe('/enterprises/7')
    const department = user('dept_user', ['enterprise.read'], { department: 'stats' })
    expect(hasTodo(department)).toBe(false)
    expect(menuItems(department).map((i) => i.path)).not.toContain('/todo')
    expect(hasTodo(user('operator', ['audit.read']))).toBe(false)
    expect(hasTodo(user('city', official))).toBe(false)
    expect(hasTodo(user('enterprise', ['enterprise.read'], { enterprise_id: null }))).toBe(false)
    expect(hasTodo(null)).toBe(false)
    // The workbench stays the officials' landing page.
    expect(homePath(user('city', [...official, 'review.decide']))).toBe('/')
  })
  it('offers no menu until an administrator-set password is changed', () => {
    expect(menuItems(user('province', official, { must_change_password: true }))).toEqual([])
  })
  it('sends a department administrator to its keys and data, officials to the workbench', () => {
    const admin = user('dept_admin', ['department.keys', 'department.tasks', 'enterprise.read', 'user.manage'], {
      department: 'power',
    })
    expect(homePath(admin)).toBe('/')
    expect(menuItems(admin).map((i) => i.path)).toEqual(expect.arrayContaining(['/departments', '/users', '/keys']))
    const uploader = user('dept_user', ['department.upload', 'task.read'], { department: 'power' })
    expect(homePath(uploader)).toBe('/departments')
  })
})

describe('generated one-time passwords', () => {
  it('meet the password policy', () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword()
      expect(p).toHaveLength(16)
      const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length
      expect(classes).toBe(4)
      expect(p[0]).toMatch(/[A-Za-z]/)
    }
  })
  it('follow the random source', () => {
    expect(generatePassword(() => 0)).toBe(generatePassword(() => 0))
  })
})
