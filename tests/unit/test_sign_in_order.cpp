// The sign-in view's tiles (docs/app.md "Sign-in"): today's duty first, in slot order, then
// deputies, staff and administrators.
#include <doctest/doctest.h>

#include "client/app/sign_in_screen.h"

using namespace liaison;
using store::Role;
using store::duty::OnDuty;

namespace {
store::Person person(const std::string& name, Role role, const std::string& deputy_id = "") {
    store::Person p;
    p.id = "p-" + name;
    p.name = name;
    p.role = role;
    p.deputy_id = deputy_id;
    return p;
}

std::vector<std::string> names(const std::vector<app::SignInEntry>& v) {
    std::vector<std::string> r;
    for (const auto& e : v) r.push_back(e.person.name + (e.duty ? "*" : ""));
    return r;
}
}  // namespace

TEST_CASE("sign-in order: today's duty first in slot order, then deputies, staff, administrators") {
    const std::vector<store::Person> people = {
        person("王芳", Role::Admin),
        person("李明", Role::Staff),
        person("陈明", Role::Deputy, "d-chen"),
        person("赵强", Role::Deputy, "d-zhao"),
        person("刘洋", Role::Deputy, "d-liu"),
        person("孙丽", Role::Staff),
    };
    // 刘洋's slot starts first, then 陈明's; nobody signs in as d-absent.
    const std::vector<OnDuty> duty = {
        {"d-liu", "09:00", "12:00", "s1"}, {"d-absent", "09:00", "12:00", "s1"}, {"d-chen", "14:00", "17:00", "s2"}};
    auto order = app::sign_in_order(people, duty);
    CHECK(names(order) == std::vector<std::string>{"刘洋*", "陈明*", "赵强", "李明", "孙丽", "王芳"});
    REQUIRE(order[0].duty);
    CHECK(order[0].duty->start == "09:00");
    CHECK(order[1].duty->slot_id == "s2");
}

TEST_CASE("sign-in order: nobody on duty (or the store still closed) keeps the role order") {
    const std::vector<store::Person> people = {person("王芳", Role::Admin), person("陈明", Role::Deputy, "d-chen"),
                                               person("李明", Role::Staff)};
    CHECK(names(app::sign_in_order(people, {})) == std::vector<std::string>{"陈明", "李明", "王芳"});
    CHECK(app::sign_in_order({}, {{"d-chen", "09:00", "12:00", "s1"}}).empty());
}

TEST_CASE("sign-in order: only a deputy's own roster entry puts them on duty, each once") {
    // Staff linked to no deputy and an administrator sharing a deputy id are not on duty.
    const std::vector<store::Person> people = {person("王芳", Role::Admin, "d-chen"), person("李明", Role::Staff),
                                               person("陈明", Role::Deputy, "d-chen")};
    const std::vector<OnDuty> duty = {
        {"d-chen", "09:00", "12:00", "s1"}, {"", "09:00", "12:00", "s1"}, {"d-chen", "14:00", "17:00", "s2"}};
    CHECK(names(app::sign_in_order(people, duty)) == std::vector<std::string>{"陈明*", "李明", "王芳"});
}
