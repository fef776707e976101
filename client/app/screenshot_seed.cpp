#include "client/app/screenshot_seed.h"

#include "client/store/duty.h"
#include "client/store/queue.h"
#include "platform/platform.h"

namespace liaison::app {

namespace {
// Today on the store's clock (--now in the screenshot tests).
std::string today(store::Store& s) { return platform::local_date(s.now()); }

// A duty slot today, so the deputy step has someone to offer (the demo station has its own;
// who is offered depends on the time: the screenshot tests fix it with --now).
Status seed_duty_slot(AppModel& m) {
    const std::string today = app::today(*m.store);
    auto slots = store::duty::slots(*m.store, today, today);
    if (!slots) return slots.error();
    if (!slots->empty() || m.ref.deputies.empty()) return {};
    store::DutySlot d;
    d.date = today;
    d.start = "09:00";
    d.end = "12:00";
    d.deputy_ids.push_back(m.ref.deputies.front().id);
    if (m.ref.deputies.size() > 1) d.deputy_ids.push_back(m.ref.deputies[1].id);
    LIAISON_TRY(store::duty::add_slot(*m.store, d));
    const std::string lang = m.kiosk.lang();
    Context c = m.context();
    m.kiosk.load_language(lang, c);
    return {};
}

Status seed_ticket(AppModel& m) {
    LIAISON_TRY(seed_queue_screenshot(*m.store));
    store::queue::NewTicket t;
    t.visitor_name = "王小明";
    t.phone = "13800138000";
    t.topic = "小区门口路灯不亮";
    auto r = store::queue::take_ticket(*m.store, t);
    if (!r) return r.error();
    Context c = m.context();
    m.kiosk.show_ticket(*r, c);
    return {};
}
}  // namespace

Status seed_kiosk_screenshot(AppModel& m, ui::KioskStep step, bool typed) {
    using ui::KioskStep;
    LIAISON_TRY(seed_duty_slot(m));
    if (!typed) return {};
    if (step == KioskStep::Name || step == KioskStep::Phone || step == KioskStep::Topic || step == KioskStep::Deputy) {
        ui::KioskForm f;
        f.name = m.glyphs->shown("王小明");
        f.phone = "13800138000";
        f.people = 2;
        // long enough to wrap: the field must show all of it (docs/app.md, multi-line fields)
        f.topic = m.glyphs->shown(
            "小区门口 (No.3 Road) 的路灯坏了一个多月，晚上很黑，老人出门不方便，"
            "希望有关部门尽快维修。The light at the gate has been out for a month.");
        f.topic_chip = "streetlight";
        f.category = "urban";
        m.kiosk.set_form(std::move(f));
    }
    if (step == KioskStep::Ticket) return seed_ticket(m);
    return {};
}

Status seed_queue_screenshot(store::Store& s) {
    auto ts = store::queue::tickets(s, today(s));
    if (!ts) return ts.error();
    if (!ts->empty()) return {};
    const struct {
        const char *name, *phone, *topic;
        int people;
    } demo[] = {{"李建国", "13912345678", "老旧小区加装电梯", 1},
                {"张䶮", "010-62345678", "幼儿园学位紧张", 2},
                {"Chen Li", "13600001111", "公交线路调整 (Bus 27)", 1},
                {"赵喆", "13700002222", "噪音扰民", 3}};
    for (const auto& d : demo) {
        store::queue::NewTicket t;
        t.visitor_name = d.name;
        t.phone = d.phone;
        t.topic = d.topic;
        t.people = d.people;
        if (auto r = store::queue::take_ticket(s, t); !r) return r.error();
    }
    // The first stays "called" (the desk is receiving that visitor); the second left.
    if (auto first = store::queue::call_next(s, today(s)); !first) return first.error();
    auto second = store::queue::call_next(s, today(s));
    if (!second) return second.error();
    if (auto left = store::queue::leave(s, second->id); !left) return left.error();
    return {};
}

}  // namespace liaison::app
