#include "sql/binder/regex_functions.h"

#include <re2/re2.h>

#include <memory>
#include <unordered_map>
#include <vector>

namespace shardflow::sql {
namespace {

/// Patterns are nearly always constants: each thread compiles one once. A pattern taken from
/// the data could differ on every row, so the cache is emptied when it holds too many. Null for
/// a pattern RE2 refuses.
const re2::RE2* compiled(const std::string& pattern) {
    constexpr size_t kMaxCached = 64;
    thread_local std::unordered_map<std::string, std::unique_ptr<re2::RE2>> cache;
    if (auto it = cache.find(pattern); it != cache.end()) {
        return it->second.get();
    }
    if (cache.size() >= kMaxCached) {
        cache.clear();
    }
    re2::RE2::Options options;
    options.set_log_errors(false);  // a bad pattern is the query's NULL, not a line on stderr
    auto re = std::make_unique<re2::RE2>(pattern, options);
    if (!re->ok()) {
        re.reset();
    }
    return cache.emplace(pattern, std::move(re)).first->second.get();
}

re2::StringPiece piece(std::string_view s) {
    return re2::StringPiece(s.data(), s.size());
}

/// `replacement` in RE2's rewrite syntax: \N for a group, a backslash doubled.
std::string rewrite_of(std::string_view replacement) {
    std::string out;
    for (size_t i = 0; i < replacement.size(); ++i) {
        const char c = replacement[i];
        const char next = i + 1 < replacement.size() ? replacement[i + 1] : '\0';
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '$' && next >= '0' && next <= '9') {
            out += '\\';
            out += next;
            ++i;
        } else if (c == '$' && (next == '&' || next == '$')) {
            out += next == '&' ? "\\0" : "$";
            ++i;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::optional<bool> regexp_matches(std::string_view text, const std::string& pattern) {
    const re2::RE2* re = compiled(pattern);
    if (!re) {
        return std::nullopt;
    }
    return re2::RE2::PartialMatch(piece(text), *re);
}

std::optional<std::string> regexp_extract(std::string_view text,
                                          const std::string& pattern,
                                          int64_t group) {
    const re2::RE2* re = compiled(pattern);
    if (!re || group < 0 || group > re->NumberOfCapturingGroups()) {
        return std::nullopt;
    }
    std::vector<re2::StringPiece> groups(static_cast<size_t>(group) + 1);
    if (!re->Match(piece(text),
                   0,
                   text.size(),
                   re2::RE2::UNANCHORED,
                   groups.data(),
                   static_cast<int>(groups.size())) ||
        groups.back().data() == nullptr) {
        return std::nullopt;
    }
    return std::string(groups.back().data(), groups.back().size());
}

std::optional<std::string> regexp_replace(std::string_view text,
                                          const std::string& pattern,
                                          std::string_view replacement) {
    const re2::RE2* re = compiled(pattern);
    const std::string rewrite = rewrite_of(replacement);
    std::string error;
    if (!re || !re->CheckRewriteString(rewrite, &error)) {
        return std::nullopt;
    }
    std::string out(text);
    re2::RE2::GlobalReplace(&out, *re, rewrite);
    return out;
}

}  // namespace shardflow::sql
