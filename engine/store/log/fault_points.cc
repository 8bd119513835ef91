// Fault points: one mutex-guarded table, skipped through an atomic while empty.

#include "engine/store/log/fault_points.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

namespace shardflow::store::log {
namespace {

struct ArmedFault {
    FaultPoint point;
    int error;
    std::string path_part;
    int times;
};

struct FaultTable {
    std::atomic<bool> any_armed{false};
    std::mutex mu;
    std::vector<ArmedFault> armed;  // guarded by mu
};

// Never destroyed: I/O during static destruction may still ask.
FaultTable& table() {
    static auto* t = new FaultTable;
    return *t;
}

}  // namespace

void FaultPoints::arm(FaultPoint point, int error, std::string path_part, int times) {
    auto& t = table();
    std::lock_guard lock(t.mu);
    t.armed.push_back({point, error, std::move(path_part), times});
    t.any_armed.store(true, std::memory_order_release);
}

void FaultPoints::disarm_all() {
    auto& t = table();
    std::lock_guard lock(t.mu);
    t.armed.clear();
    t.any_armed.store(false, std::memory_order_release);
}

int FaultPoints::hit(FaultPoint point, const std::filesystem::path& file) {
    auto& t = table();
    if (!t.any_armed.load(std::memory_order_relaxed)) {
        return 0;
    }
    std::lock_guard lock(t.mu);
    auto it = std::find_if(t.armed.begin(), t.armed.end(), [&](const ArmedFault& f) {
        return f.point == point && file.native().find(f.path_part) != std::string::npos;
    });
    if (it == t.armed.end()) {
        return 0;
    }
    int error = it->error;
    if (--it->times == 0) {
        t.armed.erase(it);
        t.any_armed.store(!t.armed.empty(), std::memory_order_release);
    }
    return error;
}

}  // namespace shardflow::store::log
