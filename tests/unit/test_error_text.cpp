// Errors reach a Chinese screen in Chinese (issue: "English errors on Chinese screens"): the store's
// refusals carry a code and parameters, client/ui's error_text translates them, and an error
// without a code says what its kind means. The command line keeps the English message.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cases_fixture.h"
#include "client/store/cases.h"
#include "client/ui/i18n.h"

using namespace liaison;
namespace cases = liaison::store::cases;
using testing_support::TestStation;

namespace {

ui::I18n load(const char* lang) {
    auto t = ui::I18n::load(LIAISON_ASSETS_DIR, lang);
    REQUIRE(t.ok());
    return *t;
}

bool has_cjk(const std::string& s) {
    for (size_t i = 0; i + 2 < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0xE4 && static_cast<unsigned char>(s[i]) <= 0xE9) return true;
    return false;
}

// Errors the app's screens meet, made by the store itself.
std::vector<Error> store_errors(TestStation& s) {
    std::vector<Error> out;
    const std::string id = s.add_case("", "测试案件", "2026-03-01 09:00", "urban");
    auto keep = [&](const Status& st) {
        REQUIRE_FALSE(st);
        out.push_back(st.error());
    };
    keep(cases::assign(*s, id, "区住建局", "2026-02-01", "", "2026-03-02"));  // deadline before registration
    keep(cases::assign(*s, id, "不存在的局", "2026-04-01", "", "2026-03-02"));
    keep(cases::close(*s, id, "", "2026-03-03"));             // no result
    keep(cases::feedback(*s, id, "电话", "", "2026-03-03"));  // refused step
    keep(cases::progress(*s, id, "", "2026-03-03"));
    store::Visit v;
    v.received_at = "2026-03-01 09:00";
    v.category = "urban";
    auto no_subject = (*s).add_visit(v);
    REQUIRE_FALSE(no_subject);
    out.push_back(no_subject.error());
    v.subject = std::string(300, 'x');
    auto too_long = (*s).add_visit(v);
    REQUIRE_FALSE(too_long);
    out.push_back(too_long.error());
    out.push_back(Error{Error::Kind::Full, "database or disk is full"});  // no code: its kind
    return out;
}

}  // namespace

TEST_CASE("store errors read in Chinese on a Chinese screen and in English on an English one") {
    TestStation s;
    s.department("区住建局");
    const auto zh = load("zh"), en = load("en");
    for (const auto& e : store_errors(s)) {
        CAPTURE(e.message);
        CAPTURE(e.code);
        const std::string z = ui::error_text(zh, e);
        CHECK(has_cjk(z));
        CHECK(z.find("liaison ") == std::string::npos);  // never a command to type
        for (const char* word : {"must", "required", "unknown", "before", "cannot", "full"})
            CHECK_MESSAGE(z.find(word) == std::string::npos, z);
        CHECK_FALSE(ui::error_text(en, e).empty());
    }
}

TEST_CASE("an error's parameters are put in words: the field's name, the statuses") {
    TestStation s;
    s.department("区住建局");
    const auto zh = load("zh");
    const std::string id = s.add_case("", "测试案件", "2026-03-01 09:00", "urban");
    auto refused = cases::feedback(*s, id, "电话", "", "2026-03-03");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "case.step_needs");
    CHECK(ui::error_text(zh, refused.error()) == "不能从「登记」转为「已反馈」：须先「已办结」");
    CHECK(refused.error().message.find("cannot go from registered") != std::string::npos);  // the CLI's line
    Error too_long{
        Error::Kind::Invalid, "visits.subject is longer than 100 characters", "field.too_long", {"subject", "100"}};
    CHECK(ui::error_text(zh, too_long) == "「主题」不能超过 100 个字");
}
