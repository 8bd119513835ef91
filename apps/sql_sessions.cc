#include "apps/sql_sessions.h"

namespace shardflow::app {

std::shared_ptr<service::SqlSession> SqlSessions::of(std::string_view id) {
    if (id.empty()) {
        return std::make_shared<service::SqlSession>();
    }
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(std::string(id)); it != sessions_.end()) {
        order_.splice(order_.begin(), order_, it->second.in_order);
        return it->second.session;
    }
    if (sessions_.size() >= capacity_) {
        sessions_.erase(order_.back());
        order_.pop_back();
    }
    order_.emplace_front(id);
    auto session = std::make_shared<service::SqlSession>();
    sessions_.emplace(order_.front(), Entry{session, order_.begin()});
    return session;
}

}  // namespace shardflow::app
