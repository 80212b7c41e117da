// Destination mailboxes: where each kind of request goes.
#include <gtest/gtest.h>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

TEST(Mailboxes, NewNumbersGoToTheNewNumbersMailbox) {
    EXPECT_EQ(decide(R"({"country":"US","action":"new_numbers"})")["mailbox"], "gcstnmsd@microsoft.com");
}

TEST(Mailboxes, PortingConvertingAndMovingGoToThePortingMailbox) {
    EXPECT_EQ(decide(R"({"country":"US","action":"port_in"})")["mailbox"], "ptn@microsoft.com");
    EXPECT_EQ(decide(R"({"country":"US","action":"convert_to_service","pin":"123456","pin_is_set":true,"numbers":["+12025550143"]})")["mailbox"],
              "ptn@microsoft.com");
    EXPECT_EQ(decide(R"({"country":"US","action":"transfer_tenant","pin":"123456","numbers":["+12025550143"]})")["mailbox"],
              "ptn@microsoft.com");
}

TEST(Mailboxes, TheMailboxIsGivenEvenWhenTheRequestIsRefused) {
    // The user learns where to write once the problem is fixed.
    const auto decision = decide(R"({"country":"US","action":"convert_to_service"})");
    EXPECT_FALSE(decision["allowed"]);
    EXPECT_EQ(decision["mailbox"], "ptn@microsoft.com");
}

TEST(Mailboxes, PinActionsAndPortOutHaveNone) {
    for (const char* action : {"set_pin", "clear_pin", "port_out"}) {
        EXPECT_TRUE(decide(std::string(R"({"country":"US","pin":"123456","pin_is_set":true,"action":")") + action + "\"}")["mailbox"]
                        .is_null())
            << action;
    }
}

TEST(Mailboxes, InvalidAndUnsupportedRequestsHaveNone) {
    EXPECT_TRUE(decide(R"({"country":"BR","action":"port_in"})")["mailbox"].is_null());
    EXPECT_TRUE(decide("{}")["mailbox"].is_null());
}

}  // namespace
}  // namespace telpolicy::test
