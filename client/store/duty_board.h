// The duty board: the station's roster of the coming days as a plain file beside the keyring
// (DIR/duty_board.json, 0600, never synced), so that a cold-started tablet, whose store stays
// closed until a PIN unwraps its key, can still put today's duty first on the sign-in view
// (docs/app.md "Sign-in", docs/security.md "Sign-in on the tablet"). It holds what the station
// posts on its notice board and less: dates, times and deputy ids; no names, no notes.
#pragma once
#include <string>
#include <vector>

#include "base/result.h"
#include "client/store/domain.h"
#include "client/store/store.h"

namespace liaison::store::duty {

inline constexpr int kBoardDays = 14;  // a tablet off for up to two weeks still knows its roster

std::string board_path_in(const std::string& data_dir);
// The slots from the store's today for kBoardDays days, written over the board at `path`.
Status save_board(Store& s, const std::string& path);
// The board's slots; none when there is no board (a new station), Corrupt when unreadable.
Result<std::vector<DutySlot>> load_board(const std::string& path);

}  // namespace liaison::store::duty
