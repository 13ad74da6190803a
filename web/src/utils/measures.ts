// What a metering point measures, in words: an energy type, or an HJ 212 pollutant code.
import { i18n } from '../i18n'

export function measureName(code: string): string {
  const { t, te } = i18n.global
  if (te(`energyTypes.${code}`)) return t(`energyTypes.${code}`)
  if (te(`pollutants.${code}`)) return t(`pollutants.${code}`)
  return code
}
