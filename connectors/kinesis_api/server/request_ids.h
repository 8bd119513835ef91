#pragma once
// The ids every response carries, as AWS sends them: x-amzn-RequestId (a UUID) and x-amz-id-2.

#include <string>

namespace shardflow::api::detail {

std::string random_request_id();
std::string random_id2();

}  // namespace shardflow::api::detail
