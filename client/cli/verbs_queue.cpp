// liaison queue add|list|call|serve|leave|series (docs/queue.md).
#include <nlohmann/json.hpp>
#include <ostream>

#include "client/cli/verbs.h"
#include "client/store/queue.h"
#include "platform/platform.h"

namespace liaison::cli {

using nlohmann::json;
namespace queue = store::queue;

namespace {

const char* const kQueueUsage =
    "queue add --visitor NAME --phone P --topic T [--people N] [--category C] [--deputy NAME]\n"
    "queue list [--date YYYY-MM-DD] [--json]\n"
    "queue call ID|NUMBER|--next [--date YYYY-MM-DD]\n"
    "queue serve ID|NUMBER --visit VISIT_ID [--date YYYY-MM-DD]\n"
    "queue leave ID|NUMBER [--date YYYY-MM-DD]\n"
    "queue series [LETTER [--replace]]   (this tablet's ticket letter: A, B, C ...)\n";

// A refused request (unknown ticket, a transition its status does not allow) is bad input: 2.
int refuse(Context& ctx, const Error& e) {
    ctx.err << "liaison: " << e.message << "\n";
    return e.kind == Error::Kind::Invalid || e.kind == Error::Kind::NotFound || e.kind == Error::Kind::Conflict ? 2 : 1;
}

std::string today(store::Store& s) { return platform::local_date(s.now()); }

// Staff may name a ticket by its id or by its shown number on the day.
Result<store::QueueTicket> find(store::Store& s, const std::string& key, const std::string& date) {
    auto t = queue::ticket(s, key);
    if (t || t.error().kind != Error::Kind::NotFound) return t;
    return queue::ticket_by_label(s, date, key);
}

json ticket_json(store::Store& s, const store::QueueTicket& t) {
    auto ahead = queue::waiting_ahead(s, t);
    return {{"id", t.id},
            {"number", queue::label(t)},
            {"seq", t.number},
            {"series", t.series},
            {"date", t.date},
            {"status", t.status},
            {"visitor", t.visitor_name},
            {"phone", t.phone},
            {"people", t.people},
            {"category", t.category},
            {"topic", t.topic},
            {"wished_deputy_id", t.wished_deputy_id},
            {"visit_id", t.visit_id},
            {"created_at", t.created_at},
            {"device_id", t.device_id},
            {"waiting_ahead", ahead ? *ahead : 0}};
}

int queue_add(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"visitor", "phone", "topic", "people", "category", "deputy"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unexpected word '" + a->positional[0] + "'");
    for (const char* req : {"visitor", "phone", "topic"})
        if (!a->has(req)) return usage_error(ctx, std::string("queue add needs --") + req);
    queue::NewTicket n;
    n.visitor_name = a->get("visitor");
    n.phone = a->get("phone");
    n.topic = a->get("topic");
    n.category = a->get("category");
    if (a->has("people")) {
        const std::string p = a->get("people");
        if (p.empty() || p.size() > 6 || p.find_first_not_of("0123456789") != std::string::npos || std::stoll(p) < 1)
            return usage_error(ctx, "--people must be a whole number of at least 1");
        n.people = std::stoll(p);
    }
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    if (a->has("deputy")) {
        const std::string d = a->get("deputy");
        if (s->deputy(d)) {
            n.wished_deputy_id = d;
        } else {
            auto id = s->deputy_id_by_name(d);
            if (!id) return refuse(ctx, id.error());
            n.wished_deputy_id = *id;
        }
    }
    auto t = queue::take_ticket(*s, n);
    if (!t) return refuse(ctx, t.error());
    auto ahead = queue::waiting_ahead(*s, *t);
    ctx.out << "number " << queue::label(*t) << "  (" << (ahead ? *ahead : 0) << " waiting ahead)\n" << t->id << "\n";
    return 0;
}

int queue_list(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"date"}, {"json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (!a->positional.empty()) return usage_error(ctx, "unexpected word '" + a->positional[0] + "'");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    const std::string date = a->get("date", today(*s));
    auto ts = queue::tickets(*s, date);
    if (!ts) return refuse(ctx, ts.error());
    if (a->flag("json")) {  // for staff tools: full details
        json arr = json::array();
        for (const auto& t : *ts) arr.push_back(ticket_json(*s, t));
        ctx.out << arr.dump(2) << "\n";
        return 0;
    }
    // The plain listing may end up on a screen others see: names masked, no phone numbers.
    int waiting = 0;
    for (const auto& t : *ts) {
        if (t.status == "waiting") ++waiting;
        ctx.out << queue::label(t) << "  " << t.status << "  " << queue::mask_name(t.visitor_name) << "  " << t.people
                << "人  " << t.topic << "  " << t.id << "\n";
    }
    ctx.out << ts->size() << " tickets, " << waiting << " waiting on " << date << "\n";
    return 0;
}

int queue_call(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"date"}, {"next"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->flag("next") == (a->positional.size() == 1) || a->positional.size() > 1)
        return usage_error(ctx, "queue call ID|NUMBER or queue call --next");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    const std::string date = a->get("date", today(*s));
    Result<store::QueueTicket> t = Error{};
    if (a->flag("next")) {
        t = queue::call_next(*s, date);
    } else {
        auto found = find(*s, a->positional[0], date);
        if (!found) return refuse(ctx, found.error());
        t = queue::call(*s, found->id);
    }
    if (!t) return refuse(ctx, t.error());
    ctx.out << "called " << queue::label(*t) << "  " << t->topic << "\n" << t->id << "\n";
    return 0;
}

int queue_serve(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"visit", "date"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1 || a->get("visit").empty())
        return usage_error(ctx, "queue serve ID|NUMBER --visit VISIT_ID");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto found = find(*s, a->positional[0], a->get("date", today(*s)));
    if (!found) return refuse(ctx, found.error());
    auto t = queue::serve(*s, found->id, a->get("visit"));
    if (!t) return refuse(ctx, t.error());
    ctx.out << "served " << queue::label(*t) << " in visit " << t->visit_id << "\n" << t->id << "\n";
    return 0;
}

int queue_leave(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {"date"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() != 1) return usage_error(ctx, "queue leave ID|NUMBER");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    auto found = find(*s, a->positional[0], a->get("date", today(*s)));
    if (!found) return refuse(ctx, found.error());
    auto t = queue::leave(*s, found->id);
    if (!t) return refuse(ctx, t.error());
    ctx.out << "left " << queue::label(*t) << "\n" << t->id << "\n";
    return 0;
}

int queue_series(Context& ctx, const std::vector<std::string>& words) {
    auto a = parse_args(words, {}, {"replace", "json"});
    if (!a) return usage_error(ctx, a.error().message);
    if (a->positional.size() > 1) return usage_error(ctx, "queue series [LETTER [--replace]]");
    auto s = open_store(ctx);
    if (!s) return ctx.open_failure;
    if (a->positional.size() == 1) {
        if (auto st = queue::set_series(*s, a->positional[0], a->flag("replace")); !st) return refuse(ctx, st.error());
    }
    auto mine = queue::series(*s);
    if (!mine) return refuse(ctx, mine.error());
    auto all = queue::series_by_device(*s);
    if (!all) return refuse(ctx, all.error());
    if (a->flag("json")) {
        json others = json::array();
        for (const auto& [dev, letter] : *all) others.push_back({{"device_id", dev}, {"series", letter}});
        ctx.out << json{{"series", *mine}, {"devices", others}}.dump(2) << "\n";
        return 0;
    }
    for (const auto& [dev, letter] : *all)
        if (dev != s->replica().device()) ctx.out << "device " << dev << " issues " << letter << "\n";
    ctx.out << (mine->empty() ? "this tablet has no ticket series yet" : "this tablet issues " + *mine) << "\n";
    return 0;
}

}  // namespace

int verb_queue(Context& ctx, const std::vector<std::string>& words) {
    if (words.empty() || words[0] == "help") {
        ctx.out << kQueueUsage;
        return words.empty() ? 2 : 0;
    }
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    if (words[0] == "add") return queue_add(ctx, rest);
    if (words[0] == "list") return queue_list(ctx, rest);
    if (words[0] == "call") return queue_call(ctx, rest);
    if (words[0] == "serve") return queue_serve(ctx, rest);
    if (words[0] == "leave") return queue_leave(ctx, rest);
    if (words[0] == "series") return queue_series(ctx, rest);
    return usage_error(ctx, "unknown queue verb '" + words[0] + "' (liaison queue help)");
}

}  // namespace liaison::cli
