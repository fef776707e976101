// The web console's JSON API (docs/console.md) through Service::handle on a temporary SQLite
// central: roles, the case workflow, scoping, the phone look-up, CSRF, sessions, lockout, bulk
// assignment, hostile input, exports and what the server log may hold.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/platform.h"
#include "sync/server/console_accounts.h"
#include "sync/server/console_storage.h"
#include "sync/server/service.h"
#include "sync/server/secrets.h"
#include "sync/server/storage.h"

// Lists of ids and event kinds print as such when a check fails.
namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string out = "[";
        for (const auto& x : v) out += (out.size() > 1 ? ", " : "") + x;
        return (out + "]").c_str();
    }
};
}  // namespace doctest

using namespace liaison;
using nlohmann::json;

namespace {

constexpr int64_t kStart = 1773136800000;  // 2026-03-10 10:00 UTC
constexpr int64_t kMinute = 60'000;
const char* const kPassword = "correct-horse-8";
const char* const kDistrictA = "东湖区";
const char* const kDistrictB = "西湖区";
const char* const kCreated = "2026-03-02 09:30";
const char* const kDeadline = "2026-03-31";

// One Argon2id hash for every user of every fixture: hashing is the slow part.
const std::string& password_hash() {
    static const std::string h = [] {
        auto r = server::accounts::hash_password(kPassword);
        REQUIRE(r.ok());
        return *r;
    }();
    return h;
}

std::filesystem::path temp_dir() {
    static int n = 0;
    auto p = std::filesystem::temp_directory_path() /
             ("liaison-console-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::create_directories(p);
    return p;
}

struct Reply {
    int status = 0;
    std::string body;
    json j;  // the body when it is JSON, else null
    sync::HttpResponse raw;
    std::string error() const { return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : ""; }
};

Reply reply_of(sync::HttpResponse r) {
    Reply out;
    out.status = r.status;
    out.body = r.body;
    if (r.header("Content-Type").find("json") != std::string::npos) out.j = json::parse(r.body, nullptr, false);
    out.raw = std::move(r);
    return out;
}

struct Central;

// A signed-in console user: the session cookie and the CSRF token of its sign-in.
struct Session {
    Central* c = nullptr;
    std::string name, cookie, csrf;
    json user;

    Reply call(const std::string& method, const std::string& path, const std::string& body,
               const std::string& csrf_header) const;
    Reply get(const std::string& path) const { return call("GET", path, "", ""); }
    Reply post(const std::string& path, const json& body = json::object()) const {
        return call("POST", path, body.dump(), csrf);
    }
    // The case's detail as GET returns it (REQUIREs 200).
    json detail(const std::string& id) const {
        auto r = get("cases/" + id);
        REQUIRE(r.status == 200);
        return r.j;
    }
    std::vector<std::string> list_ids(const std::string& query = "") const {
        auto r = get("cases" + query);
        REQUIRE(r.status == 200);
        std::vector<std::string> ids;
        for (const auto& row : r.j["cases"]) ids.push_back(row["id"].get<std::string>());
        std::sort(ids.begin(), ids.end());
        return ids;
    }
};

struct Central {
    std::filesystem::path dir = temp_dir();
    std::unique_ptr<server::Storage> storage;
    std::unique_ptr<server::Service> service;
    int64_t now = kStart;
    std::vector<std::string> log;

    Central() {
        auto s = server::open_sqlite_storage((dir / "central.db").string());
        REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
        storage = std::move(*s);
        server::ServiceOptions opt;
        opt.log_all = true;
        opt.log = [this](const std::string& line) { log.push_back(line); };
        opt.console.log = [this](const std::string& line) { log.push_back(line); };
        opt.console.now_ms = [this] { return now; };
        service = std::make_unique<server::Service>(*storage, opt);

        add_station("st-a1", "东湖一站", kDistrictA);
        add_station("st-a2", "东湖二站", kDistrictA);
        add_station("st-b", "西湖一站", kDistrictB);
        auto n = storage->write_as_centre(
            {server::CentreWrite{"departments", "dept-a", sync::kReferenceScope, {{"name", "城管局"}}, false},
             server::CentreWrite{"departments", "dept-b", sync::kReferenceScope, {{"name", "教育局"}}, false}},
            "centre");
        REQUIRE(n.ok());
        add_user("admin", "admin", "", "", "管理员");
        add_user("office", "office", "", "*", "工委王");
        add_user("office_a", "office", "", std::string("district:") + kDistrictA, "东湖工委");
        add_user("office_list", "office", "", "st-a2", "二站工委");
        add_user("dept_a", "department", "dept-a", "", "城管局李");
        add_user("dept_b", "department", "dept-b", "", "教育局赵");
    }
    ~Central() {
        service.reset();
        storage.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    Central(const Central&) = delete;
    Central& operator=(const Central&) = delete;

    server::ConsoleStorage& cs() { return storage->console(); }

    void add_station(const std::string& id, const std::string& name, const std::string& district) {
        server::StationRecord st;
        st.id = id;
        st.name = name;
        st.district = district;
        REQUIRE(server::add_station(*storage, st).ok());
    }
    void add_user(const std::string& name, const std::string& role, const std::string& dept,
                  const std::string& stations, const std::string& display) {
        server::ConsoleUser u;
        u.name = name;
        u.role = role;
        u.department_id = dept;
        u.stations = stations;
        u.display = display;
        u.password_hash = password_hash();
        u.created_ms = now;
        REQUIRE(server::accounts::check_user(u).ok());
        REQUIRE(cs().add_user(u).ok());
    }
    // A case as the centre holds it after a tablet's push: scope = its station.
    void add_case(const std::string& id, const std::string& station, const std::string& title,
                  const std::string& status = "registered", const std::string& visit = "",
                  const std::string& department = "") {
        std::vector<std::pair<std::string, sync::Value>> f = {
            {"station_id", station}, {"title", title},   {"content", "内容：" + title},
            {"category", "urban"},   {"status", status}, {"created_at", kCreated}};
        if (!visit.empty()) f.emplace_back("visit_id", visit);
        if (!department.empty()) {
            f.emplace_back("department_id", department);
            f.emplace_back("deadline", kDeadline);
        }
        auto n = storage->write_as_centre({server::CentreWrite{"cases", id, station, f, false}}, "");
        REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error().message));
    }
    void add_visit(const std::string& id, const std::string& station, const std::string& subject,
                   const std::string& person, const std::string& phone) {
        auto n = storage->write_as_centre(
            {server::CentreWrite{"visits",
                                 id,
                                 station,
                                 {{"station_id", station},
                                  {"received_at", "2026-03-02 09:00"},
                                  {"subject", subject},
                                  {"content", "来访内容：" + subject},
                                  {"category", "urban"},
                                  {"channel", "in_person"},
                                  {"people", 1}},
                                 false},
             server::CentreWrite{
                 "visit_visitors", id + "-p1", station, {{"visit_id", id}, {"name", person}, {"phone", phone}}, false}},
            "");
        REQUIRE(n.ok());
    }

    sync::HttpResponse raw(const std::string& method, const std::string& target, const std::string& body,
                           const sync::Headers& headers) {
        sync::HttpRequest req;
        req.method = method;
        req.target = target;
        req.headers = headers;
        req.headers.emplace_back("Content-Type", "application/json");
        req.body = body;
        return service->handle(req);
    }
    Reply anonymous(const std::string& method, const std::string& path, const std::string& body = "") {
        return reply_of(raw(method, "/console/api/" + path, body, {}));
    }
    Reply try_login(const std::string& name, const std::string& password = kPassword) {
        return anonymous("POST", "login", json{{"user", name}, {"password", password}}.dump());
    }
    Session login(const std::string& name, const std::string& password = kPassword) {
        auto r = raw("POST", "/console/api/login", json{{"user", name}, {"password", password}}.dump(), {});
        REQUIRE(r.status == 200);
        const std::string set = r.header("Set-Cookie");
        REQUIRE(set.rfind("liaison_session=", 0) == 0);
        CHECK(set.find("HttpOnly") != std::string::npos);
        CHECK(set.find("SameSite=Strict") != std::string::npos);
        const auto body = json::parse(r.body);
        Session s;
        s.c = this;
        s.name = name;
        s.cookie = set.substr(0, set.find(';'));
        s.csrf = body["csrf"].get<std::string>();
        s.user = body["user"];
        REQUIRE(!s.csrf.empty());
        return s;
    }

    json events(const std::string& case_id) {
        auto e = cs().case_events(case_id);
        REQUIRE(e.ok());
        return *e;
    }
    json fields(const std::string& case_id) {
        auto f = cs().case_fields(case_id);
        REQUIRE(f.ok());
        return *f;
    }
    std::string status(const std::string& case_id) { return fields(case_id).value("status", ""); }
    server::ConsoleUser user(const std::string& name) {
        auto u = cs().user(name);
        REQUIRE(u.ok());
        return *u;
    }
};

Reply Session::call(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& csrf_header) const {
    sync::Headers h = {{"Cookie", cookie}};
    if (!csrf_header.empty()) h.emplace_back("X-CSRF-Token", csrf_header);
    return reply_of(c->raw(method, "/console/api/" + path, body, h));
}

json assign_body(const std::string& dept = "dept-a", const std::string& deadline = kDeadline) {
    return {{"department", dept}, {"deadline", deadline}};
}

std::vector<std::string> kinds(const json& timeline) {
    std::vector<std::string> out;
    for (const auto& e : timeline) out.push_back(e["kind"].get<std::string>());
    return out;
}

std::vector<std::string> strings(const json& a) {
    std::vector<std::string> out;
    for (const auto& v : a) out.push_back(v.get<std::string>());
    return out;
}

std::vector<std::string> station_ids(const json& lookups) {
    std::vector<std::string> out;
    for (const auto& s : lookups["stations"]) out.push_back(s["id"].get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
}

const char* const kOfficeSteps[] = {"assign", "extend", "urge", "approve", "return"};
const char* const kDepartmentSteps[] = {"accept", "progress", "reply", "extension-request"};

// A body every step would accept, so that a refusal comes from the role or the status.
json step_body(const std::string& step) {
    if (step == "assign") return assign_body();
    if (step == "extend") return {{"deadline", "2026-04-15"}, {"note", "延期"}};
    if (step == "return") return {{"reason", "答复不完整"}};
    if (step == "reply") return {{"result", "已修复"}};
    if (step == "extension-request") return {{"deadline", "2026-04-15"}, {"reason", "需协调"}};
    return {{"note", "说明"}};
}

}  // namespace

TEST_CASE("console roles: office and department take only their own steps, admin none; admin pages are admin's") {
    Central c;
    c.add_case("c1", "st-a1", "路灯不亮");
    auto office = c.login("office");
    auto dept = c.login("dept_a");
    auto admin = c.login("admin");
    CHECK(office.user["role"] == "office");
    CHECK(dept.user["department"]["id"] == "dept-a");
    CHECK(office.detail("c1")["actions"] == json::array({"assign"}));

    // Admin: read-only on cases, every step refused, bulk assignment refused.
    CHECK(admin.detail("c1")["actions"] == json::array());
    for (const char* s : kOfficeSteps) CHECK(admin.post("cases/c1/" + std::string(s), step_body(s)).status == 403);
    for (const char* s : kDepartmentSteps) CHECK(admin.post("cases/c1/" + std::string(s), step_body(s)).status == 403);
    auto bulk = admin.post("cases/assign", {{"ids", {"c1"}}, {"department", "dept-a"}, {"deadline", kDeadline}});
    CHECK(bulk.status == 403);
    CHECK(bulk.error() == "forbidden");
    CHECK(c.events("c1").empty());
    CHECK(c.status("c1") == "registered");

    // Office assigns; then each role is refused the other's steps, and nothing is written.
    REQUIRE(office.post("cases/c1/assign", assign_body()).status == 200);
    CHECK(c.status("c1") == "assigned");
    CHECK(office.detail("c1")["actions"] == json::array({"assign", "extend", "urge"}));
    CHECK(dept.detail("c1")["actions"] == json::array({"accept", "extension-request"}));
    const size_t before = c.events("c1").size();
    for (const char* s : kDepartmentSteps) {
        auto r = office.post("cases/c1/" + std::string(s), step_body(s));
        CHECK_MESSAGE(r.status == 403, s);
        CHECK(r.error() == "forbidden");
    }
    for (const char* s : kOfficeSteps) {
        auto r = dept.post("cases/c1/" + std::string(s), step_body(s));
        CHECK_MESSAGE(r.status == 403, s);
        CHECK(r.error() == "forbidden");
    }
    CHECK(dept.post("cases/assign", {{"ids", {"c1"}}, {"department", "dept-b"}, {"deadline", kDeadline}}).status ==
          403);
    CHECK(c.events("c1").size() == before);
    CHECK(c.status("c1") == "assigned");
    CHECK(c.fields("c1")["department_id"] == "dept-a");

    // Each role's own steps, each from a status that allows it, a minute apart (the timeline
    // orders by the minute of each event).
    const std::vector<std::pair<const Session*, std::string>> own = {
        {&office, "extend"}, {&office, "urge"},   {&dept, "extension-request"},
        {&dept, "accept"},   {&dept, "progress"}, {&dept, "reply"},
        {&office, "return"}, {&dept, "reply"},    {&office, "approve"}};
    for (const auto& entry : own) {
        const auto* who = entry.first;  // named: clang 14 cannot capture a structured binding
        const std::string& step = entry.second;
        CAPTURE(step);
        c.now += kMinute;
        CHECK(who->post("cases/c1/" + step, step_body(step)).status == 200);
    }
    CHECK(kinds(c.events("c1")) == std::vector<std::string>{"assigned", "extended", "urged", "extension_requested",
                                                            "accepted", "progress", "replied", "returned", "replied",
                                                            "resolved"});
    CHECK(c.fields("c1")["deadline"] == "2026-04-15");

    // The administrator's pages, refused to office and department with nothing written.
    auto stations_before = c.storage->stations();
    REQUIRE(stations_before.ok());
    auto users_before = c.cs().users();
    REQUIRE(users_before.ok());
    auto depts_before = c.cs().departments();
    REQUIRE(depts_before.ok());
    for (const Session* s : {&office, &dept}) {
        CAPTURE(s->name);
        CHECK(s->post("stations", {{"name", "新站"}, {"district", kDistrictA}}).status == 403);
        CHECK(s->post("stations/st-a1/enrol-codes").status == 403);
        CHECK(s->post("devices/some-device/revoke").status == 403);
        CHECK(s->post("departments", {{"name", "新部门"}}).status == 403);
        CHECK(s->post("users", {{"name", "eve"}, {"role", "admin"}, {"password", "long-enough-1"}}).status == 403);
        CHECK(s->post("users/dept_b/disable").status == 403);
        CHECK(s->post("users/dept_b/enable").status == 403);
        CHECK(s->post("users/dept_b/password", {{"password", "another-pass-1"}}).status == 403);
        CHECK(s->get("users").status == 403);
        CHECK(s->get("devices").status == 403);
    }
    CHECK(dept.get("stations").status == 403);
    CHECK(dept.get("overview").status == 403);
    CHECK(dept.get("export/cases.csv").status == 403);
    CHECK(c.storage->stations()->size() == stations_before->size());
    CHECK(c.cs().users()->size() == users_before->size());
    CHECK(c.cs().departments()->size() == depts_before->size());
    CHECK(c.user("dept_b").disabled_ms == 0);

    // ... and open to the administrator.
    auto st = admin.post("stations", {{"name", "新站"}, {"district", kDistrictA}});
    CHECK(st.status == 201);
    auto code = admin.post("stations/st-a1/enrol-codes");
    CHECK(code.status == 201);
    CHECK(code.j["qr_svg"].get<std::string>().rfind("<svg", 0) == 0);
    CHECK(admin.post("departments", {{"name", "新部门"}}).status == 201);
    CHECK(admin.get("users").status == 200);
    CHECK(c.storage->stations()->size() == stations_before->size() + 1);
    CHECK(c.cs().departments()->size() == depts_before->size() + 1);
}

TEST_CASE("console workflow: 登记→交办→签收→进展→答复→退回→答复→审核通过, and a wrong-status step is 409") {
    Central c;
    c.add_case("c1", "st-a1", "小区门口路灯不亮");
    c.add_case("c2", "st-a1", "公交站缺少遮雨棚");
    auto office = c.login("office");
    auto dept = c.login("dept_a");

    auto step = [&](const Session& s, const std::string& action, const json& body, const std::string& want) {
        c.now += kMinute;  // steps a minute apart: the timeline's order is the order of the steps
        auto r = s.post("cases/c1/" + action, body);
        REQUIRE_MESSAGE(r.status == 200, (action + ": " + r.body));
        CHECK(r.j["id"] == "c1");
        CHECK(r.j["status"] == want);
        CHECK(c.status("c1") == want);
    };
    step(office, "assign", {{"department", "城管局"}, {"deadline", kDeadline}, {"note", "请尽快办理"}}, "assigned");
    CHECK(c.fields("c1")["department_id"] == "dept-a");
    CHECK(c.fields("c1")["deadline"] == kDeadline);
    step(dept, "accept", json::object(), "in_progress");
    step(dept, "progress", {{"note", "已联系供电所"}}, "in_progress");
    step(dept, "reply", {{"result", "已更换灯泡"}}, "replied");
    CHECK(c.fields("c1")["result"] == "已更换灯泡");
    step(office, "return", {{"reason", "请附照片"}}, "in_progress");
    step(dept, "reply", {{"result", "已更换灯泡，附照片"}}, "replied");
    step(office, "approve", json::object(), "resolved");

    const auto f = c.fields("c1");
    CHECK(f["result"] == "已更换灯泡，附照片");
    CHECK(f["resolved_at"] == platform::local_datetime(c.now));
    auto d = office.detail("c1");
    CHECK(d["status"] == "resolved");
    CHECK(d["resolved_at"] == platform::local_datetime(c.now));
    CHECK(d["deadline_state"] == "done");
    CHECK(d["department"]["name"] == "城管局");
    CHECK(d["actions"] == json::array());
    const auto& tl = d["timeline"];
    CHECK(kinds(tl) ==
          std::vector<std::string>{"assigned", "accepted", "progress", "replied", "returned", "replied", "resolved"});
    const std::vector<std::string> authors = {"工委王", "城管局李", "城管局李", "城管局李",
                                              "工委王", "城管局李", "工委王"};
    REQUIRE(tl.size() == authors.size());
    for (size_t i = 0; i < authors.size(); ++i) {
        CHECK(tl[i]["author"] == authors[i]);
        CHECK(tl[i]["at"] == platform::local_datetime(kStart + static_cast<int64_t>(i + 1) * kMinute));
    }
    CHECK(tl[0]["note"].get<std::string>().find("城管局 2026-03-31") != std::string::npos);
    CHECK(tl[0]["note"].get<std::string>().find("请尽快办理") != std::string::npos);
    CHECK(tl[2]["note"] == "已联系供电所");
    CHECK(tl[4]["note"] == "请附照片");
    CHECK(tl[5]["note"] == "已更换灯泡，附照片");
    CHECK(c.events("c1").size() == 7);
    // The department sees the same timeline.
    CHECK(kinds(dept.detail("c1")["timeline"]) == kinds(tl));

    // Steps the status does not allow: 409 refused, and nothing written.
    struct Wrong {
        const Session* who;
        std::string id, action;
    };
    const std::vector<Wrong> wrong = {
        {&office, "c1", "assign"},  {&office, "c1", "extend"}, {&office, "c1", "urge"},
        {&office, "c1", "approve"}, {&office, "c1", "return"}, {&dept, "c1", "accept"},
        {&dept, "c1", "progress"},  {&dept, "c1", "reply"},    {&dept, "c1", "extension-request"},
        {&office, "c2", "approve"}, {&office, "c2", "return"}, {&office, "c2", "extend"},
        {&office, "c2", "urge"},
    };
    for (const auto& w : wrong) {
        CAPTURE(w.id);
        CAPTURE(w.action);
        const auto before = c.events(w.id).size();
        const auto status = c.status(w.id);
        auto r = w.who->post("cases/" + w.id + "/" + w.action, step_body(w.action));
        CHECK(r.status == 409);
        CHECK(r.error() == "refused");
        CHECK(r.j["params"]["action"] == w.action);
        CHECK(r.j["params"]["from"] == status);
        CHECK(c.events(w.id).size() == before);
        CHECK(c.status(w.id) == status);
        CHECK(w.who->detail(w.id)["timeline"].size() == before);
    }
    // Accepting twice: the second is refused.
    REQUIRE(office.post("cases/c2/assign", assign_body()).status == 200);
    REQUIRE(dept.post("cases/c2/accept").status == 200);
    auto again = dept.post("cases/c2/accept");
    CHECK(again.status == 409);
    CHECK(again.j["params"]["from"] == "in_progress");
    CHECK(c.events("c2").size() == 2);
}

TEST_CASE("console scope: a department sees only its cases, an office only its stations; out of scope is 404") {
    Central c;
    c.add_case("ca1", "st-a1", "东湖一站的案件", "assigned", "", "dept-a");
    c.add_case("ca2", "st-a2", "东湖二站的案件");
    c.add_case("cb", "st-b", "西湖的案件", "assigned", "", "dept-b");
    c.add_visit("vb", "st-b", "西湖来访", "钱某", "13700000000");
    c.add_case("cb2", "st-b", "西湖的第二个案件", "registered", "vb");

    // Departments.
    auto da = c.login("dept_a");
    auto db = c.login("dept_b");
    CHECK(da.list_ids() == std::vector<std::string>{"ca1"});
    CHECK(db.list_ids() == std::vector<std::string>{"cb"});
    CHECK(da.get("cases?station=st-b").j["total"] == 0);
    CHECK(da.get("cases?department=dept-b").j["total"] == 0);
    for (const char* id : {"cb", "ca2", "no-such-case"}) {
        CAPTURE(id);
        auto r = da.get(std::string("cases/") + id);
        CHECK(r.status == 404);
        CHECK(r.error() == "not_found");
        CHECK(da.get(std::string("cases/") + id + "/phone").status == 404);
        for (const char* s : kDepartmentSteps)
            CHECK(da.post(std::string("cases/") + id + "/" + s, step_body(s)).status == 404);
        // Even an office step on an unseen case is "not found", not "forbidden".
        CHECK(da.post(std::string("cases/") + id + "/assign", assign_body()).status == 404);
    }
    CHECK(c.events("cb").empty());
    CHECK(c.status("cb") == "assigned");
    CHECK(station_ids(da.get("lookups").j) == std::vector<std::string>{"st-a1"});
    CHECK(station_ids(db.get("lookups").j) == std::vector<std::string>{"st-b"});

    // An office user of district A: its two stations, never station B.
    auto oa = c.login("office_a");
    CHECK(oa.user["stations"] == std::string("district:") + kDistrictA);
    CHECK(oa.list_ids() == std::vector<std::string>{"ca1", "ca2"});
    CHECK(oa.get("cases?station=st-b").j["total"] == 0);
    CHECK(oa.get("cases/cb").status == 404);
    CHECK(oa.get("cases/cb2").status == 404);
    CHECK(oa.post("cases/cb/urge").status == 404);
    CHECK(oa.post("cases/cb2/assign", assign_body()).status == 404);
    CHECK(c.status("cb2") == "registered");
    CHECK(c.events("cb2").empty());
    auto la = oa.get("lookups").j;
    CHECK(station_ids(la) == std::vector<std::string>{"st-a1", "st-a2"});
    CHECK(strings(la["districts"]) == std::vector<std::string>{kDistrictA});
    auto stations = oa.get("stations");
    REQUIRE(stations.status == 200);
    CHECK(stations.j["stations"].size() == 2);
    // A station added later in the district is in the scope at once.
    c.add_station("st-a3", "东湖三站", kDistrictA);
    c.add_case("ca3", "st-a3", "东湖三站的案件");
    CHECK(oa.list_ids() == std::vector<std::string>{"ca1", "ca2", "ca3"});
    CHECK(oa.get("cases/ca3").status == 200);

    // An office user with a list of stations.
    auto ol = c.login("office_list");
    CHECK(ol.list_ids() == std::vector<std::string>{"ca2"});
    CHECK(ol.get("cases/ca1").status == 404);
    CHECK(ol.get("cases/cb").status == 404);
    CHECK(ol.post("cases/ca1/urge").status == 404);
    CHECK(station_ids(ol.get("lookups").j) == std::vector<std::string>{"st-a2"});

    // The office of every station sees all.
    auto o = c.login("office");
    CHECK(o.list_ids() == std::vector<std::string>{"ca1", "ca2", "ca3", "cb", "cb2"});
    CHECK(station_ids(o.get("lookups").j) == std::vector<std::string>{"st-a1", "st-a2", "st-a3", "st-b"});
}

TEST_CASE("console phone: a department gets the voter's phone only after 签收, and each look is in the timeline") {
    Central c;
    c.add_visit("v1", "st-a1", "路灯", "张三", "13800138000");
    c.add_case("c1", "st-a1", "路灯不亮", "registered", "v1");
    auto office = c.login("office");
    auto dept = c.login("dept_a");

    auto od = office.detail("c1");
    REQUIRE(od["visitors"].is_array());
    REQUIRE(od["visitors"].size() == 1);
    CHECK(od["visitors"][0]["name"] == "张三");
    CHECK(od["visitors"][0]["phone"] == "13800138000");
    CHECK(od["visit"]["subject"] == "路灯");
    CHECK(od["phone_available"] == false);
    CHECK(office.get("cases/c1/phone").status == 403);

    REQUIRE(office.post("cases/c1/assign", assign_body()).status == 200);
    auto dd = dept.detail("c1");
    CHECK_FALSE(dd.contains("visitors"));
    CHECK(dd["visit"]["subject"] == "路灯");
    CHECK(dd["phone_available"] == false);
    CHECK(dd.dump().find("13800138000") == std::string::npos);
    CHECK(dd.dump().find("张三") == std::string::npos);
    auto early = dept.get("cases/c1/phone");
    CHECK(early.status == 403);
    CHECK(early.body.find("13800138000") == std::string::npos);
    CHECK(c.events("c1").size() == 1);

    REQUIRE(dept.post("cases/c1/accept").status == 200);
    dd = dept.detail("c1");
    CHECK_FALSE(dd.contains("visitors"));
    CHECK(dd["phone_available"] == true);
    CHECK(dd.dump().find("13800138000") == std::string::npos);
    auto count_views = [&] {
        auto k = kinds(c.events("c1"));
        return std::count(k.begin(), k.end(), "phone_viewed");
    };
    CHECK(count_views() == 0);
    for (int i = 1; i <= 2; ++i) {
        c.now += kMinute;  // the timeline orders by minute, then by the events' ids (to the millisecond)
        auto r = dept.get("cases/c1/phone");
        REQUIRE(r.status == 200);
        REQUIRE(r.j["visitors"].size() == 1);
        CHECK(r.j["visitors"][0]["name"] == "张三");
        CHECK(r.j["visitors"][0]["phone"] == "13800138000");
        CHECK(count_views() == i);
    }
    auto tl = office.detail("c1")["timeline"];
    CHECK(tl.back()["kind"] == "phone_viewed");
    CHECK(tl.back()["author"] == "城管局李");
    // The office's detail still holds the visitors; another department never reaches the phone.
    CHECK(office.detail("c1")["visitors"].size() == 1);
    auto other = c.login("dept_b");
    CHECK(other.get("cases/c1/phone").status == 404);
    CHECK(count_views() == 2);
}

TEST_CASE("console CSRF: a POST without the right X-CSRF-Token is 403 csrf and writes nothing; GET needs none") {
    Central c;
    c.add_case("c1", "st-a1", "路灯不亮");
    auto office = c.login("office");
    auto other = c.login("office");  // another session of the same user: another token
    CHECK(other.csrf != office.csrf);
    const std::string body = assign_body().dump();
    for (const std::string& token : {std::string(), std::string("wrong"), other.csrf, office.csrf + "x"}) {
        auto r = office.call("POST", "cases/c1/assign", body, token);
        CHECK(r.status == 403);
        CHECK(r.error() == "csrf");
    }
    CHECK(office
              .call("POST", "cases/assign",
                    json{{"ids", {"c1"}}, {"department", "dept-a"}, {"deadline", kDeadline}}.dump(), "")
              .status == 403);
    CHECK(c.status("c1") == "registered");
    CHECK(c.events("c1").empty());
    // Logout needs it too: without it the session stays.
    CHECK(office.call("POST", "logout", "{}", "").status == 403);
    auto me = office.get("me");
    CHECK(me.status == 200);
    CHECK(me.j["csrf"] == office.csrf);
    CHECK(office.get("cases/c1").status == 200);
    CHECK(office.get("cases").status == 200);

    auto admin = c.login("admin");
    const std::string user = json{{"name", "eve"}, {"role", "admin"}, {"password", "long-enough-1"}}.dump();
    CHECK(admin.call("POST", "users", user, "").error() == "csrf");
    CHECK(admin.call("POST", "users/dept_a/disable", "", "").error() == "csrf");
    CHECK(admin.call("POST", "departments", json{{"name", "新部门"}}.dump(), office.csrf).error() == "csrf");
    CHECK_FALSE(c.cs().user("eve").ok());
    CHECK(c.user("dept_a").disabled_ms == 0);
    CHECK(c.cs().departments()->size() == 2);

    // With the token the same request goes through.
    CHECK(office.post("cases/c1/assign", assign_body()).status == 200);
    CHECK(c.status("c1") == "assigned");
}

TEST_CASE("console sessions: no cookie, logout, idle and absolute expiry, disabled users") {
    Central c;
    auto none = c.anonymous("GET", "me");
    CHECK(none.status == 401);
    CHECK(none.error() == "unauthorized");
    CHECK(c.anonymous("GET", "cases").status == 401);
    CHECK(c.anonymous("POST", "logout", "{}").status == 401);
    Session forged{&c, "x", "liaison_session=" + std::string(64, 'a'), "", nullptr};
    CHECK(forged.get("me").status == 401);

    SUBCASE("logout ends the session") {
        auto s = c.login("office");
        CHECK(s.get("me").status == 200);
        auto out = s.post("logout");
        CHECK(out.status == 200);
        CHECK(out.raw.header("Set-Cookie").find("Max-Age=0") != std::string::npos);
        CHECK(s.get("me").status == 401);
        CHECK(s.post("logout").status == 401);
    }
    SUBCASE("idle expiry") {
        auto s = c.login("office");
        c.now += 29 * kMinute;
        CHECK(s.get("me").status == 200);  // used: the idle time starts again
        c.now += 29 * kMinute;
        CHECK(s.get("me").status == 200);
        c.now += 31 * kMinute;
        auto r = s.get("me");
        CHECK(r.status == 401);
        CHECK(r.error() == "unauthorized");
        c.now += kMinute;
        CHECK(s.get("cases").status == 401);  // the session is gone, not only stale
    }
    SUBCASE("a sign-in clears the sessions past their time from the database") {
        auto old = c.login("office");
        auto kept = c.login("dept_a");
        const auto hash_of = [](const Session& x) {
            return server::sha256_hex(x.cookie.substr(x.cookie.find('=') + 1));
        };
        c.now += 20 * kMinute;
        REQUIRE(kept.get("me").status == 200);
        c.now += 20 * kMinute;                       // office idle for 40 minutes, dept_a for 20
        REQUIRE(c.cs().session(hash_of(old)).ok());  // expired but still stored
        auto fresh = c.login("admin");
        CHECK_FALSE(c.cs().session(hash_of(old)).ok());
        CHECK(c.cs().session(hash_of(kept)).ok());
        CHECK(kept.get("me").status == 200);
        CHECK(fresh.get("me").status == 200);
    }
    SUBCASE("absolute expiry after 12 hours, however busy") {
        auto s = c.login("dept_a");
        const int64_t signed_in = c.now;
        int requests = 0;
        while (c.now + 5 * kMinute - signed_in <= 12 * 60 * kMinute) {
            c.now += 5 * kMinute;
            REQUIRE(s.get("me").status == 200);
            ++requests;
        }
        CHECK(requests == 144);
        c.now += 2 * kMinute;  // used 2 minutes ago, but signed in more than 12 hours ago
        CHECK(s.get("me").status == 401);
        auto fresh = c.login("dept_a");
        CHECK(fresh.get("me").status == 200);
    }
    SUBCASE("a disabled user's sessions stop, through the storage or the admin page") {
        auto s = c.login("dept_b");
        REQUIRE(c.cs().set_disabled("dept_b", c.now).ok());
        CHECK(s.get("me").status == 401);  // even before its sessions are ended
        REQUIRE(c.cs().end_sessions_of("dept_b").ok());
        CHECK(s.get("me").status == 401);
        CHECK(c.try_login("dept_b").status == 401);
        REQUIRE(c.cs().set_disabled("dept_b", 0).ok());
        CHECK(s.get("me").status == 401);  // the old session stays ended
        CHECK(c.login("dept_b").get("me").status == 200);

        auto dept = c.login("dept_a");
        auto admin = c.login("admin");
        CHECK(admin.post("users/dept_a/disable").status == 200);
        CHECK(c.user("dept_a").disabled_ms != 0);
        CHECK(dept.get("me").status == 401);
        CHECK(dept.get("cases").status == 401);
        auto refused = c.try_login("dept_a");
        CHECK(refused.status == 401);
        CHECK(refused.raw.header("Set-Cookie").empty());
        CHECK(admin.post("users/admin/disable").status == 400);  // not oneself
        CHECK(admin.post("users/dept_a/enable").status == 200);
        CHECK(c.login("dept_a").get("me").status == 200);
    }
}

TEST_CASE("console lockout: five wrong passwords lock the account, even for the right one; unknown users look alike") {
    Central c;
    for (int i = 0; i < 5; ++i) {
        auto r = c.try_login("office", "wrong-password");
        CHECK(r.status == 401);
        CHECK(r.error() == "unauthorized");
    }
    CHECK(c.user("office").failures == 5);
    auto locked = c.try_login("office");
    CHECK(locked.status == 423);
    CHECK(locked.error() == "locked");
    CHECK(locked.j["params"]["retry_after_s"].get<int64_t>() > 0);
    CHECK(locked.j["params"]["retry_after_s"].get<int64_t>() <= 60);
    CHECK(locked.raw.header("Set-Cookie").empty());
    c.now += 30'000;
    CHECK(c.try_login("office").status == 423);
    c.now += 31'000;  // past the minute
    auto s = c.login("office");
    CHECK(s.get("me").status == 200);
    CHECK(c.user("office").failures == 0);
    CHECK(c.user("office").locked_until_ms == 0);
    // The counter starts again: four wrong ones do not lock, the fifth locks for a minute again.
    for (int i = 0; i < 4; ++i) CHECK(c.try_login("office", "wrong-password").status == 401);
    CHECK(c.try_login("office").status == 200);
    for (int i = 0; i < 5; ++i) CHECK(c.try_login("office", "wrong-password").status == 401);
    auto again = c.try_login("office");
    CHECK(again.status == 423);
    CHECK(again.j["params"]["retry_after_s"].get<int64_t>() <= 60);
    // Another account is not affected.
    CHECK(c.try_login("office_a").status == 200);

    // An unknown user, a disabled one and a wrong password get the same answer.
    auto wrong = c.try_login("office_a", "wrong-password");
    auto unknown = c.try_login("nobody", "wrong-password");
    REQUIRE(c.cs().set_disabled("dept_b", c.now).ok());
    auto disabled = c.try_login("dept_b");
    for (const Reply* r : {&unknown, &disabled}) {
        CHECK(r->status == wrong.status);
        CHECK(r->body == wrong.body);
    }
    CHECK(c.try_login("", "").status == 401);
    CHECK(c.anonymous("POST", "login", "{\"user\": 1}").status == 400);

    // ... and take about as long: an unknown name costs a hash too.
    auto timed = [&](const std::string& user) {
        int64_t best = INT64_MAX;
        for (int i = 0; i < 2; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            CHECK(c.try_login(user, "wrong-password").status == 401);
            const auto us =
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
            best = std::min<int64_t>(best, us);
        }
        return best;
    };
    const int64_t known_us = timed("office_list"), unknown_us = timed("nobody-at-all");
    CAPTURE(known_us);
    CAPTURE(unknown_us);
    CHECK(unknown_us * 4 > known_us);
}

TEST_CASE("console bulk assignment: each case on its own; resolved and out-of-scope cases are refused by id") {
    Central c;
    c.add_case("x1", "st-a1", "案件一");
    c.add_case("x2", "st-a2", "案件二", "in_progress", "", "dept-b");
    c.add_case("done", "st-a1", "已办结的案件", "resolved", "", "dept-b");
    c.add_case("far", "st-b", "西湖的案件");
    auto oa = c.login("office_a");
    auto r = oa.post("cases/assign",
                     {{"ids", {"x1", "x2", "done", "far"}}, {"department", "dept-a"}, {"deadline", kDeadline}});
    REQUIRE(r.status == 200);
    CHECK(r.j["assigned"] == 2);
    std::vector<std::string> refused;
    for (const auto& x : r.j["refused"]) refused.push_back(x["id"].get<std::string>());
    std::sort(refused.begin(), refused.end());
    CHECK(refused == std::vector<std::string>{"done", "far"});
    for (const auto& x : r.j["refused"])
        if (x["id"] == "done") CHECK(x["error"] == "refused");
    for (const char* id : {"x1", "x2"}) {
        CAPTURE(id);
        CHECK(c.status(id) == "assigned");
        CHECK(c.fields(id)["department_id"] == "dept-a");
        CHECK(c.fields(id)["deadline"] == kDeadline);
        REQUIRE(c.events(id).size() == 1);
    }
    CHECK(kinds(c.events("x1")) == std::vector<std::string>{"assigned"});
    CHECK(kinds(c.events("x2")) == std::vector<std::string>{"reassigned"});
    CHECK(c.status("done") == "resolved");
    CHECK(c.fields("done")["department_id"] == "dept-b");
    CHECK(c.status("far") == "registered");
    CHECK(c.events("done").empty());
    CHECK(c.events("far").empty());

    CHECK(oa.post("cases/assign", {{"ids", "x1"}, {"department", "dept-a"}, {"deadline", kDeadline}}).status == 400);
    CHECK(oa.post("cases/assign", {{"ids", {1, 2}}, {"department", "dept-a"}, {"deadline", kDeadline}}).status == 400);
    auto bad_dept = oa.post("cases/assign", {{"ids", {"far"}}, {"department", "no-such"}, {"deadline", kDeadline}});
    CHECK(bad_dept.status == 200);
    CHECK(bad_dept.j["assigned"] == 0);
}

TEST_CASE("console hostile input: markup stays text, bad bodies and values are 400 and write nothing") {
    Central c;
    const std::string markup = "<img src=x onerror=alert(1)>";
    c.add_case("c1", "st-a1", markup);
    auto office = c.login("office");
    auto r = office.get("cases/c1");
    REQUIRE(r.status == 200);
    CHECK(r.raw.header("Content-Type").rfind("application/json", 0) == 0);
    CHECK(r.raw.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.j["title"] == markup);
    CHECK(r.body.find("\"title\":\"" + markup + "\"") != std::string::npos);
    CHECK(office.get("cases").j["cases"][0]["title"] == markup);

    auto malformed = office.call("POST", "cases/c1/assign", "{\"department\": \"dept-a\", ", office.csrf);
    CHECK(malformed.status == 400);
    CHECK(malformed.error() == "bad_request");
    CHECK(office.call("POST", "cases/c1/assign", "[1, 2]", office.csrf).status == 400);
    CHECK(office.call("POST", "cases/c1/assign", "\"x\"", office.csrf).status == 400);
    CHECK(c.anonymous("POST", "login", "{not json").status == 400);

    // Deadlines: not before the registration (2026-03-02), and real dates.
    for (const char* d : {"2026-03-01", "2026-02-30", "2026-3-31", "", "tomorrow"}) {
        CAPTURE(d);
        auto bad = office.post("cases/c1/assign", assign_body("dept-a", d));
        CHECK(bad.status == 400);
        CHECK(bad.error() == "bad_request");
    }
    CHECK(office.post("cases/c1/assign", assign_body("no-such-department")).status == 400);
    CHECK(c.status("c1") == "registered");
    CHECK(c.events("c1").empty());
    REQUIRE(office.post("cases/c1/assign", assign_body("dept-a", "2026-03-02")).status == 200);
    CHECK(office.post("cases/c1/extend", {{"deadline", "2026-02-01"}}).status == 400);

    // Texts over their limits.
    const std::string huge(10'001, 'x');
    auto dept = c.login("dept_a");
    const size_t before = c.events("c1").size();
    CHECK(office.post("cases/c1/urge", {{"note", huge}}).status == 400);
    CHECK(office.post("cases/c1/assign", {{"department", "dept-a"}, {"deadline", kDeadline}, {"note", huge}}).status ==
          400);
    CHECK(dept.post("cases/c1/extension-request", {{"deadline", kDeadline}, {"reason", huge}}).status == 400);
    REQUIRE(dept.post("cases/c1/accept").status == 200);
    CHECK(dept.post("cases/c1/progress", {{"note", huge}}).status == 400);
    CHECK(dept.post("cases/c1/reply", {{"result", huge}}).status == 400);
    CHECK(dept.post("cases/c1/reply", {{"result", "  \n"}}).status == 400);
    CHECK(dept.call("POST", "cases/c1/progress", "{\"note\": \"\xff\xfe\"}", dept.csrf).status == 400);
    CHECK(c.events("c1").size() == before + 1);  // the accept only
    CHECK(c.status("c1") == "in_progress");
    CHECK(c.fields("c1")["result"].is_null());

    // Query values.
    for (const char* q : {"cases?limit=abc", "cases?limit=-1", "cases?limit=0", "cases?offset=x",
                          "cases?from=2026-13-40", "cases?to=2026-02-30", "cases?sort=title",
                          "overview?from=2026-13-40", "report?month=2026-13", "export/cases.csv?from=2026-13-40"}) {
        CAPTURE(q);
        auto bad = office.get(q);
        CHECK(bad.status == 400);
        CHECK(bad.error() == "bad_request");
    }
    CHECK(office.get("cases?limit=100000").status == 200);
    auto inj = office.get("cases?q=%25%27%20OR%201%3D1%20--");
    CHECK(inj.status == 200);
    CHECK(inj.j["total"] == 0);
    CHECK(office.get("cases?q=onerror").j["total"] == 1);
    CHECK(office.post("cases/c1/delete").status == 404);
    CHECK(office.get("nothing/here").status == 404);
}

TEST_CASE("console export: CSV with BOM and escaped formulas, xlsx as a zip, inside the scope") {
    Central c;
    c.add_case("c1", "st-a1", "=1+2");
    c.add_case("c2", "st-a2", "普通标题");
    c.add_case("c3", "st-b", "西湖的案件");
    auto office = c.login("office_a");
    auto csv = office.get("export/cases.csv");
    REQUIRE(csv.status == 200);
    CHECK(csv.raw.header("Content-Type").find("text/csv") == 0);
    CHECK(csv.raw.header("Content-Disposition").find("attachment") == 0);
    CHECK(csv.body.rfind("\xEF\xBB\xBF编号,登记时间,联络站,类别,标题,状态,承办单位,办理期限,期限状态\r\n", 0) == 0);
    CHECK(csv.body.find(",'=1+2,") != std::string::npos);
    CHECK(csv.body.find(",=1+2,") == std::string::npos);
    CHECK(csv.body.find("普通标题") != std::string::npos);
    CHECK(csv.body.find("城乡建设") != std::string::npos);
    CHECK(csv.body.find("西湖的案件") == std::string::npos);
    CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 3);
    auto filtered = office.get("export/cases.csv?station=st-a2");
    REQUIRE(filtered.status == 200);
    CHECK(filtered.body.find("=1+2") == std::string::npos);
    CHECK(filtered.body.find("普通标题") != std::string::npos);

    auto xlsx = office.get("export/cases.xlsx");
    REQUIRE(xlsx.status == 200);
    CHECK(xlsx.raw.header("Content-Type").find("spreadsheetml") != std::string::npos);
    REQUIRE(xlsx.body.size() > 4);
    CHECK(xlsx.body.compare(0, 4, "PK\x03\x04") == 0);
    CHECK(office.get("export/cases.pdf").status == 404);
    CHECK(c.login("dept_a").get("export/cases.xlsx").status == 403);
}

TEST_CASE("console log: a full cycle with the phone look-up never logs a voter's name or phone, nor a case's text") {
    Central c;
    const std::string name = "王小明", phone = "13912345678", title = "小区门口路灯不亮", subject = "路灯维修";
    c.add_visit("v1", "st-a1", subject, name, phone);
    c.add_case("c1", "st-a1", title, "registered", "v1");
    auto office = c.login("office");
    auto dept = c.login("dept_a");
    CHECK(c.try_login("dept_a", "wrong-password").status == 401);
    CHECK(office.get("lookups").status == 200);
    CHECK(office.get("cases?q=" + std::string("%E8%B7%AF%E7%81%AF")).status == 200);
    CHECK(office.get("cases/c1").status == 200);
    CHECK(office.post("cases/c1/assign", assign_body()).status == 200);
    CHECK(dept.get("cases/c1/phone").status == 403);
    CHECK(dept.post("cases/c1/accept").status == 200);
    CHECK(dept.get("cases/c1/phone").status == 200);
    CHECK(dept.post("cases/c1/progress", {{"note", "已联系" + name}}).status == 200);
    CHECK(dept.post("cases/c1/reply", {{"result", "已电话告知" + phone}}).status == 200);
    CHECK(office.post("cases/c1/return", {{"reason", "请核实" + title}}).status == 200);
    CHECK(dept.post("cases/c1/reply", {{"result", "已修复" + subject}}).status == 200);
    CHECK(office.post("cases/c1/approve", {{"note", "同意"}}).status == 200);
    CHECK(office.post("cases/c1/approve").status == 409);
    CHECK(office.get("export/cases.csv").status == 200);
    CHECK(office.get("export/cases.xlsx").status == 200);
    CHECK(office.post("logout").status == 200);
    CHECK(c.status("c1") == "resolved");

    REQUIRE(c.log.size() >= 15);
    bool phone_logged = false, login_logged = false, accept_logged = false;
    for (const auto& line : c.log) {
        CAPTURE(line);
        for (const std::string& secret : {name, phone, title, subject, std::string("路灯"), std::string("已修复")})
            CHECK(line.find(secret) == std::string::npos);
        phone_logged = phone_logged || line.find("phone case=c1") != std::string::npos;
        login_logged = login_logged || line.find("login user=dept_a") != std::string::npos;
        accept_logged = accept_logged || line.find("accept case=c1") != std::string::npos;
    }
    CHECK(accept_logged);
    CHECK(phone_logged);
    CHECK(login_logged);
}

TEST_CASE("console users: enable and disable act on the user the path names, whatever that name is") {
    Central c;
    c.add_user("disable", "office", "", "*", "");
    auto admin = c.login("admin");
    REQUIRE(admin.post("users/disable/disable").status == 200);
    CHECK(c.user("disable").disabled_ms != 0);
    REQUIRE(admin.post("users/disable/enable").status == 200);
    CHECK(c.user("disable").disabled_ms == 0);
    CHECK(c.login("disable").get("me").status == 200);
    auto listed = admin.get("users");
    REQUIRE(listed.status == 200);
    for (const auto& u : listed.j["users"]) CHECK(u["disabled"] == false);
}
