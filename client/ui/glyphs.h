// The font atlas, built from the text actually shown rather than a fixed character range.
//
// Dear ImGui 1.86 (Debian) is built with 16-bit ImWchar, so a codepoint beyond the BMP such as
// 𠀋 U+2000B cannot be a normal glyph. Such codepoints are given a stand-in in the Private Use
// Area (U+E000..U+F8FF) when text enters the UI (shown()) and mapped back when it leaves
// (stored()); the stand-in's glyph is rasterised from the CJK font with stb_truetype into a
// custom atlas rect. Typing works too: SDL text input is mapped before ImGui sees it.
#pragma once
#include <bitset>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct ImFontAtlas;

namespace liaison::ui {

// A read-only memory map of a font file: only the pages the rasteriser touches become resident,
// which keeps a 19 MB CJK collection to a few MB of memory.
class MappedFile {
public:
    static Result<std::unique_ptr<MappedFile>> open(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    const unsigned char* data() const { return data_; }
    size_t size() const { return size_; }

private:
    MappedFile() = default;
    unsigned char* data_ = nullptr;
    size_t size_ = 0;
};

struct FontFace {
    std::string file;
    int index = 0;  // face inside a .ttc
};

class Glyphs {
public:
    static constexpr float kHeadingScale = 1.35f;  // atlas font 1: headings and big figures
    // Atlas font 2: queue ticket numbers ("A007") at several times the body size, rasterised at
    // that size (scaling the heading font up would show its pixels). Digits and capitals only.
    static constexpr float kDisplayScale = 4.6f;
    // Atlas font 3, only while large titles are wanted (the kiosk's welcome): every seen glyph
    // again at twice the body size, which the desk's views do not need the memory for.
    static constexpr float kTitleScale = 2.0f;

    // Reads assets/fonts/fonts.json and maps the first existing latin and CJK files.
    static Result<std::unique_ptr<Glyphs>> load(const std::string& assets_dir);

    // Remembers every codepoint of `utf8` (already in display form) for the next build.
    void note(std::string_view utf8);
    // Display form of stored text: notes its codepoints and maps non-BMP ones to stand-ins.
    std::string shown(std::string_view utf8);
    // Stored form of display text: stand-ins back to their real codepoints.
    std::string stored(std::string_view display) const;

    // Text size in logical points and the physical pixels per point.
    void set_size(float px, float pixel_scale);
    float size() const { return px_; }
    void set_large_titles(bool on) {
        if (on != large_titles_) dirty_ = true;
        large_titles_ = on;
    }
    float pixel_scale() const { return pixel_scale_; }
    // True when a codepoint or the size changed since the last build.
    bool dirty() const { return dirty_; }
    // Rebuilds the atlas CPU-side (the caller re-creates the GPU texture afterwards).
    Status build(ImFontAtlas& atlas);
    size_t glyph_count() const { return count_; }
    int texture_width() const { return tex_w_; }
    int texture_height() const { return tex_h_; }
    // Codepoints seen in shown text that neither font has (drawn as ImGui's fallback).
    const std::vector<char32_t>& missing() const { return missing_; }
    const FontFace& latin_face() const { return latin_; }
    const FontFace& cjk_face() const { return cjk_; }

private:
    Glyphs() = default;
    void add(char32_t cp);
    void add_display_font(ImFontAtlas& atlas, float raster);

    FontFace latin_, cjk_;
    std::unique_ptr<MappedFile> latin_file_, cjk_file_;
    std::bitset<0x10000> bmp_;             // codepoints seen (display form)
    std::map<char32_t, char16_t> to_pua_;  // non-BMP codepoint -> stand-in
    std::map<char16_t, char32_t> from_pua_;
    char16_t next_pua_ = 0xE000;
    std::vector<uint16_t> ranges_;  // ImWchar ranges handed to ImGui; must outlive the atlas
    float px_ = 20.0f, pixel_scale_ = 1.0f;
    bool dirty_ = true;
    bool large_titles_ = false;
    size_t count_ = 0;
    std::vector<char32_t> missing_;
    int tex_w_ = 0, tex_h_ = 0;
};

// UTF-8 helpers shared by the UI.
void append_utf8(std::string& out, char32_t cp);
// Decodes one codepoint at s[i], advancing i; invalid bytes give U+FFFD.
char32_t next_codepoint(std::string_view s, size_t& i);

}  // namespace liaison::ui
