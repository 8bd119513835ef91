#pragma once
// Command-line options with environment and config-file fallbacks, shared by subcommands.

#include "engine/common/error.h"

#include <map>
#include <string>
#include <vector>

namespace shardflow::app {

/// Options of one subcommand. A value comes from `--name value` (or `--name=value`), else from
/// the environment as SHARDFLOW_NAME (dashes as underscores, upper case), else from a
/// `--config FILE` of `name = value` lines, else from the default.
class Options {
public:
    /// `known` maps each option name to its default.
    static Result<Options> parse(const std::vector<std::string>& args,
                                 std::map<std::string, std::string> known);

    const std::string& get(const std::string& name) const { return values_.at(name); }
    Result<int64_t> get_int(const std::string& name) const;
    /// A PATH-style list, "a:b:c"; empty parts are dropped.
    std::vector<std::string> get_list(const std::string& name) const;

private:
    std::map<std::string, std::string> values_;
};

}  // namespace shardflow::app
