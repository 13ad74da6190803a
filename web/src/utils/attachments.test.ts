import { describe, expect, it } from 'vitest'
import { MAX_ATTACHMENT_BYTES, attachmentKind, attachmentProblem, formatSize } from './attachments'

describe('attachments', () => {
  it('gives a size in B, KB or MB', () => {
    expect(formatSize(0)).toBe('0 B')
    expect(formatSize(45)).toBe('45 B')
    expect(formatSize(1023)).toBe('1023 B')
    expect(formatSize(1024)).toBe('1 KB')
    expect(formatSize(1536)).toBe('1.5 KB')
    expect(formatSize(MAX_ATTACHMENT_BYTES)).toBe('6 MB')
    expect(formatSize(2.25 * 1024 * 1024)).toBe('2.3 MB')
    expect(formatSize(null)).toBe('—')
    expect(formatSize(-1)).toBe('—')
  })
  it('names the kinds the server accepts, others as given', () => {
    expect(attachmentKind('application/pdf')).toBe('PDF')
    expect(attachmentKind('image/png')).toBe('PNG')
    expect(attachmentKind('image/jpeg')).toBe('JPEG')
    expect(attachmentKind('application/msword')).toBe('Word')
    expect(attachmentKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('Word')
    expect(attachmentKind('application/vnd.ms-excel')).toBe('Excel')
    expect(attachmentKind('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('Excel')
    expect(attachmentKind('application/zip')).toBe('application/zip')
  })
  it('refuses empty and oversized files, and a 21st, before sending them', () => {
    expect(attachmentProblem({ name: '关停文件.pdf', size: 2048 })).toBe('')
    expect(attachmentProblem({ name: '关停文件.pdf', size: MAX_ATTACHMENT_BYTES })).toBe('')
    expect(attachmentProblem({ name: '现场照片.jpg', size: MAX_ATTACHMENT_BYTES + 1 })).toBe(
      '现场照片.jpg 过大（6 MB），单个附件不超过 6 MB',
    )
    expect(attachmentProblem({ name: '空.pdf', size: 0 })).toBe('空.pdf 是空文件')
    expect(attachmentProblem({ name: 'a.pdf', size: 10 }, 20)).toBe('最多 20 个附件')
  })
})
