#include "client/ui/i18n.h"
#include "sync/core/json.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace liaison::ui {

namespace {
Status read_into(const std::string& path, std::unordered_map<std::string, std::string>& out, bool overwrite) {
    std::ifstream in(path);
    if (!in) return Error{Error::Kind::Io, "missing translation file " + path};
    auto parsed = sync::parse_json(in, path);
    if (!parsed || !parsed->is_object()) return Error{Error::Kind::Corrupt, path + " is not a JSON object"};
    const auto& j = *parsed;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it.value().is_string()) continue;
        if (overwrite || !out.count(it.key())) out[it.key()] = it.value().get<std::string>();
    }
    return {};
}
}  // namespace

Result<I18n> I18n::load(const std::string& assets_dir, const std::string& lang) {
    I18n t;
    t.lang_ = (lang == "en") ? "en" : "zh";
    LIAISON_TRY(read_into(assets_dir + "/i18n/" + t.lang_ + ".json", t.text_, true));
    if (t.lang_ != "zh") LIAISON_TRY(read_into(assets_dir + "/i18n/zh.json", t.text_, false));
    return t;
}

const std::string& I18n::tr(std::string_view key) const {
    auto it = text_.find(std::string(key));
    if (it != text_.end()) return it->second;
    auto [m, _] = missing_.emplace(std::string(key), std::string(key));
    return m->second;
}

bool I18n::has(std::string_view key) const { return text_.count(std::string(key)) != 0; }

std::string I18n::fmt(std::string_view key, const std::vector<std::string>& args) const {
    std::string s = tr(key);
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string ph = "{" + std::to_string(i) + "}";
        for (size_t p = s.find(ph); p != std::string::npos; p = s.find(ph, p + args[i].size()))
            s.replace(p, ph.size(), args[i]);
    }
    return s;
}

std::string I18n::all_text() const {
    std::string s;
    for (const auto& [k, v] : text_) s += v;
    return s;
}

namespace {

const char* kind_code(Error::Kind k) {
    switch (k) {
        case Error::Kind::Invalid: return "invalid";
        case Error::Kind::NotFound: return "not_found";
        case Error::Kind::Conflict: return "conflict";
        case Error::Kind::Locked: return "locked";
        case Error::Kind::Io: return "io";
        case Error::Kind::Full: return "full";
        case Error::Kind::Corrupt: return "corrupt";
        case Error::Kind::Network: return "network";
        case Error::Kind::Auth: return "auth";
        case Error::Kind::Forbidden: return "forbidden";
        case Error::Kind::Internal: return "internal";
        case Error::Kind::WrongKey: return "wrong_key";
    }
    return "internal";
}

// A parameter in words where the code says what it is: a column of a field rule, a status.
std::string param_text(const I18n& t, const std::string& code, size_t i, const std::string& p) {
    const bool column = code.rfind("field.", 0) == 0 && i == 0;
    const bool status = code.rfind("case.step_", 0) == 0;
    const std::string key = column ? "field." + p : status ? "case.status." + p : "";
    return !key.empty() && t.has(key) ? t.tr(key) : p;
}

}  // namespace

std::string error_text(const I18n& t, const Error& e) {
    if (!e.code.empty() && t.has("error." + e.code)) {
        std::vector<std::string> words;
        for (size_t i = 0; i < e.params.size(); ++i) words.push_back(param_text(t, e.code, i, e.params[i]));
        return t.fmt("error." + e.code, words);
    }
    if (t.lang() == "en" && !e.message.empty()) return e.message;
    return t.tr(std::string("error.kind.") + kind_code(e.kind));
}

}  // namespace liaison::ui
