// Exports from the statistics screen (docs/app.md, Export): the store's tables named in the
// display language and written as .xlsx (base/xlsx.h) or CSV (base/csv.h) to a folder the user
// picks, a USB stick among the quick choices.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/xlsx.h"
#include "client/store/stats.h"
#include "client/ui/i18n.h"

namespace liaison::app::exports {

// What the coded cells are called in the display language.
struct Names {
    const ui::I18n& i18n;
    std::map<std::string, std::string> categories;  // code -> name (stored form)
};

// A table of the store (stats::Cells::Codes) with its header from "export.col.<key>" and its
// coded cells (channel, route, category, status, feedback channel, satisfaction) named.
store::stats::Table shown_table(const store::stats::Table& t, const Names& names);
// The period's figures, 合计 first, then one row per category with visits.
store::stats::Table figures_table(const store::stats::Breakdown& b, const Names& names);

// A sheet of the table: wide columns for the free text (subject, content, result).
XlsxSheet sheet_of(const std::string& name, store::stats::Table t);

enum class Format { Xlsx, Csv };
Result<Format> parse_format(const std::string& s);  // xlsx, csv
const char* extension(Format f);
// The file: every sheet in a workbook, or as CSV the sheets one after another, a blank line
// between them.
Result<std::string> document(Format f, const std::vector<XlsxSheet>& sheets);

// Quick choices for the folder: ~/Documents, the data folder's exports, then mounted USB drives.
struct Folder {
    std::string path;
    std::string label_key;  // export.folder.documents|data|usb
    std::string name;       // the drive's name, for export.folder.usb
};
std::vector<Folder> folder_choices(const std::string& data_folder);

}  // namespace liaison::app::exports
