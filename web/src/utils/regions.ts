// Regions as the console offers them: the caller's jurisdiction as a tree, down to a level.
export interface RegionLike {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parent: string | null
}

export interface RegionNode {
  value: string
  label: string
  children?: RegionNode[]
}

// "370000" -> "37", "370300" -> "3703", "370302" -> "370302".
export function regionPrefix(code: string | null | undefined): string {
  if (!code) return ''
  if (code.endsWith('0000')) return code.slice(0, 2)
  if (code.endsWith('00')) return code.slice(0, 4)
  return code
}

const depth = { province: 0, city: 1, county: 2 } as const

// The tree under `root` (included), down to `deepest`.
export function regionTree(
  regions: RegionLike[],
  root: string | null | undefined,
  deepest: 'province' | 'city' | 'county' = 'county',
): RegionNode[] {
  if (!root) return []
  const prefix = regionPrefix(root)
  const inScope = regions.filter((r) => r.code.startsWith(prefix) && depth[r.level] <= depth[deepest])
  const node = (r: RegionLike): RegionNode => {
    const children = inScope.filter((c) => c.parent === r.code).map(node)
    const out: RegionNode = { value: r.code, label: r.name }
    if (children.length) out.children = children
    return out
  }
  return inScope.filter((r) => r.code === root).map(node)
}

// The path of codes from the root of the tree down to `code`, for a cascader's value. With `root` (the tree
// of a jurisdiction, regionTree's root), the path starts there; a code outside it has none.
export function regionPath(regions: RegionLike[], code: string, root?: string | null): string[] {
  const byCode = new Map(regions.map((r) => [r.code, r]))
  const path: string[] = []
  for (let at = byCode.get(code); at; at = at.parent ? byCode.get(at.parent) : undefined) {
    path.unshift(at.code)
    if (root && at.code === root) return path
  }
  return root ? [] : path
}
