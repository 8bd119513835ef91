#pragma once
// The subcommands of the shardflow binary; each returns the process exit code.

#include <string>
#include <vector>

namespace shardflow::app {

int serve_command(const std::vector<std::string>& args);
int sql_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);
int generate_command(const std::vector<std::string>& args);
int agent_command(const std::vector<std::string>& args);
int demo_command(const std::vector<std::string>& args);
int api_key_command(const std::vector<std::string>& args);

}  // namespace shardflow::app
