#include "bench/nexmark/queries/query_set.h"

#include "bench/nexmark/queries/aggregate_queries.h"
#include "bench/nexmark/queries/join_queries.h"
#include "bench/nexmark/queries/stateless_queries.h"
#include "bench/nexmark/queries/window_queries.h"

#include <fmt/format.h>

namespace shardflow::nexmark {

std::vector<std::string> last_row_per_group(const std::vector<std::string>& lines,
                                            size_t key_words) {
    std::map<std::string, std::string> last;
    for (const auto& line : lines) {
        size_t end = 0;
        for (size_t w = 0; w < key_words && end != std::string::npos; ++w) {
            end = line.find(' ', end == 0 ? 0 : end + 1);
        }
        last[line.substr(0, end)] = line;
    }
    std::vector<std::string> out;
    for (auto& [group, line] : last) {
        out.push_back(std::move(line));
    }
    return out;
}

const std::map<std::string, QueryInfo>& cpp_queries() {
    static const std::map<std::string, QueryInfo> all{
        {"q0", {"pass through: every bid", build_q0}},
        {"q1", {"currency conversion: 0.908 * price per bid", build_q1}},
        {"q2", {"selection: bids with auction % 123 = 0", build_q2}},
        {"q3", {"local item suggestion: category 10 auctions of sellers in OR, ID, CA", build_q3}},
        {"q4", {"average closing price per category (winning bids, then per category)", build_q4}},
        {"q5",
         {"hot items: the auctions with the most bids of each 10 s window every 2 s", build_q5}},
        {"q6", {"average selling price of each seller's last 10 closed auctions", build_q6}},
        {"q7", {"highest bid of each 10 s tumbling window", build_q7}},
        {"q8", {"persons who created an auction in the 10 s window they joined", build_q8}},
        {"q9", {"winning bids: each closed auction with its best bid in its time range", build_q9}},
        {"q11", {"bids per bidder session (gap 10 s)", build_q11}},
        {"q12", {"bids per bidder in 10 s processing-time windows", build_q12}},
        {"q15",
         {"bidding statistics per day: bids, distinct bidders and auctions per price band",
          build_q15}},
        {"q16",
         {"channel statistics per day: q15's figures per channel and the latest minute",
          build_q16}},
        {"q17", {"auction statistics per day (unbounded GROUP BY, an update stream)", build_q17}},
        {"q18", {"the last bid of each bidder on each auction (ROW_NUMBER = 1)", build_q18}},
        {"q19", {"the 10 best bids of each auction (ROW_NUMBER <= 10)", build_q19}},
        {"q13",
         {"bounded side input join: bids with a SQLite table by auction % 10000", build_q13}},
        {"q14", {"calculation: CASE on the hour, count_char(extra, 'c'), price band", build_q14}},
        {"q20",
         {"bids on category 10 auctions, expanded with the auction (regular join)", build_q20}},
        {"q21", {"channel id from the channel name or REGEXP_EXTRACT of the URL", build_q21}},
        {"q22", {"URL directories with SPLIT_INDEX", build_q22}},
    };
    return all;
}

}  // namespace shardflow::nexmark
