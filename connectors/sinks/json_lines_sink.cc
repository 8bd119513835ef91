// LineWriter: buffered stdio, so a batch costs one write call rather than one per line.

#include "connectors/sinks/json_lines_sink.h"

#include <cerrno>
#include <cstring>

namespace shardflow::connectors {

Result<std::unique_ptr<LineWriter>> LineWriter::open(const std::filesystem::path& path) {
    if (path == "-") {
        return std::unique_ptr<LineWriter>(new LineWriter(stdout, false));
    }
    std::FILE* file = std::fopen(path.c_str(), "ae");
    if (!file) {
        return Error::make(ErrorCode::kIoError,
                           "cannot open {} for appending: {}",
                           path.string(),
                           std::strerror(errno));
    }
    return std::unique_ptr<LineWriter>(new LineWriter(file, true));
}

LineWriter::~LineWriter() {
    if (owned_) {
        std::fclose(file_);
    } else {
        std::fflush(file_);
    }
}

void LineWriter::write(std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), file_);
}

void LineWriter::flush() {
    std::fflush(file_);
}

}  // namespace shardflow::connectors
