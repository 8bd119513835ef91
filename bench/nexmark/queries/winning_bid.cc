#include "bench/nexmark/queries/winning_bid.h"

namespace shardflow::nexmark {

void WinningBidOperator::on_batch(std::span<AuctionOrBid> batch) {
    for (AuctionOrBid& event : batch) {
        if (auto* auction = std::get_if<Auction>(&event)) {
            add_auction(*auction);
        } else {
            add_bid(std::get<Bid>(event));
        }
    }
}

void WinningBidOperator::add_auction(Auction& auction) {
    const int64_t id = auction.id;
    Open& open = open_[id];
    open.auction = std::move(auction);
    for (Bid& bid : open.waiting) {
        offer(open, bid);
    }
    open.waiting = {};
    schedule(id, open, open.auction->expires);
}

void WinningBidOperator::add_bid(Bid& bid) {
    auto it = open_.find(bid.auction);
    if (it != open_.end() && it->second.auction) {
        offer(it->second, bid);
        return;
    }
    if (watermark_ != runtime::kMinEventTime && bid.date_time <= watermark_) {
        ++late_records_;  // its auction, if it came, may have closed already
        return;
    }
    Open& open = it != open_.end() ? it->second : open_[bid.auction];
    schedule(bid.auction, open, bid.date_time);
    open.waiting.push_back(std::move(bid));
}

void WinningBidOperator::offer(Open& open, Bid& bid) {
    const Auction& auction = *open.auction;
    if (bid.date_time < auction.date_time || bid.date_time > auction.expires) {
        return;
    }
    if (!open.best || outbids(bid, *open.best)) {
        open.best = std::move(bid);
    }
}

void WinningBidOperator::schedule(int64_t id, Open& open, runtime::EventTime when) {
    if (when < open.scheduled) {
        open.scheduled = when;
        due_.emplace(when, id);
    }
}

void WinningBidOperator::on_watermark(runtime::EventTime watermark) {
    watermark_ = std::max(watermark_, watermark);
    while (!due_.empty() && due_.begin()->first <= watermark_) {
        auto entry = due_.extract(due_.begin());
        auto it = open_.find(entry.mapped());
        if (it == open_.end() || it->second.scheduled != entry.key()) {
            continue;  // superseded by an earlier entry for the id, already handled
        }
        Open& open = it->second;
        open.scheduled = runtime::kMaxEventTime;
        if (!settle(open)) {
            open_.erase(it);
        }
    }
    if (!out_.empty()) {
        next_.on_batch(out_);
        out_.clear();
    }
    next_.on_watermark(watermark);
}

bool WinningBidOperator::settle(Open& open) {
    if (open.auction) {
        if (open.auction->expires > watermark_) {
            schedule(open.auction->id, open, open.auction->expires);
            return true;
        }
        if (open.best) {
            out_.push_back(AuctionWinner{std::move(*open.auction), std::move(*open.best)});
        }
        return false;
    }
    std::erase_if(open.waiting, [this](const Bid& b) { return b.date_time <= watermark_; });
    if (open.waiting.empty()) {
        return false;
    }
    runtime::EventTime next = runtime::kMaxEventTime;
    for (const Bid& b : open.waiting) {
        next = std::min(next, b.date_time);
    }
    schedule(open.waiting.front().auction, open, next);
    return true;
}

}  // namespace shardflow::nexmark
