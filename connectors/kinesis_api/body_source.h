#pragma once
// A response body that is written in parts over time.

#include <functional>
#include <optional>
#include <string>

namespace shardflow::api {

/// The rest of a body written over time, as SubscribeToShard's event stream is. The transport
/// asks for one part at a time, after the previous one is written (a client that stops reading
/// stops the reads behind it).
/// Threading: the transport calls pull() and cancel() from one strand; `deliver` may run on any
/// thread, once per pull, unless cancel() came first.
class BodySource {
public:
    /// The next part, or nullopt when the body is complete.
    using Deliver = std::function<void(std::optional<std::string>)>;
    virtual ~BodySource() = default;
    virtual void pull(Deliver deliver) = 0;
    /// The client is gone or the server stops: no part is wanted any more.
    virtual void cancel() = 0;
};

}  // namespace shardflow::api
