#pragma once
// Runs fn(0..n-1) in parallel on a oneTBB arena.
//
// Under ThreadSanitizer the tasks run on plain threads instead: Debian's libtbb is not
// instrumented, so TSan reports TBB's own scheduler internals (inlined from its headers) as
// races and cannot see the ordering parallel_for gives. Threads keep the same fork-join
// structure, so TSan still checks everything the tasks themselves share.

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cstddef>
#if defined(__SANITIZE_THREAD__)
#include <thread>
#include <vector>
#endif

namespace shardflow::runtime {

template <class Fn>
void parallel_for_each([[maybe_unused]] tbb::task_arena& arena, size_t n, Fn&& fn) {
#if defined(__SANITIZE_THREAD__)
    std::vector<std::thread> threads;
    for (size_t i = 0; i < n; ++i) {
        threads.emplace_back([&fn, i] { fn(i); });
    }
    for (auto& t : threads) {
        t.join();
    }
#else
    arena.execute([&] { tbb::parallel_for(size_t{0}, n, [&](size_t i) { fn(i); }); });
#endif
}

}  // namespace shardflow::runtime
