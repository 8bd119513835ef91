#pragma once
// REGEXP, REGEXP_EXTRACT and REGEXP_REPLACE on RE2: matching takes time linear in the text and
// bounded memory whatever the pattern, so neither a user's pattern nor a record of a megabyte can
// stall or crash a query (std::regex backtracks, recursively: a 100 KB record against '(a|b)*c'
// overflowed the stack). RE2's syntax is the common one (classes, \d \w \s, anchors, groups,
// non-greedy repeats); backreferences and lookaround are not supported: such a pattern gives
// NULL, as any pattern RE2 refuses does.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardflow::sql {

/// Whether `pattern` matches somewhere in `text`; nullopt for a pattern RE2 refuses.
std::optional<bool> regexp_matches(std::string_view text, const std::string& pattern);

/// Group `group` (0: the whole match) of the first match of `pattern` in `text`; nullopt when
/// nothing matches, the group did not take part or does not exist, or the pattern is refused.
std::optional<std::string> regexp_extract(std::string_view text,
                                          const std::string& pattern,
                                          int64_t group);

/// `text` with every match of `pattern` replaced: in `replacement`, $1..$9 stand for a group,
/// $& (or $0) for the match and $$ for a '$' (ECMAScript's and Flink's notation). nullopt for a
/// refused pattern or a replacement naming a group the pattern does not have.
std::optional<std::string> regexp_replace(std::string_view text,
                                          const std::string& pattern,
                                          std::string_view replacement);

}  // namespace shardflow::sql
