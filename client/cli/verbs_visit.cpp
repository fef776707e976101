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

// The header's columns by their keys.
Result<std::vector<std::string>> import_header(const CsvRecord& header) {
    std::vector<std::string> cols;
    for (const auto& h : header.fields) {
        auto it = import_columns().find(h);
        if (it == import_columns().end()) return invalid("line 1: unknown column '" + h + "'");
        cols.push_back(it->second);
    }
    for (const char* req : {"visitor", "category", "subject"})
        if (std::find(cols.begin(), cols.end(), req) == cols.end())
            return invalid(std::string("line 1: the column '") + req + "' is required");
    return cols;
}

// One import, fed the file's records as they are read: the header first, then a visit per
// record written at once, so only the record at hand is held (docs/performance.md).
class VisitImportRun {
public:
    explicit VisitImportRun(Context& ctx) : ctx_(ctx) {}
    bool open_failed() const { return open_failed_; }
    // A record of the file; the error names its line.
    Status take(CsvRecord rec);
    Result<size_t> commit() {
        if (!import_) return invalid("the file is empty");
        return import_->commit();
    }

private:
    Status start(const CsvRecord& header);
    Result<store::Visit> visit_of(const CsvRecord& rec);
    Status set_field(store::Visit& v, store::Visitor& p, const std::string& key, const std::string& f);

    Context& ctx_;
    std::vector<std::string> cols_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<store::Store::VisitImport> import_;
    std::map<std::string, std::vector<std::string>> deputy_cache_;
    bool open_failed_ = false;
};

Status VisitImportRun::start(const CsvRecord& header) {
    LIAISON_ASSIGN_OR_RETURN(cols_, import_header(header));
    store_ = open_store(ctx_);
    if (!store_) {
        open_failed_ = true;  // open_store has said why
        return Error{Error::Kind::Internal, "no store"};
    }
    LIAISON_ASSIGN_OR_RETURN(import_, store_->begin_import());
    return {};
}

Status VisitImportRun::take(CsvRecord rec) {
    unescape_record(rec);
    if (!store_) return start(rec);
    auto v = visit_of(rec);
    if (!v) return v.error();
    if (auto st = import_->add(std::move(*v)); !st)
        return Error{st.error().kind, "line " + std::to_string(rec.line) + ": " + st.error().message};
    return {};
}

Status VisitImportRun::set_field(store::Visit& v, store::Visitor& p, const std::string& k, const std::string& f) {
    if (k == "received_at")
        v.received_at = f.size() == 10 ? f + " 00:00" : f;
    else if (k == "visitor")
        p.name = f;
    else if (k == "phone")
        p.phone = f;
    else if (k == "people" && !f.empty()) {
        LIAISON_ASSIGN_OR_RETURN(v.people, parse_people(f));
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
        auto it = deputy_cache_.find(f);
        if (it == deputy_cache_.end()) {
            LIAISON_ASSIGN_OR_RETURN(auto ids, deputy_ids(*store_, f));
            it = deputy_cache_.emplace(f, std::move(ids)).first;
        }
        v.deputy_ids = it->second;
    }
    return {};
}

Result<store::Visit> VisitImportRun::visit_of(const CsvRecord& rec) {
    const std::string where = "line " + std::to_string(rec.line) + ": ";
    if (rec.fields.size() != cols_.size())
        return invalid(where + "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                       std::to_string(cols_.size()));
    store::Visit v;
    store::Visitor p;
    for (size_t c = 0; c < cols_.size(); ++c)
        if (auto st = set_field(v, p, cols_[c], rec.fields[c]); !st)
            return Error{st.error().kind, where + st.error().message};
    if (p.name.empty()) return invalid(where + "visitor is required");
    v.visitors.push_back(std::move(p));
    return v;
}

// Hands each record of the file to `run`, reading it a block at a time twice: once to decide
// its encoding (docs/import.md), once to decode and parse it.
Status feed_import(const std::string& path, text::Encoding requested, VisitImportRun& run) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return invalid("cannot read " + path);
    text::EncodingProbe probe(requested);
    LIAISON_TRY(text::for_each_line_block(in, [&](std::string_view block) {
        probe.add(block);
        return Status{};
    }));
    auto decided = probe.finish();
    if (!decided) return invalid(path + ": " + decided.error().message);
    in.clear();
    in.seekg(0);
    sync::CsvReader reader;
    bool first = true;
    auto drain = [&]() -> Status {
        for (;;) {
            LIAISON_ASSIGN_OR_RETURN(auto rec, reader.next());
            if (!rec) return {};
            LIAISON_TRY(run.take(std::move(*rec)));
        }
    };
    LIAISON_TRY(text::for_each_line_block(in, [&](std::string_view block) -> Status {
        LIAISON_ASSIGN_OR_RETURN(auto decoded, text::decode_block(block, *decided, first));
        first = false;
        reader.feed(decoded);
        return drain();
    }));
    reader.finish();
    return drain();
}

int visit_import(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"encoding"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "visit import [--encoding auto|utf-8|gb18030|gbk] FILE.csv");
    auto encoding = text::parse_encoding(a->get("encoding", "auto"));
    if (!encoding) return usage_error(ctx, "--encoding: " + encoding.error().message);
    VisitImportRun run(ctx);
    if (auto st = feed_import(a->positional[0], *encoding, run); !st) {
        if (run.open_failed()) return ctx.open_failure;
        return fail(ctx, st.error());
    }
    auto n = run.commit();
    if (!n) return fail(ctx, n.error());
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
