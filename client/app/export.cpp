#include "client/app/export.h"

#include <algorithm>
#include <filesystem>

#include "base/csv.h"
#include "platform/platform.h"

namespace liaison::app::exports {

namespace stats = store::stats;

namespace {

// The i18n prefix naming a coded column's cells ("" for text as typed); category has its own.
std::string code_prefix(const std::string& key) {
    static const std::map<std::string, std::string> prefixes = {{"channel", "channel."},
                                                                {"route", "route."},
                                                                {"status", "case.status."},
                                                                {"feedback_channel", "case.channel."},
                                                                {"satisfaction", "case.satisfaction."}};
    auto it = prefixes.find(key);
    return it == prefixes.end() ? "" : it->second;
}

// A code named; an empty cell stays empty and an unknown code stays as it is.
std::string named(const std::string& key, const std::string& code, const Names& names) {
    if (code.empty()) return code;
    if (key == "category") {
        auto it = names.categories.find(code);
        return it == names.categories.end() ? code : it->second;
    }
    const std::string prefix = code_prefix(key);
    if (prefix.empty() || !names.i18n.has(prefix + code)) return code;
    return names.i18n.tr(prefix + code);
}

std::vector<std::string> figure_cells(const std::string& label, const stats::Figures& f) {
    return {label,
            std::to_string(f.visits),
            std::to_string(f.people),
            std::to_string(f.suggestions),
            std::to_string(f.resolved),
            f.resolution_rate(),
            f.satisfaction_rate()};
}

}  // namespace

stats::Table shown_table(const stats::Table& t, const Names& names) {
    stats::Table out;
    out.keys = t.keys;
    for (size_t i = 0; i < t.keys.size(); ++i) {
        const std::string key = "export.col." + t.keys[i];
        out.header.push_back(names.i18n.has(key) ? names.i18n.tr(key) : t.header.at(i));
    }
    out.rows.reserve(t.rows.size());
    for (const auto& row : t.rows) {
        std::vector<std::string> cells;
        cells.reserve(row.size());
        for (size_t i = 0; i < row.size(); ++i)
            cells.push_back(i < t.keys.size() ? named(t.keys[i], row[i], names) : row[i]);
        out.rows.push_back(std::move(cells));
    }
    return out;
}

stats::Table figures_table(const stats::Breakdown& b, const Names& names) {
    const ui::I18n& tr = names.i18n;
    stats::Table out;
    out.keys = {"category", "visits", "people", "suggestions", "resolved", "resolution_rate", "satisfaction_rate"};
    out.header = {tr.tr("export.col.category"),    tr.tr("stats.visits"),   tr.tr("stats.people"),
                  tr.tr("stats.suggestions"),      tr.tr("stats.resolved"), tr.tr("stats.resolution_rate"),
                  tr.tr("stats.satisfaction_rate")};
    out.rows.push_back(figure_cells(tr.tr("export.total"), b.total));
    for (const auto& g : b.groups)
        if (!g.figures.empty()) out.rows.push_back(figure_cells(named("category", g.key, names), g.figures));
    return out;
}

XlsxSheet sheet_of(const std::string& name, stats::Table t) {
    static const std::vector<std::string> wide = {"subject", "content", "title", "case_content", "result"};
    std::vector<double> widths;
    for (const auto& k : t.keys) widths.push_back(std::find(wide.begin(), wide.end(), k) != wide.end() ? 40 : 16);
    return XlsxSheet{name, std::move(t.header), std::move(t.rows), std::move(widths)};
}

Result<Format> parse_format(const std::string& s) {
    if (s == "xlsx") return Format::Xlsx;
    if (s == "csv") return Format::Csv;
    return invalid("the format is xlsx or csv");
}

const char* extension(Format f) { return f == Format::Xlsx ? ".xlsx" : ".csv"; }

Result<std::string> document(Format f, const std::vector<XlsxSheet>& sheets) {
    if (sheets.empty()) return invalid("nothing to export");
    if (f == Format::Xlsx) return xlsx_document(sheets);
    std::vector<std::vector<std::string>> rows = sheets.front().rows;
    for (size_t i = 1; i < sheets.size(); ++i) {
        rows.emplace_back();
        rows.push_back(sheets[i].header);
        rows.insert(rows.end(), sheets[i].rows.begin(), sheets[i].rows.end());
    }
    return sync::csv_document(sheets.front().header, rows);
}

std::vector<Folder> folder_choices(const std::string& data_folder) {
    std::vector<Folder> out;
    if (const std::string docs = platform::documents_dir(); !docs.empty())
        out.push_back({docs, "export.folder.documents", ""});
    out.push_back({data_folder + "/exports", "export.folder.data", ""});
    for (const auto& usb : platform::removable_folders())
        out.push_back({usb, "export.folder.usb", std::filesystem::path(usb).filename().string()});
    return out;
}

}  // namespace liaison::app::exports
