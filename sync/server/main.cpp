// liaison-central: the central server and its admin command line.
//
//   liaison-central --db FILE --listen HOST:PORT [--threads N] [--admin-token T] [--verbose] [--max-db-mb N]
//   liaison-central --db FILE station add NAME [--kind K] [--district D] [--township T] [--address A]
//   liaison-central --db FILE station list
//   liaison-central --db FILE enrol-code STATION          (prints the code as its last line)
//   liaison-central --db FILE device list | device revoke ID
//   liaison-central --db FILE import stations|deputies|departments|categories FILE.csv
//   liaison-central --db FILE admin-token                 (a new admin API token; the old one stops working)
//   liaison-central --db FILE stats
//   liaison-central --db FILE backup DEST                 (a consistent copy while the server runs)
#include <csignal>
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

#include "platform/platform.h"
#include "sync/replica/backup.h"
#include "sync/server/http_server.h"
#include "sync/server/import.h"
#include "sync/server/service.h"
#include "sync/server/storage.h"

using namespace liaison;
using namespace liaison::server;

namespace {

const char* const kUsage =
    "usage: liaison-central --db FILE --listen HOST:PORT [--threads N] [--admin-token T] [--verbose]\n"
    "                       [--synchronous normal|full] [--max-body BYTES] [--max-db-mb N]\n"
    "       liaison-central --db FILE station add NAME [--kind K] [--district D] [--township T] [--address A]\n"
    "       liaison-central --db FILE station list\n"
    "       liaison-central --db FILE enrol-code STATION\n"
    "       liaison-central --db FILE device list | device revoke ID\n"
    "       liaison-central --db FILE import stations|deputies|departments|categories FILE.csv\n"
    "       liaison-central --db FILE admin-token\n"
    "       liaison-central --db FILE stats\n"
    "       liaison-central --db FILE backup DEST\n";

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
int run_backup(const std::string& db_path, const std::vector<std::string>& w) {
    if (w.size() != 2) return usage("backup DEST");
    std::error_code ec;
    if (std::filesystem::equivalent(w[1], db_path, ec)) return usage("the backup cannot be the database itself");
    auto db = db::Db::open(db_path);
    if (!db) return fail(db.error());
    if (auto st = db::backup_to(**db, w[1]); !st) return fail(st.error());
    std::cout << "backup written to " << w[1] << " (" << std::filesystem::file_size(w[1], ec) << " bytes)\n";
    return 0;
}

int run_admin(Storage& s, const std::vector<std::string>& w) {
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
    if (w[0] == "stats" && w.size() == 1) {
        auto st = s.statistics();
        if (!st) return fail(st.error());
        std::cout << st->dump(2) << "\n";
        return 0;
    }
    return usage("unknown command");
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_path, listen, admin_token;
    int threads = kRequestThreads;
    bool verbose = false, sync_full = true;
    size_t max_body = sync::tuning::kMaxRequestBytes;
    long long max_db_mb = 0;
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "liaison-central: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (!words.empty())
            words.push_back(a);
        else if (a == "--db")
            db_path = next();
        else if (a == "--listen")
            listen = next();
        else if (a == "--threads")
            threads = std::atoi(next().c_str());
        else if (a == "--admin-token")
            admin_token = next();
        else if (a == "--verbose")
            verbose = true;
        else if (a == "--synchronous") {
            const std::string v = next();
            if (v != "normal" && v != "full") return usage("--synchronous is normal or full");
            sync_full = v == "full";
        } else if (a == "--max-body")
            max_body = static_cast<size_t>(std::atoll(next().c_str()));
        else if (a == "--max-db-mb") {
            max_db_mb = std::atoll(next().c_str());
            if (max_db_mb <= 0) return usage("--max-db-mb takes a number of megabytes");
        } else if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (a.rfind("--", 0) == 0)
            return usage("unknown option " + a);
        else
            words.push_back(a);
    }
    if (db_path.empty()) return usage("--db FILE is required");
    SqliteOptions so;
    so.synchronous_full = sync_full;
    so.busy_timeout_ms = sync::tuning::kSqliteBusyTimeoutMs;
    so.max_db_bytes = static_cast<size_t>(max_db_mb) << 20;
    auto storage = open_sqlite_storage(db_path, so);
    if (!storage) return fail(storage.error());
    if (!words.empty() && words[0] == "backup") return run_backup(db_path, words);
    if (!words.empty()) return run_admin(**storage, words);
    if (listen.empty()) return usage("--listen HOST:PORT or a command is required");
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return usage("--listen takes HOST:PORT");
    ListenOptions lo;
    lo.host = listen.substr(0, colon);
    lo.port = std::atoi(listen.c_str() + colon + 1);
    lo.threads = threads;
    lo.max_request_bytes = max_body;
    if (threads < 1 || lo.port < 0 || lo.port > 65535) return usage("bad --threads or port");

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
    svo.admin_token = admin_token;
    svo.max_request_bytes = max_body;
    svo.log_all = verbose;
    svo.log = [&log_mu](const std::string& line) {
        std::lock_guard<std::mutex> lk(log_mu);
        std::cerr << platform::local_datetime(platform::wall_ms()) << " " << line << "\n";
    };
    Service service(**storage, svo);
    HttpServer http(service, lo);
    auto port = http.bind();
    if (!port) return fail(port.error());
    // Tests and scripts read this line to learn the port when --listen asked for port 0.
    std::cout << "listening on " << lo.host << ":" << *port << std::endl;
    std::thread sig_thread([&http, sigs] {
        int got = 0;
        sigwait(&sigs, &got);
        http.stop();
    });
    auto st = http.run();
    pthread_kill(sig_thread.native_handle(), SIGTERM);  // wakes sigwait if run() ended on its own
    sig_thread.join();
    if (!st) return fail(st.error());
    return 0;
}
