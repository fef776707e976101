#include "domain/series.h"

namespace liaison::domain {

bool valid_series(const std::string& letter) {
    return letter.size() == 1 && std::string(kSeriesLetters).find(letter[0]) != std::string::npos;
}

std::string free_series(const std::string& wish, const std::set<std::string>& taken) {
    if (valid_series(wish) && !taken.count(wish)) return wish;
    for (const char* l = kSeriesLetters; *l; ++l)
        if (!taken.count(std::string(1, *l))) return std::string(1, *l);
    return std::string();
}

}  // namespace liaison::domain
