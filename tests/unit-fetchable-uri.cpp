// Links made fetchable: what a URI cannot hold is percent-encoded, relative links are resolved.
#include <gtest/gtest.h>

#include "policy/fetchable_uri.hpp"

namespace telpolicy::test {
namespace {

TEST(FetchableUri, EncodesSpacesAndKeepsWhatAUriHolds) {
    const FetchableUri uri = make_fetchable("http://download.example/Letter of Authorization %28LOA%29 (v.3.1).pdf", {});
    ASSERT_TRUE(uri.value) << uri.diagnostics.front().message;
    EXPECT_EQ(*uri.value, "http://download.example/Letter%20of%20Authorization%20%28LOA%29%20(v.3.1).pdf");
}

TEST(FetchableUri, EncodesNonAsciiAsUtf8BytesAndALonePercent) {
    EXPECT_EQ(percent_encode_unsafe("https://x.example/Formulário 100%.pdf"),
              "https://x.example/Formul%C3%A1rio%20100%25.pdf");
    EXPECT_EQ(percent_encode_unsafe("a\"b<c>d\\e^f`g{h|i}j"), "a%22b%3Cc%3Ed%5Ce%5Ef%60g%7Bh%7Ci%7Dj");
}

// South Africa's page links "...-(en-us)[59].pdf": brackets are data outside the host.
TEST(FetchableUri, EncodesBracketsOutsideTheHost) {
    const FetchableUri uri = make_fetchable("https://download.example/dl/new-phone-number-request-(en-us)[59].pdf", {});
    ASSERT_TRUE(uri.value) << uri.diagnostics.front().message;
    EXPECT_EQ(*uri.value, "https://download.example/dl/new-phone-number-request-(en-us)%5B59%5D.pdf");
    EXPECT_EQ(percent_encode_unsafe("http://[2001:db8::1]/a[1]?q=[x]#[y]"), "http://[2001:db8::1]/a%5B1%5D?q=%5Bx%5D#%5By%5D");
    EXPECT_EQ(percent_encode_unsafe("forms/a[1].pdf"), "forms/a%5B1%5D.pdf");
}

TEST(FetchableUri, LeavesAnEncodedLinkAsItIs) {
    const std::string link = "https://learn.example/en-us/a%20b?x=1&y=%7E#part";
    EXPECT_EQ(make_fetchable(link, {}).value, link);
}

TEST(FetchableUri, ResolvesRelativeLinksAgainstThePagesLocation) {
    const std::string base = "https://learn.example/en-us/microsoftteams/manage-phone-numbers-for-your-organization/spain";
    EXPECT_EQ(make_fetchable("../pstn-service-desk", base).value, "https://learn.example/en-us/microsoftteams/pstn-service-desk");
    EXPECT_EQ(make_fetchable("/downloads/LOA ES.pdf", base).value, "https://learn.example/downloads/LOA%20ES.pdf");
    EXPECT_EQ(make_fetchable("forms/a.pdf", base).value,
              "https://learn.example/en-us/microsoftteams/manage-phone-numbers-for-your-organization/forms/a.pdf");
}

TEST(FetchableUri, RefusesARelativeLinkWithoutABase) {
    const FetchableUri uri = make_fetchable("../pstn-service-desk", {});
    EXPECT_FALSE(uri.value);
    EXPECT_NE(uri.diagnostics.front().message.find("base_url"), std::string::npos) << uri.diagnostics.front().message;
}

TEST(FetchableUri, RefusesSchemesOtherThanHttp) {
    for (const char* link : {"ftp://files.example/a.pdf", "mailto:someone@example.test", "javascript:alert(1)"}) {
        const FetchableUri uri = make_fetchable(link, {});
        EXPECT_FALSE(uri.value) << link;
        EXPECT_NE(uri.diagnostics.front().message.find("http or https"), std::string::npos) << uri.diagnostics.front().message;
    }
}

}  // namespace
}  // namespace telpolicy::test
