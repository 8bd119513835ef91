#include "sql/binder/schema.h"

#include "sql/sql_error.h"

#include <algorithm>
#include <cctype>

namespace shardflow::sql {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string lower_name(std::string_view name) {
    std::string out(name);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string closest_name(std::string_view wanted, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_distance = std::max<size_t>(2, wanted.size() / 3) + 1;
    for (const auto& c : candidates) {
        size_t d = edit_distance(wanted, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view wanted, const std::vector<std::string>& candidates) {
    std::string best = closest_name(wanted, candidates);
    return best.empty() ? "" : ", did you mean '" + best + "'?";
}

Result<size_t> Schema::resolve(std::string_view qualifier,
                               std::string_view name,
                               Position pos,
                               std::string_view clause) const {
    std::optional<size_t> found;
    std::vector<std::string> names;
    for (size_t i = 0; i < columns.size(); ++i) {
        const Column& c = columns[i];
        if (!qualifier.empty() && !same_name(c.qualifier, qualifier)) {
            continue;
        }
        names.push_back(c.name);
        if (!same_name(c.name, name)) {
            continue;
        }
        if (found) {
            return sql_error(
                pos, "column '{}' is ambiguous in {}: qualify it with its stream", name, clause);
        }
        found = i;
    }
    if (found) {
        return *found;
    }
    std::string shown =
        qualifier.empty() ? std::string(name) : fmt::format("{}.{}", qualifier, name);
    return sql_error(pos, "unknown column '{}' in {}{}", shown, clause, did_you_mean(name, names));
}

}  // namespace shardflow::sql
