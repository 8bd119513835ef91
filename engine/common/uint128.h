#pragma once
// The compiler's 128-bit unsigned integer, named once (`__extension__` keeps -Wpedantic quiet).

namespace shardflow {

__extension__ typedef unsigned __int128 uint128;

}  // namespace shardflow
