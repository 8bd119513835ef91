#pragma once
// CRC-32C (Castagnoli), the checksum of every log record frame.

#include <cstddef>
#include <cstdint>

namespace shardflow {

/// CRC-32C of `size` bytes, continuing from `crc` (0 to start). Uses SSE4.2 when the CPU has it.
uint32_t crc32c(const void* data, size_t size, uint32_t crc = 0);

}  // namespace shardflow
