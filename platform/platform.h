// What differs per OS/device. The rest of Liaison asks here instead of calling the OS itself.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace liaison::platform {

// Per-user data folder: $LIAISON_DATA, else $XDG_DATA_HOME/liaison, else ~/.local/share/liaison.
std::string default_data_dir();
// Creates the folder and its parents; false when that fails.
bool ensure_dir(const std::string& path);
// Folder holding assets/ (fonts, translations, reference data): $LIAISON_ASSETS, else the
// source tree's assets/ recorded at build time, else the installed share/liaison (cmake --install),
// else ./assets.
std::string assets_dir();

// Exports (docs/app.md): ~/Documents when it exists, else "".
std::string documents_dir();
// Mounted removable drives (USB sticks): the folders in /media/$USER and /run/media/$USER, sorted.
std::vector<std::string> removable_folders();
// Writes `bytes` to PATH.part and renames it to `path`, so a failed write (a stick pulled out)
// never leaves half a file under the real name.
Status write_file(const std::string& path, const std::string& bytes);
// The same for a secret (the keyring, the device token): 0600, fsync'd before the rename and the
// folder after it, so a power cut leaves the old file or the new one, never an empty one.
Status write_private_file(const std::string& path, const std::string& bytes);
// From now on files and folders this process creates are its user's only (umask 077): the
// store, its WAL and journal, drafts, logs (docs/security.md). Exports the user writes are
// widened again where they are written.
void private_files_from_now();

int64_t wall_ms();       // unix time in milliseconds (may be wrong on a tablet: HLC copes)
int64_t monotonic_ms();  // for timeouts and intervals
std::array<uint8_t, 10> random_bytes10();
// A new UUIDv7 (ids are made on the device: nothing waits for the server to exist).
std::string new_id();
// Local calendar date "YYYY-MM-DD" and time "YYYY-MM-DD HH:MM" for a unix ms time.
std::string local_date(int64_t unix_ms);
std::string local_datetime(int64_t unix_ms);
// "YYYY-MM-DD HH:MM" read as local time, in unix ms; -1 when it is not such a time.
int64_t local_ms(const std::string& datetime);

}  // namespace liaison::platform
