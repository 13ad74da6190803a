import { describe, expect, it } from 'vitest'
import { regionPath, regionPrefix, regionTree, type RegionLike } from './regions'

const regions: RegionLike[] = [
  { code: '370000', name: '山东省', level: 'province', parent: null },
  { code: '370100', name: '济南市', level: 'city', parent: '370000' },
  { code: '370102', name: '历下区', level: 'county', parent: '370100' },
  { code: '370300', name: '淄博市', level: 'city', parent: '370000' },
  { code: '370302', name: '淄川区', level: 'county', parent: '370300' },
]

describe('regions', () => {
  it('knows the prefix of each level', () => {
    expect(regionPrefix('370000')).toBe('37')
    expect(regionPrefix('370300')).toBe('3703')
    expect(regionPrefix('370302')).toBe('370302')
    expect(regionPrefix(null)).toBe('')
  })
  it('builds the jurisdiction as a tree, down to a level', () => {
    const city = regionTree(regions, '370300')
    expect(city).toEqual([{ value: '370300', label: '淄博市', children: [{ value: '370302', label: '淄川区' }] }])
    const cities = regionTree(regions, '370000', 'city')
    expect(cities[0].children?.map((c) => c.value)).toEqual(['370100', '370300'])
    expect(cities[0].children?.[0].children).toBeUndefined()
    expect(regionTree(regions, null)).toEqual([])
  })
  it('gives the path to a code', () => {
    expect(regionPath(regions, '370302')).toEqual(['370000', '370300', '370302'])
  })
  it('gives the path from the root of a jurisdiction, none outside it', () => {
    expect(regionPath(regions, '370302', '370300')).toEqual(['370300', '370302'])
    expect(regionPath(regions, '370300', '370300')).toEqual(['370300'])
    expect(regionPath(regions, '370102', '370300')).toEqual([])
    expect(regionPath(regions, '370102', '370000')).toEqual(['370000', '370100', '370102'])
  })
})
