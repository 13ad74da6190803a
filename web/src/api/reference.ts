// Reference data, each entry versioned with its status and source: conversion factors, CO2 factors,
// efficiency levels and the configurable reference lists.
import { get, post } from './request'

export interface Factor {
  energy_type: string
  variant: string
  version: number
  kgce_per_unit: number
  unit: string
  valid_from: string
  valid_to: string | null
  status: 'verified' | 'to_be_confirmed'
  source: string
}

export const conversionFactors = () => get<{ items: Factor[] }>('/api/v1/reference/factors')

export interface Co2Factor {
  energy_type: string
  grid_region?: string
  year?: number
  version: number
  kg_co2_per_unit: number
  unit: string
  valid_from: string
  valid_to: string | null
  status: 'verified' | 'to_be_confirmed'
  source: string
}

export const co2Factors = () => get<{ items: Co2Factor[] }>('/api/v1/reference/co2-factors')
export const addCo2Factor = (body: {
  energy_type: string
  grid_region: string
  year: number
  kg_co2_per_unit: number | null
  valid_from: string
  status: string
  source: string
}) => post<Co2Factor>('/api/v1/reference/co2-factors', body)
export const addFactor = (body: {
  energy_type: string
  variant: string
  kgce_per_unit: number | null
  valid_from: string
  status: string
  source: string
}) => post<Factor>('/api/v1/reference/factors', body)

export interface EfficiencyLevel {
  product: string
  version: number
  process: string
  indicator_unit: string
  advanced: number
  benchmark: number
  status: 'verified' | 'to_be_confirmed'
  source: string
}

export const efficiencyLevels = () => get<{ items: EfficiencyLevel[] }>('/api/v1/reference/efficiency-levels')
export const addEfficiencyLevel = (body: {
  product: string
  process: string
  indicator_unit: string
  advanced: number | null
  benchmark: number | null
  status: string
  source: string
}) => post<EfficiencyLevel>('/api/v1/reference/efficiency-levels', body)

export interface ReferenceItem {
  code: string
  version: number
  name: string
  description: string
  sort_order: number
  active: boolean
  status: 'verified' | 'to_be_confirmed'
  source: string
  changed_by: string
  changed_at: string | null
  history: Omit<ReferenceItem, 'history'>[]
}

export const referenceList = (list: string) => get<{ items: ReferenceItem[] }>(`/api/v1/reference/lists/${list}`)
export const addReferenceItem = (
  list: string,
  body: { code: string; name: string; description: string; sort_order: number; status: string; source: string },
) => post<ReferenceItem>(`/api/v1/reference/lists/${list}`, body)
