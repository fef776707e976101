// The kiosk's ticket receipt (docs/queue.md, "Printing the ticket"): the exact ESC/POS bytes, and
// sending them to a file, a missing device and a CUPS queue (a stand-in `lp` on PATH).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "client/store/printer.h"
#include "client/store/receipt.h"

using namespace liaison::store;
namespace fs = std::filesystem;

namespace {
receipt::TicketReceipt known_ticket() { return {"东湖街道", "A003", "2026-12-01 10:32", "张三", 2}; }

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct TempDir {
    fs::path dir = fs::temp_directory_path() / ("liaison-receipt-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(dir); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};
}  // namespace

TEST_CASE("receipt: the exact bytes of a known ticket") {
    using namespace std::string_literals;  // the sequences hold NUL bytes
    const std::vector<std::string> parts = {
        "\x1b\x40"s,                              // ESC @: init
        "\x1c\x26"s,                              // FS &: two-byte characters
        "\x1b\x61\x01"s,                          // ESC a 1: centred
        "\xb6\xab\xba\xfe\xbd\xd6\xb5\xc0\n\n"s,  // 东湖街道 in GB18030
        "\x1d\x21\x11"s,                          // GS ! 0x11: double width and height
        "A003\n"s,                                // the number
        "\x1d\x21\x00\n"s,                        // GS ! 0: normal size
        "\xca\xb1\xbc\xe4\xa3\xba"s,              // 时间：
        "2026-12-01 10:32\n"s,
        "\xb4\xfa\xb1\xed\xa3\xba\xd5\xc5\xc8\xfd\n"s,     // 代表：张三
        "\xc7\xb0\xc3\xe6\xbb\xb9\xd3\xd0 2 \xce\xbb\n"s,  // 前面还有 2 位
        "\xc7\xeb\xc1\xf4\xd2\xe2\xbd\xd0\xba\xc5\n"s,     // 请留意叫号
        "\x1d\x56\x42\x00"s,                               // GS V 66 0: feed and cut
    };
    std::string expected;
    for (const auto& p : parts) expected += p;
    auto r = receipt::escpos(known_ticket());
    REQUIRE(r.ok());
    CHECK(*r == expected);
}

TEST_CASE("receipt: no deputy chosen prints 不指定; text that is not UTF-8 is refused") {
    auto t = known_ticket();
    t.deputy.clear();
    auto r = receipt::escpos(t);
    REQUIRE(r.ok());
    CHECK(r->find("\xb2\xbb\xd6\xb8\xb6\xa8") != std::string::npos);  // 不指定
    t.station = "\xff\xfe";
    CHECK(!receipt::escpos(t).ok());
}

TEST_CASE("printer: targets from the setting's text") {
    auto none = printer::parse_target("");
    REQUIRE(none.ok());
    CHECK(none->kind == printer::Target::Kind::None);
    auto dev = printer::parse_target("/dev/usb/lp0");
    REQUIRE(dev.ok());
    CHECK(dev->kind == printer::Target::Kind::Device);
    auto cups = printer::parse_target("cups:Kiosk_58mm");
    REQUIRE(cups.ok());
    CHECK(cups->kind == printer::Target::Kind::Cups);
    CHECK(cups->where == "Kiosk_58mm");
    CHECK(!printer::parse_target("cups:x; rm -rf /").ok());  // it goes into a shell line
    CHECK(!printer::parse_target("lp0").ok());
}

TEST_CASE("printer: printing to a file writes exactly the receipt's bytes") {
    const TempDir tmp;
    auto bytes = receipt::escpos(known_ticket());
    REQUIRE(bytes.ok());
    const fs::path out = tmp.dir / "receipt.bin";
    REQUIRE(printer::send({printer::Target::Kind::Device, out.string()}, *bytes).ok());
    CHECK(read_all(out) == *bytes);
}

TEST_CASE("printer: a missing device is a clear error, and no file is made under /dev") {
    auto st = printer::send({printer::Target::Kind::Device, "/dev/usb/lp9"}, "x");
    REQUIRE(!st.ok());
    CHECK(st.error().kind == liaison::Error::Kind::Io);
    CHECK(st.error().message == "printer /dev/usb/lp9: No such file or directory");
    CHECK(!fs::exists("/dev/usb/lp9"));
}

TEST_CASE("printer: a CUPS queue gets the bytes through lp -o raw; a failing lp is an error") {
    const TempDir tmp;
    const fs::path out = tmp.dir / "lp-got.bin";
    {
        std::ofstream lp(tmp.dir / "lp");
        lp << "#!/bin/sh\n[ \"$3\" = Kiosk ] && [ \"$5\" = raw ] || exit 3\ncat > '" << out.string() << "'\n";
    }
    fs::permissions(tmp.dir / "lp", fs::perms::owner_all);
    const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", (tmp.dir.string() + ":" + path).c_str(), 1);
    auto bytes = receipt::escpos(known_ticket());
    REQUIRE(bytes.ok());
    CHECK(printer::send({printer::Target::Kind::Cups, "Kiosk"}, *bytes).ok());
    CHECK(read_all(out) == *bytes);
    auto st = printer::send({printer::Target::Kind::Cups, "Other"}, *bytes);
    ::setenv("PATH", path.c_str(), 1);
    REQUIRE(!st.ok());
    CHECK(st.error().message == "printer cups:Other: lp failed (exit 3)");
}
