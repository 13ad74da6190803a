// Every string the console shows. English can be added as a sibling file with the same keys.
export default {
  app: { name: '「两高」行业电子监管平台', logout: '退出登录', changePassword: '修改密码' },
  roles: {
    province: '省级管理', city: '市级管理', county: '县级管理', dept_admin: '部门管理员',
    dept_user: '部门用户', enterprise: '企业用户', operator: '运维人员',
  },
  menu: { workbench: '工作台', enterprises: '企业名录', enterpriseFile: '企业档案', projects: '项目清单', projectFile: '项目档案' },
  login: {
    title: '用户登录', username: '用户名', password: '密码', submit: '登录',
    required: '请输入用户名和密码', expired: '登录已过期，请重新登录',
  },
  errors: {
    unauthenticated: '用户名或密码错误', permission_denied: '没有权限', not_found: '记录不存在或不在管辖范围内',
    invalid_argument: '输入有误', conflict: '记录已存在', network: '网络错误，请稍后重试', internal: '服务器内部错误',
    locked: '账号已锁定，请稍后再试', attemptsLeft: '用户名或密码错误（还可尝试 {n} 次）',
  },
  workbench: {
    enterprises: '企业', running: '在产', stopped: '停产', keyUnits: '重点用能单位',
    projects: '项目', existing: '存量', under_construction: '在建', planned: '拟建',
    electricityToday: '今日用电', electricityMonth: '本月用电', completeness: '今日数据完整率',
    topIndustries: '本月用电前五行业', asOf: '数据时间',
  },
  enterprise: {
    name: '企业名称', uscc: '统一社会信用代码', region: '所在区县', industry: '行业', status: '状态',
    running: '在产', stopped: '停产', keyUnit: '重点用能单位', yes: '是', no: '否', address: '地址',
    legalRep: '法定代表人', contact: '联系人', phone: '联系电话', registeredOn: '注册日期',
    capital: '注册资本（万元）', staff: '职工人数', landArea: '占地面积（平方米）', coordinates: '经纬度',
    search: '名称或信用代码', filterRegion: '行政区划', filterIndustry: '行业', filterStatus: '状态',
    filterKeyUnit: '重点用能单位', query: '查询', reset: '重置', exportCsv: '导出 CSV', exportXlsx: '导出 Excel', total: '共 {n} 家',
    basic: '基本信息', history: '变更记录', projects: '项目', points: '计量点位', energy: '能耗',
    changedAt: '时间', changedBy: '操作人', changes: '变更内容', created: '创建档案',
    dailyElectricity: '日用电量', completeness: '完整率',
  },
  project: {
    name: '项目名称', state: '状态', capacity: '产能', category: '工艺装备类别', efficiency: '能效指标',
    existing: '存量', under_construction: '在建', planned: '拟建',
    encouraged: '鼓励类', allowed: '允许类', restricted: '限制类', eliminated: '淘汰类',
    enterprise: '所属企业', product: '产品', approvedOn: '核准/备案日期', investment: '总投资（万元）', search: '项目名称或产品',
    total: '共 {n} 个',
  },
  point: {
    code: '编号', name: '名称', measures: '计量对象', unit: '单位', kind: '类型', interval: '采集周期',
    register: '累计量', interval_kind: '时段量', instant: '瞬时量', calibrationDue: '检定到期',
  },
  units: { kwh: '千瓦时', wanKwh: '万千瓦时', yiKwh: '亿千瓦时', seconds: '秒', minutes: '分钟', hours: '小时' },
}
