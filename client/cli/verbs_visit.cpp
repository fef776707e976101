// liaison visit add|list|show|edit|delete|import
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "base/text_encoding.h"
#include "client/cli/csv.h"
#include "client/cli/verbs.h"

namespace liaison::cli {

using nlohmann::json;

namespace {

const char* const kVisitUsage =
    "visit add --visitor NAME [--phone P] [--people N] --category C --subject S [--content T]\n"
    "          [--deputy NAME] [--channel CH] [--route R] [--reason TEXT] [--notes TEXT] [--at \"YYYY-MM-DD HH:MM\"]\n"
    "visit list [--search TEXT] [--from DATE] [--to DATE] [--category C] [--deputy NAME] [--limit N] [--json]\n"
    "visit show ID [--json]\n"
    "visit edit ID [--subject S] [--content T] [--visitor NAME] [--phone P] [--people N] [--category C] ...\n"
    "visit delete ID\n"
    "visit import [--encoding auto|utf-8|gb18030|gbk] FILE.csv   (UTF-8 or GBK; docs/import.md)\n";

Result<int64_t> parse_people(const std::string& s) {
    auto n = parse_count("people", s, 1, 999999999);
    if (!n) return invalid("--people must be a whole number of at least 1");
    return n;
}

// --deputy takes a name or an id; several separated by commas or 、
Result<std::vector<std::string>> deputy_ids(store::Store& s, const std::string& text) {
    std::vector<std::string> ids;
    std::string t = text;
    for (size_t p; (p = t.find("、")) != std::string::npos;) t.replace(p, 3, ",");
    std::stringstream in(t);
    std::string name;
    while (std::getline(in, name, ',')) {
        if (name.empty()) continue;
        if (s.deputy(name)) {
            ids.push_back(name);
            continue;
        }
        auto id = s.deputy_id_by_name(name);
        if (!id) return id.error();
        ids.push_back(*id);
    }
    return ids;
}

json visit_json(store::Store& s, const store::Visit& v) {
    json deps = json::array();
    for (const auto& id : v.deputy_ids) {
        auto d = s.deputy(id);
        deps.push_back({{"id", id}, {"name", d ? d->name : ""}});
    }
    json people = json::array();
    for (const auto& p : v.visitors) people.push_back({{"id", p.id}, {"name", p.name}, {"phone", p.phone}});
    return {{"id", v.id},
            {"station_id", v.station_id},
            {"received_at", v.received_at},
            {"channel", v.channel},
            {"people", v.people},
            {"category", v.category},
            {"subject", v.subject},
            {"content", v.content},
            {"route", v.route},
            {"route_reason", v.route_reason},
            {"notes", v.notes},
            {"deputies", deps},
            {"visitors", people}};
}

int visit_add(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"visitor", "phone", "people", "category", "subject", "content", "deputy", "channel",
                                "route", "reason", "notes", "at"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unexpected word '" + a->positional[0] + "'");
    for (const char* req : {"visitor", "category", "subject"})
        if (a->get(req).empty()) return usage_error(ctx, std::string("visit add needs --") + req);
    store::Visit v;
    if (a->has("people")) {
        auto n = parse_people(a->get("people"));
        if (!n) return fail(ctx, n.error());
        v.people = *n;
    }
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    v.category = a->get("category");
    v.subject = a->get("subject");
    v.content = a->get("content");
    v.channel = a->get("channel", "station");
    v.route = a->get("route");
    v.route_reason = a->get("reason");
    v.notes = a->get("notes");
    v.received_at = a->get("at");
    if (a->has("deputy")) {
        auto ids = deputy_ids(*s, a->get("deputy"));
        if (!ids) return fail(ctx, ids.error());
        v.deputy_ids = *ids;
    }
    v.visitors.push_back(store::Visitor{"", "", a->get("visitor"), a->get("phone"), "", ""});
    auto id = s->add_visit(std::move(v));
    if (!id) return fail(ctx, id.error());
    ctx.out << *id << "\n";
    return 0;
}

int visit_list(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"search", "from", "to", "category", "deputy", "route", "limit", "offset"}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    store::VisitQuery q;
    q.text = a->get("search");
    q.from = a->get("from");
    q.to = a->get("to");
    q.category = a->get("category");
    q.route = a->get("route");
    q.limit = 1000000;
    for (const char* k : {"limit", "offset"}) {
        if (!a->has(k)) continue;
        auto n = parse_count(k, a->get(k), 0, 1000000000);
        if (!n) return usage_error(ctx, n.error().message);
        (std::string(k) == "limit" ? q.limit : q.offset) = *n;
    }
    if (a->has("deputy")) {
        auto ids = deputy_ids(*s, a->get("deputy"));
        if (!ids) return fail(ctx, ids.error());
        if (!ids->empty()) q.deputy_id = ids->front();
    }
    auto rows = s->find_visits(q);
    if (!rows) return fail(ctx, rows.error());
    if (a->flag("json")) {
        json arr = json::array();
        for (const auto& r : *rows)
            arr.push_back({{"id", r.id},
                           {"received_at", r.received_at},
                           {"category", r.category},
                           {"subject", r.subject},
                           {"people", r.people},
                           {"visitor", r.first_visitor},
                           {"route", r.route}});
        ctx.out << arr.dump(2) << "\n";
    } else {
        for (const auto& r : *rows)
            ctx.out << r.id << "  " << r.received_at << "  " << r.category << "  " << r.people << "人  " << r.subject
                    << "\n";
        ctx.out << rows->size() << " visits\n";
    }
    return 0;
}

int visit_show(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {}, {"json", "history"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "visit show ID [--json]");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto v = s->visit(a->positional[0]);
    if (!v) return fail(ctx, v.error());
    json j = visit_json(*s, *v);
    auto trail = s->audit_trail("visits", v->id);
    if (!trail) return fail(ctx, trail.error());
    json hist = json::array();
    for (const auto& e : *trail)
        hist.push_back({{"at", e.at},
                        {"author", e.author},
                        {"device", e.device},
                        {"table", e.table},
                        {"column", e.column},
                        {"old", e.old_value},
                        {"new", e.new_value}});
    j["history"] = hist;
    if (a->flag("json")) {
        ctx.out << j.dump(2) << "\n";
        return 0;
    }
    ctx.out << "id:        " << v->id << "\n"
            << "time:      " << v->received_at << "\n"
            << "channel:   " << v->channel << "\n"
            << "people:    " << v->people << "\n"
            << "category:  " << v->category << "\n"
            << "subject:   " << v->subject << "\n"
            << "content:   " << v->content << "\n"
            << "route:     " << v->route << (v->route_reason.empty() ? "" : " (" + v->route_reason + ")") << "\n"
            << "notes:     " << v->notes << "\n";
    for (const auto& d : j["deputies"]) ctx.out << "deputy:    " << d["name"].get<std::string>() << "\n";
    for (const auto& p : v->visitors) ctx.out << "visitor:   " << p.name << "  " << p.phone << "\n";
    if (a->flag("history"))
        for (const auto& e : *trail)
            ctx.out << "  " << e.at << "  " << e.column << ": " << e.old_value << " -> " << e.new_value << "\n";
    return 0;
}

int visit_edit(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"subject", "content", "visitor", "phone", "people", "category", "channel", "route",
                                "reason", "notes", "at", "deputy"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "visit edit ID [--subject S] ...");
    store::VisitPatch p;
    p.subject = a->opt("subject");
    p.content = a->opt("content");
    p.visitor_name = a->opt("visitor");
    p.visitor_phone = a->opt("phone");
    p.category = a->opt("category");
    p.channel = a->opt("channel");
    p.route = a->opt("route");
    p.route_reason = a->opt("reason");
    p.notes = a->opt("notes");
    p.received_at = a->opt("at");
    if (a->has("people")) {
        auto n = parse_people(a->get("people"));
        if (!n) return fail(ctx, n.error());
        p.people = *n;
    }
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    if (a->has("deputy")) {
        auto ids = deputy_ids(*s, a->get("deputy"));
        if (!ids) return fail(ctx, ids.error());
        p.deputy_ids = *ids;
    }
    if (auto st = s->update_visit(a->positional[0], p); !st) return fail(ctx, st.error());
    ctx.out << a->positional[0] << "\n";
    return 0;
}

int visit_delete(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "visit delete ID");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    if (auto st = s->delete_visit(a->positional[0]); !st) return fail(ctx, st.error());
    ctx.out << "deleted " << a->positional[0] << "\n";
    return 0;
}

// Column names a station's Excel ledger may use (docs/cli.md lists them).
const std::map<std::string, std::string>& import_columns() {
    static const std::map<std::string, std::string> m = {{"received_at", "received_at"},
                                                         {"时间", "received_at"},
                                                         {"接待时间", "received_at"},
                                                         {"visitor", "visitor"},
                                                         {"来访人", "visitor"},
                                                         {"姓名", "visitor"},
                                                         {"phone", "phone"},
                                                         {"电话", "phone"},
                                                         {"联系电话", "phone"},
                                                         {"people", "people"},
                                                         {"人数", "people"},
                                                         {"人次", "people"},
                                                         {"category", "category"},
                                                         {"类别", "category"},
                                                         {"分类", "category"},
                                                         {"subject", "subject"},
                                                         {"主题", "subject"},
                                                         {"事由", "subject"},
                                                         {"content", "content"},
                                                         {"诉求", "content"},
                                                         {"内容", "content"},
                                                         {"deputy", "deputy"},
                                                         {"接待代表", "deputy"},
                                                         {"代表", "deputy"},
                                                         {"channel", "channel"},
                                                         {"渠道", "channel"},
                                                         {"route", "route"},
                                                         {"办理方式", "route"},
                                                         {"reason", "reason"},
                                                         {"原因", "reason"},
                                                         {"notes", "notes"},
                                                         {"备注", "notes"}};
    return m;
}

// The file's records, decoded (UTF-8 or GBK, docs/import.md), and its columns by their keys.
struct ImportFile {
    std::vector<CsvRecord> recs;
    std::vector<std::string> cols;
};

Result<ImportFile> read_import_file(const std::string& path, const std::string& encoding_name) {
    auto encoding = text::parse_encoding(encoding_name);
    if (!encoding) return invalid("--encoding: " + encoding.error().message);
    std::ifstream in(path, std::ios::binary);
    if (!in) return invalid("cannot read " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    // A file that looks mis-encoded is refused.
    auto decoded = text::decode_text(buf.str(), *encoding);
    if (!decoded) return invalid(path + ": " + decoded.error().message);
    ImportFile f;
    LIAISON_ASSIGN_OR_RETURN(f.recs, parse_csv(decoded->text));
    if (f.recs.empty()) return invalid("the file is empty");
    for (const auto& h : f.recs.front().fields) {
        auto it = import_columns().find(h);
        if (it == import_columns().end()) return invalid("line 1: unknown column '" + h + "'");
        f.cols.push_back(it->second);
    }
    for (const char* req : {"visitor", "category", "subject"})
        if (std::find(f.cols.begin(), f.cols.end(), req) == f.cols.end())
            return invalid(std::string("line 1: the column '") + req + "' is required");
    return f;
}

int visit_import(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"encoding"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "visit import [--encoding auto|utf-8|gb18030|gbk] FILE.csv");
    auto file = read_import_file(a->positional[0], a->get("encoding", "auto"));
    if (!file) return fail(ctx, file.error());
    const auto* recs = &file->recs;  // the rows below read it as before
    const auto& cols = file->cols;
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    std::map<std::string, std::vector<std::string>> deputy_cache;
    std::vector<store::Visit> visits;
    visits.reserve(recs->size());
    for (size_t r = 1; r < recs->size(); ++r) {
        const auto& rec = (*recs)[r];
        const std::string where = "line " + std::to_string(rec.line) + ": ";
        if (rec.fields.size() != cols.size())
            return usage_error(ctx, where + "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                                        std::to_string(cols.size()));
        store::Visit v;
        store::Visitor p;
        for (size_t c = 0; c < cols.size(); ++c) {
            const std::string& f = rec.fields[c];
            const std::string& k = cols[c];
            if (k == "received_at")
                v.received_at = f.size() == 10 ? f + " 00:00" : f;
            else if (k == "visitor")
                p.name = f;
            else if (k == "phone")
                p.phone = f;
            else if (k == "people") {
                if (!f.empty()) {
                    auto n = parse_people(f);
                    if (!n) return usage_error(ctx, where + n.error().message);
                    v.people = *n;
                }
            } else if (k == "category")
                v.category = f;
            else if (k == "subject")
                v.subject = f;
            else if (k == "content")
                v.content = f;
            else if (k == "channel")
                v.channel = f.empty() ? "station" : f;
            else if (k == "route")
                v.route = f;
            else if (k == "reason")
                v.route_reason = f;
            else if (k == "notes")
                v.notes = f;
            else if (k == "deputy" && !f.empty()) {
                auto it = deputy_cache.find(f);
                if (it == deputy_cache.end()) {
                    auto ids = deputy_ids(*s, f);
                    if (!ids) return usage_error(ctx, where + ids.error().message);
                    it = deputy_cache.emplace(f, *ids).first;
                }
                v.deputy_ids = it->second;
            }
        }
        if (p.name.empty()) return usage_error(ctx, where + "visitor is required");
        v.visitors.push_back(p);
        visits.push_back(std::move(v));
    }
    auto n = s->add_visits(std::move(visits));
    if (!n) {
        // add_visits names the record; turn it back into the file's line.
        std::string msg = n.error().message;
        if (msg.rfind("record ", 0) == 0) {
            const size_t k = std::stoul(msg.substr(7));
            if (k >= 1 && k < recs->size()) msg = "line " + std::to_string((*recs)[k].line) + msg.substr(msg.find(':'));
        }
        return fail(ctx, Error{n.error().kind, msg});
    }
    ctx.out << "imported " << *n << " visits\n";
    return 0;
}

}  // namespace

int verb_visit(Context& ctx, const std::vector<std::string>& words) {
    if (words.empty() || words[0] == "help") {
        ctx.out << kVisitUsage;
        return words.empty() ? 2 : 0;
    }
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (words[0] == "add") return visit_add(ctx, rest);
    if (words[0] == "list") return visit_list(ctx, rest);
    if (words[0] == "show") return visit_show(ctx, rest);
    if (words[0] == "edit") return visit_edit(ctx, rest);
    if (words[0] == "delete") return visit_delete(ctx, rest);
    if (words[0] == "import") return visit_import(ctx, rest);
    return usage_error(ctx, "unknown visit verb '" + words[0] + "'");
}

}  // namespace liaison::cli
