// Files attached to filings (list proposals, their resubmissions): what the server accepts, a file's size and
// kind as people read them, and the check before an upload (the server judges the bytes again).
import { t } from '../i18n'
import { formatNumber } from './format'

// The server's limit (6 MiB) and count per filing.
export const MAX_ATTACHMENT_BYTES = 6 * 1024 * 1024
export const MAX_ATTACHMENTS = 20
// What the file picker offers; the server sniffs the bytes (and the name for office formats).
export const ATTACHMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx'

// 45 → "45 B", 1536 → "1.5 KB", 6291456 → "6 MB".
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`
}

// The kind of a stored file by its media type: PDF, PNG, JPEG, Word, Excel; anything else as given.
export function attachmentKind(mediaType: string): string {
  const type = mediaType.toLowerCase()
  if (type === 'application/pdf') return 'PDF'
  if (type === 'image/png') return 'PNG'
  if (type === 'image/jpeg') return 'JPEG'
  if (type === 'application/msword' || type.includes('wordprocessingml')) return 'Word'
  if (type === 'application/vnd.ms-excel' || type.includes('spreadsheetml')) return 'Excel'
  return mediaType
}

// Why a picked file cannot be uploaded ('' when it may be): empty, too large, or one too many.
export function attachmentProblem(file: { name: string; size: number }, alreadyPicked = 0): string {
  if (alreadyPicked >= MAX_ATTACHMENTS) return t('attachments.tooMany', { n: MAX_ATTACHMENTS })
  if (file.size === 0) return t('attachments.empty', { name: file.name })
  if (file.size > MAX_ATTACHMENT_BYTES)
    return t('attachments.tooLarge', { name: file.name, size: formatSize(file.size) })
  return ''
}
