#include "client/ui/glyphs.h"
#include "base/utf8.h"
#include "sync/core/json.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <imgui.h>
#include <imgui_internal.h>  // IM_ROUND: the same rounding the atlas builder uses
#include <nlohmann/json.hpp>
#include <stb_truetype.h>
// implementation lives in libstb, which ImGui's atlas builder uses too

namespace liaison::ui {

// ---------------------------------------------------------------- UTF-8

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t next_codepoint(std::string_view s, size_t& i) { return utf8::next_code_point(s, i).value_or(0xFFFD); }

// ---------------------------------------------------------------- MappedFile

Result<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{Error::Kind::Io, "cannot open font " + path};
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        ::close(fd);
        return Error{Error::Kind::Io, "cannot read font " + path};
    }
    void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);  // the mapping keeps the file
    if (p == MAP_FAILED) return Error{Error::Kind::Io, "cannot map font " + path};
    std::unique_ptr<MappedFile> f(new MappedFile());
    f->data_ = static_cast<unsigned char*>(p);
    f->size_ = static_cast<size_t>(st.st_size);
    return f;
}

MappedFile::~MappedFile() {
    if (data_) munmap(data_, size_);
}

// ---------------------------------------------------------------- Glyphs

namespace {
Result<FontFace> pick(const nlohmann::json& list, const char* what) {
    if (list.is_array())
        for (const auto& f : list) {
            FontFace face{f.value("file", std::string()), f.value("index", 0)};
            std::error_code ec;
            if (!face.file.empty() && std::filesystem::exists(face.file, ec)) return face;
        }
    return Error{Error::Kind::Io, std::string("no ") + what + " font found (see assets/fonts/fonts.json)"};
}

// Adds a font whose data lives in a MappedFile, without ImGui copying or later freeing it.
ImFont* add_font(ImFontAtlas& atlas, const ImFontConfig& cfg) {
    ImFont* f = atlas.AddFont(&cfg);
    atlas.ConfigData.back().FontDataOwnedByAtlas = false;  // the mapping owns it: never IM_FREE it
    return f;
}

bool init_font(stbtt_fontinfo& info, const MappedFile& f, int index) {
    const int off = stbtt_GetFontOffsetForIndex(f.data(), index);
    return off >= 0 && stbtt_InitFont(&info, f.data(), off) != 0;
}
}  // namespace

Result<std::unique_ptr<Glyphs>> Glyphs::load(const std::string& assets_dir) {
    std::unique_ptr<Glyphs> g(new Glyphs());
    nlohmann::json cfg;
    {
        std::ifstream in(assets_dir + "/fonts/fonts.json");
        if (!in) return Error{Error::Kind::Io, "missing " + assets_dir + "/fonts/fonts.json"};
        auto parsed = sync::parse_json(in, "fonts.json");
        if (!parsed) return Error{Error::Kind::Corrupt, parsed.error().message};
        cfg = std::move(*parsed);
    }
    auto latin = pick(cfg["latin"], "latin");
    if (!latin) return latin.error();
    auto cjk = pick(cfg["cjk"], "CJK");
    if (!cjk) return cjk.error();
    g->latin_ = *latin;
    g->cjk_ = *cjk;
    auto lf = MappedFile::open(g->latin_.file);
    if (!lf) return lf.error();
    auto cf = MappedFile::open(g->cjk_.file);
    if (!cf) return cf.error();
    g->latin_file_ = std::move(*lf);
    g->cjk_file_ = std::move(*cf);
    stbtt_fontinfo probe{};
    if (!init_font(probe, *g->latin_file_, g->latin_.index) || !init_font(probe, *g->cjk_file_, g->cjk_.index))
        return Error{Error::Kind::Corrupt, "a font in fonts.json cannot be read"};
    for (char32_t c = 0x20; c < 0x7F; ++c) g->add(c);  // ASCII: always, so note() can skip it
    g->note(cfg.value("always", std::string()));
    g->add(0x2026);  // ImGui's ellipsis for clipped text
    g->add(0xFFFD);
    return g;
}

void Glyphs::add(char32_t cp) {
    if (cp < 0x10000) {
        if (!bmp_[cp]) {
            bmp_[cp] = true;
            dirty_ = true;
        }
    }
}

void Glyphs::note(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {  // fast path: ASCII is always in the atlas
            ++i;
            continue;
        }
        add(next_codepoint(s, i));
    }
}

std::string Glyphs::shown(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const char32_t cp = next_codepoint(s, i);
        if (cp >= 0x10000) {
            auto it = to_pua_.find(cp);
            if (it == to_pua_.end()) {
                if (next_pua_ > 0xF8FF) {  // 6,400 rare characters at once: show the replacement
                    append_utf8(out, 0xFFFD);
                    continue;
                }
                it = to_pua_.emplace(cp, next_pua_).first;
                from_pua_.emplace(next_pua_, cp);
                ++next_pua_;
                dirty_ = true;
            }
            append_utf8(out, it->second);
        } else {
            add(cp);
            append_utf8(out, cp);
        }
    }
    return out;
}

std::string Glyphs::stored(std::string_view s) const {
    if (from_pua_.empty()) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const char32_t cp = next_codepoint(s, i);
        if (cp >= 0xE000 && cp <= 0xF8FF) {
            auto it = from_pua_.find(static_cast<char16_t>(cp));
            append_utf8(out, it != from_pua_.end() ? it->second : cp);
        } else {
            append_utf8(out, cp);
        }
    }
    return out;
}

void Glyphs::set_size(float px, float pixel_scale) {
    if (px != px_ || pixel_scale != pixel_scale_) dirty_ = true;
    px_ = px;
    pixel_scale_ = pixel_scale;
}

void Glyphs::add_display_font(ImFontAtlas& atlas, float raster) {
    static const ImWchar kDisplayRanges[] = {0x20, 0x20, 0x30, 0x39, 0x41, 0x5A, 0};
    ImFontConfig dc;
    dc.FontData = const_cast<unsigned char*>(latin_file_->data());
    dc.FontDataSize = static_cast<int>(latin_file_->size());
    dc.FontDataOwnedByAtlas = true;  // handed back by add_font(), as for the text fonts
    dc.FontNo = latin_.index;
    dc.SizePixels = raster * kDisplayScale;
    dc.OversampleH = 1;  // at this size a pixel of the glyph is a pixel on screen
    dc.OversampleV = 1;
    dc.GlyphRanges = kDisplayRanges;
    add_font(atlas, dc);
}

Status Glyphs::build(ImFontAtlas& atlas) {
    atlas.Clear();
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors;  // the OS draws the cursor
    atlas.TexGlyphPadding = 1;
    const float raster = px_ * pixel_scale_;

    // Runs of seen codepoints as ImWchar ranges. Stand-ins are drawn from custom rects instead.
    ranges_.clear();
    for (uint32_t cp = 0x20; cp < 0x10000; ++cp) {
        if (!bmp_[cp] || (cp >= 0xE000 && cp <= 0xF8FF)) continue;
        uint32_t end = cp;
        while (end + 1 < 0x10000 && bmp_[end + 1] && !(end + 1 >= 0xE000 && end + 1 <= 0xF8FF)) ++end;
        ranges_.push_back(static_cast<uint16_t>(cp));
        ranges_.push_back(static_cast<uint16_t>(end));
        cp = end;
    }
    ranges_.push_back(0);

    stbtt_fontinfo latin{}, cjk{};
    if (!init_font(latin, *latin_file_, latin_.index) || !init_font(cjk, *cjk_file_, cjk_.index))
        return Error{Error::Kind::Corrupt, "font cannot be read"};
    struct Rare {
        ImFont* font;
        int rect;
        char16_t pua;
        int glyph, x0, y0, w, h;
        float scale;
    };
    std::vector<Rare> rare;
    // Body text and headings (and kiosk titles): sizes of the same glyph set, so headings stay
    // crisp (the renderer's texture scaling would blur a stretched body font).
    ImFont* body = nullptr;
    auto add_text_size = [&](float factor) {
        const float size = raster * factor;
        // Give both faces the same em size: CJK fonts reserve more line height per em, so the
        // same pixel height would make Chinese look smaller than the Latin text beside it.
        const float latin_em = stbtt_ScaleForPixelHeight(&latin, size) / stbtt_ScaleForMappingEmToPixels(&latin, 1.0f);
        int asc = 0, desc = 0, gap = 0;
        stbtt_GetFontVMetrics(&cjk, &asc, &desc, &gap);
        const float cjk_px = latin_em * static_cast<float>(asc - desc) * stbtt_ScaleForMappingEmToPixels(&cjk, 1.0f);

        ImFontConfig lc;
        lc.FontData = const_cast<unsigned char*>(latin_file_->data());
        lc.FontDataSize = static_cast<int>(latin_file_->size());
        // ImGui 1.86 copies font data it does not own (19 MB for the CJK collection, per size and
        // per build). Claiming ownership skips the copy; add_font() hands it back right after.
        lc.FontDataOwnedByAtlas = true;
        lc.FontNo = latin_.index;
        lc.SizePixels = size;
        lc.OversampleH = 2;
        lc.OversampleV = 1;
        lc.GlyphRanges = reinterpret_cast<const ImWchar*>(ranges_.data());
        ImFont* font = add_font(atlas, lc);
        if (!body) body = font;

        ImFontConfig cc = lc;
        cc.FontData = const_cast<unsigned char*>(cjk_file_->data());
        cc.FontDataSize = static_cast<int>(cjk_file_->size());
        cc.FontNo = cjk_.index;
        cc.SizePixels = cjk_px;
        cc.OversampleH = 1;  // CJK strokes are dense; horizontal oversampling would double the atlas
        cc.PixelSnapH = true;
        cc.MergeMode = true;
        add_font(atlas, cc);

        const float cscale = stbtt_ScaleForPixelHeight(&cjk, cjk_px);
        for (const auto& [cp, pua] : to_pua_) {
            const int gi = stbtt_FindGlyphIndex(&cjk, static_cast<int>(cp));
            if (gi == 0) continue;  // not in the font: ImGui shows its fallback
            int x0 = 0, y0 = 0, x1 = 0, y1 = 0, adv = 0, lsb = 0;
            stbtt_GetGlyphBitmapBox(&cjk, gi, cscale, cscale, &x0, &y0, &x1, &y1);
            stbtt_GetGlyphHMetrics(&cjk, gi, &adv, &lsb);
            const int w = std::max(1, x1 - x0), h = std::max(1, y1 - y0);
            const int id = atlas.AddCustomRectFontGlyph(font, static_cast<ImWchar>(pua), w, h,
                                                        IM_ROUND(static_cast<float>(adv) * cscale),
                                                        ImVec2(static_cast<float>(x0), 0.0f));
            rare.push_back({font, id, pua, gi, x0, y0, w, h, cscale});
        }
    };
    // The order is the font index Ui pushes: body, heading, display, title.
    add_text_size(1.0f);
    add_text_size(kHeadingScale);
    add_display_font(atlas, raster);
    if (large_titles_) add_text_size(kTitleScale);
    if (!atlas.Build()) return Error{Error::Kind::Internal, "font atlas build failed"};
    unsigned char* px = nullptr;
    int tw = 0, th = 0;
    atlas.GetTexDataAsRGBA32(&px, &tw, &th);
    std::vector<unsigned char> bitmap;
    for (const auto& r : rare) {
        const ImFontAtlasCustomRect* rect = atlas.GetCustomRectByIndex(r.rect);
        if (!rect || !rect->IsPacked()) continue;
        bitmap.assign(static_cast<size_t>(r.w) * r.h, 0);
        stbtt_MakeGlyphBitmap(&cjk, bitmap.data(), r.w, r.h, r.w, r.scale, r.scale, r.glyph);
        for (int y = 0; y < r.h; ++y)
            for (int x = 0; x < r.w; ++x) {
                unsigned char* p = px + (static_cast<size_t>(rect->Y + y) * tw + rect->X + x) * 4;
                p[0] = p[1] = p[2] = 0xFF;
                p[3] = bitmap[static_cast<size_t>(y) * r.w + x];
            }
        // Sit the stand-in on the same baseline as the merged CJK glyphs.
        if (auto* g = const_cast<ImFontGlyph*>(r.font->FindGlyphNoFallback(static_cast<ImWchar>(r.pua)))) {
            g->Y0 = IM_ROUND(r.font->Ascent) + static_cast<float>(r.y0);
            g->Y1 = g->Y0 + static_cast<float>(r.h);
        }
    }
    ImFont* font = body;
    missing_.clear();
    for (size_t i = 0; i + 1 < ranges_.size(); i += 2)
        for (uint32_t cp = ranges_[i]; cp <= ranges_[i + 1]; ++cp)
            if (!font->FindGlyphNoFallback(static_cast<ImWchar>(cp))) missing_.push_back(cp);
    for (const auto& [cp, pua] : to_pua_)
        if (!font->FindGlyphNoFallback(static_cast<ImWchar>(pua))) missing_.push_back(cp);
    count_ = static_cast<size_t>(font->Glyphs.Size);
    tex_w_ = tw;
    tex_h_ = th;
    dirty_ = false;
    return {};
}

}  // namespace liaison::ui
