// base/text_encoding: UTF-8 read as is, GBK/GB18030 converted, mis-encoded UTF-8 refused, a file
// in neither encoding refused naming its line. The GBK bytes here were made with iconv(1), so the
// tests do not take the converter's word for what GBK is.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "base/csv.h"
#include "base/text_encoding.h"

using namespace liaison;
using text::Encoding;

namespace {

// "时间,来访人,类别,主题\n2025-03-01 09:00,张三,教育,学校门口拥堵\n" in GBK.
const std::string kGbkLedger =
    "\xca\xb1\xbc\xe4,\xc0\xb4\xb7\xc3\xc8\xcb,\xc0\xe0\xb1\xf0,\xd6\xf7\xcc\xe2\n"
    "2025-03-01 09:00,\xd5\xc5\xc8\xfd,\xbd\xcc\xd3\xfd,\xd1\xa7\xd0\xa3\xc3\xc5\xbf\xda\xd3\xb5\xb6\xc2\n";
const std::string kUtf8Ledger = "时间,来访人,类别,主题\n2025-03-01 09:00,张三,教育,学校门口拥堵\n";

// "学校,实时水压,原址\n" in GBK: every byte pair here is also valid UTF-8 ("ѧУ,ʵʱˮѹ,ԭַ").
const std::string kGbkThatIsUtf8 = "\xd1\xa7\xd0\xa3,\xca\xb5\xca\xb1\xcb\xae\xd1\xb9,\xd4\xad\xd6\xb7\n";

// "visitor,category,subject\n张三,教育,学校门口\n" saved as UTF-8, opened as Windows-1252 and
// saved as UTF-8 again (double encoding).
const std::string kDoubleEncoded = "visitor,category,subject\nå¼\u00a0ä¸‰,æ•™è‚²,å­¦æ\u00a0¡é—¨å£\n";

bool has(const Error& e, const std::string& s) { return e.message.find(s) != std::string::npos; }

}  // namespace

TEST_CASE("encoding names") {
    CHECK(text::parse_encoding("auto").value_or(Encoding::Utf8) == Encoding::Auto);
    CHECK(text::parse_encoding("UTF-8").value_or(Encoding::Auto) == Encoding::Utf8);
    CHECK(text::parse_encoding("utf8").value_or(Encoding::Auto) == Encoding::Utf8);
    CHECK(text::parse_encoding("gbk").value_or(Encoding::Auto) == Encoding::Gb18030);
    CHECK(text::parse_encoding("GB18030").value_or(Encoding::Auto) == Encoding::Gb18030);
    CHECK(text::parse_encoding("gb2312").value_or(Encoding::Auto) == Encoding::Gb18030);
    auto bad = text::parse_encoding("big5");
    REQUIRE_FALSE(bad.ok());
    CHECK(has(bad.error(), "big5"));
}

TEST_CASE("invalid_utf8_at finds the first bad byte") {
    CHECK(text::invalid_utf8_at("中文 abc 𠀋") == std::string_view::npos);
    CHECK(text::invalid_utf8_at("ab\xed\xa0\x80") == 2);  // surrogate
    CHECK(text::invalid_utf8_at("a\xc0\xaf") == 1);       // overlong
    CHECK(text::invalid_utf8_at("中\xe4\xb8") == 3);      // truncated
    CHECK(text::invalid_utf8_at("\xff") == 0);
}

TEST_CASE("UTF-8, with or without a BOM, is read as it is") {
    auto d = text::decode_text(kUtf8Ledger);
    REQUIRE(d.ok());
    CHECK(d->text == kUtf8Ledger);
    CHECK(d->source == Encoding::Utf8);
    auto b = text::decode_text("\xEF\xBB\xBF" + kUtf8Ledger);
    REQUIRE(b.ok());
    CHECK(b->text == kUtf8Ledger);  // the BOM is taken off
    auto ascii = text::decode_text("visitor,category,subject\nA,B,C\n");
    REQUIRE(ascii.ok());
    CHECK(ascii->source == Encoding::Utf8);
}

TEST_CASE("GBK (read as GB18030) is converted, four-byte GB18030 too") {
    auto d = text::decode_text(kGbkLedger);
    REQUIRE(d.ok());
    CHECK(d->text == kUtf8Ledger);
    CHECK(d->source == Encoding::Gb18030);
    auto four = text::gb18030_to_utf8("\x95\x32\x83\x37");  // U+2000B, outside GBK
    REQUIRE(four.ok());
    CHECK(*four == "𠀋");
    auto back = text::utf8_to_gb18030(kUtf8Ledger);
    REQUIRE(back.ok());
    CHECK(*back == kGbkLedger);
    auto forced = text::decode_text(kGbkLedger, Encoding::Gb18030);
    REQUIRE(forced.ok());
    CHECK(forced->text == kUtf8Ledger);
}

TEST_CASE("a file in neither encoding is refused naming the line and byte offset") {
    // Line 3 holds 0xFF, which is neither UTF-8 nor GB18030; lines 1 and 2 are fine UTF-8.
    const std::string bad = "visitor,category,subject\n张三,教育,路灯\nab\xff,教育,路灯\n";
    auto d = text::decode_text(bad);
    REQUIRE_FALSE(d.ok());
    CHECK(has(d.error(), "line 3"));
    CHECK(has(d.error(), "byte offset " + std::to_string(bad.find('\xff'))));
    // GBK with a broken character on line 2: the GB18030 reading fails there.
    auto g = text::decode_text(kGbkLedger.substr(0, kGbkLedger.size() - 2) + "\n");  // a lead byte, then \n
    REQUIRE_FALSE(g.ok());
    CHECK(has(g.error(), "line 2"));
    // Forced encodings name the first bad byte of that encoding.
    auto u = text::decode_text(kGbkLedger, Encoding::Utf8);
    REQUIRE_FALSE(u.ok());
    CHECK(has(u.error(), "line 1"));
    CHECK(has(u.error(), "byte offset 2"));      // "\xca\xb1" is valid UTF-8 (U+02B1), "\xbc" is not
    auto f = text::gb18030_to_utf8("ok\n\x81");  // a lead byte with nothing after it
    REQUIRE_FALSE(f.ok());
    CHECK(has(f.error(), "line 2"));
    CHECK(has(f.error(), "byte offset 3"));
}

TEST_CASE("double-encoded UTF-8 is refused, unless UTF-8 is forced") {
    auto d = text::decode_text(kDoubleEncoded);
    REQUIRE_FALSE(d.ok());
    CHECK(has(d.error(), "line 2"));
    CHECK(has(d.error(), "mis-encoded"));
    CHECK(has(d.error(), "--encoding utf-8"));
    CHECK_FALSE(text::decode_text("name\nJosÃ© Zoë\n").ok());  // "José" double-encoded, next to a real ë
    CHECK_FALSE(text::decode_text("\xEF\xBB\xBFname\nä¸­æ–‡\n").ok());
    auto forced = text::decode_text(kDoubleEncoded, Encoding::Utf8);
    REQUIRE(forced.ok());
    CHECK(forced->text == kDoubleEncoded);
}

TEST_CASE("GBK bytes that happen to be valid UTF-8 are refused") {
    auto d = text::decode_text(kGbkThatIsUtf8);
    REQUIRE_FALSE(d.ok());
    CHECK(has(d.error(), "GBK"));
    CHECK(has(d.error(), "--encoding gbk"));
    auto gbk = text::decode_text(kGbkThatIsUtf8, Encoding::Gb18030);
    REQUIRE(gbk.ok());
    CHECK(gbk->text == "学校,实时水压,原址\n");
}

TEST_CASE("no false alarm: accented Latin, Cyrillic and Greek names, Chinese with symbols") {
    for (const std::string& s : {std::string("visitor,category,subject\nJosé,教育,Zoë\nMüller,教育,Ñúñez Björk\n"),
                                 std::string("visitor,notes\nZoë Dvořák,çà éè ñá\nFrançois,Ångström\n"),
                                 std::string("visitor,notes\nИван Петров,Σωκράτης\n"),
                                 std::string("visitor,notes\n阿卜杜拉·买买提,25°C ±2 m² ½\n"),
                                 std::string("visitor,notes\n“José”,“Zoë” – 50 €\n"), kUtf8Ledger}) {
        auto d = text::decode_text(s);
        CHECK_MESSAGE(d.ok(), s);
        if (d) CHECK(d->text == s);
    }
}

namespace {

// decode_text's answer for bytes, reached the way a streamed import reaches it: through the
// probe in blocks of about `block` bytes ending at line breaks, then decode_block per block.
Result<std::string> decode_in_blocks(const std::string& bytes, Encoding e, size_t block) {
    std::istringstream in(bytes);
    text::EncodingProbe probe(e);
    LIAISON_TRY(text::for_each_line_block(
        in,
        [&](std::string_view b) {
            probe.add(b);
            return Status{};
        },
        block));
    LIAISON_ASSIGN_OR_RETURN(const Encoding decided, probe.finish());
    std::istringstream again(bytes);
    std::string out;
    bool first = true;
    LIAISON_TRY(text::for_each_line_block(
        again,
        [&](std::string_view b) -> Status {
            LIAISON_ASSIGN_OR_RETURN(auto part, text::decode_block(b, decided, first));
            first = false;
            out += part;
            return {};
        },
        block));
    return out;
}

}  // namespace

TEST_CASE("read a block at a time, every file decodes or is refused exactly as when read whole") {
    const std::string many_lines = kUtf8Ledger + kUtf8Ledger + kUtf8Ledger + "末行没有换行";
    const std::vector<std::string> files = {kUtf8Ledger,
                                            "\xEF\xBB\xBF" + kUtf8Ledger,
                                            kGbkLedger + kGbkLedger,
                                            kGbkThatIsUtf8 + kGbkThatIsUtf8,
                                            kDoubleEncoded,
                                            many_lines,
                                            kUtf8Ledger + "好\xff\n" + kGbkLedger,
                                            kGbkLedger + "\xff\n",
                                            "\xEF\xBB\xBF" + kGbkLedger,
                                            ""};
    for (const auto& bytes : files)
        for (Encoding e : {Encoding::Auto, Encoding::Utf8, Encoding::Gb18030})
            for (size_t block : {1, 7, 64, 1 << 20}) {
                CAPTURE(bytes);
                CAPTURE(static_cast<int>(e));
                CAPTURE(block);
                auto whole = text::decode_text(bytes, e);
                auto blocks = decode_in_blocks(bytes, e, block);
                REQUIRE(whole.ok() == blocks.ok());
                if (whole.ok())
                    CHECK(whole->text == *blocks);
                else
                    CHECK(whole.error().message == blocks.error().message);
            }
}

TEST_CASE("CSV fed in pieces gives the records of the whole text, errors on the same lines") {
    const std::vector<std::string> texts = {
        "\xEF\xBB\xBFvisitor,subject\r\n张三,\"路灯,不亮\"\r\n\r\n李四,\"他说：\"\"黑\"\"\n第二行\"\n王五,末行",
        "a,b\n\"unterminated\n", "a,b\nx\"y,z\n", "a,b\n\"q\"x,z\n", "\"\"\"\",\"\"\n"};
    for (const auto& t : texts)
        for (size_t piece : {1, 2, 3, 5, 1000}) {
            CAPTURE(t);
            CAPTURE(piece);
            auto whole = sync::parse_csv(t);
            sync::CsvReader reader;
            std::vector<sync::CsvRecord> got;
            Status st;
            auto drain = [&] {
                for (;;) {
                    auto r = reader.next();
                    if (!r) return Status(r.error());
                    if (!*r) return Status{};
                    got.push_back(std::move(**r));
                }
            };
            for (size_t i = 0; i < t.size() && st.ok(); i += piece) {
                reader.feed(std::string_view(t).substr(i, piece));
                st = drain();
            }
            if (st.ok()) {
                reader.finish();
                st = drain();
            }
            REQUIRE(whole.ok() == st.ok());
            if (!st.ok()) {
                CHECK(whole.error().message == st.error().message);
                continue;
            }
            REQUIRE(got.size() == whole->size());
            for (size_t r = 0; r < got.size(); ++r) {
                CHECK(got[r].line == (*whole)[r].line);
                CHECK(got[r].fields == (*whole)[r].fields);
            }
        }
}
