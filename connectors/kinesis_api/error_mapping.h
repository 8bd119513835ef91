#pragma once
// Maps the engine's error codes to what the Kinesis wire protocol answers: __type and HTTP status.

#include "engine/common/error.h"

#include <string_view>

namespace shardflow::api {

struct WireError {
    std::string_view type;
    int http_status;
};

/// One switch without a default: a new ErrorCode left unmapped fails to compile with -Wswitch.
WireError to_wire(ErrorCode code);

}  // namespace shardflow::api
