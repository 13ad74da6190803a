import { describe, expect, it } from 'vitest'
import { measureName, unitName } from './measures'

describe('measures and units in words', () => {
  it('names energy types, pollutant codes and units', () => {
    expect(measureName('raw_coal')).toBe('原煤')
    expect(measureName('a21026')).toBe('二氧化硫')
    expect(unitName('tce')).toBe('吨标准煤')
    expect(unitName('kWh')).toBe('千瓦时')
  })
  it('shows unknown codes as given', () => {
    expect(measureName('x99')).toBe('x99')
    expect(unitName('furlong')).toBe('furlong')
  })
})
