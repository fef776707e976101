// The reception-day queue: numbering that stays unique across offline tablets, the ticket
// lifecycle, validation, and the link between a served ticket and its visit.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <unistd.h>

#include "client/store/queue.h"
#include "client/store/store.h"
#include "platform/platform.h"

using namespace liaison;
using namespace liaison::store;

namespace {

// 2026-03-07 08:00 UTC: the same calendar day in every time zone from UTC-8 to UTC+15.
constexpr int64_t kMorning = 1772870400000;

struct Device {
    std::filesystem::path dir;
    int64_t now = kMorning;
    std::unique_ptr<Store> store;

    Device() {
        static int n = 0;
        dir = std::filesystem::temp_directory_path() /
              ("liaison-queue-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        std::filesystem::create_directories(dir);
    }
    ~Device() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
    void open(bool create) {
        store.reset();
        OpenOptions o;
        o.create = create;
        o.wall = [this] { return now; };
        auto s = Store::open((dir / "liaison.db").string(), o);
        REQUIRE(s);
        store = std::move(*s);
    }
    Store& operator*() { return *store; }
    Store* operator->() { return store.get(); }
};

// The tablet that sets the station up (`liaison init`).
void init_station(Device& d) {
    d.open(true);
    REQUIRE(d->init("东湖街道代表联络站", "kiosk"));
}

// Sends every change `from` has that `to` lacks (the server's relay, in one step).
void send(Device& from, Device& to) {
    // The whole log, not only the outbox: changes `from` received from a third tablet are relayed
    // too, as the server would; duplicates are ignored by the receiver.
    std::vector<sync::FieldChange> changes;
    auto log = from->replica().log_after(0, {}, 1000000);
    REQUIRE(log);
    for (const auto& e : *log) changes.push_back(e.change);
    REQUIRE(to->replica().apply_remote(changes));
}

void exchange(Device& a, Device& b) {
    send(a, b);
    send(b, a);
}

// A second tablet of the same station: enrolled, it pulls the station's records first.
void enrol(Device& d, Device& station) {
    d.open(true);
    send(station, d);
    REQUIRE(d->set_setting("station_id", station->station_id()));
    d.open(false);  // reload the identity
    REQUIRE(d->initialized());
}

queue::NewTicket walk_in(const std::string& topic, const std::string& name = "王小明",
                         const std::string& phone = "13800138000") {
    queue::NewTicket t;
    t.visitor_name = name;
    t.phone = phone;
    t.topic = topic;
    return t;
}

QueueTicket take(Device& d, const std::string& topic) {
    auto t = queue::take_ticket(*d, walk_in(topic));
    REQUIRE_MESSAGE(t, (t ? "" : t.error().message));
    return *t;
}

std::string today() { return platform::local_date(kMorning); }

std::vector<std::string> labels(Device& d) {
    auto ts = queue::tickets(*d, today());
    REQUIRE(ts);
    std::vector<std::string> out;
    for (const auto& t : *ts) out.push_back(queue::label(t));
    return out;
}

}  // namespace

TEST_CASE("the station's first tablet issues A001, A002 ... and tells how many wait ahead") {
    Device kiosk;
    init_station(kiosk);
    CHECK(*queue::series(*kiosk) == "A");
    auto t1 = take(kiosk, "村口路灯不亮");
    kiosk.now += 60000;
    auto t2 = take(kiosk, "小区停车难");
    CHECK(queue::label(t1) == "A001");
    CHECK(queue::label(t2) == "A002");
    CHECK(t1.date == today());
    CHECK(t1.status == "waiting");
    CHECK(t1.category == "other");
    CHECK(*queue::waiting_ahead(*kiosk, t1) == 0);
    CHECK(*queue::waiting_ahead(*kiosk, t2) == 1);
    auto back = queue::ticket(*kiosk, t2.id);
    REQUIRE(back);
    CHECK(back->visitor_name == "王小明");
    CHECK(back->topic == "小区停车难");
    CHECK(back->series == "A");
    CHECK(back->issued_ms == t2.issued_ms);
    CHECK(queue::ticket_by_label(*kiosk, today(), "a2")->id == t2.id);
    CHECK_FALSE(queue::ticket_by_label(*kiosk, today(), "A9"));
    // The next day starts again at 1.
    kiosk.now += 24 * 3600 * 1000;
    CHECK(queue::label(take(kiosk, "学校门口交通")) == "A001");
}

TEST_CASE("bad ticket input is refused with a clear message and writes nothing") {
    Device kiosk;
    init_station(kiosk);
    const int64_t before = *kiosk->pending_changes();
    auto refused = [&](queue::NewTicket t, const std::string& part) {
        auto r = queue::take_ticket(*kiosk, t);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == Error::Kind::Invalid);
        CHECK_MESSAGE(r.error().message.find(part) != std::string::npos, r.error().message);
        // Messages never carry what the visitor typed.
        CHECK(r.error().message.find("王小明") == std::string::npos);
    };
    refused(walk_in("路灯", ""), "name is required");
    refused(walk_in("路灯", "   "), "name is required");
    refused(walk_in("路灯", "王小明", ""), "phone number is required");
    for (const char* bad : {"12345", "1380013800", "138001380001", "23800138000", "12800138000", "phone",
                            "0000-1234567", "138-0013-800a"})
        refused(walk_in("路灯", "王小明", bad), "11-digit mobile number");
    refused(walk_in(""), "topic is required");
    std::string long_topic;
    for (int i = 0; i < 201; ++i) long_topic += "路";
    refused(walk_in(long_topic), "longer than 200 characters");
    refused(walk_in("\xff\xfe"), "not valid text");
    refused(walk_in("路灯", "\xe7\x8e"), "not valid text");
    auto t = walk_in("路灯");
    t.people = 0;
    refused(t, "at least 1");
    t = walk_in("路灯");
    t.category = "天文";
    refused(t, "unknown category");
    t = walk_in("路灯");
    t.wished_deputy_id = "no-such-deputy";
    refused(t, "unknown deputy");
    CHECK(*kiosk->pending_changes() == before);
    CHECK(labels(kiosk).empty());

    // Exactly 200 characters, a landline with its area code, a spaced mobile number: accepted.
    std::string topic200;
    for (int i = 0; i < 200; ++i) topic200 += "路";
    CHECK(queue::take_ticket(*kiosk, walk_in(topic200, "欧阳䶮", "010-12345678")));
    CHECK(queue::take_ticket(*kiosk, walk_in("路灯", "李四", "138 0013 8000")));
    t = walk_in("教育");
    t.category = "教育";
    t.people = 3;
    auto ok = queue::take_ticket(*kiosk, t);
    REQUIRE(ok);
    CHECK(ok->category == "education");
    CHECK(ok->people == 3);
}

TEST_CASE("two offline tablets of one station never issue the same number; the queue is by check-in time") {
    Device kiosk, desk;
    init_station(kiosk);
    enrol(desk, kiosk);
    // The desk has no letter of its own until it is given one; "A" is the kiosk's.
    CHECK(queue::series(*desk)->empty());
    auto none = queue::take_ticket(*desk, walk_in("路灯"));
    REQUIRE_FALSE(none);
    CHECK(none.error().message.find("no ticket series") != std::string::npos);
    auto taken = queue::set_series(*desk, "A");
    REQUIRE_FALSE(taken);
    CHECK(taken.error().kind == Error::Kind::Conflict);
    CHECK_FALSE(queue::set_series(*desk, "I"));  // reads as 1
    CHECK_FALSE(queue::set_series(*desk, "O"));  // reads as 0
    CHECK_FALSE(queue::set_series(*desk, "AB"));
    REQUIRE(queue::set_series(*desk, "b"));
    CHECK(*queue::series(*desk) == "B");

    // Both offline all morning, interleaving check-ins; the desk's clock runs 2 s behind.
    std::vector<std::string> expected_topics;
    for (int i = 0; i < 6; ++i) {
        kiosk.now = kMorning + 10000 * i;
        expected_topics.push_back("kiosk " + std::to_string(i));
        take(kiosk, expected_topics.back());
        desk.now = kMorning + 10000 * i + 5000 - 2000;
        expected_topics.push_back("desk " + std::to_string(i));
        take(desk, expected_topics.back());
    }
    exchange(kiosk, desk);

    auto on_kiosk = queue::tickets(*kiosk, today());
    auto on_desk = queue::tickets(*desk, today());
    REQUIRE(on_kiosk);
    REQUIRE(on_desk);
    REQUIRE(on_kiosk->size() == 12);
    std::set<std::string> distinct;
    for (const auto& t : *on_kiosk) distinct.insert(queue::label(t));
    CHECK(distinct.size() == 12);  // A001..A006 and B001..B006
    // The same order on both tablets, by check-in time across the devices, not device by device.
    CHECK(labels(kiosk) == labels(desk));
    for (size_t i = 0; i < on_kiosk->size(); ++i) CHECK((*on_kiosk)[i].topic == expected_topics[i]);
    CHECK(labels(kiosk).front() == "A001");
    CHECK(labels(kiosk)[1] == "B001");
    CHECK(*queue::waiting_ahead(*desk, (*on_desk)[5]) == 5);

    // "Call next" picks the same ticket whichever tablet asks.
    {
        auto n = queue::call_next(*desk, today());
        REQUIRE(n);
        CHECK(queue::label(*n) == "A001");
        auto k = queue::tickets(*kiosk, today());
        CHECK((*k)[0].status == "waiting");  // not yet synced
        exchange(kiosk, desk);
        auto n2 = queue::call_next(*kiosk, today());
        REQUIRE(n2);
        CHECK(queue::label(*n2) == "B001");
    }

    // After seeing the kiosk's ticket, the desk's next one goes after it even though the desk's
    // clock says it is earlier (a visitor who checked in later never jumps ahead).
    kiosk.now = kMorning + 100000;
    auto late_kiosk = take(kiosk, "later at the kiosk");
    exchange(kiosk, desk);
    desk.now = kMorning + 90000;  // behind the kiosk's ticket
    auto after = take(desk, "after it at the desk");
    CHECK(after.issued_ms > late_kiosk.issued_ms);
    CHECK(labels(desk).back() == queue::label(after));
    CHECK(queue::label(after) == "B007");
}

TEST_CASE("a third tablet takes a free letter; a re-installed tablet takes over its letter after syncing") {
    Device kiosk, desk;
    init_station(kiosk);
    enrol(desk, kiosk);
    REQUIRE(queue::set_series(*desk, "B"));
    take(kiosk, "k1");
    desk.now += 1000;
    take(desk, "d1");
    desk.now += 1000;
    take(desk, "d2");
    exchange(kiosk, desk);

    Device third;
    enrol(third, desk);
    CHECK(queue::series(*third)->empty());
    CHECK_FALSE(queue::set_series(*third, "A"));
    CHECK_FALSE(queue::set_series(*third, "B"));
    REQUIRE(queue::set_series(*third, "C"));
    third.now += 5000;
    CHECK(queue::label(take(third, "t1")) == "C001");
    auto devices = queue::series_by_device(*third);
    REQUIRE(devices);
    CHECK(devices->size() == 3);  // A (written with the kiosk's first ticket), B, C
    exchange(third, kiosk);
    exchange(kiosk, desk);

    // The desk is wiped and set up again the same day: a new device id, the station pulled back.
    Device reinstalled;
    enrol(reinstalled, kiosk);
    auto refused = queue::set_series(*reinstalled, "B");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("--replace") != std::string::npos);
    REQUIRE(queue::set_series(*reinstalled, "B", true));
    reinstalled.now += 10000;
    CHECK(queue::label(take(reinstalled, "d3")) == "B003");  // continues after the old B002

    // If the old desk comes back, it learns it has lost its letter and stops issuing.
    exchange(reinstalled, desk);
    CHECK(queue::series(*desk)->empty());
    CHECK_FALSE(queue::take_ticket(*desk, walk_in("x")));

    std::set<std::string> all;
    for (const auto& l : labels(reinstalled)) CHECK(all.insert(l).second);
    CHECK(all.size() == 5);
}

TEST_CASE("the centre's letter choice: the wished letter if free, else the first free one, never I or O") {
    using store::queue::free_series;
    CHECK(free_series("", {}) == "A");
    CHECK(free_series("C", {"A"}) == "C");
    CHECK(free_series("A", {"A"}) == "B");
    CHECK(free_series("A", {"A", "B", "C", "D", "E", "F", "G", "H"}) == "J");  // I skipped
    CHECK(free_series("I", {}) == "A");                                        // not a letter a voter can read: ignored
    std::set<std::string> all;
    for (char c : std::string("ABCDEFGHJKLMNPQRSTUVWXYZ")) all.insert(std::string(1, c));
    CHECK(free_series("B", all) == "");
    all.erase("P");
    CHECK(free_series("B", all) == "P");
}

TEST_CASE("ticket lifecycle: every allowed and refused transition") {
    Device desk;
    init_station(desk);
    auto t = take(desk, "路灯");
    const std::string id = t.id;
    auto status = [&] { return queue::ticket(*desk, id)->status; };
    auto refused = [&](Result<QueueTicket> r, const std::string& part) {
        REQUIRE_FALSE(r);
        CHECK_MESSAGE(r.error().message.find(part) != std::string::npos, r.error().message);
        CHECK_MESSAGE(r.error().message.find("A001") != std::string::npos, r.error().message);
    };
    auto visit_id = [&] {
        auto v = desk->add_visit(queue::prefill_visit(*desk, *queue::ticket(*desk, id)));
        REQUIRE(v);
        return *v;
    };

    // waiting: serve refused; call allowed
    refused(queue::serve(*desk, id, "x"), "call it before serving");
    CHECK(status() == "waiting");
    REQUIRE(queue::call(*desk, id));
    CHECK(status() == "called");
    // called: call refused, serve allowed
    refused(queue::call(*desk, id), "already been called");
    const std::string vid = visit_id();
    REQUIRE(queue::serve(*desk, id, vid));
    CHECK(status() == "served");
    // served: everything refused
    refused(queue::call(*desk, id), "cannot be called again");
    refused(queue::serve(*desk, id, vid), "already been served");
    refused(queue::leave(*desk, id), "cannot leave");

    // waiting -> left; left refuses everything
    auto w = take(desk, "停车");
    REQUIRE(queue::leave(*desk, w.id));
    CHECK(queue::ticket(*desk, w.id)->status == "left");
    CHECK_FALSE(queue::call(*desk, w.id));
    CHECK_FALSE(queue::serve(*desk, w.id, vid));
    CHECK(queue::leave(*desk, w.id).error().message.find("already left") != std::string::npos);
    // called -> left
    auto c = take(desk, "噪音");
    REQUIRE(queue::call(*desk, c.id));
    REQUIRE(queue::leave(*desk, c.id));
    CHECK(queue::ticket(*desk, c.id)->status == "left");

    // Nobody waiting: call next says so; unknown ids are NotFound.
    auto none = queue::call_next(*desk, today());
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == Error::Kind::NotFound);
    CHECK(queue::call(*desk, "nope").error().kind == Error::Kind::NotFound);
    CHECK_FALSE(queue::tickets(*desk, "2026-02-30"));
}

TEST_CASE("call next takes the first waiting ticket, skipping called and left ones") {
    Device desk;
    init_station(desk);
    auto a = take(desk, "1");
    desk.now += 1000;
    auto b = take(desk, "2");
    desk.now += 1000;
    auto c = take(desk, "3");
    REQUIRE(queue::leave(*desk, a.id));
    CHECK(*queue::waiting_ahead(*desk, c) == 1);
    auto n = queue::call_next(*desk, today());
    REQUIRE(n);
    CHECK(n->id == b.id);
    CHECK(*queue::waiting_ahead(*desk, *n) == 0);
    CHECK(*queue::waiting_ahead(*desk, c) == 0);
    CHECK(queue::call_next(*desk, today())->id == c.id);
}

TEST_CASE("serving links ticket and visit both ways; the pre-filled visit carries the ticket") {
    Device desk;
    init_station(desk);
    auto dep = desk->add_deputy(Deputy{"", "陈明", "县区", "", "", "", true});
    REQUIRE(dep);
    queue::NewTicket n = walk_in("村口路灯不亮", "张三", "13912345678");
    n.people = 2;
    n.category = "城乡建设";
    n.wished_deputy_id = *dep;
    auto t = queue::take_ticket(*desk, n);
    REQUIRE(t);
    REQUIRE(queue::call(*desk, t->id));

    desk.now += 15 * 60 * 1000;
    Visit v = queue::prefill_visit(*desk, *t);
    CHECK(v.channel == "reception_day");
    CHECK(v.subject == "村口路灯不亮");
    CHECK(v.people == 2);
    CHECK(v.category == "urban");
    REQUIRE(v.visitors.size() == 1);
    CHECK(v.visitors[0].name == "张三");
    CHECK(v.visitors[0].phone == "13912345678");
    REQUIRE(v.deputy_ids.size() == 1);
    CHECK(v.deputy_ids[0] == *dep);
    CHECK(v.queue_ticket_id == t->id);
    CHECK(v.received_at == platform::local_datetime(desk.now));

    // A visit saved without the link (typed by hand) is linked by serve.
    v.queue_ticket_id.clear();
    v.content = "晚上出行不便";
    auto vid = desk->add_visit(v);
    REQUIRE(vid);
    auto served = queue::serve(*desk, t->id, *vid);
    REQUIRE(served);
    CHECK(served->status == "served");
    CHECK(served->visit_id == *vid);
    CHECK(desk->visit(*vid)->queue_ticket_id == t->id);

    // A visit belongs to one ticket only; an unknown visit is refused.
    auto other = take(desk, "另一件事");
    REQUIRE(queue::call(*desk, other.id));
    auto twice = queue::serve(*desk, other.id, *vid);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().message.find("another ticket") != std::string::npos);
    CHECK(queue::serve(*desk, other.id, "no-such-visit").error().kind == Error::Kind::NotFound);
    CHECK(queue::ticket(*desk, other.id)->status == "called");
}

TEST_CASE("names and phones are masked for screens others can see") {
    CHECK(queue::mask_name("王小明") == "王*明");
    CHECK(queue::mask_name("李四") == "李*");
    CHECK(queue::mask_name("欧阳娜娜") == "欧**娜");
    CHECK(queue::mask_name("王") == "*");
    CHECK(queue::mask_name("") == "");
    CHECK(queue::mask_name("Anna") == "A**a");
    CHECK(queue::mask_phone("13800138000") == "138****8000");
    CHECK(queue::mask_phone("010-12345678") == "010****5678");
    CHECK(queue::utf8_chars("路灯a") == 3);
}
