// Names of error codes and the always-on invariant check.

#include "engine/common/error.h"

#include <cstdio>
#include <cstdlib>

namespace shardflow {

std::string_view error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::kResourceNotFound:
            return "ResourceNotFoundException";
        case ErrorCode::kResourceInUse:
            return "ResourceInUseException";
        case ErrorCode::kInvalidArgument:
            return "InvalidArgumentException";
        case ErrorCode::kLimitExceeded:
            return "LimitExceededException";
        case ErrorCode::kProvisionedThroughputExceeded:
            return "ProvisionedThroughputExceededException";
        case ErrorCode::kExpiredIterator:
            return "ExpiredIteratorException";
        case ErrorCode::kExpiredNextToken:
            return "ExpiredNextTokenException";
        case ErrorCode::kAccessDenied:
            return "AccessDeniedException";
        case ErrorCode::kValidation:
            return "ValidationException";
        case ErrorCode::kInternalFailure:
        case ErrorCode::kIoError:
        case ErrorCode::kCorruption:
        case ErrorCode::kCancelled:
            return "InternalFailure";
    }
    return "InternalFailure";
}

namespace detail {
void check_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "shardflow: check failed: %s at %s:%d\n", condition, file, line);
    std::abort();
}
}  // namespace detail

}  // namespace shardflow
