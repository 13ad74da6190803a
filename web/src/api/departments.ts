// Department data: collection tasks, uploads with preview and commit, department records of an enterprise.
import { get, post, put, request } from './request'

export interface TaskField {
  key: string
  label: string
  unit: string
  type: 'number' | 'integer' | 'text'
  min: number | null
  max: number | null
  required: boolean
  energy_type: string | null
}

export interface CollectionTask {
  code: string
  version: number
  department: string
  department_name: string
  name: string
  frequency: 'daily' | 'monthly' | 'quarterly' | 'yearly'
  fields: TaskField[]
  active: boolean
  source: string
  changed_by: string
  changed_at: string | null
  history?: CollectionTask[]
  can_edit?: boolean
  can_upload?: boolean
}

export interface RowError {
  column: string
  field: string
  message: string
}

export interface CheckedRow {
  row: number
  credit_code: string
  name: string
  period: string | null
  values: Record<string, number | string | null>
  errors: RowError[]
  enterprise_id: number | null
  enterprise_name: string | null
  matched_by: 'credit_code' | 'name' | 'manual' | null
  skipped: boolean
  note?: string
}

export interface DepartmentUpload {
  id: number
  task_code: string
  task_version: number
  department: string
  filename: string
  format: 'xlsx' | 'csv' | 'api'
  size: number
  sm3: string
  status: 'preview' | 'committed' | 'discarded'
  uploaded_by: string
  uploaded_at: string
  committed_at: string | null
  row_count: number
  error_count: number
  unmatched_count: number
  columns?: { column: string; header: string; field: string }[]
  ignored_columns?: string[]
  rows?: CheckedRow[]
  can_act?: boolean
}

export interface DepartmentRecordGroup {
  task: CollectionTask | null
  records: {
    id: number
    period: string
    values: Record<string, number | string | null>
    task_version: number
    upload_id: number
    row: number
    recorded_at: string
  }[]
}

export const listTasks = () => get<{ items: CollectionTask[] }>('/api/v1/collection-tasks')
export const getTask = (code: string) => get<CollectionTask>(`/api/v1/collection-tasks/${code}`)
export const saveTask = (code: string, task: Partial<CollectionTask>) =>
  put<CollectionTask>(`/api/v1/collection-tasks/${code}`, task)
export const templateUrl = (code: string, format: 'xlsx' | 'csv') =>
  `/api/v1/collection-tasks/${code}/template?format=${format}`
export const uploadFile = (code: string, file: File) =>
  request<DepartmentUpload>('POST', `/api/v1/collection-tasks/${code}/uploads`, {
    query: { filename: file.name },
    file,
  })
export const listUploads = (task?: string) => get<{ items: DepartmentUpload[] }>('/api/v1/department-uploads', { task })
export const getUpload = (id: number) => get<DepartmentUpload>(`/api/v1/department-uploads/${id}`)
export const originalUrl = (id: number) => `/api/v1/department-uploads/${id}/original`
export const resolveRow = (id: number, row: number, resolution: { enterprise_id?: number; skip?: boolean }) =>
  post<DepartmentUpload>(`/api/v1/department-uploads/${id}/rows/${row}/resolve`, resolution)
export const commitUpload = (id: number) => post<DepartmentUpload>(`/api/v1/department-uploads/${id}/commit`)
export const discardUpload = (id: number) => post<{ id: number }>(`/api/v1/department-uploads/${id}/discard`)
export const enterpriseRecords = (enterpriseId: number) =>
  get<{ items: DepartmentRecordGroup[] }>(`/api/v1/enterprises/${enterpriseId}/department-records`)
