#pragma once
// Writes each record as one JSON line to a file (appending) or to stdout.

#include "engine/common/error.h"
#include "engine/runtime/downstream.h"

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace shardflow::connectors {

/// An open output: a file appended to, or stdout. Flushed at every watermark and at the end.
class LineWriter {
public:
    static Result<std::unique_ptr<LineWriter>> open(
        const std::filesystem::path& path);  // "-" is stdout
    ~LineWriter();
    LineWriter(const LineWriter&) = delete;
    LineWriter& operator=(const LineWriter&) = delete;

    void write(std::string_view line);
    void flush();

private:
    explicit LineWriter(std::FILE* file, bool owned)
        : file_(file)
        , owned_(owned) {}
    std::FILE* file_;
    bool owned_;
};

/// `to_json` turns a record into one line of JSON (without the newline).
/// Threading: shared by every worker; writes lock.
template <class T>
class JsonLinesSink final : public runtime::Downstream<T> {
public:
    JsonLinesSink(std::unique_ptr<LineWriter> writer, std::function<std::string(const T&)> to_json)
        : writer_(std::move(writer))
        , to_json_(std::move(to_json)) {}

    void on_batch(std::span<T> batch) override {
        std::string lines;
        for (const T& record : batch) {
            lines += to_json_(record);
            lines += '\n';
        }
        std::lock_guard lock(mu_);
        writer_->write(lines);
    }
    void on_watermark(runtime::EventTime) override {
        std::lock_guard lock(mu_);
        writer_->flush();
    }
    void on_end() override {
        std::lock_guard lock(mu_);
        writer_->flush();
    }

private:
    std::mutex mu_;
    std::unique_ptr<LineWriter> writer_;
    std::function<std::string(const T&)> to_json_;
};

}  // namespace shardflow::connectors
