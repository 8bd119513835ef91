// Path confinement by canonical prefixes: a path is allowed when one of the canonical roots is a
// prefix of it, component by component, and no reserved path is.

#include "service/path_policy.h"

#include <fmt/format.h>

#include <algorithm>

namespace shardflow::service {
namespace {

/// weakly_canonical: symlinks of the part that exists are followed, `.` and `..` folded.
std::filesystem::path canonical_of(const std::filesystem::path& p) {
    std::error_code ec;
    auto out = std::filesystem::weakly_canonical(std::filesystem::absolute(p), ec);
    return ec ? std::filesystem::absolute(p).lexically_normal() : out;
}

/// Whether `path` is `base` or inside it.
bool within(const std::filesystem::path& path, const std::filesystem::path& base) {
    auto [b, p] = std::mismatch(base.begin(), base.end(), path.begin(), path.end());
    return b == base.end() || (std::next(b) == base.end() && b->empty());
}

}  // namespace

PathPolicy::PathPolicy(std::filesystem::path data_dir,
                       std::vector<std::filesystem::path> allowed_roots,
                       std::vector<std::filesystem::path> reserved)
    : confined_(true)
    , data_dir_(canonical_of(data_dir)) {
    roots_.push_back(data_dir_);
    for (const auto& root : allowed_roots) {
        roots_.push_back(canonical_of(root));
    }
    for (const auto& path : reserved) {
        reserved_.push_back(canonical_of(path));
    }
}

Result<std::filesystem::path> PathPolicy::resolve(std::string_view user_path) const {
    std::filesystem::path named(user_path);
    if (!confined_) {
        return named;
    }
    std::filesystem::path path = canonical_of(named.is_relative() ? data_dir_ / named : named);
    bool allowed =
        std::any_of(roots_.begin(), roots_.end(), [&](const auto& r) { return within(path, r); }) &&
        std::none_of(
            reserved_.begin(), reserved_.end(), [&](const auto& r) { return within(path, r); });
    if (!allowed) {
        return Error::make(ErrorCode::kAccessDenied,
                           "path '{}' is not allowed: SQL may name files under the data directory "
                           "(relative paths start there) or under a --sql-allowed-path of the "
                           "server, except the server's own files",
                           user_path);
    }
    return path;
}

std::string PathPolicy::shown(const std::filesystem::path& resolved) const {
    if (confined_ && within(resolved, data_dir_)) {
        return resolved.lexically_relative(data_dir_).string();
    }
    return resolved.string();
}

}  // namespace shardflow::service
