import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
    {
      path: '/',
      component: () => import('./views/LayoutView.vue'),
      children: [
        {
          path: '',
          name: 'workbench',
          component: () => import('./views/WorkbenchView.vue'),
          meta: { title: 'menu.workbench' },
        },
        {
          path: 'todo',
          name: 'todo',
          component: () => import('./views/TodoView.vue'),
          meta: { title: 'menu.todo' },
        },
        {
          path: 'enterprises',
          name: 'enterprises',
          component: () => import('./views/EnterpriseListView.vue'),
          meta: { title: 'menu.enterprises' },
        },
        {
          path: 'enterprises/:id',
          name: 'enterprise',
          component: () => import('./views/EnterpriseFileView.vue'),
          meta: { title: 'menu.enterpriseFile' },
        },
        {
          path: 'projects',
          name: 'projects',
          component: () => import('./views/ProjectListView.vue'),
          meta: { title: 'menu.projects' },
        },
        {
          path: 'projects/:id',
          name: 'project',
          component: () => import('./views/ProjectFileView.vue'),
          meta: { title: 'menu.projectFile' },
        },
        {
          path: 'violations',
          name: 'violations',
          component: () => import('./views/ViolationsView.vue'),
          meta: { title: 'menu.violations' },
        },
        {
          path: 'upgrade-plans',
          name: 'upgrade-plans',
          component: () => import('./views/UpgradePlansView.vue'),
          meta: { title: 'menu.upgrades' },
        },
        {
          path: 'inspections',
          name: 'inspections',
          component: () => import('./views/InspectionsView.vue'),
          meta: { title: 'menu.inspections' },
        },
        {
          path: 'energy',
          name: 'energy',
          component: () => import('./views/EnergyRankView.vue'),
          meta: { title: 'menu.energy' },
        },
        {
          path: 'reports',
          name: 'reports',
          component: () => import('./views/ReportListView.vue'),
          meta: { title: 'menu.reports' },
        },
        {
          path: 'reports/late',
          name: 'late-reports',
          component: () => import('./views/LateReportsView.vue'),
          meta: { title: 'menu.lateReports' },
        },
        {
          path: 'reports/:enterprise(\\d+)/:kind/:period',
          name: 'report',
          component: () => import('./views/ReportView.vue'),
          meta: { title: 'menu.report' },
        },
        {
          path: 'reference',
          name: 'reference',
          component: () => import('./views/ReferenceView.vue'),
          meta: { title: 'menu.reference' },
        },
        {
          path: 'accounting',
          name: 'accounting',
          component: () => import('./views/AccountingView.vue'),
          meta: { title: 'menu.accounting' },
        },
        {
          path: 'departments',
          name: 'departments',
          component: () => import('./views/DepartmentsView.vue'),
          meta: { title: 'menu.departments' },
        },
        {
          path: 'departments/tasks/:code',
          name: 'department-task',
          component: () => import('./views/DepartmentTaskView.vue'),
          meta: { title: 'menu.departmentTask' },
        },
        {
          path: 'departments/uploads/:id(\\d+)',
          name: 'department-upload',
          component: () => import('./views/DepartmentUploadView.vue'),
          meta: { title: 'menu.departmentUpload' },
        },
        {
          path: 'completeness',
          name: 'completeness',
          component: () => import('./views/CompletenessView.vue'),
          meta: { title: 'menu.completeness' },
        },
        {
          path: 'points/:id',
          name: 'point',
          component: () => import('./views/PointView.vue'),
          meta: { title: 'menu.point' },
        },
        {
          path: 'password',
          name: 'password',
          component: () => import('./views/PasswordView.vue'),
          meta: { title: 'menu.password' },
        },
        {
          path: 'users',
          name: 'users',
          component: () => import('./views/UsersView.vue'),
          meta: { title: 'menu.users' },
        },
        {
          path: 'audit',
          name: 'audit',
          component: () => import('./views/AuditView.vue'),
          meta: { title: 'menu.audit' },
        },
        { path: 'keys', name: 'keys', component: () => import('./views/KeysView.vue'), meta: { title: 'menu.keys' } },
        {
          path: 'warnings',
          name: 'warnings',
          component: () => import('./views/WarningsView.vue'),
          meta: { title: 'menu.warnings' },
        },
        {
          path: 'dual-control',
          name: 'dual-control',
          component: () => import('./views/DualControlView.vue'),
          meta: { title: 'menu.dualControl' },
        },
        {
          path: 'warnings/:id(\\d+)',
          name: 'warning',
          component: () => import('./views/WarningView.vue'),
          meta: { title: 'menu.warning' },
        },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  const session = useSession()
  const user = await session.restore()
  if (to.name === 'login') return true
  if (!user) return { name: 'login', query: { redirect: to.fullPath } }
  // A password an administrator set is changed before anything else; then on to where the user was going.
  if (user.must_change_password) {
    if (to.name === 'password') return true
    return { name: 'password', query: { redirect: to.fullPath } }
  }
  // Without enterprise data (operators, some department accounts) the workbench would be empty.
  if (to.name === 'workbench' && session.home !== '/') return session.home
  // Enterprise users have one file, their own, its projects, metering points and reports (the server refuses
  // others'), and their to-do (returned reports, changes of their files under review).
  const ownFile = to.name === 'enterprise' && Number(to.params.id) === user.enterprise_id
  // The dual-control page tells an enterprise user that targets belong to regions.
  const allowed = [
    'todo',
    'violations',
    'upgrade-plans',
    'inspections',
    'project',
    'point',
    'password',
    'reports',
    'report',
    'keys',
    'warnings',
    'warning',
    'dual-control',
  ]
  if (user.role === 'enterprise' && user.enterprise_id && !ownFile && !allowed.includes(String(to.name))) {
    return { name: 'enterprise', params: { id: user.enterprise_id } }
  }
  return true
})
