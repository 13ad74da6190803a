// Every string the console shows. English can be added as a sibling file with the same keys.
export default {
  app: { name: '「两高」行业电子监管平台', logout: '退出登录', changePassword: '修改密码' },
  roles: {
    province: '省级管理', city: '市级管理', county: '县级管理', dept_admin: '部门管理员',
    dept_user: '部门用户', enterprise: '企业用户', operator: '运维人员',
  },
  menu: {
    workbench: '工作台', enterprises: '企业名录', enterpriseFile: '企业档案', projects: '项目清单', projectFile: '项目档案',
    point: '计量点位', password: '修改密码', energy: '能耗排名', factors: '折标系数', completeness: '数据完整率',
  },
  energy: {
    type: '能源品种', comprehensive: '综合能耗', period: '时间', today: '今日', month: '本月', year: '本年',
    groupBy: '统计口径', byRegion: '按地区', byIndustry: '按行业', byEnterprise: '按企业', rank: '排名', name: '名称',
    total: '合计', convention: '电力折标', equivalent: '当量值', equal: '等价值', factorsUsed: '本次计算所用折标系数',
    factorNote: '综合能耗 = Σ 各能源品种实物量 × 折标系数；系数按统计期首日有效的版本取用',
  },
  completeness: {
    date: '日期', below: '低于', total: '共 {n} 个计量点位数据不完整（低于 {p}）', enterprise: '企业', region: '区县',
    point: '计量点位', measures: '计量对象', received: '已收/应收', ratio: '完整率', none: '所选日期所有计量点位数据完整',
    hint: '应收 = 当日已过去的完整采集周期数；完整率低于阈值的点位按完整率从低到高排列',
  },
  factors: {
    title: '能源折标准煤系数', energyType: '能源品种', variant: '口径', version: '版本', value: '系数', validFrom: '生效日期',
    validTo: '失效日期', status: '状态', source: '来源', verified: '已核实', to_be_confirmed: '待确认', open: '—',
  },
  common: { save: '保存', cancel: '取消', saved: '已保存', edit: '编辑', create: '新建', noData: '暂无数据', empty: '（空）' },
  password: {
    title: '修改密码', old: '当前密码', new: '新密码', confirm: '确认新密码', submit: '修改密码',
    mismatch: '两次输入的新密码不一致', done: '密码已修改，请使用新密码登录',
    policy: '至少 8 位，包含大写字母、小写字母、数字、符号中的三类',
  },
  // The server's field reasons are English; these read them in Chinese. Unknown ones are shown as given.
  reasons: {
    required: '必填', exists: '已存在', wrongCheck: '校验码错误，应为 {c}', usccLength: '统一社会信用代码应为 18 位',
    usccChar: '含有不允许的字符（不可使用 I、O、Z、S、V）', usccRegion: '第 3–8 位应为 6 位行政区划代码',
    officialsOnly: '该字段只能由主管部门修改', county: '应为县级行政区划代码（6 位）', phone: '应为电话号码（数字、-、可带 +）',
    integer: '应为整数', number: '应为数字', oldWrong: '当前密码不正确', mustDiffer: '新密码不能与当前密码相同',
    tooShort: '至少 8 位', tooLong: '至多 128 位', classes: '应包含大写字母、小写字母、数字、符号中的三类',
    oneOf: '取值应为：{list}', lngLat: '经度和纬度须同时填写', unknownRegion: '行政区划不存在', unknownIndustry: '行业代码不存在',
  },
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
    comprehensiveToday: '今日综合能耗', comprehensiveMonth: '本月综合能耗', equalValue: '等价值 {v}',
    equivalentValue: '当量值 {v}',
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
    createTitle: '新建企业', editTitle: '编辑企业信息', columns: '显示列',
    energyType: '能源品种', byDay: '按日', byMonth: '按月', flaggedHint: '橙色柱表示当日含有质量标记的数据（缺数、复位、跳变等），详见计量点位页',
    noMeter: '该企业暂无此能源品种的计量点位', mainMeter: '主计量点',
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
    enterprise: '所属企业', inTotal: '计入总量', rollover: '量程上限', maxRate: '最大速率', range: '时间范围',
    reading: '读数', consumption: '时段用量', value: '数值', flaggedIntervals: '标记时段', start: '开始', end: '结束',
    amount: '用量', flags: '标记', explanation: '说明', counted: '计入', notCounted: '不计入', noFlags: '所选时间内没有标记时段',
    readings: '{n} 个读数', intervals: '{n} 个时段', hourly: '小时用量', subMeter: '分表（不计入总量）',
  },
  // Interval flags set by Kiln's checks, as the metering point page explains them.
  flags: {
    gap: { name: '缺数', text: '相邻两个读数之间缺少应有的采集；这段用量属于整个缺数时段，不做插补。' },
    rollover: { name: '翻转', text: '累计读数超过量程上限后从零重新计数；用量按量程上限折算后计入。' },
    reset: { name: '复位/换表', text: '读数下降且不是翻转：表计复位或更换，从新读数重新起算，此时段用量不计入。' },
    negative: { name: '负值', text: '用量为负，不可能出现；保留原始读数，不计入总量。' },
    spike: { name: '跳变', text: '单位时间用量远高于该点位的正常水平（数倍于中位数），不计入总量，需要核实。' },
    impossible: { name: '超速率', text: '用量超过点位声明的最大速率，物理上不可能；不计入总量。' },
  },
  energyTypes: {
    electricity: '电力', water: '新水', raw_coal: '原煤', natural_gas: '天然气', steam: '蒸汽', coke: '焦炭',
    diesel: '柴油', heat: '热力', product_output: '产品产量', comprehensive: '综合能耗',
    crude_oil: '原油', gasoline: '汽油', coal_gas: '煤气',
  },
  unitNames: { kWh: '千瓦时', t: '吨', m3: '立方米', GJ: '吉焦', 'mg/m3': '毫克/立方米', 'm3/h': '立方米/小时', kW: '千瓦' },
  units: { kwh: '千瓦时', wanKwh: '万千瓦时', yiKwh: '亿千瓦时', seconds: '秒', minutes: '分钟', hours: '小时' },
}
