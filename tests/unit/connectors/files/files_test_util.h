#pragma once
// Reading back what a files sink delivered: the objects under a root (gzip ones decompressed)
// and their lines.

#include "connectors/files/delivery_record.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <zlib.h>

namespace shardflow::connectors::files::testing {

/// 2024-03-05T07:08:09Z.
inline constexpr int64_t kArrival = 1709622489000;

inline DeliveryRecord record(std::string data, int64_t arrival_ms = kArrival) {
    return DeliveryRecord{std::move(data), arrival_ms};
}

/// The objects under `root`, relative to it and sorted, without the staging directory.
inline std::vector<std::string> objects(const std::filesystem::path& root) {
    std::vector<std::string> out;
    for (auto it = std::filesystem::recursive_directory_iterator(root);
         it != std::filesystem::recursive_directory_iterator();
         ++it) {
        if (it->path().filename() == ".staging") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) {
            out.push_back(std::filesystem::relative(it->path(), root).string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string gunzip(const std::string& compressed) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    z.avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    char chunk[4096];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(chunk, sizeof chunk - z.avail_out);
    }
    EXPECT_EQ(rc, Z_STREAM_END);
    EXPECT_EQ(z.avail_in, 0u);
    inflateEnd(&z);
    return out;
}

/// An object's content; gzip objects (".gz") decompressed.
inline std::string read_object(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return path.extension() == ".gz" ? gunzip(s.str()) : s.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

/// Every line of every object whose path starts with `under`, objects in name order.
inline std::vector<std::string> all_lines(const std::filesystem::path& root,
                                          const std::string& under = "") {
    std::vector<std::string> out;
    for (const std::string& o : objects(root)) {
        if (o.starts_with(under)) {
            for (std::string& line : lines_of(read_object(root / o))) {
                out.push_back(std::move(line));
            }
        }
    }
    return out;
}

/// The files left in the sink's staging directory.
inline size_t staging_files(const std::filesystem::path& root, const std::string& name) {
    auto dir = root / ".staging" / name;
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                             std::filesystem::directory_iterator()));
}

}  // namespace shardflow::connectors::files::testing
