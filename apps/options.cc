// Option parsing: command line over environment over config file over defaults.

#include "apps/options.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string_view>

namespace shardflow::app {
namespace {

std::string env_name(const std::string& option) {
    std::string name = "SHARDFLOW_" + option;
    std::replace(name.begin(), name.end(), '-', '_');
    std::transform(
        name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
    return name;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

Result<Options> Options::parse(const std::vector<std::string>& args,
                               std::map<std::string, std::string> known) {
    std::map<std::string, std::string> given;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (!arg.starts_with("--")) {
            return Error::make(ErrorCode::kInvalidArgument, "unexpected argument '{}'", arg);
        }
        std::string name = arg.substr(2);
        std::string value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return Error::make(ErrorCode::kInvalidArgument, "option --{} needs a value", name);
        }
        if (name != "config" && !known.contains(name)) {
            return Error::make(ErrorCode::kInvalidArgument, "unknown option --{}", name);
        }
        given[name] = value;
    }
    std::map<std::string, std::string> from_file;
    std::string config = given.contains("config") ? given["config"] : "";
    if (config.empty() && std::getenv("SHARDFLOW_CONFIG")) {
        config = std::getenv("SHARDFLOW_CONFIG");
    }
    if (!config.empty()) {
        std::ifstream in(config);
        if (!in) {
            return Error::make(ErrorCode::kInvalidArgument, "cannot read config file {}", config);
        }
        std::string line;
        for (int number = 1; std::getline(in, line); ++number) {
            line = trim(line.substr(0, line.find('#')));
            if (line.empty()) {
                continue;
            }
            auto eq = line.find('=');
            std::string name = eq == std::string::npos ? "" : trim(line.substr(0, eq));
            if (!known.contains(name)) {
                return Error::make(ErrorCode::kInvalidArgument,
                                   "{}:{}: expected 'option = value' with a known option",
                                   config,
                                   number);
            }
            from_file[name] = trim(line.substr(eq + 1));
        }
    }
    Options options;
    for (auto& [name, fallback] : known) {
        const char* env = std::getenv(env_name(name).c_str());
        if (given.contains(name)) {
            options.values_[name] = given[name];
        } else if (env) {
            options.values_[name] = env;
        } else if (from_file.contains(name)) {
            options.values_[name] = from_file[name];
        } else {
            options.values_[name] = fallback;
        }
    }
    return options;
}

Result<int64_t> Options::get_int(const std::string& name) const {
    const std::string& text = get(name);
    char* end = nullptr;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0') {
        return Error::make(
            ErrorCode::kInvalidArgument, "option --{} needs a whole number, got '{}'", name, text);
    }
    return static_cast<int64_t>(value);
}

std::vector<std::string> Options::get_list(const std::string& name) const {
    std::vector<std::string> out;
    std::string_view rest = get(name);
    while (!rest.empty()) {
        size_t colon = rest.find(':');
        if (std::string_view part = rest.substr(0, colon); !part.empty()) {
            out.emplace_back(part);
        }
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
    return out;
}

}  // namespace shardflow::app
