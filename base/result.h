// A small result type for module boundaries: exceptions never cross them.
#pragma once
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace liaison {

struct Error {
    // Full: the disk (or quota) is full; the caller may retry later without losing anything.
    // WrongKey: an encrypted store that this key does not open (or a file that is no store).
    enum class Kind {
        Invalid,
        NotFound,
        Conflict,
        Locked,
        Io,
        Full,
        Corrupt,
        Network,
        Auth,
        Forbidden,
        Internal,
        WrongKey
    };
    Kind kind = Kind::Internal;
    std::string message;  // one line, safe to show and log: never contains voter PII
    // What the app translates (assets/i18n: "error.<code>" with {0}, {1}... = params); the
    // message stays the command line's one English line. Empty: the app says what `kind` means.
    std::string code = {};
    std::vector<std::string> params = {};
};

inline Error invalid(std::string m) { return {Error::Kind::Invalid, std::move(m)}; }
// An error the app shows in the user's language (docs/app.md, "Errors").
inline Error coded(Error::Kind k, std::string code, std::vector<std::string> params, std::string message) {
    return {k, std::move(message), std::move(code), std::move(params)};
}
inline Error invalid(std::string code, std::vector<std::string> params, std::string message) {
    return coded(Error::Kind::Invalid, std::move(code), std::move(params), std::move(message));
}
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
    // The value, or the fallback when this holds an error (which is then dropped: use it only
    // where a fallback is the documented answer to every failure).
    template <class U>
    T value_or(U&& fallback) const& {
        return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    T value_or(U&& fallback) && {
        return ok() ? std::move(value()) : static_cast<T>(std::forward<U>(fallback));
    }

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

// Propagate an error from an expression yielding Result<...>. The temporaries are named by
// __COUNTER__, so the macros nest (a row callback using LIAISON_TRY inside a LIAISON_TRY).
#define LIAISON_TRY(expr) LIAISON_TRY_IMPL(LIAISON_RESULT_CONCAT(liaison_try_, __COUNTER__), expr)
#define LIAISON_TRY_IMPL(tmp, expr)        \
    do {                                   \
        auto&& tmp = (expr);               \
        if (!tmp.ok()) return tmp.error(); \
    } while (0)

// Declare or assign `lhs` from an expression yielding Result<T>, or return its error:
//   LIAISON_ASSIGN_OR_RETURN(auto tx, db::Tx::begin(db));
#define LIAISON_ASSIGN_OR_RETURN(lhs, expr) \
    LIAISON_ASSIGN_OR_RETURN_IMPL(LIAISON_RESULT_CONCAT(liaison_result_, __COUNTER__), lhs, expr)
#define LIAISON_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
    auto tmp = (expr);                                \
    if (!tmp.ok()) return tmp.error();                \
    lhs = std::move(tmp.value())
#define LIAISON_RESULT_CONCAT_INNER(a, b) a##b
#define LIAISON_RESULT_CONCAT(a, b) LIAISON_RESULT_CONCAT_INNER(a, b)
