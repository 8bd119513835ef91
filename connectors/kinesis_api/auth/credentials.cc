// Shared-credentials file reader: sections, `key = value` lines, '#' and ';' comments.

#include "connectors/kinesis_api/auth/credentials.h"

#include <fstream>

namespace shardflow::api::auth {
namespace {

std::string trimmed(const std::string& s) {
    size_t begin = s.find_first_not_of(" \t\r");
    size_t end = s.find_last_not_of(" \t\r");
    return begin == std::string::npos ? std::string{} : s.substr(begin, end - begin + 1);
}

}  // namespace

Result<Credentials> Credentials::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return Error::make(
            ErrorCode::kInvalidArgument, "cannot read credentials file {}", file.string());
    }
    std::map<std::string, std::string, std::less<>> secret_by_key;
    std::string key;
    std::string secret;
    auto finish_profile = [&] {
        if (!key.empty() && !secret.empty()) {
            secret_by_key[key] = secret;
        }
        key.clear();
        secret.clear();
    };
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = trimmed(line);
        if (line.empty() || line[0] == '#' || line[0] == ';') {
            continue;
        }
        if (line.front() == '[' && line.back() == ']') {
            finish_profile();
            continue;
        }
        size_t eq = line.find('=');
        if (eq == std::string::npos) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "{}:{}: expected 'name = value' or '[profile]', got '{}'",
                               file.string(),
                               number,
                               line);
        }
        std::string name = trimmed(line.substr(0, eq));
        if (name == "aws_access_key_id") {
            key = trimmed(line.substr(eq + 1));
        } else if (name == "aws_secret_access_key") {
            secret = trimmed(line.substr(eq + 1));
        }
    }
    finish_profile();
    if (secret_by_key.empty()) {
        return Error::make(
            ErrorCode::kInvalidArgument,
            "{} has no profile with both aws_access_key_id and aws_secret_access_key",
            file.string());
    }
    return Credentials(std::move(secret_by_key));
}

std::optional<std::string_view> Credentials::secret_for(std::string_view access_key) const {
    auto it = secret_by_key_.find(access_key);
    if (it == secret_by_key_.end()) {
        return std::nullopt;
    }
    return it->second;
}

}  // namespace shardflow::api::auth
