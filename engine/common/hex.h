#pragma once
// Lower-case hexadecimal, two digits per byte: SigV4's hashes and signatures, request ids.

#include <string>
#include <string_view>

namespace shardflow {

std::string hex_encode(std::string_view bytes);

}  // namespace shardflow
