// Records waiting to be sent, as people count them (issue 13, item 12): a visit with its visitors
// is one record however many fields and edits it took.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "client/store/store.h"

using namespace liaison;
using namespace liaison::store;

TEST_CASE("pending records count a visit with its visitors and edits once") {
    const auto dir = std::filesystem::temp_directory_path() / ("liaison-pending-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        OpenOptions o;
        o.create = true;
        auto s = Store::open((dir / "liaison.db").string(), o);
        REQUIRE(s);
        REQUIRE((*s)->init("东湖街道代表联络站", "desk"));
        const int64_t records0 = (*s)->pending_records().value();
        const int64_t changes0 = (*s)->pending_changes().value();
        Visit v;
        v.category = "城乡建设";
        v.subject = "路灯不亮";
        v.received_at = "2026-03-05 09:30";
        v.visitors.push_back(Visitor{"", "", "王小明", "13800138000", "", ""});
        v.visitors.push_back(Visitor{"", "", "李四", "", "", ""});
        auto id = (*s)->add_visit(v);
        REQUIRE(id);
        VisitPatch p;
        p.subject = "小区路灯不亮";
        REQUIRE((*s)->update_visit(*id, p));
        p.content = "晚上很黑";
        REQUIRE((*s)->update_visit(*id, p));
        CHECK((*s)->pending_records().value() == records0 + 1);
        // One change per new row (the visit, its two visitors) and per field edited later.
        CHECK((*s)->pending_changes().value() == changes0 + 5);
        Visit w = v;
        w.subject = "噪音扰民";
        REQUIRE((*s)->add_visit(w));
        CHECK((*s)->pending_records().value() == records0 + 2);
    }
    std::filesystem::remove_all(dir);
}
