#pragma once
// Error vocabulary shared by every library: codes named after the Kinesis exceptions, plus
// Result<T>.

#include <fmt/format.h>

#include <cassert>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace shardflow {

/// What went wrong, named after the Kinesis exception the API answers with.
/// Engine-side codes follow kInternalFailure and are mapped at the API edge.
enum class ErrorCode : uint8_t {
    kResourceNotFound,               // ResourceNotFoundException
    kResourceInUse,                  // ResourceInUseException
    kInvalidArgument,                // InvalidArgumentException
    kLimitExceeded,                  // LimitExceededException
    kProvisionedThroughputExceeded,  // ProvisionedThroughputExceededException
    kExpiredIterator,                // ExpiredIteratorException
    kExpiredNextToken,               // ExpiredNextTokenException
    kAccessDenied,                   // AccessDeniedException
    kValidation,                     // ValidationException
    kInternalFailure,                // InternalFailure
    kSerialization,                  // SerializationException (the request body's shape)
    kUnknownOperation,               // UnknownOperationException
    kMissingAuthenticationToken,     // MissingAuthenticationTokenException
    kIncompleteSignature,            // IncompleteSignatureException
    kInvalidSignature,               // InvalidSignatureException (wrong or stale SigV4 signature)
    kUnrecognizedClient,             // UnrecognizedClientException (unknown access key)
    kIoError,
    kCorruption,
    kCancelled,
};

/// An expected failure: a code and a user-facing message in Kinesis's own wording.
struct Error {
    ErrorCode code;
    std::string message;

    template <class... Args>
    static Error make(ErrorCode code, fmt::format_string<Args...> f, Args&&... args) {
        return Error{code, fmt::format(f, std::forward<Args>(args)...)};
    }
};

/// Either a T or an Error; shaped like C++23 std::expected so it can be swapped later.
template <class T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    Result(T value)  // NOLINT: implicit like std::expected
        : v_(std::move(value)) {}
    Result(Error error)  // NOLINT
        : v_(std::move(error)) {}

    bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(v_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(v_);
    }
    // Rvalue access returns by value so `for (auto& x : *f())` does not dangle.
    T value() && {
        assert(has_value());
        return std::get<0>(std::move(v_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& {
        assert(!has_value());
        return std::get<1>(v_);
    }
    Error&& error() && {
        assert(!has_value());
        return std::get<1>(std::move(v_));
    }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)  // NOLINT
        : error_(std::move(error))
        , failed_(true) {}

    bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    const Error& error() const& {
        assert(failed_);
        return error_;
    }
    Error&& error() && {
        assert(failed_);
        return std::move(error_);
    }

private:
    Error error_{ErrorCode::kInternalFailure, {}};
    bool failed_ = false;
};

using Status = Result<void>;

inline Status ok() {
    return {};
}

}  // namespace shardflow

/// Returns the error of a Status or Result expression from the enclosing function.
#define SF_TRY(expr)                                  \
    do {                                              \
        auto sf_try_result_ = (expr);                 \
        if (!sf_try_result_) {                        \
            return std::move(sf_try_result_).error(); \
        }                                             \
    } while (false)

#define SF_CONCAT_INNER(a, b) a##b
#define SF_CONCAT(a, b) SF_CONCAT_INNER(a, b)
#define SF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
    auto tmp = (expr);                           \
    if (!tmp) {                                  \
        return std::move(tmp).error();           \
    }                                            \
    lhs = std::move(tmp).value()

/// `SF_ASSIGN_OR_RETURN(auto x, f());` binds the value or returns the error.
#define SF_ASSIGN_OR_RETURN(lhs, expr) \
    SF_ASSIGN_OR_RETURN_IMPL(SF_CONCAT(sf_result_, __LINE__), lhs, expr)

/// Always-on check for invariants whose failure means a bug or corrupt state we cannot go on with.
#define SF_CHECK(cond)                                                    \
    do {                                                                  \
        if (!(cond)) {                                                    \
            ::shardflow::detail::check_failed(#cond, __FILE__, __LINE__); \
        }                                                                 \
    } while (false)

namespace shardflow::detail {
[[noreturn]] void check_failed(const char* condition, const char* file, int line);
}
