// The one error display of forms: the server's reasons next to the fields they name, in Chinese;
// any other failure as a message.
import { ElMessage } from 'element-plus'
import { ApiError } from '../api/request'
import { describeError } from './errors'
import { translateReason } from './reasons'

export function clearFieldErrors(fields: Record<string, string>) {
  for (const key of Object.keys(fields)) delete fields[key]
}

// `summary` is shown as well when the errors are on fields that may be out of sight.
export function showFormError(e: unknown, fields: Record<string, string>, summary?: string) {
  if (e instanceof ApiError && e.details.length) {
    // Several reasons for one field (two permissions it cannot grant) are all shown.
    // The same reason given twice for a field is shown once.
    for (const d of e.details) {
      const reason = translateReason(d.reason)
      const shown = fields[d.field]
      if (shown?.split('；').includes(reason)) continue
      fields[d.field] = shown ? `${shown}；${reason}` : reason
    }
    if (summary) ElMessage.error(summary)
  } else {
    ElMessage.error(e instanceof ApiError ? describeError(e) : String(e))
  }
}
