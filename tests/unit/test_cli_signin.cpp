// Signing in on the command line (docs/security.md): the first administrator at init, LIAISON_USER
// and LIAISON_PIN for every verb, wrong/missing PINs, lockout, people, the recovery key, and a
// store made before sign-in existed.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "client/store/store.h"
#include "cli_fixture.h"

using namespace testing_support;
using nlohmann::json;

namespace {

std::string station_id_of(const CliRun& r) { return r.last_line(); }

std::string recovery_key_of(const CliRun& r) {
    const auto at = r.out.find("recovery key ");
    REQUIRE(at != std::string::npos);
    return r.out.substr(at + 13, 39);
}

CliDir station_with_visit(std::string& visit) {
    CliDir d = station();
    auto r = d.run({"visit", "add", "--visitor", "刘䶮测", "--phone", "13912345678", "--category", "urban", "--subject",
                    "路灯不亮"});
    REQUIRE(r.code == 0);
    visit = r.last_line();
    return d;
}

// A plaintext store as the version before sign-in made it (no keyring), with `visit` if given.
void pre_sign_in_store(const CliDir& d, const liaison::store::Visit* visit) {
    std::filesystem::create_directories(d.dir);
    liaison::store::OpenOptions opt;
    opt.create = true;
    auto s = liaison::store::Store::open((d.dir / "liaison.db").string(), opt);
    REQUIRE(s.ok());
    REQUIRE((*s)->init("老站", "desk").ok());
    if (visit) REQUIRE((*s)->add_visit(*visit).ok());
}

int64_t bytes_of(const std::filesystem::path& p) {
    std::error_code ec;
    return static_cast<int64_t>(std::filesystem::file_size(p, ec));
}

}  // namespace

TEST_CASE("init without a first administrator is refused, and nothing is created") {
    CliDir d;
    auto r = d.run({"init", "--station", "东湖街道代表联络站"}, signed_in_as("", std::nullopt));
    CHECK(r.code == 2);
    CHECK(r.err.find("first administrator") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(d.dir / "liaison.db"));
    CHECK_FALSE(std::filesystem::exists(d.dir / "keyring.json"));
}

TEST_CASE("init --admin NAME --pin-stdin: the administrator signs in; every change names them") {
    CliDir d;
    auto r = d.run({"init", "--station", "东湖街道代表联络站", "--admin", "张伟", "--pin-stdin"},
                   signed_in_as("", std::nullopt), "730418\n");
    REQUIRE(r.code == 0);
    CHECK(recovery_key_of(r).size() == 39);
    CHECK_FALSE(station_id_of(r).empty());
    struct stat st {};
    REQUIRE(::stat((d.dir / "keyring.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    const auto zhang = signed_in_as("张伟", "730418");
    auto add = d.run({"visit", "add", "--visitor", "刘䶮测", "--category", "urban", "--subject", "路灯不亮"}, zhang);
    REQUIRE(add.code == 0);
    auto show = d.run({"visit", "show", add.last_line(), "--json", "--history"}, zhang);
    REQUIRE(show.code == 0);
    auto users = d.run({"user", "list", "--json"}, zhang);
    REQUIRE(users.code == 0);
    const std::string id = json::parse(users.out)[0]["id"];
    const auto history = json::parse(show.out)["history"];
    REQUIRE(!history.empty());
    for (const auto& h : history) CHECK(h["author"] == "张伟#" + id);
}

TEST_CASE("a wrong or missing PIN exits 2 with one line and touches nothing") {
    std::string visit;
    CliDir d = station_with_visit(visit);
    const int64_t outbox = pending(d);
    const auto db_size = bytes_of(d.dir / "liaison.db");
    for (const auto& who : {signed_in_as(kAdmin, "111333"), signed_in_as(kAdmin, std::nullopt),
                            signed_in_as("", std::nullopt), signed_in_as("陌生人", kPin)}) {
        auto r = d.run({"visit", "edit", visit, "--subject", "改了"}, who);
        CHECK(r.code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.out.empty());
    }
    CHECK(pending(d) == outbox);
    CHECK(bytes_of(d.dir / "liaison.db") == db_size);
    auto show = d.run({"visit", "show", visit, "--json"});
    REQUIRE(show.code == 0);
    CHECK(json::parse(show.out)["subject"] == "路灯不亮");
}

TEST_CASE("five wrong PINs lock the person out, also for the right PIN") {
    CliDir d = station();
    for (int i = 0; i < 4; ++i) {
        auto r = d.run({"visit", "list"}, signed_in_as(kAdmin, "111333"));
        CHECK(r.err.find("wrong PIN") != std::string::npos);
    }
    auto fifth = d.run({"visit", "list"}, signed_in_as(kAdmin, "111333"));
    CHECK(fifth.code == 2);
    CHECK(fifth.err.find("locked for 1 min") != std::string::npos);
    auto right = d.run({"visit", "list"});
    CHECK(right.code == 2);
    CHECK(right.err.find("locked") != std::string::npos);
}

TEST_CASE("people: staff work but do not administer; disabled people cannot sign in; reset-pin") {
    CliDir d = station();
    REQUIRE(d.run({"user", "add", "--name", "李明", "--role", "staff", "--pin-stdin"}, {}, "604152\n").code == 0);
    const auto li = signed_in_as("李明", "604152");
    CHECK(d.run({"visit", "add", "--visitor", "赵", "--category", "urban", "--subject", "积水"}, li).code == 0);
    auto denied = d.run({"user", "add", "--name", "周", "--role", "admin", "--pin-stdin"}, li, "604153\n");
    CHECK(denied.code == 2);
    CHECK(denied.err.find("not an administrator") != std::string::npos);

    auto weak = d.run({"user", "add", "--name", "周", "--role", "staff", "--pin-stdin"}, {}, "123456\n");
    CHECK(weak.code == 2);
    CHECK(weak.err.find("run like 123456") != std::string::npos);

    REQUIRE(d.run({"user", "disable", "李明"}).code == 0);
    auto off = d.run({"visit", "list"}, li);
    CHECK(off.code == 2);
    CHECK(off.err.find("disabled") != std::string::npos);
    REQUIRE(d.run({"user", "enable", "李明"}).code == 0);
    REQUIRE(d.run({"user", "reset-pin", "李明", "--pin-stdin"}, {}, "918273\n").code == 0);
    CHECK(d.run({"visit", "list"}, li).code == 2);
    CHECK(d.run({"visit", "list"}, signed_in_as("李明", "918273")).code == 0);
    CHECK(d.run({"user", "disable", kAdmin}).code == 2);

    auto list = d.run({"user", "list", "--json"});
    REQUIRE(list.code == 0);
    const auto people = json::parse(list.out);
    REQUIRE(people.size() == 2);
    CHECK(people[0]["role"] == "admin");
    CHECK(people[1]["role"] == "staff");
    CHECK(people[1]["weak_kdf"] == true);
}

TEST_CASE("a deputy's sign-in is linked to the roster's deputy") {
    CliDir d = station();
    REQUIRE(d.run({"deputy", "add", "--name", "陈静"}).code == 0);
    auto missing = d.run({"user", "add", "--name", "陈晨", "--role", "deputy", "--pin-stdin"}, {}, "604152\n");
    CHECK(missing.code == 2);
    CHECK(missing.err.find("no deputy called 陈晨") != std::string::npos);
    REQUIRE(d.run({"user", "add", "--name", "陈静", "--role", "deputy", "--pin-stdin"}, {}, "604152\n").code == 0);
    auto people = json::parse(d.run({"user", "list", "--json"}).out);
    auto deputies = json::parse(d.run({"deputy", "list", "--json"}).out);
    CHECK(people[1]["deputy_id"] == deputies[0]["id"]);
}

TEST_CASE("every PIN forgotten: the recovery key lets the station set a new administrator PIN") {
    CliDir d;
    auto init = d.run({"init", "--station", "东湖街道代表联络站"});
    REQUIRE(init.code == 0);
    const std::string code = recovery_key_of(init);
    auto wrong =
        d.run({"unlock", "--recovery-key", "ABCD-ABCD-ABCD-ABCD-ABCD-ABCD-ABCD-ABCD", "--admin", kAdmin, "--pin-stdin"},
              signed_in_as("", std::nullopt), "604152\n");
    CHECK(wrong.code == 2);
    CHECK(wrong.err.find("does not open this store") != std::string::npos);
    auto r = d.run({"unlock", "--recovery-key", code, "--admin", kAdmin, "--pin-stdin"}, signed_in_as("", std::nullopt),
                   "604152\n");
    REQUIRE(r.code == 0);
    CHECK(d.run({"visit", "list"}).code == 2);
    CHECK(d.run({"visit", "list"}, signed_in_as(kAdmin, "604152")).code == 0);
    // A new administrator's name works too.
    REQUIRE(d.run({"unlock", "--recovery-key", code, "--admin", "孙磊", "--pin-stdin"}, signed_in_as("", std::nullopt),
                  "739164\n")
                .code == 0);
    CHECK(d.run({"user", "list"}, signed_in_as("孙磊", "739164")).code == 0);
}

TEST_CASE("a store made before sign-in existed: verbs say how to set it up; init --admin does") {
    CliDir d;
    pre_sign_in_store(d, nullptr);
    auto refused = d.run({"visit", "list"});
    CHECK(refused.code == 2);
    CHECK(refused.err.find("init --admin NAME --pin-stdin") != std::string::npos);
    auto up = d.run({"init", "--admin", "王芳", "--pin-stdin"}, signed_in_as("", std::nullopt), "582913\n");
    REQUIRE(up.code == 0);
    CHECK(up.out.find("from now on sign in as 王芳") != std::string::npos);
    CHECK(d.run({"visit", "list"}).code == 0);
}

namespace {

std::string bytes_of_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file under `dir` that holds `needle`'s bytes.
std::vector<std::string> files_holding(const std::filesystem::path& dir, const std::string& needle) {
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file() && bytes_of_file(e.path()).find(needle) != std::string::npos)
            found.push_back(e.path().string());
    return found;
}

}  // namespace

TEST_CASE("canary: a voter's name and phone are in no file of the data folder, also after a kill mid-write") {
    CliDir d = station();
    const std::string name = "刘䶮测", phone = "13912345678";
    REQUIRE(
        d.run({"visit", "add", "--visitor", name, "--phone", phone, "--category", "urban", "--subject", "路灯"}).code ==
        0);
    REQUIRE(d.run({"backup", (d.dir / "backup.db").string()}).code == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // the app: one open store, writing visits with the canary until it is killed
        auto s = open_store_of(d);
        liaison::store::Visit v;
        v.category = "urban";
        v.subject = "积水";
        v.visitors.push_back({});
        v.visitors.back().name = name;
        v.visitors.back().phone = phone;
        for (;;) (void)s->add_visit(v);
    }
    ::usleep(400 * 1000);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    bool wal = false;
    for (const auto& e : std::filesystem::directory_iterator(d.dir))
        wal = wal || e.path().filename() == "liaison.db-wal";
    CHECK(wal);  // the kill left a WAL behind: it is searched too
    CHECK(files_holding(d.dir, name).empty());
    CHECK(files_holding(d.dir, phone).empty());
    // The store opens again after the crash and still finds the voter.
    auto found = d.run({"visit", "list", "--search", "刘䶮", "--json"});
    REQUIRE(found.code == 0);
    CHECK(json::parse(found.out).size() >= 1);
    CHECK(d.run({"check"}).code == 0);
}

TEST_CASE("init --admin on a store from before sign-in encrypts it in place and keeps every record") {
    CliDir d;
    liaison::store::Visit v;
    v.category = "urban";
    v.subject = "旧版本的来访";
    v.visitors.push_back({});
    v.visitors.back().name = "刘䶮测";
    v.visitors.back().phone = "13912345678";
    pre_sign_in_store(d, &v);
    CHECK_FALSE(files_holding(d.dir, "13912345678").empty());  // plaintext before
    REQUIRE(d.run({"init", "--admin", kAdmin, "--pin-stdin"}, signed_in_as("", std::nullopt), std::string(kPin) + "\n")
                .code == 0);
    CHECK(files_holding(d.dir, "13912345678").empty());
    CHECK(files_holding(d.dir, "刘䶮测").empty());
    auto list = d.run({"visit", "list", "--json"});
    REQUIRE(list.code == 0);
    const auto visits = json::parse(list.out);
    REQUIRE(visits.size() == 1);
    CHECK(visits[0]["subject"] == "旧版本的来访");
    CHECK(visits[0]["visitor"] == "刘䶮测");
}
