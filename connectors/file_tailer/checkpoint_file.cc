// Checkpoints as JSON: read whole, written whole through a temporary file and rename(2).

#include "connectors/file_tailer/checkpoint_file.h"

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace shardflow::connectors {
namespace json = boost::json;

Result<Checkpoints> load_checkpoints(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return Checkpoints{};
    }
    std::stringstream text;
    text << in.rdbuf();
    Checkpoints out;
    try {
        json::value parsed = json::parse(text.str());
        for (const auto& f : parsed.at("files").as_array()) {
            FilePosition p{std::string(f.at("path").as_string()),
                           json::value_to<uint64_t>(f.at("device")),
                           json::value_to<uint64_t>(f.at("inode")),
                           json::value_to<uint64_t>(f.at("offset"))};
            out[p.path] = p;
        }
    } catch (const std::exception& e) {
        return Error::make(ErrorCode::kCorruption,
                           "the checkpoint file {} is not what the agent writes ({}); move it "
                           "away to start over",
                           file.string(),
                           e.what());
    }
    return out;
}

Status save_checkpoints(const std::filesystem::path& file, const Checkpoints& checkpoints) {
    json::array files;
    for (const auto& [path, p] : checkpoints) {
        files.push_back(json::object{
            {"path", p.path}, {"device", p.device}, {"inode", p.inode}, {"offset", p.offset}});
    }
    std::string text = json::serialize(json::object{{"version", 1}, {"files", std::move(files)}});
    std::filesystem::path temp = file;
    temp += ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool written = fd >= 0 &&
                   ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                   ::fsync(fd) == 0;
    int saved_errno = errno;
    if (fd >= 0) {
        ::close(fd);
    }
    if (!written || std::rename(temp.c_str(), file.c_str()) != 0) {
        return Error::make(ErrorCode::kIoError,
                           "cannot save checkpoints to {}: {}",
                           file.string(),
                           std::strerror(written ? errno : saved_errno));
    }
    return ok();
}

}  // namespace shardflow::connectors
