// A small result type for module boundaries: exceptions never cross them.
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace liaison {

struct Error {
    // Full: the disk (or quota) is full; the caller may retry later without losing anything.
    enum class Kind { Invalid, NotFound, Conflict, Locked, Io, Full, Corrupt, Network, Auth, Forbidden, Internal };
    Kind kind = Kind::Internal;
    std::string message;  // one line, safe to show and log: never contains voter PII
};

inline Error invalid(std::string m) { return {Error::Kind::Invalid, std::move(m)}; }
inline Error not_found(std::string m) { return {Error::Kind::NotFound, std::move(m)}; }

template <class T>
class [[nodiscard]] Result {
public:
    Result(T v) : v_(std::move(v)) {}
    Result(Error e) : v_(std::move(e)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : err_(std::move(e)), ok_(false) {}
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return err_; }

private:
    Error err_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace liaison

// Propagate an error from an expression yielding Result<...>.
#define LIAISON_TRY(expr)                \
    do {                                 \
        auto&& _r = (expr);              \
        if (!_r.ok()) return _r.error(); \
    } while (0)
