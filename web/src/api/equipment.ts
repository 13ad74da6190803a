// A project's process units (装置) with their class in the industrial structure catalogue; the project's class
// (equipment_category) is the most restrictive of them. Officials keep them; everyone who reads the project
// reads them.
import { get, patch, post, type Page } from './request'

export const EQUIPMENT_CATEGORIES = ['encouraged', 'allowed', 'restricted', 'eliminated'] as const
export const EQUIPMENT_STATUSES = ['running', 'stopped', 'dismantled'] as const

export interface Equipment {
  id: number
  enterprise_id: number
  project_id: number
  name: string
  process: string | null
  model: string | null
  capacity: number | null
  capacity_unit: string | null
  category: (typeof EQUIPMENT_CATEGORIES)[number]
  elimination_deadline: string | null
  status: (typeof EQUIPMENT_STATUSES)[number]
  commissioned_on: string | null
  created_at: string
  updated_at: string
}

export type EquipmentInput = Partial<
  Omit<Equipment, 'id' | 'enterprise_id' | 'project_id' | 'created_at' | 'updated_at'>
>

export const projectEquipment = (projectId: number) =>
  get<Page<Equipment>>(`/api/v1/projects/${projectId}/equipment`, { page_size: 200 })
export const addEquipment = (projectId: number, body: EquipmentInput) =>
  post<Equipment>(`/api/v1/projects/${projectId}/equipment`, body)
export const updateEquipment = (id: number, body: EquipmentInput) => patch<Equipment>(`/api/v1/equipment/${id}`, body)
