// libxlsxwriter writes only to a file: a private temporary one, read back and removed.
#include "base/xlsx.h"

#include <xlsxwriter.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace liaison {

namespace {

constexpr double kDefaultWidth = 16;

// A file of our own under the temporary folder, removed when this goes.
class TempFile {
public:
    TempFile() {
        std::error_code ec;
        std::string tmpl = (std::filesystem::temp_directory_path(ec) / "liaison-export-XXXXXX").string();
        if (ec) return;
        const int fd = mkstemp(tmpl.data());
        if (fd >= 0) {
            close(fd);
            path_ = tmpl;
        }
    }
    ~TempFile() {
        if (!path_.empty()) std::remove(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// A workbook left on an error path is closed (and freed) all the same.
struct CloseWorkbook {
    void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};
using Workbook = std::unique_ptr<lxw_workbook, CloseWorkbook>;

Status add_sheet(lxw_workbook* wb, const XlsxSheet& s, lxw_format* bold) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
    if (!ws) return Error{Error::Kind::Invalid, "bad sheet name " + s.name};
    for (size_t i = 0; i < s.header.size(); ++i) {
        const auto col = static_cast<lxw_col_t>(i);
        worksheet_write_string(ws, 0, col, s.header[i].c_str(), bold);
        worksheet_set_column(ws, col, col, i < s.widths.size() ? s.widths[i] : kDefaultWidth, nullptr);
    }
    for (size_t r = 0; r < s.rows.size(); ++r)
        for (size_t i = 0; i < s.rows[r].size(); ++i)
            if (worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(i),
                                       s.rows[r][i].c_str(), nullptr) != LXW_NO_ERROR)
                return Error{Error::Kind::Invalid, "cannot write row " + std::to_string(r + 1) + " of " + s.name};
    return {};
}

}  // namespace

Result<std::string> xlsx_document(const std::vector<XlsxSheet>& sheets) {
    TempFile tmp;
    if (tmp.path().empty()) return Error{Error::Kind::Io, "cannot create a temporary file for the workbook"};
    Workbook wb(workbook_new(tmp.path().c_str()));
    if (!wb) return Error{Error::Kind::Io, "cannot start the workbook"};
    lxw_format* bold = workbook_add_format(wb.get());
    format_set_bold(bold);
    for (const auto& s : sheets) LIAISON_TRY(add_sheet(wb.get(), s, bold));
    if (workbook_close(wb.release()) != LXW_NO_ERROR) return Error{Error::Kind::Io, "cannot write the workbook"};
    std::ifstream in(tmp.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) return Error{Error::Kind::Io, "cannot read the workbook back"};
    return bytes.str();
}

}  // namespace liaison
