// Failed admin authentications: each logged without the token, and five in a row lock admin
// endpoints for a second, then two, four, ... up to a minute (429 with Retry-After), so that a
// guesser is slowed down. Before, failures were neither logged nor slowed.
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include "admin_guard.hpp"
#include "decision_service.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = server::AdminGuard::Clock;

TEST(AdminGuard, FiveFailuresInARowLockForASecondThenTwiceAsLongEachTime) {
    server::AdminGuard guard;
    const Clock::time_point start{};
    for (std::uint32_t i = 1; i < server::AdminGuard::free_failures; ++i) {
        EXPECT_EQ(guard.failed(start), i);
        EXPECT_FALSE(guard.locked_for(start)) << "after " << i << " failures";
    }
    guard.failed(start);
    EXPECT_EQ(guard.locked_for(start), std::chrono::seconds(1));
    EXPECT_FALSE(guard.locked_for(start + std::chrono::seconds(1)));
    guard.failed(start + std::chrono::seconds(1));
    EXPECT_EQ(guard.locked_for(start + std::chrono::seconds(1)), std::chrono::seconds(2));
    Clock::time_point now = start + std::chrono::seconds(3);
    for (int i = 0; i < 20; ++i) guard.failed(now);
    EXPECT_EQ(guard.locked_for(now), server::AdminGuard::longest_lockout) << "capped";
    // Retry-After is rounded up: waiting as long as it says is enough.
    EXPECT_EQ(guard.locked_for(now + std::chrono::milliseconds(59'500)), std::chrono::seconds(1));
}

TEST(AdminGuard, ARightTokenStartsTheCountAgain) {
    server::AdminGuard guard;
    for (int i = 0; i < 4; ++i) guard.failed();
    guard.succeeded();
    for (int i = 0; i < 4; ++i) guard.failed();
    EXPECT_FALSE(guard.locked_for());
}

server::HttpRequest reload_request(const std::string& authorization) {
    server::HttpRequest request{boost::beast::http::verb::post, "/v1/reload", 11};
    request.set(boost::beast::http::field::host, "x");
    if (!authorization.empty()) request.set(boost::beast::http::field::authorization, authorization);
    return request;
}

TEST(AdminGuard, EveryFailureIsLoggedWithoutTheTokenAndTheSixthAttemptIs429) {
    Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR});
    server::ServerOptions options;
    options.admin_token = "the-real-admin-token";
    server::ServiceMetrics metrics;
    std::ostringstream log_text;
    auto logger = std::make_shared<spdlog::logger>("admin", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
    server::DecisionService service(engine, options, Limits{}, metrics, nullptr, logger);
    const auto answer = [&service](const std::string& authorization) {
        server::HttpResponse response;
        service.handle(reload_request(authorization), response);
        return response;
    };
    EXPECT_EQ(answer("").result_int(), 401u);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(answer("Bearer the-real-admin-tokeX").result_int(), 401u);
    const std::string logged = log_text.str();
    EXPECT_THAT(logged, HasSubstr("admin authentication failed on POST /v1/reload: no Authorization header (1 in a row)"));
    EXPECT_THAT(logged, HasSubstr("the admin token is wrong (5 in a row; admin endpoints refuse every attempt"));
    EXPECT_THAT(logged, Not(HasSubstr("tokeX")));
    EXPECT_THAT(logged, Not(HasSubstr("the-real-admin-token")));
    // Locked: even the right token waits.
    const server::HttpResponse locked = answer("Bearer the-real-admin-token");
    EXPECT_EQ(locked.result_int(), 429u);
    EXPECT_EQ(locked[boost::beast::http::field::retry_after], "1");
    EXPECT_EQ(nlohmann::json::parse(locked.body())["error"]["code"], "too_many_attempts");
    EXPECT_EQ(engine.revision(), 1u) << "nothing was reloaded";
}

}  // namespace
}  // namespace telpolicy::test
