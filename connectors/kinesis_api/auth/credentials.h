#pragma once
// Access keys the server accepts under `--auth strict`, read from a file in the AWS
// shared-credentials format (the one `aws configure` writes):
//
//   [default]
//   aws_access_key_id = AKIDEXAMPLE
//   aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

#include "engine/common/error.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace shardflow::api::auth {

class Credentials {
public:
    Credentials() = default;
    explicit Credentials(std::map<std::string, std::string, std::less<>> secret_by_key)
        : secret_by_key_(std::move(secret_by_key)) {}

    /// Every profile with both keys; an error names the line of a malformed entry.
    static Result<Credentials> load(const std::filesystem::path& file);

    std::optional<std::string_view> secret_for(std::string_view access_key) const;
    size_t size() const { return secret_by_key_.size(); }

private:
    std::map<std::string, std::string, std::less<>> secret_by_key_;
};

}  // namespace shardflow::api::auth
