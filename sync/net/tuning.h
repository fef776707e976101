// Every tuning number of the sync client and the central server, in one place (docs/design.md §3, rule 9).
// Tests shorten the timing ones through the option structs that start from these defaults.
#pragma once
#include <cstddef>
#include <cstdint>

namespace liaison::sync::tuning {

// ---- batching ----
inline constexpr size_t kPushBatch = 2000;           // changes per push request (~500 KB of JSON, ~60 KB gzipped)
inline constexpr size_t kPushBatchBytes = 4u << 20;  // and at most this much JSON (under kMaxRequestBytes unzipped)
inline constexpr size_t kPullPage = 2000;            // changes per pull page asked for
inline constexpr size_t kPullPageMax = 5000;         // the server caps a page at this
inline constexpr size_t kGzipMinBytes = 1024;        // smaller request bodies are sent as they are

// ---- transport (libcurl) ----
inline constexpr int64_t kConnectTimeoutMs = 5000;
inline constexpr int64_t kTotalTimeoutMs = 60000;  // one request, upload and download included
inline constexpr int kRetryAttempts = 4;           // tries per request within one sync round
inline constexpr int64_t kRetryBaseMs = 250;       // first backoff; doubles per try, full jitter
inline constexpr int64_t kRetryMaxMs = 8000;

// ---- clocks (docs/replication.md, "Clock bounds"; the server's bound is kMaxClockAheadMs in hlc.h) ----
inline constexpr int64_t kClockToleranceMs = 2000;  // offsets to the server's clock below this are left alone
inline constexpr int64_t kClockWarnMs = 60 * 1000;  // the app warns when the tablet's clock is off by more

// ---- background worker ----
inline constexpr int64_t kDebounceMs = 1500;           // quiet time after a local write before pushing
inline constexpr int64_t kMaxDebounceMs = 10000;       // a stream of writes still syncs this often
inline constexpr int64_t kPeriodicMs = 5 * 60 * 1000;  // pull the centre's updates this often
inline constexpr int64_t kOfflineRetryBaseMs = 2000;   // after a failed round; doubles, full jitter
inline constexpr int64_t kOfflineRetryMaxMs = 5 * 60 * 1000;

// ---- server ----
inline constexpr size_t kMaxRequestBytes = 8u << 20;    // on the wire (gzipped or not): 413 above
inline constexpr size_t kMaxInflatedBytes = 64u << 20;  // after gunzip: 413 above (gzip bombs)
inline constexpr size_t kMaxChangesPerPush = 20000;     // 413 above: clients send kPushBatch
inline constexpr int kServerThreads = 64;               // cpp-httplib threads: one per open connection
inline constexpr size_t kServerDbConnections = 4;       // SQLite connections shared by those threads
inline constexpr int64_t kEnrolCodeTtlMs = 7LL * 24 * 3600 * 1000;
inline constexpr int64_t kEnrolRetryWindowMs = 15 * 60 * 1000;  // same device may redeem its code again
inline constexpr int kSqliteBusyTimeoutMs = 10000;              // server writers queue this long for the lock

}  // namespace liaison::sync::tuning
