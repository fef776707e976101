// User-visible text: every string comes from assets/i18n/<lang>.json ("nav.home": "首页").
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace liaison::ui {

class I18n {
public:
    // Loads <assets>/i18n/<lang>.json; falls back to zh for keys the language lacks.
    static Result<I18n> load(const std::string& assets_dir, const std::string& lang);
    const std::string& lang() const { return lang_; }
    // The text for `key`, or the key itself when missing (visible, so it gets noticed).
    const std::string& tr(std::string_view key) const;
    bool has(std::string_view key) const;
    // tr(key) with {0}, {1}... replaced by args.
    std::string fmt(std::string_view key, const std::vector<std::string>& args) const;
    // Every value, for the glyph atlas.
    std::string all_text() const;

private:
    std::string lang_;
    std::unordered_map<std::string, std::string> text_;
    mutable std::unordered_map<std::string, std::string> missing_;
};

// An error as the screen shows it (docs/app.md, "Errors"): its code translated with its
// parameters (field names and statuses in words); without a code, what its kind means. The
// store's English message reaches only an English screen, never a Chinese one.
std::string error_text(const I18n& t, const Error& e);

}  // namespace liaison::ui
