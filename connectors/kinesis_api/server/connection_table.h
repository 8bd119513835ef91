#pragma once
// What the HTTP/1.1 and HTTP/2 connections of one server share: the server's options and
// handler, and the table of open connections that keeps idle ones from locking clients out.
// Internal to the server.

#include "connectors/kinesis_api/server/http_server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <atomic>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace shardflow::api::detail {

namespace asio = boost::asio;

/// What the server needs of a session, whatever its transport.
class Closable {
public:
    virtual ~Closable() = default;
    /// An idle connection closes now, a busy one after its response.
    virtual void close_when_idle() = 0;
    /// Closes now: the connection table evicted it while it was idle.
    virtual void close_now() = 0;
};

/// The open connections, and those of them that are idle (waiting for the TLS handshake or the
/// start of a request, or draining after the last response) in the order they became idle. A
/// new connection beyond the total or the per-address cap evicts the longest idle connection
/// (of its own address for the latter), so idle connections cannot lock clients out.
/// Threading: every method is safe from any thread; the caps are set before the first admit.
class ConnectionTable {
public:
    void set_caps(size_t total, size_t per_address) {
        max_total_ = total;
        max_per_address_ = per_address;
    }

    /// Enters `session` from `address` as idle, evicting idle connections to stay within the
    /// caps; false when it must be refused because the connections in its way are all busy.
    bool admit(const std::shared_ptr<Closable>& session, const asio::ip::address& address) {
        std::vector<std::shared_ptr<Closable>> evicted;
        bool admitted;
        {
            std::lock_guard lock(mu_);
            auto from = addresses_.find(address);
            if (from != addresses_.end() && from->second.count >= max_per_address_) {
                if (from->second.idle.empty()) {
                    return false;
                }
                evicted.push_back(erase(from->second.idle.front()));
            }
            if (entries_.size() >= max_total_ && !idle_.empty()) {
                evicted.push_back(erase(idle_.front()));
            }
            admitted = entries_.size() < max_total_;
            if (admitted) {
                auto where = addresses_.try_emplace(address).first;
                ++where->second.count;
                auto& entry = entries_.try_emplace(session.get(), session, where).first->second;
                make_idle(session.get(), entry);
            }
        }
        close_all(evicted);
        return admitted;
    }

    void set_idle(const Closable* session) {
        std::lock_guard lock(mu_);
        if (auto it = entries_.find(session); it != entries_.end()) {
            make_idle(session, it->second);
        }
    }

    /// Marks `session` busy; false when it was evicted meanwhile and must close.
    bool set_busy(const Closable* session) {
        std::lock_guard lock(mu_);
        auto it = entries_.find(session);
        if (it == entries_.end()) {
            return false;
        }
        make_busy(it->second);
        return true;
    }

    /// Gives `from`'s place (and its idle or busy state) to `to`: the connection changed
    /// protocol (HTTP/2 after its preface). False when `from` was evicted meanwhile.
    bool hand_over(const Closable* from, const std::shared_ptr<Closable>& to) {
        std::lock_guard lock(mu_);
        auto it = entries_.find(from);
        if (it == entries_.end()) {
            return false;
        }
        Entry entry = std::move(it->second);
        entries_.erase(it);
        if (entry.idle) {
            *entry.in_idle = to.get();
            *entry.in_address_idle = to.get();
        }
        entry.session = to;
        entries_.emplace(to.get(), std::move(entry));
        return true;
    }

    void remove(const Closable* session) {
        std::lock_guard lock(mu_);
        erase(session);
    }

    /// Closes the longest idle connection, if there is one.
    void evict_longest_idle() {
        std::vector<std::shared_ptr<Closable>> evicted;
        {
            std::lock_guard lock(mu_);
            if (!idle_.empty()) {
                evicted.push_back(erase(idle_.front()));
            }
        }
        close_all(evicted);
    }

    std::pair<size_t, size_t> counts() const {
        std::lock_guard lock(mu_);
        return {entries_.size(), idle_.size()};
    }

    std::vector<std::shared_ptr<Closable>> sessions() const {
        std::lock_guard lock(mu_);
        std::vector<std::shared_ptr<Closable>> out;
        for (const auto& [key, entry] : entries_) {
            if (auto session = entry.session.lock()) {
                out.push_back(std::move(session));
            }
        }
        return out;
    }

private:
    using Order = std::list<const Closable*>;
    struct Address {
        size_t count = 0;
        Order idle;
    };
    using Addresses = std::map<asio::ip::address, Address>;
    struct Entry {
        Entry(std::weak_ptr<Closable> s, Addresses::iterator a)
            : session(std::move(s))
            , address(a) {}

        std::weak_ptr<Closable> session;
        Addresses::iterator address;
        bool idle = false;
        Order::iterator in_idle;
        Order::iterator in_address_idle;
    };

    void make_idle(const Closable* key, Entry& entry) {
        if (!entry.idle) {
            entry.in_idle = idle_.insert(idle_.end(), key);
            Order& of_address = entry.address->second.idle;
            entry.in_address_idle = of_address.insert(of_address.end(), key);
            entry.idle = true;
        }
    }

    void make_busy(Entry& entry) {
        if (entry.idle) {
            idle_.erase(entry.in_idle);
            entry.address->second.idle.erase(entry.in_address_idle);
            entry.idle = false;
        }
    }

    /// Forgets `key` and returns its session to close, null when it is gone already.
    std::shared_ptr<Closable> erase(const Closable* key) {
        auto it = entries_.find(key);
        if (it == entries_.end()) {
            return nullptr;
        }
        Entry& entry = it->second;
        make_busy(entry);
        if (--entry.address->second.count == 0) {
            addresses_.erase(entry.address);
        }
        auto session = entry.session.lock();
        entries_.erase(it);
        return session;
    }

    static void close_all(const std::vector<std::shared_ptr<Closable>>& sessions) {
        for (const auto& session : sessions) {
            if (session) {
                session->close_now();
            }
        }
    }

    size_t max_total_ = 0;
    size_t max_per_address_ = 0;
    mutable std::mutex mu_;
    std::unordered_map<const Closable*, Entry> entries_;
    Addresses addresses_;
    Order idle_;  // longest idle first
};

/// What sessions share with the server.
struct Shared {
    ServerOptions options;
    HttpServer::Handler handler;
    std::optional<asio::ssl::context> tls;
    std::atomic<bool> stopping{false};
    ConnectionTable connections;
};

}  // namespace shardflow::api::detail
