// The administrator's pages of the console: stations and their enrolment codes (with a QR code
// from libqrencode), devices, departments and console users (docs/console.md).
#include <qrencode.h>

#include <memory>

#include "domain/rules.h"
#include "sync/server/console_call.h"
#include "sync/server/http_util.h"
#include "sync/server/service.h"

namespace liaison::server::console {

using nlohmann::json;
using sync::HttpResponse;

namespace {

struct QrFree {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

// The code as a QR code in SVG: one path of unit squares, a quiet zone of 4 modules.
std::string qr_svg(const std::string& text) {
    std::unique_ptr<QRcode, QrFree> qr(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) return "";
    const int w = qr->width, size = w + 8;
    std::string path;
    for (int y = 0; y < w; ++y)
        for (int x = 0; x < w; ++x)
            if (qr->data[y * w + x] & 1) path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
           std::to_string(size) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>" +
           "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

std::string body_text(const Call& c, const char* k) { return c.text(k); }

}  // namespace

HttpResponse list_stations(Call& c) {
    auto devices = c.storage.devices();
    if (!devices) return from_error(devices.error());
    json out = json::array();
    for (const auto& s : c.stations) {
        if (!accounts::in_scope(c.scope, s.id)) continue;
        int n = 0;
        for (const auto& d : *devices) n += d.station_id == s.id && d.revoked_ms == 0;
        out.push_back({{"id", s.id},
                       {"name", s.name},
                       {"kind", s.kind},
                       {"district", s.district},
                       {"township", s.township},
                       {"address", s.address},
                       {"devices", n}});
    }
    return json_response(200, {{"stations", out}});
}

HttpResponse add_station(Call& c) {
    StationRecord s{"",
                    body_text(c, "name"),
                    body_text(c, "kind"),
                    body_text(c, "district"),
                    body_text(c, "township"),
                    body_text(c, "address")};
    for (const auto* f : {&s.name, &s.kind, &s.district, &s.township, &s.address})
        if (!domain::valid_utf8(*f) || f->size() > 200) return fail(400, "bad_request", "a field is too long");
    for (const auto& old : c.stations)
        if (old.name == s.name) return fail(409, "conflict", "a station of that name exists");
    auto id = server::add_station(c.storage, s);
    if (!id) return from_error(id.error());
    c.note += " station add " + *id;
    return json_response(201, {{"id", *id}});
}

HttpResponse enrol_code(Call& c) {
    auto code = issue_enrol_code(c.storage, c.args[0]);
    if (!code) return from_error(code.error());
    c.note += " enrol-code station=" + c.args[0];
    return json_response(
        201, {{"code", *code}, {"expires_ms", c.now + sync::tuning::kEnrolCodeTtlMs}, {"qr_svg", qr_svg(*code)}});
}

HttpResponse list_devices(Call& c) {
    auto all = c.storage.devices();
    if (!all) return from_error(all.error());
    json out = json::array();
    for (const auto& d : *all)
        out.push_back({{"id", d.id},
                       {"name", d.name},
                       {"station", {{"id", d.station_id}, {"name", c.station_name(d.station_id)}}},
                       {"series", d.series},
                       {"enrolled_ms", d.enrolled_ms},
                       {"last_seen_ms", d.last_seen_ms},
                       {"revoked", d.revoked_ms != 0}});
    return json_response(200, {{"devices", out}});
}

HttpResponse revoke_device(Call& c) {
    auto st = c.storage.revoke_device(c.args[0], c.now);
    if (!st) return from_error(st.error());
    c.note += " revoke device=" + c.args[0];
    return json_response(200, {{"revoked", c.args[0]}});
}

HttpResponse list_departments(Call& c) {
    auto d = c.cs.departments();
    if (!d) return from_error(d.error());
    return json_response(200, {{"departments", *d}});
}

HttpResponse add_department(Call& c) {
    const std::string name = body_text(c, "name");
    if (name.empty() || name.size() > 100 || !domain::valid_utf8(name))
        return fail(400, "bad_request", "a department needs a name");
    auto old = c.cs.department(name);
    if (!old) return from_error(old.error());
    if (*old) return fail(409, "conflict", "a department of that name exists");
    const std::string id = platform::new_id();
    auto n = c.storage.write_as_centre({CentreWrite{"departments", id, sync::kReferenceScope, {{"name", name}}, false}},
                                       c.author());
    if (!n) return from_error(n.error());
    c.note += " department add " + id;
    return json_response(201, {{"id", id}});
}

HttpResponse list_users(Call& c) {
    auto all = c.cs.users();
    if (!all) return from_error(all.error());
    json out = json::array();
    for (const auto& u : *all) {
        json j = user_json(u, c.cs);
        j["disabled"] = u.disabled_ms != 0;
        j["locked_until_ms"] = u.locked_until_ms > c.now ? u.locked_until_ms : 0;
        out.push_back(std::move(j));
    }
    return json_response(200, {{"users", out}});
}

HttpResponse add_user(Call& c) {
    ConsoleUser u;
    u.name = body_text(c, "name");
    u.display = body_text(c, "display");
    u.role = body_text(c, "role");
    u.stations = body_text(c, "stations");
    u.created_ms = c.now;
    const std::string dept = body_text(c, "department");
    if (!dept.empty()) {
        auto d = c.cs.department(dept);
        if (!d) return from_error(d.error());
        if (!*d) return fail(400, "bad_request", "no such department");
        u.department_id = (*d)->first;
    }
    if (auto ok = accounts::check_user(u); !ok) return from_error(ok.error());
    auto hash = accounts::hash_password(body_text(c, "password"));
    if (!hash) return from_error(hash.error());
    u.password_hash = *hash;
    if (auto st = c.cs.add_user(u); !st) return from_error(st.error());
    c.note += " user add " + u.name + " role=" + u.role;
    return json_response(201, {{"user", user_json(u, c.cs)}});
}

HttpResponse user_state(Call& c) {
    const std::string& name = c.args[0];
    // The route's last segment decides, not the user's name ("users/disable/enable" enables).
    const std::string path = c.req.target.substr(0, c.req.target.find('?'));
    const bool disable = path.size() >= 8 && path.compare(path.size() - 8, 8, "/disable") == 0;
    if (disable && name == c.user.name) return fail(400, "bad_request", "you cannot disable yourself");
    if (auto st = c.cs.set_disabled(name, disable ? c.now : 0); !st) return from_error(st.error());
    if (disable)
        if (auto st = c.cs.end_sessions_of(name); !st) return from_error(st.error());
    c.note += std::string(" user ") + (disable ? "disable " : "enable ") + name;
    return json_response(200, json::object());
}

HttpResponse user_password(Call& c) {
    auto hash = accounts::hash_password(body_text(c, "password"));
    if (!hash) return from_error(hash.error());
    if (auto st = c.cs.set_password(c.args[0], *hash); !st) return from_error(st.error());
    if (auto st = c.cs.end_sessions_of(c.args[0]); !st) return from_error(st.error());
    c.note += " user reset-password " + c.args[0];
    return json_response(200, json::object());
}

}  // namespace liaison::server::console
