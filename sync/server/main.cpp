// liaison-central: the central server and its admin command line.
//
//   liaison-central --db FILE|postgresql://... --listen HOST:PORT [--threads N] [--admin-token T] [--verbose]
//                  [--max-db-mb N] [--key-file F]   (--key-file: the database encrypted at rest, docs/security.md)
//   liaison-central --config FILE [OPTION ...] [COMMAND ...]   (the packaged service: docs/packaging.md)
//   liaison-central --db FILE init                         (creates or upgrades the database, nothing else)
//   liaison-central --db FILE station add NAME [--kind K] [--district D] [--township T] [--address A]
//   liaison-central --db FILE station list
//   liaison-central --db FILE enrol-code STATION          (prints the code as its last line)
//   liaison-central --db FILE device list | device revoke ID
//   liaison-central --db FILE recovery-key DEVICE_ID      (the key the tablet escrowed at enrolment)
//   liaison-central --db FILE import stations|deputies|departments|categories FILE.csv
//   liaison-central --db FILE admin-token                 (a new admin API token; the old one stops working)
//   liaison-central --db FILE stats
//   liaison-central migrate --from FILE --to postgresql://...   (a SQLite server moved to PostgreSQL)
//   liaison-central --db FILE backup DEST                 (a consistent copy while the server runs)
//   liaison-central --db FILE user add|list|disable|enable|reset-password ...   (the console's accounts)
//   liaison-central --db FILE retention set --months N|off | retention show | retention run   (docs/retention.md)
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <filesystem>
#include <malloc.h>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <pthread.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "domain/retention.h"
#include "platform/platform.h"
#include "sync/replica/backup.h"
#include "sync/replica/crypt_vfs.h"
#include "sync/server/console_accounts.h"
#include "sync/server/http_server.h"
#include "sync/server/import.h"
#include "sync/server/service.h"
#include "sync/server/storage.h"

using namespace liaison;
using namespace liaison::server;

namespace {

const char* const kUsage =
    "usage: liaison-central [--config FILE] --db FILE --listen HOST:PORT [--threads N] [--admin-token T]\n"
    "                       [--verbose] [--synchronous normal|full] [--max-body BYTES] [--max-db-mb N]\n"
    "                       [--key-file F]   (encrypts the database: docs/security.md)\n"
    "       liaison-central --db FILE init\n"
    "       liaison-central --db FILE station add NAME [--kind K] [--district D] [--township T] [--address A]\n"
    "       liaison-central --db FILE station list\n"
    "       liaison-central --db FILE enrol-code STATION\n"
    "       liaison-central --db FILE device list | device revoke ID\n"
    "       liaison-central --db FILE recovery-key DEVICE_ID\n"
    "       liaison-central --db FILE import stations|deputies|departments|categories FILE.csv\n"
    "       liaison-central --db FILE admin-token\n"
    "       liaison-central --db FILE stats\n"
    "       liaison-central --db FILE backup DEST\n"
    "       liaison-central migrate --from FILE --to postgresql://...\n"
    "       liaison-central --db FILE user add NAME --role admin|office|department [--department NAME]\n"
    "                       [--stations ID,ID|*|district:NAME] [--display TEXT] --password-stdin\n"
    "       liaison-central --db FILE user list [--json] | user disable NAME | user enable NAME\n"
    "       liaison-central --db FILE user reset-password NAME --password-stdin\n"
    "       liaison-central --db FILE retention set --months N|off | retention show | retention run\n"
    "console options: [--console-idle-min N] [--console-max-hours N] [--console-secure-cookie]\n";

int fail(const Error& e) {
    std::cerr << "liaison-central: " << e.message << "\n";
    return e.kind == Error::Kind::Invalid || e.kind == Error::Kind::NotFound ? 2 : 1;
}

int usage(const std::string& why) {
    std::cerr << "liaison-central: " << why << "\n" << kUsage;
    return 2;
}

std::string when(int64_t ms) { return ms ? platform::local_datetime(ms) : "-"; }

// A copy through SQLite's backup API on a connection of its own: the running server keeps
// answering while the copy is taken (docs/server.md, "Backups and recovery").
int run_backup(const std::string& db_path, const std::vector<std::string>& w,
               const std::shared_ptr<const db::StoreKey>& key) {
    if (w.size() != 2) return usage("backup DEST");
    std::error_code ec;
    if (std::filesystem::equivalent(w[1], db_path, ec)) return usage("the backup cannot be the database itself");
    db::Db::Options o;
    o.key = key;
    auto db = db::Db::open(db_path, o);
    if (!db) return fail(db.error());
    // An encrypted database's backup is encrypted with the same key.
    if (auto st = db::backup_to(**db, w[1], key); !st) return fail(st.error());
    std::cout << "backup written to " << w[1] << " (" << std::filesystem::file_size(w[1], ec) << " bytes)\n";
    return 0;
}

// The password of `--password-stdin`: the first line of standard input, never an argument (which
// any local user could read in the process list).
Result<std::string> password_from_stdin(const std::vector<std::string>& w) {
    if (std::find(w.begin(), w.end(), "--password-stdin") == w.end())
        return invalid("give the password on standard input with --password-stdin");
    std::string pw;
    std::getline(std::cin, pw);
    while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
    return pw;
}

std::string word_opt(const std::vector<std::string>& w, const std::string& name) {
    for (size_t i = 0; i + 1 < w.size(); ++i)
        if (w[i] == "--" + name) return w[i + 1];
    return "";
}

int user_add(Storage& s, const std::vector<std::string>& w) {
    ConsoleUser u;
    u.name = w[2];
    u.role = word_opt(w, "role");
    u.display = word_opt(w, "display");
    u.stations = word_opt(w, "stations");
    u.created_ms = platform::wall_ms();
    if (const std::string dept = word_opt(w, "department"); !dept.empty()) {
        auto d = s.console().department(dept);
        if (!d) return fail(d.error());
        if (!*d) return fail(invalid("no department '" + dept + "' (liaison-central import departments FILE.csv)"));
        u.department_id = (*d)->first;
    }
    if (auto ok = accounts::check_user(u); !ok) return fail(ok.error());
    auto pw = password_from_stdin(w);
    if (!pw) return fail(pw.error());
    auto hash = accounts::hash_password(*pw);
    if (!hash) return fail(hash.error());
    u.password_hash = *hash;
    if (auto st = s.console().add_user(u); !st) return fail(st.error());
    std::cout << "user " << u.name << " added (" << u.role << ")\n";
    return 0;
}

int user_list(Storage& s, bool as_json) {
    auto all = s.console().users();
    if (!all) return fail(all.error());
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& u : *all) {
        if (as_json) {
            arr.push_back({{"name", u.name},
                           {"display", u.display},
                           {"role", u.role},
                           {"department_id", u.department_id},
                           {"stations", u.stations},
                           {"disabled", u.disabled_ms != 0},
                           {"locked_until_ms", u.locked_until_ms}});
            continue;
        }
        std::cout << u.name << "  " << u.role << "  " << (u.display.empty() ? "-" : u.display) << "  "
                  << (u.role == "department" ? u.department_id
                      : u.stations.empty()   ? "-"
                                             : u.stations)
                  << (u.disabled_ms ? "  DISABLED" : "") << "\n";
    }
    if (as_json) std::cout << arr.dump(2) << "\n";
    return 0;
}

int run_user(Storage& s, const std::vector<std::string>& w) {
    const std::string verb = w.size() >= 2 ? w[1] : "";
    if (verb == "list") return user_list(s, std::find(w.begin(), w.end(), "--json") != w.end());
    if (w.size() < 3) return usage("user add|list|disable|enable|reset-password NAME");
    if (verb == "add") return user_add(s, w);
    if (verb == "disable" || verb == "enable") {
        if (auto st = s.console().set_disabled(w[2], verb == "disable" ? platform::wall_ms() : 0); !st)
            return fail(st.error());
        if (verb == "disable")
            if (auto st = s.console().end_sessions_of(w[2]); !st) return fail(st.error());
        std::cout << "user " << w[2] << " " << verb << "d\n";
        return 0;
    }
    if (verb == "reset-password") {
        auto pw = password_from_stdin(w);
        if (!pw) return fail(pw.error());
        auto hash = accounts::hash_password(*pw);
        if (!hash) return fail(hash.error());
        if (auto st = s.console().set_password(w[2], *hash); !st) return fail(st.error());
        if (auto st = s.console().end_sessions_of(w[2]); !st) return fail(st.error());
        std::cout << "password of " << w[2] << " reset; its sessions ended\n";
        return 0;
    }
    return usage("user add|list|disable|enable|reset-password");
}

// One line of counts for the log and the terminal: never a name or a phone.
std::string retention_line(const RetentionReport& r) {
    if (r.months == 0) return "retention is off";
    return "retention " + std::to_string(r.months) + " months: visits before " + r.cutoff + "; masked " +
           std::to_string(r.visitors) + " visitors of " + std::to_string(r.visits) + " visits (" +
           std::to_string(r.masked) + " fields written, " + std::to_string(r.values) + " stored values scrubbed)";
}

// retention set --months N|off | show | run (docs/retention.md).
int run_retention(Storage& s, const std::vector<std::string>& w) {
    const std::string verb = w.size() >= 2 ? w[1] : "";
    if (verb == "set" && w.size() == 4 && w[2] == "--months") {
        auto months = domain::retention::parse_months(w[3]);
        if (!months) return fail(months.error());
        auto n = s.write_as_centre({CentreWrite{domain::retention::kSettingsTable,
                                                domain::retention::kPeriodRow,
                                                sync::kReferenceScope,
                                                {{"value", *months}},
                                                false}},
                                   "centre");
        if (!n) return fail(n.error());
        std::cout << (*months ? "retention period set to " + std::to_string(*months) + " months"
                              : std::string("retention switched off"))
                  << (*n ? "" : " (unchanged)") << "; tablets take it on their next sync\n";
        return 0;
    }
    if (verb == "show" && w.size() == 2) {
        auto months = s.retention_months();
        if (!months) return fail(months.error());
        std::cout << (*months ? "retention period: " + std::to_string(*months) + " months" : "retention is off")
                  << "\n";
        return 0;
    }
    if (verb == "run" && w.size() == 2) {
        auto r = s.run_retention(platform::wall_ms());
        if (!r) return fail(r.error());
        std::cout << retention_line(*r) << "\n";
        return 0;
    }
    return usage("retention set --months N|off | retention show | retention run");
}

// The recovery key a tablet escrowed at enrolment, on the last line (docs/security.md).
int print_recovery_key(Storage& s, const std::string& device_id) {
    auto key = s.recovery_key(device_id);
    if (!key) return fail(key.error());
    std::cout << "recovery key of " << device_id << " (for the station's administrator only: liaison unlock):\n"
              << *key << "\n";
    return 0;
}

int run_admin(Storage& s, const std::vector<std::string>& w) {
    if (w[0] == "user") return run_user(s, w);
    if (w[0] == "retention") return run_retention(s, w);
    auto opt = [&](const std::string& name) -> std::string {
        for (size_t i = 0; i + 1 < w.size(); ++i)
            if (w[i] == "--" + name) return w[i + 1];
        return "";
    };
    if (w[0] == "station" && w.size() >= 3 && w[1] == "add") {
        StationRecord st;
        st.name = w[2];
        st.kind = opt("kind");
        st.district = opt("district");
        st.township = opt("township");
        st.address = opt("address");
        auto id = add_station(s, st);
        if (!id) return fail(id.error());
        std::cout << *id << "\n";
        return 0;
    }
    if (w[0] == "station" && w.size() == 2 && w[1] == "list") {
        auto all = s.stations();
        if (!all) return fail(all.error());
        for (const auto& st : *all) std::cout << st.id << "  " << st.name << "  " << st.kind << "\n";
        return 0;
    }
    if (w[0] == "enrol-code" && w.size() == 2) {
        auto code = issue_enrol_code(s, w[1]);
        if (!code) return fail(code.error());
        std::cout << "one-time enrolment code, valid 7 days:\n" << *code << "\n";
        return 0;
    }
    if (w[0] == "device" && w.size() == 2 && w[1] == "list") {
        auto all = s.devices();
        if (!all) return fail(all.error());
        for (const auto& d : *all)
            std::cout << d.id << "  station " << d.station_id << "  " << (d.name.empty() ? "-" : d.name) << "  series "
                      << (d.series.empty() ? "-" : d.series) << "  enrolled " << when(d.enrolled_ms) << "  last seen "
                      << when(d.last_seen_ms) << (d.revoked_ms ? "  REVOKED " + when(d.revoked_ms) : std::string())
                      << "\n";
        return 0;
    }
    if (w[0] == "device" && w.size() == 3 && w[1] == "revoke") {
        auto st = s.revoke_device(w[2], platform::wall_ms());
        if (!st) return fail(st.error());
        std::cout << "revoked " << w[2] << "\n";
        return 0;
    }
    if (w[0] == "recovery-key" && w.size() == 2) return print_recovery_key(s, w[1]);
    if (w[0] == "import" && w.size() == 3) {
        std::ifstream in(w[2], std::ios::binary);
        if (!in) return fail(Error{Error::Kind::NotFound, "cannot read " + w[2]});
        std::stringstream buf;
        buf << in.rdbuf();
        auto r = import_reference_csv(s, w[1], buf.str());
        if (!r) return fail(r.error());
        std::cout << "imported " << r->rows << " " << w[1] << " (" << r->fields << " field changes)\n";
        return 0;
    }
    if (w[0] == "admin-token" && w.size() == 1) {
        auto t = new_admin_token(s);
        if (!t) return fail(t.error());
        std::cout << "admin API token (shown once; keep it safe):\n" << *t << "\n";
        return 0;
    }
    if (w[0] == "init" && w.size() == 1) {
        std::cout << "database ready\n";  // opening it created or upgraded it
        return 0;
    }
    if (w[0] == "stats" && w.size() == 1) {
        auto st = s.statistics();
        if (!st) return fail(st.error());
        std::cout << st->dump(2) << "\n";
        return 0;
    }
    return usage("unknown command");
}

// The options of one run: from the config file first, then the command line, so a flag typed
// by hand wins over the packaged defaults.
struct Args {
    std::string db_path, listen, admin_token, key_file;
    int threads = kRequestThreads;
    bool verbose = false, sync_full = true, help = false, secure_cookie = false;
    long long console_idle_min = 30, console_max_hours = 12;
    size_t max_body = sync::tuning::kMaxRequestBytes;
    long long max_db_mb = 0;
    std::vector<std::string> words;
};

// `key = value` lines (# starts a comment) naming the long options without their dashes; a bare
// `verbose = true|false`. Anything else is an error with its line number, so a typo in /etc never
// silently falls back to a default.
Result<std::vector<std::string>> config_args(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Error{Error::Kind::NotFound, "cannot read config " + path};
    static const char* const kKeys[] = {"db",        "listen",           "threads",           "synchronous", "max-body",
                                        "max-db-mb", "console-idle-min", "console-max-hours", "key-file"};
    std::vector<std::string> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        line = line.substr(0, line.find('#'));
        const auto eq = line.find('=');
        auto trim = [](std::string t) {
            t.erase(0, t.find_first_not_of(" \t\r"));
            t.erase(t.find_last_not_of(" \t\r") + 1);
            return t;
        };
        if (trim(line).empty()) continue;
        const std::string key = eq == std::string::npos ? "" : trim(line.substr(0, eq));
        const std::string value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
        const std::string where = path + ":" + std::to_string(n) + ": ";
        if ((key == "verbose" || key == "console-secure-cookie") && (value == "true" || value == "false")) {
            if (value == "true") out.push_back("--" + key);
            continue;
        }
        if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys) || value.empty())
            return Error{Error::Kind::Invalid, where +
                                                   "expected KEY = VALUE with KEY one of db, listen, threads, "
                                                   "synchronous, max-body, max-db-mb, console-idle-min, "
                                                   "console-max-hours, verbose, console-secure-cookie"};
        out.push_back("--" + key);
        out.push_back(value);
    }
    return out;
}

// argv with `--config FILE` replaced by the file's options, put first.
Result<std::vector<std::string>> expand_config(int argc, char** argv) {
    std::vector<std::string> from_file, rest;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a != "--config") {
            rest.push_back(a);
            continue;
        }
        if (i + 1 >= argc) return Error{Error::Kind::Invalid, "--config needs a value"};
        LIAISON_ASSIGN_OR_RETURN(auto opts, config_args(argv[++i]));
        from_file.insert(from_file.end(), opts.begin(), opts.end());
    }
    from_file.insert(from_file.end(), rest.begin(), rest.end());
    return from_file;
}

Result<Args> parse_args(const std::vector<std::string>& argv) {
    Args o;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        auto next = [&]() -> Result<std::string> {
            if (i + 1 >= argv.size()) return Error{Error::Kind::Invalid, a + " needs a value"};
            return argv[++i];
        };
        if (!o.words.empty() || (a.rfind("--", 0) != 0 && a != "-h")) {
            o.words.push_back(a);
            continue;
        }
        if (a == "--verbose" || a == "--help" || a == "-h" || a == "--console-secure-cookie") {
            (a == "--verbose" ? o.verbose : a == "--console-secure-cookie" ? o.secure_cookie : o.help) = true;
            continue;
        }
        static const char* const kValued[] = {
            "--db",       "--listen",    "--threads",          "--admin-token",       "--synchronous",
            "--max-body", "--max-db-mb", "--console-idle-min", "--console-max-hours", "--key-file"};
        if (std::find(std::begin(kValued), std::end(kValued), a) == std::end(kValued))
            return Error{Error::Kind::Invalid, "unknown option " + a};
        LIAISON_ASSIGN_OR_RETURN(const std::string v, next());
        if (a == "--db")
            o.db_path = v;
        else if (a == "--listen")
            o.listen = v;
        else if (a == "--threads")
            o.threads = std::atoi(v.c_str());
        else if (a == "--admin-token")
            o.admin_token = v;
        else if (a == "--key-file")
            o.key_file = v;
        else if (a == "--synchronous" && (v == "normal" || v == "full"))
            o.sync_full = v == "full";
        else if (a == "--max-body")
            o.max_body = static_cast<size_t>(std::atoll(v.c_str()));
        else if (a == "--max-db-mb" && std::atoll(v.c_str()) > 0)
            o.max_db_mb = std::atoll(v.c_str());
        else if (a == "--console-idle-min" && std::atoll(v.c_str()) >= 1 && std::atoll(v.c_str()) <= 1440)
            o.console_idle_min = std::atoll(v.c_str());
        else if (a == "--console-max-hours" && std::atoll(v.c_str()) >= 1 && std::atoll(v.c_str()) <= 168)
            o.console_max_hours = std::atoll(v.c_str());
        else
            return Error{Error::Kind::Invalid, a == "--synchronous" ? "--synchronous is normal or full"
                                               : a == "--max-db-mb" ? "--max-db-mb takes a number of megabytes"
                                                                    : a + " is out of range"};
    }
    return o;
}

// The daily retention run inside the server (docs/retention.md): at start and then every hour
// it looks whether today's run was done (srv_meta, shared by every process on the database) and
// runs it if not. The run is idempotent, so two processes that both run it do no harm.
class RetentionTimer {
public:
    RetentionTimer(Storage& s, std::function<void(const std::string&)> log)
        : s_(s), log_(std::move(log)), thread_([this] { loop(); }) {}
    ~RetentionTimer() { stop(); }
    RetentionTimer(const RetentionTimer&) = delete;
    RetentionTimer& operator=(const RetentionTimer&) = delete;
    void stop() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    void loop() {
        std::unique_lock<std::mutex> lk(mu_);
        while (!stop_) {
            lk.unlock();
            once();
            lk.lock();
            cv_.wait_for(lk, std::chrono::hours(1), [this] { return stop_; });
        }
    }
    void once() {
        const std::string today = platform::local_date(platform::wall_ms());
        auto last = s_.meta("retention_last_day");
        if (!last) return log_("retention: " + last.error().message);
        if (*last == today) return;
        auto r = s_.run_retention(platform::wall_ms());
        if (!r) return log_("retention: " + r.error().message);
        if (auto st = s_.set_meta("retention_last_day", today); !st) return log_("retention: " + st.error().message);
        if (r->visitors > 0) log_(retention_line(*r));
    }

    Storage& s_;
    std::function<void(const std::string&)> log_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;  // last: starts once the members above exist
};

// Runs the listener until SIGINT or SIGTERM (systemd's stop), then drains and returns.
int serve(Storage& storage, const Args& a) {
    const auto colon = a.listen.rfind(':');
    if (colon == std::string::npos) return usage("--listen takes HOST:PORT");
    ListenOptions lo;
    lo.host = a.listen.substr(0, colon);
    lo.port = std::atoi(a.listen.c_str() + colon + 1);
    lo.threads = a.threads;
    lo.max_request_bytes = a.max_body;
    if (a.threads < 1 || lo.port < 0 || lo.port > 65535) return usage("bad --threads or port");

    // Signals go to one thread that stops the listener; the request threads never see them.
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    // Request buffers of a few hundred KB come and go all the time; without these glibc hands
    // each one back to the kernel (madvise + TLB shootdowns across the worker threads), which
    // cost more than the sync itself under load.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);

    std::mutex log_mu;
    ServiceOptions svo;
    svo.admin_token = a.admin_token;
    svo.max_request_bytes = a.max_body;
    svo.log_all = a.verbose;
    svo.log = [&log_mu](const std::string& line) {
        std::lock_guard<std::mutex> lk(log_mu);
        std::cerr << platform::local_datetime(platform::wall_ms()) << " " << line << "\n";
    };
    svo.console.log = svo.log;
    svo.console.idle_ms = a.console_idle_min * 60'000;
    svo.console.max_ms = a.console_max_hours * 3600'000;
    svo.console.secure_cookie = a.secure_cookie;
    Service service(storage, svo);
    HttpServer http(service, lo);
    auto port = http.bind();
    if (!port) return fail(port.error());
    // Tests and scripts read this line to learn the port when --listen asked for port 0.
    std::cout << "listening on " << lo.host << ":" << *port << std::endl;
    std::cout << "console on http://" << lo.host << ":" << *port << "/console/" << std::endl;
    std::thread sig_thread([&http, sigs] {
        int got = 0;
        sigwait(&sigs, &got);
        http.stop();
    });
    RetentionTimer retention(storage, svo.log);
    auto st = http.run();
    retention.stop();
    pthread_kill(sig_thread.native_handle(), SIGINT);  // wakes sigwait if run() ended on its own
    sig_thread.join();
    if (!st) return fail(st.error());
    return 0;
}

// --key-file F (docs/security.md, "Encryption at rest"): the key, and a plaintext database
// encrypted in place the first time it is given.
Result<std::shared_ptr<const db::StoreKey>> open_key(const std::string& db_path, const std::string& key_file) {
    LIAISON_ASSIGN_OR_RETURN(auto key, db::read_key_file(key_file));
    auto shared = std::make_shared<const db::StoreKey>(std::move(key));
    if (db::file_is_plaintext(db_path)) {
        std::cerr << "liaison-central: encrypting " << db_path << " with the key of " << key_file << "\n";
        LIAISON_TRY(db::encrypt_in_place(db_path, shared));
    }
    return shared;
}

// SQLite by default, encrypted with --key-file; PostgreSQL when --db is a postgresql:// URL
// (docs/server.md, "PostgreSQL"). `key` is set to the SQLite database's key, if any.
Result<std::unique_ptr<Storage>> open_storage(const Args& a, std::shared_ptr<const db::StoreKey>& key) {
    if (is_pg_url(a.db_path)) {
        if (a.max_db_mb) return invalid("--max-db-mb is SQLite's; on PostgreSQL set a quota on its volume");
        if (!a.key_file.empty()) return invalid("--key-file is SQLite's; on PostgreSQL encrypt its volume");
        return open_pg_storage(a.db_path);
    }
    SqliteOptions so;
    if (!a.key_file.empty()) {
        LIAISON_ASSIGN_OR_RETURN(key, open_key(a.db_path, a.key_file));
        so.key = key;
    }
    so.synchronous_full = a.sync_full;
    so.busy_timeout_ms = sync::tuning::kSqliteBusyTimeoutMs;
    so.max_db_bytes = static_cast<size_t>(a.max_db_mb) << 20;
    auto storage = open_sqlite_storage(a.db_path, so);
    std::error_code ec;
    if (!storage && !key && std::filesystem::exists(a.db_path, ec) && !db::file_is_plaintext(a.db_path))
        return Error{storage.error().kind, storage.error().message + " (an encrypted database needs its --key-file)"};
    return storage;
}

// migrate --from central.db --to postgresql://... (docs/server.md, "Moving a county to PostgreSQL").
int run_migrate(const std::vector<std::string>& w) {
    const std::string from = word_opt(w, "from"), to = word_opt(w, "to");
    if (w.size() != 5 || from.empty() || !is_pg_url(to)) return usage("migrate --from FILE --to postgresql://...");
    auto r = move_sqlite_to_pg(from, to);
    if (!r) return fail(r.error());
    std::cout << "moved " << r->changes << " changes, " << r->devices << " devices and " << r->rows
              << " rows to PostgreSQL; start the servers on it, the tablets sync on\n";
    return 0;
}

int run_main(int argc, char** argv) {
    auto expanded = expand_config(argc, argv);
    if (!expanded) return fail(expanded.error());
    auto args = parse_args(*expanded);
    if (!args) return usage(args.error().message);
    if (args->help) {
        std::cout << kUsage;
        return 0;
    }
    const auto& words = args->words;
    if (!words.empty() && words[0] == "migrate") return run_migrate(words);
    if (args->db_path.empty()) return usage("--db FILE is required");
    std::shared_ptr<const db::StoreKey> key;
    auto storage = open_storage(*args, key);
    if (!storage) return fail(storage.error());
    if (!words.empty() && words[0] == "backup") {
        if (is_pg_url(args->db_path))
            return fail(invalid("back PostgreSQL up with its own tools (pg_dump, or a standby): docs/server.md"));
        return run_backup(args->db_path, words, key);
    }
    if (!words.empty()) return run_admin(**storage, words);
    if (args->listen.empty()) return usage("--listen HOST:PORT or a command is required");
    return serve(**storage, *args);
}

}  // namespace

// Nothing the program calls is meant to throw; should the library throw anyway (out of memory),
// the process ends with one line and status 1 instead of std::terminate's abort.
int main(int argc, char** argv) {
    try {
        return run_main(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "liaison-central: " << e.what() << "\n";
        return 1;
    }
}
