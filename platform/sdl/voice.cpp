#include "platform/sdl/voice.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "base/result.h"

namespace liaison::platform {

namespace {

// Elderly visitors in a noisy room: slower than espeak-ng's 175 words a minute.
constexpr int kWordsPerMinute = 140;
// A sound longer than this is cut: a call-out takes a few seconds.
constexpr int64_t kMaxPlayMs = 20000;

// espeak-ng's library, initialised once per process and never terminated: it keeps global state,
// and Debian's espeak-ng 1.51 hangs in espeak_Terminate about one time in eight (its shutdown
// races with its own worker thread), which would freeze the desk on closing. The process's exit
// gives its memory back. One lock serialises every use (docs/queue.md, "Calling out").
class Synth {
public:
    static Result<Synth*> instance() {
        static Synth* const engine = open();
        if (!engine) return Error{Error::Kind::Io, "espeak-ng: cannot initialise (is espeak-ng-data installed?)"};
        return engine;
    }
    Synth(const Synth&) = delete;
    Synth& operator=(const Synth&) = delete;
    int rate() const { return rate_; }

    Result<std::vector<int16_t>> speak(const std::string& text, const std::string& voice) {
        const std::lock_guard<std::mutex> lock(mu_);
        if (espeak_SetVoiceByName(voice.c_str()) != EE_OK)
            return Error{Error::Kind::NotFound, "espeak-ng: no voice " + voice};
        std::vector<int16_t> pcm;
        if (espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &pcm) != EE_OK)
            return Error{Error::Kind::Io, "espeak-ng: synthesis failed"};
        return pcm;
    }

private:
    explicit Synth(int rate) : rate_(rate) {}
    ~Synth() = default;
    static Synth* open() {
        // DONT_EXIT: a missing data folder is an error code, not exit() of the whole app.
        const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
        if (rate <= 0) return nullptr;
        espeak_SetSynthCallback(&Synth::collect);
        espeak_SetParameter(espeakRATE, kWordsPerMinute, 0);
        return new Synth(rate);  // never deleted: see above
    }
    // Called during espeak_Synth (AUDIO_OUTPUT_SYNCHRONOUS) with the next piece of sound; the
    // events carry the user data given to espeak_Synth.
    static int collect(short* wav, int n, espeak_EVENT* events) {
        auto* pcm = static_cast<std::vector<int16_t>*>(events ? events->user_data : nullptr);
        if (pcm && wav && n > 0) pcm->insert(pcm->end(), wav, wav + n);
        return 0;
    }
    std::mutex mu_;
    int rate_;
};

// SDL's audio subsystem and one output device as one scope, opened for one announcement and
// closed when it has played: an open device keeps SDL's audio thread waking all day.
class AudioOut {
public:
    static Result<std::unique_ptr<AudioOut>> open(int rate) {
        std::unique_ptr<AudioOut> a(new AudioOut());
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
            return Error{Error::Kind::Io, std::string("SDL audio: ") + SDL_GetError()};
        a->subsystem_ = true;
        SDL_AudioSpec want{};
        want.freq = rate;
        want.format = AUDIO_S16SYS;
        want.channels = 1;
        want.samples = 1024;
        SDL_AudioSpec have{};
        a->device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);  // SDL converts to the device's format
        if (a->device_ == 0) return Error{Error::Kind::Io, std::string("SDL audio device: ") + SDL_GetError()};
        return a;
    }
    ~AudioOut() {
        if (device_ != 0) SDL_CloseAudioDevice(device_);
        if (subsystem_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    AudioOut(const AudioOut&) = delete;
    AudioOut& operator=(const AudioOut&) = delete;

    Status queue(const std::vector<int16_t>& pcm) {
        const auto bytes = static_cast<Uint32>(pcm.size() * sizeof(int16_t));
        if (SDL_QueueAudio(device_, pcm.data(), bytes) != 0)
            return Error{Error::Kind::Io, std::string("SDL_QueueAudio: ") + SDL_GetError()};
        SDL_PauseAudioDevice(device_, 0);
        return {};
    }
    // Waits until the device has taken all of it, max_ms passed or `stop` was set.
    void drain(int64_t max_ms, const std::atomic<bool>& stop) const {
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_ms);
        while (SDL_GetQueuedAudioSize(device_) > 0 && !stop && std::chrono::steady_clock::now() < until) SDL_Delay(20);
    }

private:
    AudioOut() = default;
    bool subsystem_ = false;
    SDL_AudioDeviceID device_ = 0;
};

}  // namespace

Announcer::Announcer() : thread_([this] { run(); }) {}

Announcer::~Announcer() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
        todo_.clear();
        stopping_ = true;  // the sound playing now is cut
    }
    cv_.notify_all();
    thread_.join();
}

void Announcer::say(Utterance u) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        todo_.push_back(std::move(u));
    }
    cv_.notify_all();
}

std::vector<Spoken> Announcer::spoken() const {
    std::lock_guard<std::mutex> lock(mu_);
    return done_;
}

bool Announcer::wait_idle(int64_t timeout_ms) const {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return todo_.empty() && !busy_; });
}

void Announcer::finish(Spoken s) {
    std::lock_guard<std::mutex> lock(mu_);
    done_.push_back(std::move(s));
    if (done_.size() > kKeep) done_.erase(done_.begin());
    busy_ = false;
}

namespace {
// SDL keeps per-thread data (its error text) that it frees itself only on threads it made; this
// thread is a std::thread, so it gives the data back when it ends.
struct SdlThreadData {
    SdlThreadData() = default;
    ~SdlThreadData() { SDL_TLSCleanup(); }
    SdlThreadData(const SdlThreadData&) = delete;
    SdlThreadData& operator=(const SdlThreadData&) = delete;
};
}  // namespace

void Announcer::run() {
    const SdlThreadData sdl_thread_data;  // outlives every audio device below
    for (;;) {
        Utterance u;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [this] { return stop_ || !todo_.empty(); });
            if (stop_) return;
            u = std::move(todo_.front());
            todo_.pop_front();
            busy_ = true;
        }
        Spoken s;
        s.shown = u.shown;
        s.voice = u.voice;
        Synth* synth = nullptr;
        if (auto engine = Synth::instance())
            synth = *engine;
        else
            s.error = engine.error().message;
        if (synth) {
            s.rate = synth->rate();
            auto pcm = synth->speak(u.spoken, u.voice);
            if (!pcm) {
                s.error = pcm.error().message;
            } else {
                s.samples = pcm->size();
                auto out = AudioOut::open(s.rate);
                Status queued = out ? (*out)->queue(*pcm) : Status(out.error());
                if (queued) {
                    s.queued_bytes = pcm->size() * sizeof(int16_t);
                    (*out)->drain(kMaxPlayMs, stopping_);
                } else {
                    s.error = queued.error().message;
                }
            }
        }
        finish(std::move(s));
        cv_.notify_all();
    }
}

}  // namespace liaison::platform
