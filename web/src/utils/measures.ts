// What a metering point measures, in words: an energy type, or an HJ 212 pollutant code.
import { i18n } from '../i18n'

export function measureName(code: string): string {
  const { t, te } = i18n.global
  if (te(`energyTypes.${code}`)) return t(`energyTypes.${code}`)
  if (te(`pollutants.${code}`)) return t(`pollutants.${code}`)
  return code
}

// A unit code in words ("kWh" -> 千瓦时, "tce" -> 吨标准煤); unknown codes as given.
export function unitName(code: string): string {
  const { t, te } = i18n.global
  return te(`unitNames.${code}`) ? t(`unitNames.${code}`) : code
}
