// Results posted from worker threads to the UI thread. post() wakes the event loop, which runs
// the posted functions between frames; nothing else crosses threads.
#pragma once
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace liaison::app {

class AppModel;

class UiQueue {
public:
    using Task = std::function<void(AppModel&)>;
    // `wake` pushes an SDL user event; set by the app root.
    explicit UiQueue(std::function<void()> wake) : wake_(std::move(wake)) {}
    void post(Task t) {
        {
            std::lock_guard lock(mu_);
            tasks_.push_back(std::move(t));
        }
        if (wake_) wake_();
    }
    std::vector<Task> take() {
        std::lock_guard lock(mu_);
        return std::exchange(tasks_, {});
    }

private:
    std::mutex mu_;
    std::vector<Task> tasks_;
    std::function<void()> wake_;
};

}  // namespace liaison::app
