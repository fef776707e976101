// Calling out queue numbers at the desk (docs/queue.md, "Calling out"): espeak-ng turns the words
// into 16-bit PCM and SDL plays it, on a thread of the announcer's own, so the UI never waits for
// the synthesiser or the sound card.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace liaison::platform {

struct Utterance {
    std::string shown;   // what the screen would say ("请 A003 号到接待台"): the record's name for it
    std::string spoken;  // the words given to espeak-ng (for Mandarin, tone-numbered pinyin)
    std::string voice;   // an espeak-ng voice name ("cmn-latn-pinyin", "en")
};

// What one announcement became. Tests read it: under SDL_AUDIODRIVER=dummy nothing is heard.
struct Spoken {
    std::string shown, voice;
    int rate = 0;             // samples per second of the synthesised sound
    size_t samples = 0;       // 16-bit mono samples synthesised
    size_t queued_bytes = 0;  // handed to SDL_QueueAudio
    std::string error;        // why it was not played ("" when it was)
};

class Announcer {
public:
    static constexpr size_t kKeep = 16;  // records kept for spoken()
    Announcer();
    // Cuts the announcement playing now; anything still waiting is dropped.
    ~Announcer();
    Announcer(const Announcer&) = delete;
    Announcer& operator=(const Announcer&) = delete;

    void say(Utterance u);               // returns at once
    std::vector<Spoken> spoken() const;  // the last kKeep, oldest first
    // Blocks until everything asked for was played or failed, at most timeout_ms; true if so.
    bool wait_idle(int64_t timeout_ms) const;

private:
    void run();
    void finish(Spoken s);

    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    std::deque<Utterance> todo_;
    std::vector<Spoken> done_;
    bool busy_ = false;
    bool stop_ = false;
    std::atomic<bool> stopping_{false};  // stop_ for the playing sound, read without the lock
    std::thread thread_;                 // last: started once the rest exists
};

}  // namespace liaison::platform
