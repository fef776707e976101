// ui_png_check FILE WIDTH HEIGHT: the screenshot exists, has that size and is not blank.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include <stb_image.h>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: ui_png_check FILE WIDTH HEIGHT\n");
        return 2;
    }
    int w = 0, h = 0, n = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> px(stbi_load(argv[1], &w, &h, &n, 4), stbi_image_free);
    if (!px) {
        std::fprintf(stderr, "%s: not a readable PNG\n", argv[1]);
        return 1;
    }
    if (w != std::atoi(argv[2]) || h != std::atoi(argv[3])) {
        std::fprintf(stderr, "%s: %dx%d, expected %sx%s\n", argv[1], w, h, argv[2], argv[3]);
        return 1;
    }
    // Not blank: many colours (text is anti-aliased) and a fair share of pixels off the background.
    std::map<unsigned, size_t> colours;
    const unsigned* p = reinterpret_cast<const unsigned*>(px.get());
    for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i) ++colours[p[i]];
    size_t top = 0;
    for (const auto& [c, k] : colours) top = std::max(top, k);
    const double other = 1.0 - static_cast<double>(top) / (static_cast<double>(w) * h);
    if (colours.size() < 32 || other < 0.02) {
        std::fprintf(stderr, "%s: looks blank (%zu colours, %.1f%% off background)\n", argv[1], colours.size(),
                     other * 100);
        return 1;
    }
    std::printf("%s: %dx%d, %zu colours, %.1f%% off background\n", argv[1], w, h, colours.size(), other * 100);
    return 0;
}
