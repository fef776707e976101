// Realistic visits as an import file (docs/performance.md, Bulk import): 2-3 character names,
// 20-character subjects, 100-character contents, one or two deputies; the same every run.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace testing_support {

// The deputies the file names: a store must have them before it imports the file.
inline const std::vector<std::string>& csv_deputies() {
    static const std::vector<std::string> d = {"陈明", "刘洋", "赵丽华", "孙强", "周敏", "吴建国"};
    return d;
}

class VisitsCsv {
public:
    // notes_chars > 0 adds a 备注 column of that many characters (notes are stored, not indexed).
    explicit VisitsCsv(size_t notes_chars = 0) : notes_chars_(notes_chars) {}
    // The header and `rows` visits, UTF-8 without a BOM, written a line at a time.
    bool write(const std::string& path, size_t rows) {
        FILE* f = std::fopen(path.c_str(), "wb");
        if (f == nullptr) return false;
        std::string line = notes_chars_ > 0 ? "时间,来访人,电话,人数,类别,主题,诉求,接待代表,备注\n"
                                            : "时间,来访人,电话,人数,类别,主题,诉求,接待代表\n";
        bool ok = std::fwrite(line.data(), 1, line.size(), f) == line.size();
        for (size_t i = 0; i < rows && ok; ++i) {
            line = visit_line(i);
            ok = std::fwrite(line.data(), 1, line.size(), f) == line.size();
        }
        return std::fclose(f) == 0 && ok;
    }

    std::string visit_line(size_t i) {
        static const char* const cats[] = {"城乡建设", "教育", "医疗卫生", "养老社保", "交通出行", "生态环保"};
        char at[32];
        std::snprintf(at, sizeof at, "2025-%02zu-%02zu %02zu:%02zu", 1 + i % 12, 1 + i % 28, 8 + i % 10, i % 60);
        const auto& deps = csv_deputies();
        std::string deputies = deps[next() % deps.size()];
        if (next() % 2 == 0) deputies += "、" + deps[next() % deps.size()];
        return std::string(at) + "," + hanzi(2 + next() % 2) + ",1380013" + std::to_string(1000 + next() % 9000) + "," +
               std::to_string(1 + next() % 3) + "," + cats[next() % 6] + "," + hanzi(20) + "," + hanzi(100) + "," +
               deputies + (notes_chars_ > 0 ? "," + hanzi(notes_chars_) : "") + "\n";
    }

private:
    uint32_t next() {
        state_ = state_ * 1664525u + 1013904223u;  // a fixed LCG: the same file every run
        return state_ >> 8;
    }
    // n characters of the CJK block's common part (U+4E00..U+62FF), as UTF-8.
    std::string hanzi(size_t n) {
        std::string s;
        for (size_t k = 0; k < n; ++k) {
            const uint32_t cp = 0x4E00 + next() % 0x1500;
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return s;
    }
    size_t notes_chars_;
    uint32_t state_ = 12345;
};

}  // namespace testing_support
