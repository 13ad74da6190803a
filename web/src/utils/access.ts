// What the console offers a user, by role and permission. The server decides; these only keep
// the console from offering what it would refuse.
import type { User } from '../api/auth'

export const ROLES = ['province', 'city', 'county', 'dept_admin', 'dept_user', 'enterprise', 'operator'] as const

// Who administers whom: always a lower level (operators only from the command line).
const ADMINISTERED: Record<string, string[]> = {
  province: ['city', 'county', 'enterprise', 'dept_admin', 'dept_user'],
  city: ['county', 'enterprise'],
  county: ['enterprise'],
  dept_admin: ['dept_user'],
}

// The roles a manager may create (and so list, disable and reset).
export function creatableRoles(user: Pick<User, 'role' | 'permissions'> | null | undefined): string[] {
  if (!user || !user.permissions.includes('user.manage')) return []
  return ADMINISTERED[user.role] ?? []
}

// Permissions granted to department users one by one.
export const GRANTABLE_PERMISSIONS = ['enterprise.read', 'project.read', 'point.read', 'department.upload'] as const

// The i18n key of a permission ("enterprise.read" -> "permissionNames.enterprise_read").
export const permissionKey = (p: string) => `permissionNames.${p.replace(/\./g, '_')}`

export function parsePermissions(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
}

// What the create form asks for each role: which level of region, an enterprise, a department, grants.
export interface RoleFields {
  region: 'city' | 'county' | 'any' | null
  regionRequired: boolean
  enterprise: boolean
  department: boolean
  permissions: boolean
}

export function roleFields(role: string): RoleFields {
  switch (role) {
    case 'city':
      return { region: 'city', regionRequired: true, enterprise: false, department: false, permissions: false }
    case 'county':
      return { region: 'county', regionRequired: true, enterprise: false, department: false, permissions: false }
    case 'enterprise':
      return { region: null, regionRequired: false, enterprise: true, department: false, permissions: false }
    case 'dept_admin':
      return { region: 'any', regionRequired: false, enterprise: false, department: true, permissions: false }
    case 'dept_user':
      return { region: 'any', regionRequired: false, enterprise: false, department: true, permissions: true }
    default:
      return { region: null, regionRequired: false, enterprise: false, department: false, permissions: false }
  }
}

// Whether a user has a to-do: officials who decide reviews, and enterprise users (their returned reports).
export function hasTodo(user: Pick<User, 'role' | 'permissions' | 'enterprise_id'> | null | undefined): boolean {
  if (!user) return false
  if (user.role === 'enterprise') return !!user.enterprise_id
  return user.permissions.includes('review.decide')
}

export interface MenuItem {
  path: string
  title: string
}

// The menu: only what the role and permissions may use; nothing until an administrator-set password is changed.
export function menuItems(user: User | null | undefined): MenuItem[] {
  if (!user || user.must_change_password) return []
  const can = (p: string) => user.permissions.includes(p)
  const items: MenuItem[] = []
  // What waits for the user comes first: decisions, and returned items to send again.
  if (hasTodo(user)) items.push({ path: '/todo', title: 'menu.todo' })
  if (user.role === 'enterprise') {
    items.push(
      { path: `/enterprises/${user.enterprise_id}`, title: 'menu.enterpriseFile' },
      { path: '/reports', title: 'menu.myReports' },
    )
    // Its violating projects' cases, where it reports rectification progress.
    if (can('violation.report')) items.push({ path: '/violations', title: 'menu.violations' })
    // Its upgrade plan for projects below the benchmark (一企一策): filed, reported, measured.
    if (can('upgrade.plan')) items.push({ path: '/upgrade-plans', title: 'menu.upgrades' })
    // The inspections of it and their findings, which it reports rectified.
    if (can('inspection.rectify')) items.push({ path: '/inspections', title: 'menu.inspections' })
    if (can('warning.read')) items.push({ path: '/warnings', title: 'menu.warnings' })
    if (can('enterprise.write')) items.push({ path: '/keys', title: 'menu.keys' })
    return items
  }
  if (can('enterprise.read')) {
    items.push({ path: '/', title: 'menu.workbench' })
  }
  // Officials follow warnings first thing, on phones too: right after the workbench.
  if (can('warning.read')) items.push({ path: '/warnings', title: 'menu.warnings' })
  if (can('enterprise.read')) {
    items.push(
      { path: '/enterprises', title: 'menu.enterprises' },
      { path: '/energy', title: 'menu.energy' },
      { path: '/accounting', title: 'menu.accounting' },
    )
  }
  // The regions' dual-control targets and forecasts: whoever reads the warnings they raise (not enterprises:
  // targets belong to regions).
  if (can('warning.read')) items.push({ path: '/dual-control', title: 'menu.dualControl' })
  if (can('project.read')) {
    items.push(
      { path: '/projects', title: 'menu.projects' },
      { path: '/violations', title: 'menu.violations' },
      { path: '/upgrade-plans', title: 'menu.upgrades' },
    )
  }
  // Inspections: plans, visits and deductions, for the officials who read the enterprises (not departments,
  // whose staff read records without supervising them).
  if (can('enterprise.read') && !user.department) items.push({ path: '/inspections', title: 'menu.inspections' })
  if (can('report.review')) items.push({ path: '/reports', title: 'menu.reports' })
  if (user.department || can('report.review')) items.push({ path: '/departments', title: 'menu.departments' })
  if (can('enterprise.read')) items.push({ path: '/reference', title: 'menu.reference' })
  if (can('user.manage')) items.push({ path: '/users', title: 'menu.users' })
  if (can('enterprise.write') || can('department.keys')) items.push({ path: '/keys', title: 'menu.keys' })
  if (can('audit.read')) items.push({ path: '/audit', title: 'menu.audit' })
  return items
}

// Where a user starts: an enterprise its own file; without enterprise data (operators, some department
// accounts) the first page it may use rather than an empty workbench.
export function homePath(user: User | null | undefined): string {
  if (!user) return '/login'
  if (user.role === 'enterprise' && user.enterprise_id) return `/enterprises/${user.enterprise_id}`
  if (user.permissions.includes('enterprise.read')) return '/'
  return menuItems(user)[0]?.path ?? '/'
}

// A password the server's policy accepts (8-128 characters, three of four classes): 16 characters with
// all four classes, from the browser's random source. Letters that look alike are left out.
export function generatePassword(random: (n: number) => number = secureRandom): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '#%+-=@_']
  const all = classes.join('')
  const chars = classes.map((c) => c[random(c.length)])
  while (chars.length < 16) chars.push(all[random(all.length)])
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1)
    ;[chars[i], chars[j]] = [chars[j], chars[i]]
  }
  // A letter first: easier to read out and to select.
  const letter = chars.findIndex((c) => /[A-Za-z]/.test(c))
  ;[chars[0], chars[letter]] = [chars[letter], chars[0]]
  return chars.join('')
}

function secureRandom(n: number): number {
  const buffer = new Uint32Array(1)
  crypto.getRandomValues(buffer)
  return buffer[0] % n
}
