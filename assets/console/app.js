// The Liaison console: a single page for the administrator, the 代表工委 office and the
// departments (docs/console.md). Plain JavaScript, no framework, no build step. Every string
// shown comes from T; user data is only ever inserted as text (h() / createTextNode).
'use strict';
(function () {

const T = {
  zh: {
    'app.title': '人大代表联络站 · 工作平台',
    'app.short': '联络站工作平台',
    'lang.switch': 'English',
    'lang.switch.title': '切换到英文',
    'logout': '退出',
    'role.admin': '系统管理员', 'role.office': '代表工委', 'role.department': '承办单位',
    'nav.overview': '总览', 'nav.cases': '意见建议', 'nav.inbox': '待办', 'nav.stations': '联络站与设备',
    'nav.departments': '承办单位', 'nav.users': '账号', 'nav.reports': '月度报告',
    'login.title': '登录', 'login.lead': '代表工委、承办单位和系统管理员使用',
    'login.user': '用户名', 'login.password': '密码', 'login.submit': '登录', 'login.busy': '正在登录…',
    'login.err.401': '用户名或密码错误', 'login.err.423': '账户已锁定，请 {m} 分钟后再试',
    'login.err.empty': '请输入用户名和密码', 'login.err.other': '登录失败：{msg}',
    'session.expired': '会话已结束，请重新登录',
    'status.registered': '登记', 'status.assigned': '交办', 'status.in_progress': '办理中',
    'status.replied': '已答复（待审核）', 'status.resolved': '已办结', 'status.answered': '已反馈', 'status.rated': '已测评',
    'dl.overdue': '已超期', 'dl.due_soon': '即将到期', 'dl.on_time': '未到期', 'dl.done': '已办结', 'dl.none': '未设期限',
    'kind.created': '登记', 'kind.assigned': '交办', 'kind.reassigned': '改派', 'kind.accepted': '签收',
    'kind.progress': '办理进展', 'kind.replied': '答复', 'kind.returned': '退回', 'kind.resolved': '审核通过（办结）',
    'kind.urged': '催办', 'kind.extended': '延期', 'kind.extension_requested': '申请延期', 'kind.phone_viewed': '查看电话',
    'kind.answered': '反馈', 'kind.rated': '测评',
    'action.assign': '交办', 'action.reassign': '改派', 'action.extend': '延期', 'action.urge': '催办',
    'action.approve': '审核通过', 'action.return': '退回', 'action.accept': '签收', 'action.progress': '办理进展',
    'action.reply': '答复', 'action.extension-request': '申请延期',
    'f.department': '承办单位', 'f.deadline': '办理期限', 'f.note': '备注', 'f.reason': '理由', 'f.returnReason': '退回理由',
    'f.progressNote': '办理进展', 'f.result': '办理结果（答复内容）', 'f.newDeadline': '申请延至',
    'f.acceptConfirm': '签收后即开始办理，并可查看来访人联系电话。确认签收此件？',
    'f.approveHint': '审核通过后，此件状态变为“已办结”。',
    'ok': '确定', 'cancel': '取消', 'submit': '提交', 'close': '关闭', 'loading': '正在加载…', 'empty': '暂无数据',
    'yes': '是', 'no': '否', 'search': '查询', 'reset': '重置', 'all': '全部', 'prev': '上一页', 'next': '下一页',
    'page': '第 {x}/{y} 页', 'total': '共 {n} 条', 'done': '操作成功', 'add': '添加', 'none': '无', 'dash': '—',
    'err.refused': '当前状态不允许此操作', 'err.forbidden': '无权进行此操作', 'err.csrf': '安全令牌已失效，请刷新页面后重试',
    'err.not_found': '记录不存在或不在您的范围内', 'err.network': '网络错误，请稍后重试', 'err.bad_request': '提交的内容有误：{msg}',
    'err.generic': '操作失败：{msg}', 'err.required': '请填写“{f}”', 'err.server': '服务器错误（{s}）',
    'ov.period': '统计期间', 'ov.byYear': '按年', 'ov.byMonth': '按月', 'ov.year': '年份', 'ov.month': '月份',
    'ov.district': '区县', 'ov.allDistricts': '全部区县', 'ov.range': '{from} 至 {to}',
    'tile.visits': '接待批次', 'tile.people': '接待人次', 'tile.suggestions': '意见建议', 'tile.resolution': '办结率',
    'tile.satisfaction': '满意率', 'tile.resolvedOf': '办结 {r} / {n} 件', 'tile.ratedOf': '测评 {n} 件',
    'ov.overdue': '超期未办结', 'ov.dueSoon': '3 日内到期', 'ov.pieces': '{n} 件', 'ov.open': '查看 ›',
    'ov.stations': '各联络站情况', 'ov.stale': '超过 3 天未同步的设备', 'ov.staleNone': '所有设备均已在 3 天内同步',
    'ov.chart': '各月意见建议（按当前状态）', 'ov.chartEmpty': '本期间没有意见建议',
    'ov.chartLabel': '各月意见建议数量的堆叠柱状图', 'ov.monthLabel': '{m}月', 'ov.yearMonthLabel': '{y}年{m}月',
    'col.station': '联络站', 'col.district': '区县', 'col.visits': '批次', 'col.people': '人次',
    'col.suggestions': '意见建议', 'col.resolved': '办结', 'col.resolution': '办结率', 'col.satisfaction': '满意率',
    'col.title': '标题', 'col.status': '状态', 'col.category': '类别', 'col.department': '承办单位',
    'col.deadline': '办理期限', 'col.created': '登记时间', 'col.device': '设备', 'col.lastSeen': '最近同步',
    'cases.title': '意见建议', 'cases.filters': '筛选', 'cases.station': '联络站', 'cases.status': '状态',
    'cases.category': '类别', 'cases.department': '承办单位', 'cases.overdue': '仅看超期', 'cases.dueSoon': '仅看 3 日内到期',
    'cases.q': '关键词', 'cases.qPlaceholder': '搜索标题或内容', 'cases.from': '登记日期从', 'cases.to': '至',
    'cases.sort': '排序', 'sort.created': '登记时间', 'sort.deadline': '办理期限', 'sort.status': '状态', 'sort.station': '联络站',
    'order.desc': '降序', 'order.asc': '升序', 'cases.none': '没有符合条件的意见建议',
    'cases.selectAll': '全选本页', 'cases.select': '选择此件',
    'bulk.assign': '交办所选', 'bulk.count': '已选 {n} 件', 'bulk.title': '交办所选意见建议（{n} 件）',
    'bulk.result': '已交办 {n} 件', 'bulk.refused': '未能交办 {n} 件：', 'bulk.noneSelected': '请先勾选要交办的意见建议',
    'export.csv': '导出 CSV', 'export.xlsx': '导出 Excel',
    'case.back': '‹ 返回', 'case.title': '意见建议', 'case.station': '联络站', 'case.department': '承办单位',
    'case.deadline': '办理期限', 'case.category': '类别', 'case.created': '登记时间', 'case.resolvedAt': '办结时间',
    'case.content': '内容', 'case.result': '办理结果', 'case.satisfaction': '满意度', 'case.satisfactionComment': '测评意见',
    'case.feedbackChannel': '反馈方式', 'case.visit': '来访信息', 'case.visitors': '来访人', 'case.timeline': '办理记录',
    'case.actions': '办理操作', 'case.noActions': '当前没有可执行的操作', 'case.unassigned': '未交办',
    'case.showPhone': '查看联系电话', 'case.phoneNote': '查看将记入办理记录', 'case.noVisitors': '未留来访人信息',
    'visit.subject': '事由', 'visit.content': '反映内容', 'visit.category': '类别', 'visit.receivedAt': '接待时间',
    'visit.people': '人数', 'visit.channel': '接待方式', 'visitor.name': '姓名', 'visitor.phone': '联系电话',
    'sat.satisfied': '满意', 'sat.basically': '基本满意', 'sat.unsatisfied': '不满意',
    'fc.in_person': '当面', 'fc.written': '书面', 'fc.phone': '电话',
    'ch.station': '来站', 'ch.reception_day': '接待日', 'ch.outreach': '走访', 'ch.phone': '电话', 'ch.online': '网络',
    'inbox.title': '待办', 'inbox.count': '共 {n} 件，其中超期 {o} 件', 'inbox.empty': '暂无待办的意见建议',
    'inbox.assignedOn': '登记于 {t}',
    'st.title': '联络站', 'st.add': '新增联络站', 'st.name': '名称', 'st.kind': '类型', 'st.district': '区县',
    'st.township': '街道/乡镇', 'st.address': '地址', 'st.devices': '设备数', 'st.code': '生成注册码',
    'st.added': '已添加联络站', 'code.title': '设备注册码 · {s}', 'code.expires': '有效期至 {t}',
    'code.hint': '在平板上输入注册码，或扫描二维码完成注册。', 'code.qrAlt': '注册码二维码', 'code.noQr': '二维码不可用',
    'dev.title': '设备', 'dev.name': '设备名称', 'dev.station': '联络站', 'dev.series': '编号字母', 'dev.enrolled': '注册时间',
    'dev.lastSeen': '最近同步', 'dev.revoked': '已吊销', 'dev.state': '状态', 'dev.active': '正常', 'dev.revoke': '吊销',
    'dev.revokeTitle': '吊销设备', 'dev.revokeConfirm': '确定吊销设备“{n}”吗？吊销后该设备不能再同步。',
    'dev.revokedDone': '设备已吊销', 'dev.none': '还没有注册的设备',
    'rel.never': '从未同步', 'rel.now': '刚刚', 'rel.min': '{n} 分钟前', 'rel.hour': '{n} 小时前', 'rel.day': '{n} 天前', 'rel.day1': '1 天前',
    'dep.title': '承办单位', 'dep.add': '新增承办单位', 'dep.name': '单位名称', 'dep.added': '已添加承办单位',
    'u.title': '账号', 'u.add': '新增账号', 'u.name': '用户名', 'u.display': '显示名称', 'u.role': '角色',
    'u.department': '承办单位', 'u.stations': '联络站范围', 'u.stationsHint': '“*” 表示全部；或以逗号分隔的联络站编号，也可写 district:区县名',
    'u.password': '初始密码（至少 8 位）', 'u.newPassword': '新密码（至少 8 位）', 'u.status': '状态', 'u.active': '正常',
    'u.disabled': '已停用', 'u.locked': '锁定至 {t}', 'u.disable': '停用', 'u.enable': '启用', 'u.resetPw': '重置密码',
    'u.resetTitle': '重置“{n}”的密码', 'u.pwShort': '密码至少 8 位', 'u.allStations': '全部', 'u.added': '已添加账号',
    'u.pwDone': '密码已重置', 'u.actions': '操作', 'u.chooseDept': '请选择承办单位',
    'rep.title': '月度报告', 'rep.month': '月份', 'rep.stations': '各联络站', 'rep.export': '导出本月意见建议',
    'rep.empty': '本月没有数据',
  },
  en: {
    'app.title': 'Deputies\' liaison stations · Console',
    'app.short': 'Liaison console',
    'lang.switch': '中文',
    'lang.switch.title': 'Switch to Chinese',
    'logout': 'Sign out',
    'role.admin': 'Administrator', 'role.office': 'Deputies\' office', 'role.department': 'Department',
    'nav.overview': 'Overview', 'nav.cases': 'Suggestions', 'nav.inbox': 'To do', 'nav.stations': 'Stations & devices',
    'nav.departments': 'Departments', 'nav.users': 'Accounts', 'nav.reports': 'Monthly report',
    'login.title': 'Sign in', 'login.lead': 'For the deputies\' office, departments and administrators',
    'login.user': 'User name', 'login.password': 'Password', 'login.submit': 'Sign in', 'login.busy': 'Signing in…',
    'login.err.401': 'Wrong user name or password', 'login.err.423': 'Account locked: try again in {m} min',
    'login.err.empty': 'Enter your user name and password', 'login.err.other': 'Sign-in failed: {msg}',
    'session.expired': 'Your session has ended, please sign in again',
    'status.registered': 'registered', 'status.assigned': 'assigned', 'status.in_progress': 'in progress',
    'status.replied': 'replied (to review)', 'status.resolved': 'resolved', 'status.answered': 'answered', 'status.rated': 'rated',
    'dl.overdue': 'overdue', 'dl.due_soon': 'due soon', 'dl.on_time': 'on time', 'dl.done': 'done', 'dl.none': 'no deadline',
    'kind.created': 'registered', 'kind.assigned': 'assigned', 'kind.reassigned': 'reassigned', 'kind.accepted': 'accepted',
    'kind.progress': 'progress', 'kind.replied': 'replied', 'kind.returned': 'returned', 'kind.resolved': 'approved (resolved)',
    'kind.urged': 'urged', 'kind.extended': 'deadline extended', 'kind.extension_requested': 'extension requested',
    'kind.phone_viewed': 'phone viewed', 'kind.answered': 'feedback given', 'kind.rated': 'rated',
    'action.assign': 'Assign', 'action.reassign': 'Reassign', 'action.extend': 'Extend', 'action.urge': 'Urge',
    'action.approve': 'Approve', 'action.return': 'Return', 'action.accept': 'Accept', 'action.progress': 'Progress',
    'action.reply': 'Reply', 'action.extension-request': 'Request extension',
    'f.department': 'Department', 'f.deadline': 'Deadline', 'f.note': 'Note', 'f.reason': 'Reason', 'f.returnReason': 'Reason for returning',
    'f.progressNote': 'Progress', 'f.result': 'Result (the reply)', 'f.newDeadline': 'New deadline',
    'f.acceptConfirm': 'Accepting starts the work and shows the visitors\' phone numbers. Accept this case?',
    'f.approveHint': 'Approving the reply marks the case as resolved.',
    'ok': 'OK', 'cancel': 'Cancel', 'submit': 'Submit', 'close': 'Close', 'loading': 'Loading…', 'empty': 'Nothing here',
    'yes': 'yes', 'no': 'no', 'search': 'Search', 'reset': 'Reset', 'all': 'All', 'prev': 'Previous', 'next': 'Next',
    'page': 'Page {x}/{y}', 'total': '{n} in all', 'done': 'Done', 'add': 'Add', 'none': 'none', 'dash': '—',
    'err.refused': 'The case\'s status does not allow this action', 'err.forbidden': 'You may not do this',
    'err.csrf': 'Security token expired, reload the page and try again',
    'err.not_found': 'No such record, or not in your scope', 'err.network': 'Network error, try again later',
    'err.bad_request': 'Invalid input: {msg}', 'err.generic': 'Failed: {msg}', 'err.required': 'Fill in "{f}"',
    'err.server': 'Server error ({s})',
    'ov.period': 'Period', 'ov.byYear': 'Year', 'ov.byMonth': 'Month', 'ov.year': 'Year', 'ov.month': 'Month',
    'ov.district': 'District', 'ov.allDistricts': 'All districts', 'ov.range': '{from} to {to}',
    'tile.visits': 'Visits (批次)', 'tile.people': 'People (人次)', 'tile.suggestions': 'Suggestions', 'tile.resolution': 'Resolution rate',
    'tile.satisfaction': 'Satisfaction rate', 'tile.resolvedOf': '{r} of {n} resolved', 'tile.ratedOf': '{n} rated',
    'ov.overdue': 'Overdue', 'ov.dueSoon': 'Due within 3 days', 'ov.pieces': '{n}', 'ov.open': 'Show ›',
    'ov.stations': 'Stations', 'ov.stale': 'Devices not synced for 3 days or more', 'ov.staleNone': 'Every device synced within 3 days',
    'ov.chart': 'Suggestions by month (current status)', 'ov.chartEmpty': 'No suggestions in this period',
    'ov.chartLabel': 'Stacked bar chart of suggestions per month', 'ov.monthLabel': '{mon}', 'ov.yearMonthLabel': '{mon} {y}',
    'col.station': 'Station', 'col.district': 'District', 'col.visits': 'Visits', 'col.people': 'People',
    'col.suggestions': 'Suggestions', 'col.resolved': 'Resolved', 'col.resolution': 'Resolution', 'col.satisfaction': 'Satisfaction',
    'col.title': 'Title', 'col.status': 'Status', 'col.category': 'Category', 'col.department': 'Department',
    'col.deadline': 'Deadline', 'col.created': 'Registered', 'col.device': 'Device', 'col.lastSeen': 'Last sync',
    'cases.title': 'Suggestions', 'cases.filters': 'Filters', 'cases.station': 'Station', 'cases.status': 'Status',
    'cases.category': 'Category', 'cases.department': 'Department', 'cases.overdue': 'Overdue only', 'cases.dueSoon': 'Due within 3 days only',
    'cases.q': 'Text', 'cases.qPlaceholder': 'Search title or content', 'cases.from': 'Registered from', 'cases.to': 'to',
    'cases.sort': 'Sort', 'sort.created': 'Registered', 'sort.deadline': 'Deadline', 'sort.status': 'Status', 'sort.station': 'Station',
    'order.desc': 'descending', 'order.asc': 'ascending', 'cases.none': 'No suggestions match',
    'cases.selectAll': 'Select the whole page', 'cases.select': 'Select this case',
    'bulk.assign': 'Assign selected', 'bulk.count': '{n} selected', 'bulk.title': 'Assign the selected suggestions ({n})',
    'bulk.result': '{n} assigned', 'bulk.refused': '{n} refused:', 'bulk.noneSelected': 'Select suggestions first',
    'export.csv': 'Export CSV', 'export.xlsx': 'Export Excel',
    'case.back': '‹ Back', 'case.title': 'Suggestion', 'case.station': 'Station', 'case.department': 'Department',
    'case.deadline': 'Deadline', 'case.category': 'Category', 'case.created': 'Registered', 'case.resolvedAt': 'Resolved',
    'case.content': 'Content', 'case.result': 'Result', 'case.satisfaction': 'Satisfaction', 'case.satisfactionComment': 'Comment',
    'case.feedbackChannel': 'Feedback by', 'case.visit': 'The visit', 'case.visitors': 'Visitors', 'case.timeline': 'Timeline',
    'case.actions': 'Actions', 'case.noActions': 'No action is open to you now', 'case.unassigned': 'not assigned',
    'case.showPhone': 'Show phone numbers', 'case.phoneNote': 'Each look is recorded in the timeline', 'case.noVisitors': 'No visitor recorded',
    'visit.subject': 'Subject', 'visit.content': 'What was said', 'visit.category': 'Category', 'visit.receivedAt': 'Received',
    'visit.people': 'People', 'visit.channel': 'Channel', 'visitor.name': 'Name', 'visitor.phone': 'Phone',
    'sat.satisfied': 'satisfied', 'sat.basically': 'basically satisfied', 'sat.unsatisfied': 'unsatisfied',
    'fc.in_person': 'in person', 'fc.written': 'in writing', 'fc.phone': 'by phone',
    'ch.station': 'at the station', 'ch.reception_day': 'reception day', 'ch.outreach': 'outreach', 'ch.phone': 'phone', 'ch.online': 'online',
    'inbox.title': 'To do', 'inbox.count': 'Cases: {n}, overdue: {o}', 'inbox.empty': 'Nothing to do',
    'inbox.assignedOn': 'registered {t}',
    'st.title': 'Stations', 'st.add': 'Add a station', 'st.name': 'Name', 'st.kind': 'Kind', 'st.district': 'District',
    'st.township': 'Township', 'st.address': 'Address', 'st.devices': 'Devices', 'st.code': 'Enrolment code',
    'st.added': 'Station added', 'code.title': 'Enrolment code · {s}', 'code.expires': 'Valid until {t}',
    'code.hint': 'Type the code on the tablet, or scan the QR code.', 'code.qrAlt': 'QR code of the enrolment code', 'code.noQr': 'QR code unavailable',
    'dev.title': 'Devices', 'dev.name': 'Device', 'dev.station': 'Station', 'dev.series': 'Series', 'dev.enrolled': 'Enrolled',
    'dev.lastSeen': 'Last sync', 'dev.revoked': 'revoked', 'dev.state': 'State', 'dev.active': 'active', 'dev.revoke': 'Revoke',
    'dev.revokeTitle': 'Revoke device', 'dev.revokeConfirm': 'Revoke the device "{n}"? It will no longer sync.',
    'dev.revokedDone': 'Device revoked', 'dev.none': 'No device enrolled yet',
    'rel.never': 'never synced', 'rel.now': 'just now', 'rel.min': '{n} min ago', 'rel.hour': '{n} h ago', 'rel.day': '{n} days ago', 'rel.day1': '1 day ago',
    'dep.title': 'Departments', 'dep.add': 'Add a department', 'dep.name': 'Name', 'dep.added': 'Department added',
    'u.title': 'Accounts', 'u.add': 'Add an account', 'u.name': 'User name', 'u.display': 'Display name', 'u.role': 'Role',
    'u.department': 'Department', 'u.stations': 'Stations', 'u.stationsHint': '"*" for all, or station ids separated by commas, or district:NAME',
    'u.password': 'Password (8 characters or more)', 'u.newPassword': 'New password (8 characters or more)', 'u.status': 'State',
    'u.active': 'active', 'u.disabled': 'disabled', 'u.locked': 'locked until {t}', 'u.disable': 'Disable', 'u.enable': 'Enable',
    'u.resetPw': 'Reset password', 'u.resetTitle': 'Reset the password of "{n}"', 'u.pwShort': 'At least 8 characters',
    'u.allStations': 'all', 'u.added': 'Account added', 'u.pwDone': 'Password reset', 'u.actions': 'Actions',
    'u.chooseDept': 'Choose a department',
    'rep.title': 'Monthly report', 'rep.month': 'Month', 'rep.stations': 'Stations', 'rep.export': 'Export this month\'s suggestions',
    'rep.empty': 'No data for this month',
  },
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STATUSES = ['registered', 'assigned', 'in_progress', 'replied', 'resolved', 'answered', 'rated'];
const STATUS_COLORS = {
  registered: '#8d8d8d', assigned: '#1f5fa8', in_progress: '#d98a00', replied: '#7b3fa0',
  resolved: '#2e7d32', answered: '#00838f', rated: '#5b3a29',
};
const NAV = {
  office: ['overview', 'cases', 'reports'],
  department: ['inbox'],
  admin: ['overview', 'cases', 'stations', 'departments', 'users', 'reports'],
};
const API = 'api/';
const LANG_KEY = 'liaison.console.lang';

let lang = 'zh';
try { lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh'; } catch (e) { /* storage off */ }

const S = {
  user: null, csrf: null, lookups: null,
  ov: null, rep: null, selected: new Set(), phones: {}, seq: 0,
};

// ---------- helpers ----------
function t(key, params) {
  let s = (T[lang] && T[lang][key]);
  if (s === undefined) s = T.zh[key];
  if (s === undefined) s = key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined ? m : String(params[k])));
  return s;
}
function append(el, kids) {
  for (const c of kids) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}
const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'required', 'multiple', 'open']);
function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const k of Object.keys(attrs)) {
    const v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}
// h(tag, attrs, ...children): children are nodes, arrays or text (always inserted as text).
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  return append(el, kids);
}
const SVGNS = 'http://www.w3.org/2000/svg';
function sv(tag, attrs, ...kids) {
  const el = document.createElementNS(SVGNS, tag);
  setAttrs(el, attrs);
  return append(el, kids);
}
function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
function pad(n) { return n < 10 ? '0' + n : String(n); }
function isoDate(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }
function today() { return isoDate(new Date()); }
function thisMonth() { const d = new Date(); return d.getFullYear() + '-' + pad(d.getMonth() + 1); }
function monthBounds(ym) {
  const [y, m] = ym.split('-').map(Number);
  const last = new Date(y, m, 0).getDate();
  return { from: ym + '-01', to: ym + '-' + pad(last) };
}
function fmtMs(ms) {
  if (!ms) return t('dash');
  const d = new Date(Number(ms));
  return isoDate(d) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}
function relTime(ms) {
  if (!ms) return t('rel.never');
  const diff = Math.max(0, Date.now() - Number(ms));
  const min = Math.floor(diff / 60000);
  if (min < 1) return t('rel.now');
  if (min < 60) return t('rel.min', { n: min });
  const hr = Math.floor(min / 60);
  if (hr < 24) return t('rel.hour', { n: hr });
  const d = Math.floor(hr / 24);
  return d === 1 ? t('rel.day1') : t('rel.day', { n: d });
}
const DAY_MS = 86400000;
function txt(v) { return v === null || v === undefined || v === '' ? t('dash') : String(v); }
function num(v) { const n = Number(v); return Number.isFinite(n) ? n : 0; }
function statusName(code) { return T.zh['status.' + code] !== undefined ? t('status.' + code) : txt(code); }
function kindName(code) { return T.zh['kind.' + code] !== undefined ? t('kind.' + code) : txt(code); }
function codeName(prefix, code) { return code && T.zh[prefix + code] !== undefined ? t(prefix + code) : txt(code); }
function categoryName(id) {
  if (!id) return t('dash');
  const c = S.lookups && (S.lookups.categories || []).find((x) => x.id === id);
  if (!c) return String(id);
  return String((lang === 'en' ? c.en : c.zh) || c.zh || c.id);
}
function rate(F, which) {
  if (!F) return '-';
  const s = F[which + '_rate'];
  if (typeof s === 'string' && s) return s;
  const p = F[which + '_permille'];
  if (typeof p === 'number' && p >= 0) return (Math.round(p) / 10) + '%';
  return '-';
}
function badge(status, extra) {
  return h('span', Object.assign({ class: 'badge st-' + String(status).replace(/[^a-z_]/g, '') }, extra || {}), statusName(status));
}
function deadlineEl(row) {
  const st = String(row.deadline_state || 'none').replace(/[^a-z_]/g, '');
  if (!row.deadline) return h('span', { class: 'dl dl-' + st }, st === 'done' ? t('dl.done') : t('dl.none'));
  return h('span', { class: 'dl dl-' + st, title: t('dl.' + st) },
    h('span', { class: 'dl-date' }, String(row.deadline)), ' ', h('span', { class: 'dl-state' }, t('dl.' + st)));
}
function qs(params) {
  const u = new URLSearchParams();
  for (const k of Object.keys(params)) {
    const v = params[k];
    if (v !== undefined && v !== null && v !== '' && v !== false) u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

// ---------- API ----------
class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
    this.code = (body && body.error) || '';
    this.params = (body && body.params) || {};
    this.serverMessage = (body && body.message) || '';
  }
}
async function api(method, path, body, opts) {
  const o = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET' && path !== 'login') o.headers['X-CSRF-Token'] = S.csrf || '';
  if (body !== undefined) { o.headers['Content-Type'] = 'application/json'; o.body = JSON.stringify(body); }
  let res;
  try { res = await fetch(API + path, o); } catch (e) { throw new ApiError(0, { error: 'network' }); }
  const text = await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && path !== 'login' && !(opts && opts.quiet401)) {
      err.handled = true;
      sessionEnded(true);
    }
    throw err;
  }
  return data || {};
}
function errorText(e) {
  if (!(e instanceof ApiError)) return t('err.generic', { msg: e && e.message ? e.message : String(e) });
  if (e.status === 0) return t('err.network');
  if (e.status === 409 || e.code === 'refused') return t('err.refused');
  if (e.code === 'csrf') return t('err.csrf');
  if (e.status === 403) return t('err.forbidden');
  if (e.status === 404) return t('err.not_found');
  if (e.status === 400) return t('err.bad_request', { msg: e.serverMessage || e.code });
  if (e.status >= 500) return t('err.server', { s: e.status });
  return t('err.generic', { msg: e.serverMessage || e.code || e.status });
}
function toast(msg, isError) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: 'toast' + (isError ? ' toast-err' : ''), role: isError ? 'alert' : 'status',
    'data-test': isError ? 'error' : 'toast' }, msg);
  box.appendChild(el);
  setTimeout(() => el.remove(), isError ? 8000 : 3500);
}
function showError(e) { if (e && e.handled) return; toast(errorText(e), true); }

// ---------- session ----------
function sessionEnded(expired) {
  S.user = null; S.csrf = null; S.lookups = null; S.selected.clear(); S.phones = {};
  renderLogin(expired ? 'session.expired' : '');
}
async function loadLookups() {
  try { S.lookups = await api('GET', 'lookups'); } catch (e) {
    if (e.handled) throw e;
    S.lookups = { stations: [], departments: [], categories: [], statuses: [], districts: [] };
    showError(e);
  }
  for (const k of ['stations', 'departments', 'categories', 'statuses', 'districts']) {
    if (!Array.isArray(S.lookups[k])) S.lookups[k] = [];
  }
}
async function startSession(r) {
  S.csrf = r.csrf; S.user = r.user;
  await loadLookups();
  renderShell();
  const { parts } = parseHash();
  const ok = parts.length && (allowed(parts[0]) || (parts[0] === 'cases' && parts[1]));
  if (!ok && location.hash !== '#/' + defaultPage()) { location.replace('#/' + defaultPage()); return; }  // hashchange renders
  render();
}
function defaultPage() { return S.user && S.user.role === 'department' ? 'inbox' : 'overview'; }
function allowed(page) {
  if (!S.user) return false;
  return (NAV[S.user.role] || []).includes(page);
}

// ---------- login ----------
function renderLogin(messageKey) {
  S.loginMsg = messageKey || '';
  const message = messageKey ? t(messageKey) : '';
  const app = clear(document.getElementById('app'));
  document.title = t('app.short');
  const err = h('div', { class: 'login-error', 'data-test': 'login-error', role: 'alert', hidden: !message }, message || '');
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', 'data-test': 'login-user', required: true,
    autocapitalize: 'off', spellcheck: 'false' });
  const pw = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password',
    'data-test': 'login-password', required: true });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-test': 'login-submit' }, t('login.submit'));
  const showErr = (m) => { err.textContent = m; err.hidden = false; };
  const form = h('form', { class: 'login-form', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    if (!user.value.trim() || !pw.value) { showErr(t('login.err.empty')); return; }
    btn.disabled = true; btn.textContent = t('login.busy');
    try {
      const r = await api('POST', 'login', { user: user.value.trim(), password: pw.value });
      pw.value = '';
      await startSession(r);
    } catch (e) {
      btn.disabled = false; btn.textContent = t('login.submit');
      if (e.status === 401) showErr(t('login.err.401'));
      else if (e.status === 423 || e.code === 'locked') {
        const s = num(e.params && e.params.retry_after_s);
        showErr(t('login.err.423', { m: Math.max(1, Math.ceil(s / 60)) }));
      } else if (e.status === 0) showErr(t('err.network'));
      else showErr(t('login.err.other', { msg: e.serverMessage || e.code || e.status }));
      pw.select();
    }
  } },
  h('label', { for: 'login-user' }, t('login.user')), user,
  h('label', { for: 'login-password' }, t('login.password')), pw,
  err, btn);
  app.appendChild(h('div', { class: 'login-page', 'data-test': 'page-login' },
    h('div', { class: 'login-card' },
      h('div', { class: 'login-head' },
        h('div', { class: 'emblem', 'aria-hidden': 'true' }, '人'),
        h('div', null, h('h1', null, t('app.title')), h('p', { class: 'muted' }, t('login.lead')))),
      h('h2', null, t('login.title')), form),
    h('div', { class: 'login-lang' }, langButton())));
  setTimeout(() => user.focus(), 0);
}
function langButton() {
  return h('button', { type: 'button', class: 'btn btn-ghost lang-btn', 'data-test': 'lang', title: t('lang.switch.title'),
    lang: lang === 'zh' ? 'en' : 'zh', onclick: () => {
      lang = lang === 'zh' ? 'en' : 'zh';
      try { localStorage.setItem(LANG_KEY, lang); } catch (e) { /* storage off */ }
      applyLang();
      if (S.user) { renderShell(); render(); } else renderLogin(S.loginMsg);
    } }, t('lang.switch'));
}
function applyLang() { document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'; }

// ---------- shell ----------
function renderShell() {
  const app = clear(document.getElementById('app'));
  const u = S.user;
  const nav = h('nav', { class: 'nav', 'aria-label': t('app.short') },
    (NAV[u.role] || []).map((p) => h('a', { href: '#/' + p, 'data-test': 'nav-' + p, 'data-page': p }, t('nav.' + p))));
  const header = h('header', { class: 'top' },
    h('div', { class: 'top-in' },
      h('a', { class: 'brand', href: '#/' + defaultPage() }, h('span', { class: 'emblem', 'aria-hidden': 'true' }, '人'),
        h('span', { class: 'brand-long' }, t('app.title')), h('span', { class: 'brand-short' }, t('app.short'))),
      h('div', { class: 'who' },
        h('span', { class: 'who-name', 'data-test': 'me' }, txt(u.display || u.name)),
        h('span', { class: 'who-role' }, t('role.' + u.role) + (u.department && u.department.name ? ' · ' + u.department.name : ''))),
      langButton(),
      h('button', { type: 'button', class: 'btn btn-ghost', 'data-test': 'logout', onclick: logout }, t('logout'))),
    h('div', { class: 'nav-row' }, h('div', { class: 'nav-in' }, nav)));
  app.appendChild(header);
  app.appendChild(h('main', { id: 'main', class: 'main' }));
  document.title = t('app.short');
}
async function logout() {
  try { await api('POST', 'logout', {}, { quiet401: true }); } catch (e) { /* gone anyway */ }
  location.hash = '';
  sessionEnded(false);
}
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const i = raw.indexOf('?');
  const path = i < 0 ? raw : raw.slice(0, i);
  const params = new URLSearchParams(i < 0 ? '' : raw.slice(i + 1));
  const parts = path.split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch (e) { return p; } });
  return { parts, params };
}
function go(path, params) { location.hash = '#/' + path + (params ? qs(params) : ''); }

function render() {
  if (!S.user) return;
  const main = document.getElementById('main');
  if (!main) { renderShell(); return render(); }
  const { parts, params } = parseHash();
  let page = parts[0] || defaultPage();
  if (page === 'cases' && parts[1]) page = 'case';
  else if (!allowed(page)) { location.replace('#/' + defaultPage()); return; }
  for (const a of document.querySelectorAll('.nav a')) {
    const on = a.getAttribute('data-page') === page || (page === 'case' && a.getAttribute('data-page') === (S.user.role === 'department' ? 'inbox' : 'cases'));
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    if (on) {  // a phone's nav scrolls sideways: keep the current page in sight
      const nav = a.parentNode;
      if (a.offsetLeft < nav.scrollLeft || a.offsetLeft + a.offsetWidth > nav.scrollLeft + nav.clientWidth) nav.scrollLeft = a.offsetLeft - 12;
    }
  }
  const seq = ++S.seq;
  const root = h('div', { class: 'page', 'data-test': 'page-' + page });
  clear(main).appendChild(h('div', { class: 'wrap' }, root));
  const ctx = { root, params, seq, live: () => seq === S.seq && S.user !== null };
  const pages = { overview: pageOverview, cases: pageCases, case: pageCase, inbox: pageInbox, stations: pageStations,
    departments: pageDepartments, users: pageUsers, reports: pageReports };
  const active = document.activeElement;
  if (active && active.closest && active.closest('.nav')) { /* keep nav focus */ } else window.scrollTo(0, 0);
  Promise.resolve(pages[page](ctx, parts)).catch((e) => {
    if (!ctx.live() || e.handled) return;
    clear(root).appendChild(h('div', { class: 'card error-box', 'data-test': 'error', role: 'alert' }, errorText(e)));
  });
}
function loading() { return h('div', { class: 'loading', 'aria-busy': 'true' }, t('loading')); }
function section(title, ...kids) {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, kids);
}
function field(label, input, extra) {
  return h('label', { class: 'field' + (extra ? ' ' + extra : '') }, h('span', { class: 'field-label' }, label), input);
}
function select(options, value, attrs) {
  const el = h('select', attrs || {}, options.map(([v, l]) => h('option', { value: v }, l)));
  el.value = value === undefined || value === null ? '' : String(value);
  return el;
}
// A table whose cells carry their column's label, so CSS can stack the rows as cards on a phone.
function table(cols, rows, opts) {
  opts = opts || {};
  const thead = h('thead', null, h('tr', null, cols.map((c) => h('th', { class: c.cls || null, scope: 'col' }, c.head || c.label))));
  const tbody = h('tbody', null, rows.map((r) => {
    const tr = h('tr', opts.rowAttrs ? opts.rowAttrs(r) : null,
      cols.map((c) => h('td', { 'data-label': c.label || '', class: c.cls || null }, c.cell(r))));
    return tr;
  }));
  return h('div', { class: 'table-box' }, h('table', { class: 'tbl stack' + (opts.cls ? ' ' + opts.cls : '') }, thead, tbody));
}
function emptyNote(text) { return h('p', { class: 'empty muted' }, text || t('empty')); }

// ---------- dialogs ----------
// openDialog({title, body, submit, onSubmit(dlg) → result|undefined, cancelLabel}): a modal <dialog>.
function openDialog(o) {
  const errBox = h('div', { class: 'dlg-error', role: 'alert', hidden: true });
  const submitBtn = o.submit === false ? null
    : h('button', { type: 'submit', class: 'btn ' + (o.danger ? 'btn-danger' : 'btn-primary'), 'data-test': 'dialog-submit' }, o.submit || t('submit'));
  const cancelBtn = h('button', { type: 'button', class: 'btn', 'data-test': 'dialog-cancel', onclick: () => close() },
    o.cancelLabel || (o.submit === false ? t('close') : t('cancel')));
  const body = h('div', { class: 'dlg-body' }, o.body);
  const form = h('form', { class: 'dlg-form', novalidate: true },
    h('h2', { class: 'dlg-title' }, o.title), body, errBox, h('div', { class: 'dlg-actions' }, cancelBtn, submitBtn));
  const dlg = h('dialog', { class: 'dlg', 'data-test': 'dialog' }, form);
  const dlgApi = {
    el: dlg, body,
    error(msg) { errBox.textContent = msg; errBox.hidden = false; errBox.setAttribute('data-test', 'error'); },
    clearError() { errBox.textContent = ''; errBox.hidden = true; errBox.removeAttribute('data-test'); },
    close, done: false,
    replaceBody(nodes) {
      clear(body); append(body, [nodes]);
      if (submitBtn) submitBtn.remove();
      cancelBtn.textContent = t('close'); cancelBtn.classList.add('btn-primary');
      cancelBtn.focus();
    },
  };
  function close() { if (dlg.open) dlg.close(); dlg.remove(); if (o.onClose) o.onClose(dlgApi); }
  dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); close(); });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!submitBtn || submitBtn.disabled) return;
    dlgApi.clearError();
    submitBtn.disabled = true;
    try {
      const keep = await o.onSubmit(dlgApi);
      if (!keep) close();
    } catch (e) {
      if (e && e.handled) { close(); return; }
      dlgApi.error(e && e.validation ? e.message : errorText(e));
    } finally { if (submitBtn) submitBtn.disabled = false; }
  });
  document.body.appendChild(dlg);
  if (typeof dlg.showModal === 'function') dlg.showModal(); else dlg.setAttribute('open', '');
  const first = dlg.querySelector('input:not([type=hidden]), select, textarea');
  (first || submitBtn || cancelBtn).focus();
  return dlgApi;
}
function invalid(message) { const e = new Error(message); e.validation = true; return e; }
function need(input, label) {
  const v = String(input.value || '').trim();
  if (!v) { input.focus(); throw invalid(t('err.required', { f: label })); }
  return v;
}
function confirmDialog(title, message, label, onOk) {
  openDialog({ title, body: h('p', null, message), submit: label, danger: true, onSubmit: onOk });
}
function departmentSelect(value) {
  const deps = (S.lookups && S.lookups.departments) || [];
  return select([['', t('u.chooseDept')]].concat(deps.map((d) => [d.id, d.name])), value, { 'data-test': 'f-department', required: true });
}
function dateInput(value, test) {
  return h('input', { type: 'date', 'data-test': test || 'f-deadline', value: value || '', min: today(), required: true });
}
function textArea(test, rows, required) {
  return h('textarea', { 'data-test': test, rows: rows || 3, required: !!required });
}

// ---------- overview ----------
async function pageOverview(ctx) {
  const root = ctx.root;
  if (!S.ov) S.ov = { mode: 'year', year: String(new Date().getFullYear()), month: thisMonth(), district: '' };
  const ov = S.ov;
  const period = () => {
    if (ov.mode === 'month') return monthBounds(ov.month);
    return { from: ov.year + '-01-01', to: ov.year + '-12-31' };
  };
  const rerender = () => render();
  const modeSel = select([['year', t('ov.byYear')], ['month', t('ov.byMonth')]], ov.mode, { 'data-test': 'ov-mode',
    onchange: (e) => { ov.mode = e.target.value; rerender(); } });
  const y0 = new Date().getFullYear();
  const years = [];
  for (let y = y0; y >= y0 - 9; y--) years.push([String(y), String(y)]);
  const picker = ov.mode === 'month'
    ? field(t('ov.month'), h('input', { type: 'month', value: ov.month, 'data-test': 'ov-month', onchange: (e) => { if (/^\d{4}-\d{2}$/.test(e.target.value)) { ov.month = e.target.value; rerender(); } } }))
    : field(t('ov.year'), select(years, ov.year, { 'data-test': 'ov-year', onchange: (e) => { ov.year = e.target.value; rerender(); } }));
  const districts = (S.lookups.districts || []);
  const distSel = select([['', t('ov.allDistricts')]].concat(districts.map((d) => [d, d])), ov.district,
    { 'data-test': 'ov-district', onchange: (e) => { ov.district = e.target.value; rerender(); } });
  const p = period();
  root.appendChild(h('div', { class: 'page-head' }, h('h1', null, t('nav.overview')),
    h('div', { class: 'toolbar' }, field(t('ov.period'), modeSel), picker, field(t('ov.district'), distSel))));
  const body = root.appendChild(h('div', null, loading()));
  const d = await api('GET', 'overview' + qs({ from: p.from, to: p.to, district: ov.district }));
  if (!ctx.live()) return;
  clear(body);
  const F = d.total || {};
  const tile = (test, label, value, sub) => h('div', { class: 'tile', 'data-test': 'tile-' + test },
    h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, String(value)), sub ? h('div', { class: 'tile-sub' }, sub) : null);
  body.appendChild(h('p', { class: 'muted range' }, t('ov.range', { from: d.from || p.from, to: d.to || p.to })));
  body.appendChild(h('div', { class: 'tiles' },
    tile('visits', t('tile.visits'), num(F.visits)),
    tile('people', t('tile.people'), num(F.people)),
    tile('suggestions', t('tile.suggestions'), num(F.suggestions)),
    tile('resolution', t('tile.resolution'), rate(F, 'resolution'), t('tile.resolvedOf', { r: num(F.resolved), n: num(F.suggestions) })),
    tile('satisfaction', t('tile.satisfaction'), rate(F, 'satisfaction'), t('tile.ratedOf', { n: num(F.rated) }))));
  const alertTile = (test, cls, label, n, params) => h('a', { class: 'alert-tile ' + cls + (num(n) ? '' : ' zero'), href: '#/cases' + qs(params), 'data-test': test },
    h('span', { class: 'alert-n' }, String(num(n))), h('span', { class: 'alert-label' }, label), h('span', { class: 'alert-go' }, t('ov.open')));
  body.appendChild(h('div', { class: 'alerts' },
    alertTile('overdue-count', 'is-overdue', t('ov.overdue'), d.overdue, { overdue: 1, sort: 'deadline', order: 'asc' }),
    alertTile('due-soon-count', 'is-soon', t('ov.dueSoon'), d.due_soon, { due_soon: 1, sort: 'deadline', order: 'asc' })));
  // chart
  const chartBox = h('div', { class: 'chart-box', 'data-test': 'chart' });
  body.appendChild(section(t('ov.chart'), chartBox));
  drawChart(chartBox, Array.isArray(d.by_month) ? d.by_month : []);
  // stations
  const st = Array.isArray(d.stations) ? d.stations : [];
  body.appendChild(section(t('ov.stations'), st.length ? table([
    { label: t('col.station'), cell: (r) => h('span', { class: 'strong' }, txt(r.name)), cls: 'c-main' },
    { label: t('col.district'), cell: (r) => txt(r.district) },
    { label: t('col.visits'), cell: (r) => String(num(r.figures && r.figures.visits)), cls: 'num' },
    { label: t('col.people'), cell: (r) => String(num(r.figures && r.figures.people)), cls: 'num' },
    { label: t('col.suggestions'), cell: (r) => String(num(r.figures && r.figures.suggestions)), cls: 'num' },
    { label: t('col.resolved'), cell: (r) => String(num(r.figures && r.figures.resolved)), cls: 'num' },
    { label: t('col.resolution'), cell: (r) => rate(r.figures, 'resolution'), cls: 'num' },
    { label: t('col.satisfaction'), cell: (r) => rate(r.figures, 'satisfaction'), cls: 'num' },
  ], st, { rowAttrs: () => ({ 'data-test': 'station-row' }) }) : emptyNote()));
  // stale devices
  const stale = Array.isArray(d.stale_devices) ? d.stale_devices : [];
  body.appendChild(section(t('ov.stale'), h('div', { 'data-test': 'stale-devices' }, stale.length
    ? h('ul', { class: 'stale-list' }, stale.map((x) => h('li', null,
      h('span', { class: 'strong' }, txt(x.name)), h('span', { class: 'muted' }, ' · ' + txt(x.station && x.station.name !== undefined ? x.station.name : x.station)),
      h('span', { class: 'late' }, relTime(x.last_seen_ms)))))
    : emptyNote(t('ov.staleNone')))));
}
function niceStep(max) {
  if (max <= 5) return 1;
  const raw = max / 5;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const n = raw / mag;
  return Math.max(1, (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag);
}
function monthLabel(ym, withYear) {
  const [y, m] = String(ym).split('-');
  const mi = Number(m);
  if (!y || !mi) return String(ym);
  return withYear ? t('ov.yearMonthLabel', { y, m: mi, mon: MONTHS_EN[mi - 1] }) : t('ov.monthLabel', { m: mi, mon: MONTHS_EN[mi - 1] });
}
function drawChart(box, rows) {
  const totals = rows.map((r) => STATUSES.reduce((a, s) => a + num(r[s]), 0));
  const max = totals.length ? Math.max(...totals) : 0;
  if (!rows.length) { box.appendChild(emptyNote(t('ov.chartEmpty'))); return; }
  const phone = window.innerWidth < 700;
  const main = document.getElementById('main');
  const avail = Math.max(300, Math.min(1220, (main ? main.clientWidth : 1000) - (phone ? 40 : 72)));
  const W = avail, H = phone ? 240 : 280;
  const m = { l: 40, r: 8, t: 14, b: 30 };
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ih = H - m.t - m.b, iw = W - m.l - m.r;
  const y = (v) => m.t + ih - (v / top) * ih;
  const band = iw / rows.length;
  const bw = Math.max(4, Math.min(56, band * 0.64));
  const years = new Set(rows.map((r) => String(r.month).slice(0, 4)));
  const withYear = years.size > 1;
  const every = Math.max(1, Math.ceil(rows.length / Math.floor(iw / (withYear ? 78 : 40))));
  const svg = sv('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', class: 'chart', 'aria-label': t('ov.chartLabel') });
  svg.appendChild(sv('title', null, t('ov.chartLabel')));
  for (let v = 0; v <= top; v += step) {
    svg.appendChild(sv('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }));
    svg.appendChild(sv('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, String(v)));
  }
  rows.forEach((r, i) => {
    const x = m.l + band * i + (band - bw) / 2;
    let acc = 0;
    const g = sv('g', { class: 'bar' });
    for (const s of STATUSES) {
      const n = num(r[s]);
      if (!n) continue;
      const y1 = y(acc + n), y0 = y(acc);
      g.appendChild(sv('rect', { x, y: y1, width: bw, height: Math.max(0, y0 - y1), fill: STATUS_COLORS[s] },
        sv('title', null, monthLabel(r.month, true) + ' · ' + statusName(s) + ': ' + n)));
      acc += n;
    }
    if (totals[i] && !phone) g.appendChild(sv('text', { x: x + bw / 2, y: y(acc) - 4, 'text-anchor': 'middle', class: 'bar-total' }, String(totals[i])));
    svg.appendChild(g);
    if (i % every === 0) {
      svg.appendChild(sv('text', { x: m.l + band * i + band / 2, y: H - m.b + 18, 'text-anchor': 'middle', class: 'tick' }, monthLabel(r.month, withYear)));
    }
  });
  box.appendChild(h('div', { class: 'chart-scroll' }, svg));
  box.appendChild(h('ul', { class: 'legend' }, STATUSES.map((s) => h('li', null,
    h('span', { class: 'swatch sw-' + s }), statusName(s)))));
}

// ---------- cases ----------
const CASE_FILTERS = ['station', 'status', 'category', 'department', 'overdue', 'due_soon', 'q', 'from', 'to'];
const PAGE_SIZE = 50;
async function pageCases(ctx) {
  const root = ctx.root;
  const P = ctx.params;
  const cur = {};
  for (const k of CASE_FILTERS.concat(['sort', 'order', 'page'])) if (P.get(k)) cur[k] = P.get(k);
  const sort = cur.sort || 'created';
  const order = cur.order || (sort === 'created' ? 'desc' : 'asc');
  const page = Math.max(1, parseInt(cur.page || '1', 10) || 1);
  const set = (changes) => {
    const n = Object.assign({}, cur, changes);
    if (!('page' in changes)) delete n.page;
    for (const k of Object.keys(n)) if (n[k] === '' || n[k] === null || n[k] === false) delete n[k];
    go('cases', n);
  };
  const canAssign = S.user.role === 'office';
  const L = S.lookups;
  const filters = {};
  for (const k of CASE_FILTERS) if (cur[k]) filters[k] = cur[k];
  const exportQ = qs(Object.assign({}, filters, { sort, order }));
  root.appendChild(h('div', { class: 'page-head' }, h('h1', null, t('cases.title')),
    h('div', { class: 'toolbar' },
      h('a', { class: 'btn', href: API + 'export/cases.csv' + exportQ, download: '', 'data-test': 'export-csv' }, t('export.csv')),
      h('a', { class: 'btn', href: API + 'export/cases.xlsx' + exportQ, download: '', 'data-test': 'export-xlsx' }, t('export.xlsx')))));
  const qInput = h('input', { type: 'search', value: cur.q || '', placeholder: t('cases.qPlaceholder'), 'data-test': 'filter-q' });
  const chk = (k, label) => h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: !!cur[k], 'data-test': 'filter-' + k.replace('_', '-'),
    onchange: (e) => set({ [k]: e.target.checked ? '1' : '' }) }), h('span', null, label));
  const bar = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); set({ q: qInput.value.trim() }); } },
    field(t('cases.station'), select([['', t('all')]].concat(L.stations.map((s) => [s.id, s.name])), cur.station,
      { 'data-test': 'filter-station', onchange: (e) => set({ station: e.target.value }) })),
    field(t('cases.status'), select([['', t('all')]].concat(STATUSES.map((s) => [s, statusName(s)])), cur.status,
      { 'data-test': 'filter-status', onchange: (e) => set({ status: e.target.value }) })),
    field(t('cases.category'), select([['', t('all')]].concat(L.categories.map((c) => [c.id, categoryName(c.id)])), cur.category,
      { 'data-test': 'filter-category', onchange: (e) => set({ category: e.target.value }) })),
    field(t('cases.department'), select([['', t('all')]].concat(L.departments.map((d) => [d.id, d.name])), cur.department,
      { 'data-test': 'filter-department', onchange: (e) => set({ department: e.target.value }) })),
    field(t('cases.from'), h('input', { type: 'date', value: cur.from || '', 'data-test': 'filter-from', onchange: (e) => set({ from: e.target.value }) })),
    field(t('cases.to'), h('input', { type: 'date', value: cur.to || '', 'data-test': 'filter-to', onchange: (e) => set({ to: e.target.value }) })),
    field(t('cases.q'), h('div', { class: 'search-row' }, qInput,
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'filter-search' }, t('search'))), 'wide'),
    h('div', { class: 'filter-checks' }, chk('overdue', t('cases.overdue')), cur.due_soon ? chk('due_soon', t('cases.dueSoon')) : null,
      h('button', { type: 'button', class: 'btn btn-link', 'data-test': 'filter-reset', onclick: () => go('cases') }, t('reset'))),
    field(t('cases.sort'), select(['created', 'deadline', 'status', 'station'].flatMap((s) => [[s + ':desc', t('sort.' + s) + ' ↓'], [s + ':asc', t('sort.' + s) + ' ↑']]),
      sort + ':' + order, { onchange: (e) => { const [s, o] = e.target.value.split(':'); set({ sort: s, order: o }); } }), 'phone-only'));
  const det = h('details', { class: 'card filter-card', open: window.innerWidth > 760 || Object.keys(filters).length > 0 },
    h('summary', null, t('cases.filters')), bar);
  root.appendChild(det);
  const listBox = root.appendChild(h('div', { class: 'card list-card' }, loading()));
  const d = await api('GET', 'cases' + qs(Object.assign({}, filters, { sort, order, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })));
  if (!ctx.live()) return;
  const rows = Array.isArray(d.cases) ? d.cases : [];
  const total = num(d.total);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  clear(listBox);
  const bulkBtn = canAssign ? h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'bulk-assign', onclick: () => bulkAssign() }, '') : null;
  const countEl = h('span', { class: 'muted sel-count' });
  const refreshSel = () => {
    if (!bulkBtn) return;
    bulkBtn.textContent = t('bulk.assign') + (S.selected.size ? ' (' + S.selected.size + ')' : '');
    bulkBtn.disabled = S.selected.size === 0;
    countEl.textContent = S.selected.size ? t('bulk.count', { n: S.selected.size }) : '';
    if (allBox) {
      const ids = rows.map((r) => String(r.id));
      allBox.checked = ids.length > 0 && ids.every((id) => S.selected.has(id));
      allBox.indeterminate = !allBox.checked && ids.some((id) => S.selected.has(id));
    }
  };
  const allBox = canAssign ? h('input', { type: 'checkbox', 'aria-label': t('cases.selectAll'), 'data-test': 'check-all', onchange: (e) => {
    for (const r of rows) { if (e.target.checked) S.selected.add(String(r.id)); else S.selected.delete(String(r.id)); }
    for (const cb of listBox.querySelectorAll('[data-test="row-check"]')) cb.checked = e.target.checked;
    refreshSel();
  } }) : null;
  listBox.appendChild(h('div', { class: 'list-head' },
    h('span', { class: 'strong', 'data-test': 'case-total' }, t('total', { n: total })), countEl, h('span', { class: 'spacer' }), bulkBtn));
  const sortHead = (key, label) => {
    const on = sort === key;
    return h('button', { type: 'button', class: 'sort' + (on ? ' on' : ''), 'data-test': 'sort-' + key,
      'aria-sort': on ? (order === 'asc' ? 'ascending' : 'descending') : null,
      onclick: () => set({ sort: key, order: on ? (order === 'asc' ? 'desc' : 'asc') : (key === 'created' ? 'desc' : 'asc') }) },
    label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, on ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'));
  };
  const cols = [];
  if (canAssign) {
    cols.push({ label: '', head: allBox, cls: 'c-check', cell: (r) => h('input', { type: 'checkbox', 'data-test': 'row-check', 'data-id': r.id,
      'aria-label': t('cases.select'), checked: S.selected.has(String(r.id)),
      onchange: (e) => { if (e.target.checked) S.selected.add(String(r.id)); else S.selected.delete(String(r.id)); refreshSel(); } }) });
  }
  cols.push(
    { label: t('col.title'), cls: 'c-main', cell: (r) => h('a', { href: '#/cases/' + encodeURIComponent(r.id), class: 'case-link', 'data-test': 'case-link' }, txt(r.title)) },
    { label: t('col.status'), cls: 'nw', head: sortHead('status', t('col.status')), cell: (r) => badge(r.status) },
    { label: t('col.category'), cell: (r) => categoryName(r.category) },
    { label: t('col.station'), head: sortHead('station', t('col.station')), cell: (r) => txt(r.station && r.station.name) },
    { label: t('col.department'), cell: (r) => (r.department ? txt(r.department.name) : h('span', { class: 'muted' }, t('case.unassigned'))) },
    { label: t('col.deadline'), cls: 'nw', head: sortHead('deadline', t('col.deadline')), cell: (r) => deadlineEl(r) },
    { label: t('col.created'), cls: 'nw', head: sortHead('created', t('col.created')), cell: (r) => txt(r.created_at) });
  if (!rows.length) listBox.appendChild(emptyNote(t('cases.none')));
  else listBox.appendChild(table(cols, rows, { cls: 'cases-tbl', rowAttrs: (r) => ({ 'data-test': 'case-row', 'data-id': r.id,
    'data-status': r.status, class: 'row-' + String(r.deadline_state || '').replace(/[^a-z_]/g, '') }) }));
  listBox.appendChild(h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'btn', disabled: page <= 1, 'data-test': 'page-prev', onclick: () => set({ page: page - 1 }) }, t('prev')),
    h('span', { class: 'page-no', 'data-test': 'page-no' }, t('page', { x: Math.min(page, pages), y: pages })),
    h('button', { type: 'button', class: 'btn', disabled: page >= pages, 'data-test': 'page-next', onclick: () => set({ page: page + 1 }) }, t('next'))));
  refreshSel();

  function bulkAssign() {
    const ids = Array.from(S.selected);
    if (!ids.length) { toast(t('bulk.noneSelected'), true); return; }
    const dep = departmentSelect('');
    const dl = dateInput('');
    openDialog({ title: t('bulk.title', { n: ids.length }), submit: t('action.assign'),
      body: [field(t('f.department'), dep), field(t('f.deadline'), dl)],
      onSubmit: async (dlg) => {
        const department = need(dep, t('f.department'));
        const deadline = need(dl, t('f.deadline'));
        const r = await api('POST', 'cases/assign', { ids, department, deadline });
        const refused = Array.isArray(r.refused) ? r.refused : [];
        S.selected.clear();
        const titleOf = (id) => { const row = rows.find((x) => String(x.id) === String(id)); return row ? row.title : id; };
        dlg.replaceBody(h('div', { 'data-test': 'bulk-result' },
          h('p', { class: 'big-ok' }, t('bulk.result', { n: num(r.assigned) })),
          refused.length ? [h('p', { class: 'warn' }, t('bulk.refused', { n: refused.length })),
            h('ul', { class: 'refused' }, refused.map((x) => h('li', null, txt(titleOf(x.id)), ' — ',
              x.error === 'refused' ? t('err.refused') : x.error === 'not_found' ? t('err.not_found') : txt(x.error))))] : null));
        dlg.onDone = true;
        return true;
      },
      onClose: (dlg) => { if (dlg.onDone) render(); } });
  }
}

// ---------- one case ----------
async function pageCase(ctx, parts) {
  const id = parts[1];
  ctx.root.appendChild(loading());
  const c = await api('GET', 'cases/' + encodeURIComponent(id));
  if (!ctx.live()) return;
  drawCase(ctx, c);
}
function drawCase(ctx, c) {
  const root = clear(ctx.root);
  const role = S.user.role;
  const back = role === 'department' ? '#/inbox' : '#/cases';
  const dt = (label, value) => [h('dt', null, label), h('dd', null, value)];
  root.appendChild(h('div', { class: 'case-head' },
    h('a', { href: back, class: 'back', 'data-test': 'back' }, t('case.back')),
    h('div', { class: 'case-title-row' },
      h('h1', { class: 'case-title', 'data-test': 'case-title' }, txt(c.title)),
      badge(c.status, { 'data-test': 'case-status', 'data-status': c.status }))));
  const layout = root.appendChild(h('div', { class: 'case-grid' }));
  const mainCol = layout.appendChild(h('div', { class: 'case-main' }));
  const side = layout.appendChild(h('div', { class: 'case-side' }));
  // actions
  const actions = Array.isArray(c.actions) ? c.actions : [];
  side.appendChild(section(t('case.actions'), actions.length
    ? h('div', { class: 'actions', 'data-test': 'actions' }, actions.map((a) => {
      const label = a === 'assign' && c.department ? t('action.reassign') : actionLabel(a);
      const main = ['approve', 'accept', 'reply'].includes(a) || (a === 'assign' && !c.department);
      return h('button', { type: 'button', class: 'btn ' + (a === 'return' ? 'btn-danger-outline' : main ? 'btn-primary' : ''), 'data-test': 'action-' + a,
        onclick: () => caseAction(ctx, c, a, label) }, label);
    }))
    : emptyNote(t('case.noActions'))));
  // facts
  const facts = h('dl', { class: 'facts' },
    dt(t('case.station'), txt(c.station && c.station.name)),
    dt(t('case.department'), c.department ? txt(c.department.name) : h('span', { class: 'muted' }, t('case.unassigned'))),
    h('dt', null, t('case.deadline')), h('dd', { 'data-test': 'case-deadline' }, deadlineEl(c)),
    dt(t('case.category'), categoryName(c.category)),
    dt(t('case.created'), txt(c.created_at)),
    c.resolved_at ? dt(t('case.resolvedAt'), txt(c.resolved_at)) : null,
    c.feedback_channel ? dt(t('case.feedbackChannel'), codeName('fc.', c.feedback_channel)) : null,
    c.satisfaction ? dt(t('case.satisfaction'), codeName('sat.', c.satisfaction)) : null,
    c.satisfaction_comment ? dt(t('case.satisfactionComment'), txt(c.satisfaction_comment)) : null);
  side.appendChild(section(null, facts));
  mainCol.appendChild(section(t('case.content'), h('p', { class: 'prose', 'data-test': 'case-content' }, txt(c.content))));
  if (c.result) mainCol.appendChild(section(t('case.result'), h('p', { class: 'prose', 'data-test': 'case-result' }, txt(c.result))));
  if (c.visit) {
    const v = c.visit;
    mainCol.appendChild(section(t('case.visit'), h('dl', { class: 'facts', 'data-test': 'visit' },
      dt(t('visit.subject'), txt(v.subject)),
      dt(t('visit.category'), categoryName(v.category)),
      v.received_at ? dt(t('visit.receivedAt'), txt(v.received_at)) : null,
      v.people !== undefined && v.people !== null ? dt(t('visit.people'), String(v.people)) : null,
      v.channel ? dt(t('visit.channel'), codeName('ch.', v.channel)) : null,
      dt(t('visit.content'), h('span', { class: 'prose' }, txt(v.content))))));
  }
  // visitors: in the response (office, admin), or fetched on demand (department after 签收)
  const shown = Array.isArray(c.visitors) ? c.visitors : S.phones[c.id];
  if (Array.isArray(shown)) {
    mainCol.appendChild(section(t('case.visitors'), h('div', { 'data-test': 'visitors-box' }, shown.length ? h('ul', { class: 'visitors', 'data-test': 'visitors' }, shown.map((p) =>
      h('li', null, h('span', { class: 'strong' }, txt(p.name)), ' ',
        p.phone ? h('a', { href: 'tel:' + String(p.phone).replace(/[^0-9+\-]/g, ''), class: 'phone' }, String(p.phone)) : h('span', { class: 'muted' }, t('dash')))))
      : emptyNote(t('case.noVisitors')))));
  } else if (role === 'department' && c.phone_available) {
    mainCol.appendChild(section(t('case.visitors'), h('div', { class: 'phone-box' },
      h('button', { type: 'button', class: 'btn', 'data-test': 'show-phone', onclick: async (e) => {
        e.target.disabled = true;
        try {
          const r = await api('GET', 'cases/' + encodeURIComponent(c.id) + '/phone');
          S.phones[c.id] = Array.isArray(r.visitors) ? r.visitors : [];
          let fresh = c;
          try { fresh = await api('GET', 'cases/' + encodeURIComponent(c.id)); } catch (e2) { if (e2.handled) return; }
          if (ctx.live()) drawCase(ctx, fresh);
        } catch (err) { e.target.disabled = false; showError(err); }
      } }, t('case.showPhone')),
      h('span', { class: 'muted small' }, t('case.phoneNote')))));
  }
  // timeline
  const tl = Array.isArray(c.timeline) ? c.timeline : [];
  mainCol.appendChild(section(t('case.timeline'), h('ol', { class: 'timeline', 'data-test': 'timeline' }, tl.map((ev) =>
    h('li', { class: 'ev ev-' + String(ev.kind || '').replace(/[^a-z_]/g, ''), 'data-kind': ev.kind },
      h('div', { class: 'ev-head' }, h('span', { class: 'ev-kind' }, kindName(ev.kind)),
        h('span', { class: 'ev-author' }, txt(ev.author)), h('time', { class: 'ev-at muted' }, txt(ev.at))),
      ev.note ? h('div', { class: 'ev-note prose' }, String(ev.note)) : null)))));
}
function actionLabel(a) { return T.zh['action.' + a] !== undefined ? t('action.' + a) : t('action.' + a.replace(/_/g, '-')); }
function caseAction(ctx, c, action, label) {
  const path = action.replace(/_/g, '-');
  const note = () => textArea('f-note', 2);
  let body = [], collect;
  if (path === 'assign') {
    const dep = departmentSelect(c.department ? c.department.id : '');
    const dl = dateInput(c.deadline || '');
    const n = note();
    body = [field(t('f.department'), dep), field(t('f.deadline'), dl), field(t('f.note'), n)];
    collect = () => {
      const b = { department: need(dep, t('f.department')), deadline: need(dl, t('f.deadline')) };
      if (n.value.trim()) b.note = n.value.trim();
      return b;
    };
  } else if (path === 'extend') {
    const dl = dateInput(c.deadline || ''); const n = note();
    body = [field(t('f.deadline'), dl), field(t('f.note'), n)];
    collect = () => { const b = { deadline: need(dl, t('f.deadline')) }; if (n.value.trim()) b.note = n.value.trim(); return b; };
  } else if (path === 'urge' || path === 'approve') {
    const n = note();
    body = [path === 'approve' ? h('p', null, t('f.approveHint')) : null, field(t('f.note'), n)];
    collect = () => (n.value.trim() ? { note: n.value.trim() } : {});
  } else if (path === 'return') {
    const r = textArea('f-reason', 3, true);
    body = [field(t('f.returnReason'), r)];
    collect = () => ({ reason: need(r, t('f.returnReason')) });
  } else if (path === 'accept') {
    body = [h('p', null, t('f.acceptConfirm'))];
    collect = () => ({});
  } else if (path === 'progress') {
    const n = textArea('f-note', 4, true);
    body = [field(t('f.progressNote'), n)];
    collect = () => ({ note: need(n, t('f.progressNote')) });
  } else if (path === 'reply') {
    const r = textArea('f-result', 6, true);
    body = [field(t('f.result'), r)];
    collect = () => ({ result: need(r, t('f.result')) });
  } else if (path === 'extension-request') {
    const dl = dateInput(c.deadline || ''); const r = textArea('f-reason', 3, true);
    body = [field(t('f.newDeadline'), dl), field(t('f.reason'), r)];
    collect = () => ({ deadline: need(dl, t('f.newDeadline')), reason: need(r, t('f.reason')) });
  } else {
    const n = note();
    body = [field(t('f.note'), n)];
    collect = () => (n.value.trim() ? { note: n.value.trim() } : {});
  }
  openDialog({ title: label + ' · ' + txt(c.title), submit: label, danger: path === 'return', body,
    onSubmit: async () => {
      const b = collect();
      const r = await api('POST', 'cases/' + encodeURIComponent(c.id) + '/' + path, b);
      toast(t('done') + ' · ' + label);
      if (ctx.live()) {
        if (r && r.id !== undefined) drawCase(ctx, r);
        else render();
      }
    } });
}

// ---------- inbox (department) ----------
async function pageInbox(ctx) {
  const root = ctx.root;
  root.appendChild(h('div', { class: 'page-head' }, h('h1', null, t('inbox.title'))));
  const box = root.appendChild(h('div', null, loading()));
  const d = await api('GET', 'cases' + qs({ limit: 200, open: 1 }));
  if (!ctx.live()) return;
  const rows = (Array.isArray(d.cases) ? d.cases : []).map((r, i) => [r, i]);
  rows.sort((a, b) => ((b[0].deadline_state === 'overdue') - (a[0].deadline_state === 'overdue')) || (a[1] - b[1]));
  const list = rows.map((x) => x[0]);
  const overdue = list.filter((r) => r.deadline_state === 'overdue').length;
  clear(box);
  box.appendChild(h('p', { class: 'muted', 'data-test': 'inbox-count' }, t('inbox.count', { n: num(d.total) || list.length, o: overdue })));
  if (!list.length) { box.appendChild(section(null, emptyNote(t('inbox.empty')))); return; }
  box.appendChild(h('ul', { class: 'inbox' }, list.map((r) => h('li', null,
    h('a', { class: 'inbox-card dl-card-' + String(r.deadline_state || 'none').replace(/[^a-z_]/g, ''), href: '#/cases/' + encodeURIComponent(r.id),
      'data-test': 'case-row', 'data-id': r.id, 'data-status': r.status },
    h('div', { class: 'inbox-top' }, h('span', { class: 'inbox-title' }, txt(r.title)), badge(r.status)),
    h('div', { class: 'inbox-meta' },
      deadlineEl(r),
      h('span', { class: 'muted' }, txt(r.station && r.station.name)),
      h('span', { class: 'muted' }, categoryName(r.category)),
      h('span', { class: 'muted' }, t('inbox.assignedOn', { t: txt(r.created_at) }))))))));
}

// ---------- stations and devices (admin) ----------
async function pageStations(ctx) {
  const root = ctx.root;
  root.appendChild(h('div', { class: 'page-head' }, h('h1', null, t('nav.stations'))));
  const box = root.appendChild(h('div', null, loading()));
  const [sd, dd] = await Promise.all([api('GET', 'stations'), api('GET', 'devices')]);
  if (!ctx.live()) return;
  clear(box);
  const stations = Array.isArray(sd.stations) ? sd.stations : [];
  const devices = Array.isArray(dd.devices) ? dd.devices : [];
  const inp = (test, req) => h('input', { 'data-test': test, required: !!req });
  const fName = inp('st-name', true), fDist = inp('st-district'), fTown = inp('st-township'), fAddr = inp('st-address'), fKind = inp('st-kind');
  const addForm = h('form', { class: 'add-form', 'data-test': 'station-form', onsubmit: async (e) => {
    e.preventDefault();
    if (!fName.value.trim()) { toast(t('err.required', { f: t('st.name') }), true); fName.focus(); return; }
    const b = { name: fName.value.trim(), district: fDist.value.trim(), township: fTown.value.trim(), address: fAddr.value.trim() };
    if (fKind.value.trim()) b.kind = fKind.value.trim();
    try { await api('POST', 'stations', b); toast(t('st.added')); await loadLookups(); if (ctx.live()) render(); } catch (err) { showError(err); }
  } },
  field(t('st.name'), fName), field(t('st.district'), fDist), field(t('st.township'), fTown), field(t('st.address'), fAddr, 'wide'),
  field(t('st.kind'), fKind), h('div', { class: 'form-end' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'station-add' }, t('add'))));
  box.appendChild(section(t('st.title'), stations.length ? table([
    { label: t('st.name'), cls: 'c-main', cell: (s) => h('span', { class: 'strong' }, txt(s.name)) },
    { label: t('st.kind'), cell: (s) => txt(s.kind) },
    { label: t('st.district'), cell: (s) => txt(s.district) },
    { label: t('st.township'), cell: (s) => txt(s.township) },
    { label: t('st.address'), cell: (s) => txt(s.address) },
    { label: t('st.devices'), cls: 'num', cell: (s) => String(num(s.devices)) },
    { label: '', cls: 'c-act', cell: (s) => h('button', { type: 'button', class: 'btn btn-small', 'data-test': 'enrol-code', 'data-id': s.id,
      onclick: () => enrolCode(s) }, t('st.code')) },
  ], stations, { rowAttrs: (s) => ({ 'data-test': 'station-row', 'data-id': s.id }) }) : emptyNote(),
  h('details', { class: 'add-box' }, h('summary', { 'data-test': 'station-add-open' }, t('st.add')), addForm)));
  box.appendChild(section(t('dev.title'), devices.length ? table([
    { label: t('dev.name'), cls: 'c-main', cell: (x) => h('span', { class: 'strong' }, txt(x.name)) },
    { label: t('dev.station'), cell: (x) => txt(x.station && x.station.name) },
    { label: t('dev.series'), cell: (x) => h('span', { class: 'mono' }, txt(x.series)) },
    { label: t('dev.enrolled'), cell: (x) => fmtMs(x.enrolled_ms) },
    { label: t('dev.lastSeen'), cell: (x) => {
      const ref = x.last_seen_ms || x.enrolled_ms;
      const stale = !x.revoked && ref && Date.now() - Number(ref) >= 3 * DAY_MS;
      return h('span', { class: stale ? 'late' : '', title: x.last_seen_ms ? fmtMs(x.last_seen_ms) : null }, relTime(x.last_seen_ms));
    } },
    { label: t('dev.state'), cell: (x) => (x.revoked ? h('span', { class: 'tag tag-grey' }, t('dev.revoked')) : h('span', { class: 'tag tag-ok' }, t('dev.active'))) },
    { label: '', cls: 'c-act', cell: (x) => (x.revoked ? null : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-test': 'revoke', 'data-id': x.id,
      onclick: () => confirmDialog(t('dev.revokeTitle'), t('dev.revokeConfirm', { n: txt(x.name) }), t('dev.revoke'), async () => {
        await api('POST', 'devices/' + encodeURIComponent(x.id) + '/revoke', {});
        toast(t('dev.revokedDone'));
        if (ctx.live()) render();
      }) }, t('dev.revoke'))) },
  ], devices, { rowAttrs: (x) => ({ 'data-test': 'device-row', 'data-id': x.id, class: x.revoked ? 'revoked' : null }) }) : emptyNote(t('dev.none'))));
}
function svgImage(svg) {
  if (typeof svg !== 'string') return null;
  const s = svg.replace(/^\uFEFF/, '').trimStart();
  if (!(s.startsWith('<svg') || s.startsWith('<?xml'))) return null;
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return 'data:image/svg+xml;base64,' + btoa(bin);
}
async function enrolCode(st) {
  let r;
  try { r = await api('POST', 'stations/' + encodeURIComponent(st.id) + '/enrol-codes', {}); } catch (e) { showError(e); return; }
  const src = svgImage(r.qr_svg);
  openDialog({ title: t('code.title', { s: txt(st.name) }), submit: false,
    body: h('div', { class: 'enrol' },
      h('div', { class: 'enrol-code', 'data-test': 'enrol-code-value' }, txt(r.code)),
      src ? h('img', { class: 'enrol-qr', src, alt: t('code.qrAlt'), 'data-test': 'enrol-qr', width: 220, height: 220 })
        : h('p', { class: 'muted' }, t('code.noQr')),
      h('p', { class: 'strong', 'data-test': 'enrol-expires' }, t('code.expires', { t: fmtMs(r.expires_ms) })),
      h('p', { class: 'muted' }, t('code.hint'))) });
}

// ---------- departments (admin) ----------
async function pageDepartments(ctx) {
  const root = ctx.root;
  root.appendChild(h('div', { class: 'page-head' }, h('h1', null, t('dep.title'))));
  const box = root.appendChild(h('div', null, loading()));
  const d = await api('GET', 'departments');
  if (!ctx.live()) return;
  clear(box);
  const list = Array.isArray(d.departments) ? d.departments : [];
  const name = h('input', { 'data-test': 'dep-name', required: true });
  const form = h('form', { class: 'add-form inline', onsubmit: async (e) => {
    e.preventDefault();
    if (!name.value.trim()) { toast(t('err.required', { f: t('dep.name') }), true); name.focus(); return; }
    try { await api('POST', 'departments', { name: name.value.trim() }); toast(t('dep.added')); await loadLookups(); if (ctx.live()) render(); } catch (err) { showError(err); }
  } }, field(t('dep.name'), name, 'wide'), h('div', { class: 'form-end' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'dep-add' }, t('add'))));
  box.appendChild(section(t('dep.add'), form));
  box.appendChild(section(t('dep.title') + ' · ' + t('total', { n: list.length }), list.length
    ? h('ul', { class: 'plain-list', 'data-test': 'departments' }, list.map((x) => h('li', { 'data-test': 'department-row', 'data-id': x.id }, txt(x.name))))
    : emptyNote()));
}

// ---------- users (admin) ----------
async function pageUsers(ctx) {
  const root = ctx.root;
  root.appendChild(h('div', { class: 'page-head' }, h('h1', null, t('u.title'))));
  const box = root.appendChild(h('div', null, loading()));
  const [ud, dd] = await Promise.all([api('GET', 'users'), api('GET', 'departments')]);
  if (!ctx.live()) return;
  clear(box);
  const users = Array.isArray(ud.users) ? ud.users : [];
  const deps = Array.isArray(dd.departments) ? dd.departments : [];
  const stName = (id) => { const s = S.lookups.stations.find((x) => String(x.id) === String(id)); return s ? s.name : String(id); };
  const fName = h('input', { 'data-test': 'u-name', required: true, autocomplete: 'off', autocapitalize: 'off' });
  const fDisplay = h('input', { 'data-test': 'u-display' });
  const fRole = select(['office', 'department', 'admin'].map((r) => [r, t('role.' + r)]), 'office', { 'data-test': 'u-role' });
  const fDep = select([['', t('u.chooseDept')]].concat(deps.map((x) => [x.id, x.name])), '', { 'data-test': 'u-department' });
  const fSt = h('input', { 'data-test': 'u-stations', value: '*', placeholder: '*' });
  const fPw = h('input', { type: 'password', 'data-test': 'u-password', autocomplete: 'new-password', minlength: 8, required: true });
  const depField = field(t('u.department'), fDep);
  const stField = field(t('u.stations'), h('div', null, fSt, h('div', { class: 'hint muted' }, t('u.stationsHint'))), 'wide');
  const syncRole = () => { depField.hidden = fRole.value !== 'department'; stField.hidden = fRole.value !== 'office'; };
  fRole.addEventListener('change', syncRole); syncRole();
  const form = h('form', { class: 'add-form', 'data-test': 'user-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const name = need(fName, t('u.name'));
      if (fPw.value.length < 8) { fPw.focus(); throw invalid(t('u.pwShort')); }
      const b = { name, role: fRole.value, password: fPw.value };
      if (fDisplay.value.trim()) b.display = fDisplay.value.trim();
      if (fRole.value === 'department') b.department = need(fDep, t('u.department'));
      if (fRole.value === 'office') b.stations = fSt.value.trim() || '*';
      await api('POST', 'users', b);
      toast(t('u.added'));
      if (ctx.live()) render();
    } catch (err) { if (err.validation) toast(err.message, true); else showError(err); }
  } },
  field(t('u.name'), fName), field(t('u.display'), fDisplay), field(t('u.role'), fRole), depField, stField,
  field(t('u.password'), fPw), h('div', { class: 'form-end' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'user-add' }, t('add'))));
  const post = async (u, what) => {
    try { await api('POST', 'users/' + encodeURIComponent(u.name) + '/' + what, {}); toast(t('done')); if (ctx.live()) render(); } catch (e) { showError(e); }
  };
  const resetPw = (u) => {
    const pw = h('input', { type: 'password', 'data-test': 'f-password', autocomplete: 'new-password', minlength: 8 });
    openDialog({ title: t('u.resetTitle', { n: txt(u.name) }), body: [field(t('u.newPassword'), pw)], submit: t('u.resetPw'),
      onSubmit: async () => {
        if (pw.value.length < 8) throw invalid(t('u.pwShort'));
        await api('POST', 'users/' + encodeURIComponent(u.name) + '/password', { password: pw.value });
        toast(t('u.pwDone'));
      } });
  };
  box.appendChild(section(t('u.title') + ' · ' + t('total', { n: users.length }), users.length ? table([
    { label: t('u.name'), cls: 'c-main', cell: (u) => h('span', null, h('span', { class: 'strong mono' }, txt(u.name)), u.display && u.display !== u.name ? h('span', { class: 'muted' }, ' · ' + u.display) : null) },
    { label: t('u.role'), cls: 'nw', cell: (u) => codeName('role.', u.role) },
    { label: t('u.department'), cell: (u) => (u.department ? txt(u.department.name) : t('dash')) },
    { label: t('u.stations'), cell: (u) => (u.role !== 'office' ? t('dash') : u.stations === '*' ? t('u.allStations')
      : Array.isArray(u.stations) ? (u.stations.length ? u.stations.map(stName).join('、') : t('none')) : txt(u.stations)) },
    { label: t('u.status'), cell: (u) => {
      const locked = num(u.locked_until_ms) > Date.now();
      return h('span', null, u.disabled ? h('span', { class: 'tag tag-grey' }, t('u.disabled')) : h('span', { class: 'tag tag-ok' }, t('u.active')),
        locked ? h('span', { class: 'tag tag-warn' }, t('u.locked', { t: fmtMs(u.locked_until_ms) })) : null);
    } },
    { label: t('u.actions'), cls: 'c-act', cell: (u) => h('div', { class: 'btn-row' },
      u.disabled
        ? h('button', { type: 'button', class: 'btn btn-small', 'data-test': 'user-enable', onclick: () => post(u, 'enable') }, t('u.enable'))
        : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-test': 'user-disable', disabled: u.name === S.user.name, onclick: () => post(u, 'disable') }, t('u.disable')),
      h('button', { type: 'button', class: 'btn btn-small', 'data-test': 'user-password', onclick: () => resetPw(u) }, t('u.resetPw'))) },
  ], users, { rowAttrs: (u) => ({ 'data-test': 'user-row', 'data-name': u.name, class: u.disabled ? 'revoked' : null }) }) : emptyNote()));
  box.appendChild(section(t('u.add'), form));
}

// ---------- monthly report ----------
async function pageReports(ctx) {
  const root = ctx.root;
  if (!S.rep) S.rep = { month: thisMonth(), district: '' };
  const rep = S.rep;
  const b = monthBounds(rep.month);
  const exp = qs({ from: b.from, to: b.to });
  root.appendChild(h('div', { class: 'page-head' }, h('h1', null, t('rep.title')),
    h('div', { class: 'toolbar' },
      field(t('rep.month'), h('input', { type: 'month', value: rep.month, max: thisMonth(), 'data-test': 'rep-month',
        onchange: (e) => { if (/^\d{4}-\d{2}$/.test(e.target.value)) { rep.month = e.target.value; render(); } } })),
      field(t('ov.district'), select([['', t('ov.allDistricts')]].concat(S.lookups.districts.map((d) => [d, d])), rep.district,
        { 'data-test': 'rep-district', onchange: (e) => { rep.district = e.target.value; render(); } })))));
  const box = root.appendChild(h('div', null, loading()));
  const d = await api('GET', 'report' + qs({ month: rep.month, district: rep.district }));
  if (!ctx.live()) return;
  clear(box);
  const st = Array.isArray(d.stations) ? d.stations : [];
  box.appendChild(h('article', { class: 'card report', 'data-test': 'report' },
    h('h2', { class: 'report-title', 'data-test': 'report-title' }, txt(d.title)),
    h('p', { class: 'report-summary', 'data-test': 'report-summary' }, txt(d.summary)),
    st.length ? [h('h3', null, t('rep.stations')), h('ul', { class: 'report-stations' }, st.map((s) =>
      h('li', { 'data-test': 'report-station' }, h('div', { class: 'strong' }, txt(s.name)), h('div', { class: 'prose' }, txt(s.summary)))))]
      : emptyNote(t('rep.empty'))));
  box.appendChild(section(t('rep.export'), h('div', { class: 'btn-row' },
    h('a', { class: 'btn', href: API + 'export/cases.csv' + exp, download: '', 'data-test': 'export-csv' }, t('export.csv')),
    h('a', { class: 'btn', href: API + 'export/cases.xlsx' + exp, download: '', 'data-test': 'export-xlsx' }, t('export.xlsx')))));
}

// ---------- boot ----------
window.addEventListener('hashchange', () => { if (S.user) render(); });
async function boot() {
  applyLang();
  document.body.appendChild(h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' }));
  try {
    const r = await api('GET', 'me', undefined, { quiet401: true });
    await startSession(r);
  } catch (e) {
    if (e.handled) return;
    renderLogin(e.status === 401 ? '' : (e.status === 0 ? 'err.network' : ''));
  }
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
