#pragma once
// Two inputs read as one: the partitions of the second input are numbered from kSecondInput
// up, so one executor reads both in parallel and the watermark is the minimum over both (a
// join cannot close a window while either side may still send records for it).

#include "engine/runtime/state_codec.h"
#include "engine/runtime/typed_pipeline.h"

namespace shardflow::runtime {

inline constexpr PartitionId kSecondInput = PartitionId{1} << 31;

/// A chain of the second input, which knows its partitions by their own numbers.
class RenumberedChain final : public ReaderChain {
public:
    explicit RenumberedChain(std::unique_ptr<ReaderChain> inner)
        : inner_(std::move(inner)) {}
    Result<PartitionRead> read(PartitionId partition, size_t max_records) override {
        return inner_->read(partition & ~kSecondInput, max_records);
    }

private:
    std::unique_ptr<ReaderChain> inner_;
};

/// The union of two reader plans producing the same T.
template <class T>
ReaderPlan<T> union_plans(ReaderPlan<T> first, ReaderPlan<T> second) {
    auto a = std::make_shared<ReaderPlan<T>>(std::move(first));
    auto b = std::make_shared<ReaderPlan<T>>(std::move(second));
    return ReaderPlan<T>{
        std::make_shared<std::pair<std::shared_ptr<void>, std::shared_ptr<void>>>(a, b),
        [a, b] { return a->describe() + " + " + b->describe(); },
        [a, b]() -> Result<std::vector<PartitionId>> {
            SF_ASSIGN_OR_RETURN(auto ids, a->readable_partitions());
            SF_ASSIGN_OR_RETURN(auto second_ids, b->readable_partitions());
            for (PartitionId id : ids) {
                if (id & kSecondInput) {
                    return Error::make(ErrorCode::kInvalidArgument,
                                       "partition {} of {} is too large for a union",
                                       id,
                                       a->describe());
                }
            }
            for (PartitionId id : second_ids) {
                ids.push_back(id | kSecondInput);
            }
            return ids;
        },
        [a, b] {
            StateWriter w;
            encode(w, std::pair{a->save_positions(), b->save_positions()});
            return w.take();
        },
        [a, b](std::string_view saved) -> Status {
            if (saved.empty()) {
                return ok();
            }
            StateReader r(saved);
            std::pair<std::string, std::string> positions;
            decode(r, positions);
            SF_TRY(r.status());
            SF_TRY(a->restore_positions(positions.first));
            return b->restore_positions(positions.second);
        },
        [a, b](PartitionId id,
               Downstream<T>& tail,
               StageArena& arena) -> std::unique_ptr<ReaderChain> {
            if (id & kSecondInput) {
                return std::make_unique<RenumberedChain>(b->build(id & ~kSecondInput, tail, arena));
            }
            return a->build(id, tail, arena);
        }};
}

}  // namespace shardflow::runtime
