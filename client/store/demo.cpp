#include "client/store/demo.h"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "client/store/cases.h"
#include "client/store/duty.h"
#include "platform/platform.h"

namespace liaison::store {

namespace {
struct Topic {
    const char* category;
    const char* subject;
    const char* content;
};
// What voters bring to a street-level liaison station, by category.
const Topic kTopics[] = {
    {"urban", "老旧小区加装电梯", "小区6层无电梯，老人上下楼困难，希望协调加装电梯并明确费用分摊办法。"},
    {"urban", "小区停车位不足", "晚上车辆乱停占用消防通道，建议利用周边空地增设停车位。"},
    {"urban", "路灯损坏未修", "长江路东段三盏路灯损坏一个多月，夜间出行不安全。"},
    {"rural", "农村道路硬化", "村里通往田地的机耕路雨天泥泞，希望纳入道路硬化计划。"},
    {"rural", "土地流转租金拖欠", "合作社拖欠两年土地流转租金，村民多次催要未果。"},
    {"education", "学校周边交通安全", "放学时段校门口拥堵，建议增设护学岗和减速带。"},
    {"education", "课后托管收费", "希望了解课后托管服务的收费标准和减免政策。"},
    {"health", "社区卫生服务中心药品不全", "慢性病常用药经常缺货，需要到大医院开药。"},
    {"health", "医保异地报销", "在外地住院的费用报销流程复杂，希望简化手续。"},
    {"welfare", "养老服务中心助餐", "希望社区养老服务中心提供老年助餐并延长开放时间。"},
    {"welfare", "高龄津贴发放", "八十岁以上老人高龄津贴何时发放，怎样申请。"},
    {"transport", "公交线路调整", "12路公交改线后老人看病不便，建议恢复原站点。"},
    {"transport", "非机动车道被占", "滨河路非机动车道常被机动车占用，存在安全隐患。"},
    {"environment", "餐饮油烟扰民", "楼下饭店油烟直排，窗户不敢开，多次反映未解决。"},
    {"environment", "河道水质变差", "小河夏季有异味，希望排查沿线排污口。"},
    {"governance", "物业服务质量", "物业费上涨但保洁、维修不及时，希望业委会依法改选。"},
    {"governance", "邻里噪音纠纷", "楼上装修长期噪音扰民，协商未果，请求调解。"},
    {"employment", "灵活就业社保", "外卖骑手如何缴纳社保，希望有政策解读。"},
    {"employment", "工资拖欠", "工地拖欠农民工工资三个月，希望协调解决。"},
    {"other", "政策咨询", "咨询人大代表联络站的接待时间和反映问题的渠道。"},
};
const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                           "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
const char* kGiven[] = {"建国", "秀英", "桂兰", "志强", "海燕", "明",   "芳",   "军",   "丽", "伟", "静", "磊",
                        "淑珍", "德胜", "晓东", "春梅", "玉兰", "国庆", "红霞", "永刚", "堃", "喆", "䶮"};
const char* kLegalReasons[] = {"已向法院起诉，案件审理中", "已申请劳动仲裁", "已申请行政复议", "信访事项正在办理中"};
const char* kNotes[] = {"", "", "", "请代表跟进办理结果", "来访人情绪平稳", "已留联系电话，约定一周内回复", ""};

// Cases in every status (some overdue), departments, a duty roster for today and the coming
// days, and activities: so the case board, deputy record and statistics have something to show.
// The departments the demo assigns to: those of the same names when the store has them (an
// enrolled tablet has the centre's), else new ones; on an enrolled tablet without them, any the
// centre sent (departments are the centre's reference data there), possibly none.
template <size_t N>
Result<std::vector<std::string>> demo_departments(Store& s, const char* const (&names)[N]) {
    LIAISON_ASSIGN_OR_RETURN(auto have, s.departments());
    LIAISON_ASSIGN_OR_RETURN(auto token, s.token());
    std::vector<std::string> out;
    for (const char* name : names) {
        auto same = std::find_if(have.begin(), have.end(), [&](const Department& d) { return d.name == name; });
        if (same != have.end()) {
            out.push_back(same->id);
        } else if (token.empty()) {
            LIAISON_ASSIGN_OR_RETURN(auto id, s.add_department(Department{"", name}));
            out.push_back(id);
        } else if (!have.empty()) {
            out.push_back(have[out.size() % have.size()].id);
        }
    }
    return out;
}

// The demo's days, counted back from the store's clock.
struct DemoDays {
    int64_t now;
    std::string date(int64_t back) const { return platform::local_date(now - back * 86400000); }
    // A time of day that has not come yet today becomes `minutes_ago` before now (later events
    // pass fewer minutes, keeping their order), so nothing the demo records is in the future and
    // a step taken on screen is always later than the ones seeded.
    std::string until_now(const std::string& at, int minutes_ago) const {
        const std::string cap = platform::local_datetime(now - int64_t{minutes_ago} * 60000);
        return at > cap ? cap : at;  // "YYYY-MM-DD HH:MM" sorts as it reads
    }
};

struct PlannedCase {
    int topic;  // kTopics index
    int age;    // days since registration
    const char* status;
    int deadline_in;  // days from today (negative: overdue)
    int dep;
};

const PlannedCase kPlan[] = {
    {0, 1, "registered", 0, 0},   {14, 0, "registered", 0, 0},   {11, 2, "registered", 0, 0},
    {2, 20, "assigned", -3, 1},   {5, 6, "assigned", 2, 2},      {12, 4, "assigned", 12, 4},
    {7, 9, "assigned", 25, 3},    {1, 35, "in_progress", -6, 1}, {13, 28, "in_progress", -1, 5},
    {9, 12, "in_progress", 1, 6}, {3, 15, "in_progress", 14, 6}, {18, 40, "resolved", 0, 7},
    {8, 55, "resolved", 0, 3},    {6, 30, "resolved", 0, 2},     {15, 70, "answered", 0, 6},
    {10, 62, "answered", 0, 6},   {4, 150, "rated", 0, 6},       {12, 120, "rated", 0, 4},
    {17, 95, "rated", 0, 6},      {16, 80, "rated", 0, 6},
};

// The i-th planned case with the visit that raised it (上报·形成代表建议); returns the case id.
Result<std::string> add_planned_case(Store& s, size_t i, const std::vector<std::string>& ids, const DemoDays& d) {
    const PlannedCase& c = kPlan[i];
    const Topic& t = kTopics[c.topic];
    Visit v;
    v.received_at = d.until_now(d.date(c.age) + " 10:" + (i < 10 ? "0" : "") + std::to_string(i), 40);
    v.category = t.category;
    v.subject = t.subject;
    v.content = t.content;
    v.people = 1 + static_cast<int64_t>(i % 3);
    v.deputy_ids = {ids[i % ids.size()]};
    v.route = "escalated";
    Visitor p;
    p.name = std::string(kSurnames[i % std::size(kSurnames)]) + kGiven[(i * 7) % std::size(kGiven)];
    v.visitors.push_back(p);
    LIAISON_ASSIGN_OR_RETURN(auto vid, s.add_visit(v));
    cases::NewCase nc;
    nc.visit_id = vid;
    nc.title = t.subject;
    nc.at = d.until_now(d.date(c.age) + " 11:00", 30);
    return cases::add(s, nc);
}

// Takes the i-th planned case through the workflow to its planned status.
Status move_planned_case(Store& s, size_t i, const std::string& id, const std::string& dep, const DemoDays& d,
                         int& rated) {
    const PlannedCase& c = kPlan[i];
    const char* satisfactions[] = {"satisfied", "satisfied", "basically", "unsatisfied"};
    const int rank = cases::status_rank(c.status);
    auto before = [&](const char* step) { return rank < cases::status_rank(step); };
    if (before("assigned")) return {};
    // Steps spread over the case's age, oldest first.
    const int span = std::max(1, c.age);
    auto step_at = [&](int k) {
        return d.until_now(d.date(c.age - std::min(span, span * k / 5)) + " 1" + std::to_string(k) + ":30", 25 - 4 * k);
    };
    const std::string deadline = c.deadline_in != 0 ? d.date(-c.deadline_in) : d.date(c.age - 30);
    LIAISON_TRY(cases::assign(s, id, dep, deadline, "请按期办理并答复", step_at(1)));
    if (before("in_progress")) return {};
    LIAISON_TRY(cases::progress(s, id, "已到现场查看，正在制定整改方案", step_at(2)));
    if (before("resolved")) return {};
    LIAISON_TRY(cases::close(s, id, "已完成整改，问题得到解决", step_at(3)));
    if (before("answered")) return {};
    LIAISON_TRY(cases::feedback(s, id, i % 2 ? "phone" : "in_person", "已向来访人说明办理结果", step_at(4)));
    if (before("rated")) return {};
    return cases::rate(s, id, satisfactions[rated++ % std::size(satisfactions)], "办理及时", step_at(5));
}

// Duty roster: today and the coming six days, morning and afternoon.
Status seed_duty(Store& s, const std::vector<std::string>& ids, const DemoDays& d) {
    for (int k = 0; k < 7; ++k) {
        DutySlot slot;
        slot.date = d.date(-k);
        slot.start = "09:00";
        slot.end = "11:30";
        slot.deputy_ids = {ids[static_cast<size_t>(k) % ids.size()], ids[static_cast<size_t>(k + 3) % ids.size()]};
        slot.note = k == 0 ? "代表接待日" : "";
        LIAISON_TRY(duty::add_slot(s, slot));
        slot.start = "14:30";
        slot.end = "17:00";
        slot.deputy_ids = {ids[static_cast<size_t>(k + 1) % ids.size()]};
        slot.note.clear();
        LIAISON_TRY(duty::add_slot(s, slot));
    }
    return {};
}

// Activities of the last months.
Status seed_activities(Store& s, const std::vector<std::string>& ids, const DemoDays& d) {
    const char* types[] = {"inspection", "law_check", "training", "outreach"};
    const char* notes[][2] = {{"视察老旧小区改造项目进展", "调研农村道路建设情况"},
                              {"参加《食品安全法》执法检查", "参加环境保护法执法检查"},
                              {"参加市人大代表履职培训班", "参加代表联络站工作培训"},
                              {"走访辖区困难家庭，了解养老需求", "走访企业，听取营商环境意见"}};
    for (size_t k = 0; k < ids.size() * 4; ++k) {
        Activity a;
        a.deputy_id = ids[k % ids.size()];
        const size_t type = (k / ids.size() + k % ids.size()) % std::size(types);
        a.type = types[type];
        a.date = d.date(static_cast<int64_t>(3 + (k * 11) % 170));
        a.notes = notes[type][k % 2];
        LIAISON_TRY(duty::add_activity(s, a));
    }
    return {};
}

Status seed_cases(Store& s, const std::vector<std::string>& ids, int64_t now) {
    const DemoDays d{now};
    const char* departments[] = {"区住建局",     "区城管局",       "区教育局",   "区卫健委",
                                 "区交通运输局", "区生态环境分局", "街道办事处", "区人社局"};
    LIAISON_ASSIGN_OR_RETURN(auto deps, demo_departments(s, departments));
    int rated = 0;
    for (size_t i = 0; i < std::size(kPlan); ++i) {
        LIAISON_ASSIGN_OR_RETURN(auto id, add_planned_case(s, i, ids, d));
        if (deps.empty()) continue;  // an enrolled station the centre sent no departments
        LIAISON_TRY(move_planned_case(s, i, id, deps[static_cast<size_t>(kPlan[i].dep) % deps.size()], d, rated));
    }
    LIAISON_TRY(seed_duty(s, ids, d));
    return seed_activities(s, ids, d);
}

// Deputies, with the rare characters real names have (䶮, 堃, 喆, and 𠀋 beyond the BMP).
Result<std::vector<std::string>> seed_deputies(Store& s) {
    struct D {
        const char* name;
        const char* level;
        const char* group;
    };
    const D deputies[] = {{"王䶮", "县区", "法律服务"},  {"李堃", "市", "城建交通"},   {"张喆", "县区", "医疗卫生"},
                          {"陈𠀋", "乡镇", "农业农村"},  {"刘春华", "省", "教育科技"}, {"赵德明", "县区", "企业经营"},
                          {"孙丽萍", "乡镇", "社会工作"}};
    std::vector<std::string> ids;
    for (const auto& d : deputies) {
        Deputy dep;
        dep.name = d.name;
        dep.level = d.level;
        dep.group = d.group;
        LIAISON_ASSIGN_OR_RETURN(auto id, s.add_deputy(dep));
        ids.push_back(id);
    }
    return ids;
}

// One visit of the demo's months, drawn from `rng` (fixed seed: every tablet gets the same).
Visit random_visit(size_t i, std::mt19937& rng, const std::vector<std::string>& ids, int64_t now) {
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    Visit v;
    // The first few are today so the home screen has a day in progress; the rest go back ~6 months.
    const int64_t back = i < 3 ? 0 : static_cast<int64_t>(1 + pick(180));
    const int minute = 8 * 60 + 30 + static_cast<int>(pick(9 * 60));
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", minute / 60, minute % 60);
    // Today's few happened in the last hour, never later than now.
    v.received_at = back == 0 ? platform::local_datetime(now - static_cast<int64_t>(i + 1) * 17 * 60000)
                              : platform::local_date(now - back * 86400000) + " " + hm;
    const Topic& t = kTopics[pick(std::size(kTopics))];
    v.category = t.category;
    v.subject = t.subject;
    v.content = t.content;
    v.channel = kChannels[pick(10) < 6 ? 0 : pick(std::size(kChannels))];
    v.people = pick(10) < 8 ? 1 : static_cast<int64_t>(2 + pick(12));
    v.deputy_ids.push_back(ids[pick(ids.size())]);
    if (pick(4) == 0) {
        const std::string& other = ids[pick(ids.size())];
        if (other != v.deputy_ids[0]) v.deputy_ids.push_back(other);
    }
    const size_t r = pick(20);
    v.route = r < 8 ? "answered" : r < 14 ? "township" : r < 18 ? "escalated" : "legal_channel";
    if (v.route == "legal_channel") v.route_reason = kLegalReasons[pick(std::size(kLegalReasons))];
    v.notes = kNotes[pick(std::size(kNotes))];
    Visitor p;
    p.name = std::string(kSurnames[pick(std::size(kSurnames))]) + kGiven[pick(std::size(kGiven))];
    if (v.people > 1) p.name += "等" + std::to_string(v.people) + "人";
    if (pick(3) != 0) {
        char phone[16];
        std::snprintf(phone, sizeof phone, "13%d%08d", static_cast<int>(pick(10)), static_cast<int>(pick(100000000)));
        p.phone = phone;
    }
    v.visitors.push_back(p);
    return v;
}

Status seed_visits(Store& s, size_t visits, const std::vector<std::string>& ids, int64_t now) {
    std::mt19937 rng(20240601);
    std::vector<Visit> batch;
    batch.reserve(std::min<size_t>(visits, 10000));
    for (size_t i = 0; i < visits; ++i) {
        batch.push_back(random_visit(i, rng, ids, now));
        if (batch.size() == 10000) {
            LIAISON_TRY(s.add_visits(std::move(batch)));
            batch.clear();
        }
    }
    if (!batch.empty()) LIAISON_TRY(s.add_visits(std::move(batch)));
    // A name beyond the BMP among visitors too, so lists and search show it.
    Visit v;
    v.received_at = platform::local_datetime(now);
    v.category = "governance";
    v.subject = "小区业委会选举咨询";
    v.content = "希望代表讲解业主大会和业委会选举的法定程序。";
    v.deputy_ids = {ids[3]};
    v.route = "answered";
    Visitor p;
    p.name = "陈𠀋生";
    v.visitors.push_back(p);
    LIAISON_TRY(s.add_visit(v));
    return {};
}

}  // namespace

Status seed_demo(Store& s, size_t visits) {
    if (!s.initialized()) LIAISON_TRY(s.init("东湖街道人大代表联络站", "接待室平板"));
    s.set_author("demo");
    LIAISON_ASSIGN_OR_RETURN(auto ids, seed_deputies(s));
    const int64_t now = s.now();  // the store's clock: --now moves the demo station's days with it
    LIAISON_TRY(seed_visits(s, visits, ids, now));
    return seed_cases(s, ids, now);
}

}  // namespace liaison::store
