// How a timeline event reads on a file: a headline in Chinese, the line under it, where it links to.
import type { TimelineEvent } from '../api/reviews'
import { t } from '../i18n'
import { fieldLabel } from './infoChange'
import { eventName as inspectionEvent, findingStateName } from './inspections'
import { actionName as reviewAction, flowName, levelName } from './reviews'
import { eventName as upgradeEvent, statusName as upgradeStatus } from './upgrades'
import { actionName as warningAction, ruleName } from './warnings'

export interface TimelineLine {
  title: string
  detail: string
  link: string | null
  // el-timeline-item's colour: changes grey, reviews blue, violations purple, upgrade plans teal (accepted
  // green), inspections indigo (verified green, reopened red), warnings orange.
  color: string
}

export function timelineLine(e: TimelineEvent, recordKind: 'enterprise' | 'project'): TimelineLine {
  if (e.kind === 'review') {
    return {
      title: t('timeline.review', {
        flow: e.flow_name || flowName(e.flow ?? ''),
        subject: e.subject,
        level: levelName(e.level),
        actor: e.actor,
        action: reviewAction(e.action),
      }),
      detail: e.detail,
      link: e.review_id ? `/todo?item=${e.review_id}` : null,
      color: e.action === 'return' ? '#f56c6c' : e.action === 'approve' ? '#67c23a' : '#409eff',
    }
  }
  if (e.kind === 'violation') {
    const state = e.state ? `（${t(`violations.states.${e.state}`)}）` : ''
    return {
      title: t('timeline.violation', {
        subject: e.subject,
        level: levelName(e.level),
        actor: e.actor,
        action: t(`violations.eventKinds.${e.action}`) + state,
      }),
      detail: e.detail,
      link: e.violation_id ? `/violations?id=${e.violation_id}` : null,
      color: e.action === 'escalate' ? '#f56c6c' : e.action === 'closed' ? '#67c23a' : '#b37feb',
    }
  }
  if (e.kind === 'upgrade') {
    const state = e.state ? `（${upgradeStatus(e.state)}）` : ''
    return {
      title: t('timeline.upgrade', {
        subject: e.subject,
        level: levelName(e.level),
        actor: e.actor,
        action: upgradeEvent(e.action) + (e.action === 'progress' ? '' : state),
      }),
      detail: e.detail,
      link: e.upgrade_plan_id ? `/upgrade-plans?id=${e.upgrade_plan_id}` : null,
      color: e.action === 'accepted' ? '#67c23a' : '#13a8a8',
    }
  }
  if (e.kind === 'inspection') {
    // The assignment and the visit are the task's; the rest a finding's steps, with the state they left.
    const ofTask = e.action === 'assigned' || e.action === 'visited'
    const action = ofTask
      ? t(`inspections.timelineActions.${e.action}`)
      : inspectionEvent(e.action) + (e.state ? `（${findingStateName(e.state)}）` : '')
    return {
      title: t('timeline.inspection', {
        subject: e.subject,
        actor: e.level && !ofTask ? `${levelName(e.level)} ${e.actor}` : e.actor,
        action,
      }),
      detail: e.detail,
      link: e.inspection_task_id ? `/inspections?task=${e.inspection_task_id}` : null,
      color: e.action === 'verified' ? '#67c23a' : e.action === 'reopened' ? '#f56c6c' : '#2f54eb',
    }
  }
  if (e.kind === 'warning') {
    return {
      title: t('timeline.warning', { rule: ruleName(e.rule ?? ''), action: warningAction(e.action) }),
      detail: e.detail,
      link: e.warning_id ? `/warnings/${e.warning_id}` : null,
      color: '#e6a23c',
    }
  }
  const kind = e.project_id ? 'project' : recordKind
  const fields = e.detail
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => fieldLabel(kind, f))
    .join('、')
  return {
    title: t(e.action === 'create' ? 'timeline.created' : 'timeline.updated', { actor: e.actor, subject: e.subject }),
    // A record's creation sets every field: naming them all says nothing.
    detail: e.action === 'create' ? '' : fields,
    link: e.project_id && recordKind === 'enterprise' ? `/projects/${e.project_id}` : null,
    color: '#909399',
  }
}
