// The app's timing and sizing numbers, in one place.
#pragma once
#include <cstdint>

namespace liaison::app::tuning {

inline constexpr int64_t kSearchDebounceMs = 150;  // list query after the last keystroke
inline constexpr int64_t kDraftDebounceMs = 400;   // form draft after the last change
inline constexpr int64_t kUndoMs = 6000;           // 清空 and 离开 can be taken back this long
inline constexpr int64_t kFirstStatusMs = 100;     // pending/conflict counts, just after the first frame
inline constexpr int64_t kToastMs = 2500;
inline constexpr int kSettleFrames = 3;    // ImGui needs a few frames after input to settle
inline constexpr int64_t kRowMargin = 60;  // rows fetched beyond the visible window, each side
inline constexpr int64_t kRecentVisits = 6;
inline constexpr float kDefaultFontPx = 20.0f;
inline constexpr float kTouchPx = 48.0f;
inline constexpr int kDemoVisits = 48;

}  // namespace liaison::app::tuning
