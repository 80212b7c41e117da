// The loader's side of the schema/loader agreement: every file of tests/schema/corpus that is named
// valid-* loads without an error, and every invalid-* file is refused with the loader error that its
// "# loader-error: ..." comment names. tests/schema/check_schema.py checks the same files against
// rules/schema/rules.schema.json, so the schema editors use cannot drift from the loader unnoticed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "policy/rule_loader.hpp"

namespace telpolicy::test {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t min_corpus_files = 12;
constexpr std::string_view loader_error_marker = "# loader-error:";

fs::path corpus_dir() { return fs::path(TELPOLICY_TEST_SCHEMA_CORPUS_DIR); }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// File names of the corpus (*.yaml), sorted; empty when the folder cannot be read.
std::vector<std::string> corpus_files() {
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(corpus_dir(), error), end; !error && it != end; it.increment(error)) {
        if (it->path().extension() == ".yaml") names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

// The texts after "# loader-error:" in the file, trimmed.
std::vector<std::string> expected_loader_errors(const fs::path& path) {
    std::vector<std::string> expected;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (!starts_with(line, loader_error_marker)) continue;
        std::string text = line.substr(loader_error_marker.size());
        const auto first = text.find_first_not_of(" \t");
        const auto last = text.find_last_not_of(" \t\r");
        expected.push_back(first == std::string::npos ? std::string() : text.substr(first, last - first + 1));
    }
    return expected;
}

std::string all_diagnostics(const RuleLoadResult& result) {
    std::string out;
    for (const Diagnostic& diagnostic : result.diagnostics) out += "\n  " + diagnostic.to_string();
    return out.empty() ? "\n  (no diagnostic)" : out;
}

class SchemaCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(SchemaCorpus, LoaderAgreesWithTheFileName) {
    const std::string& name = GetParam();
    const fs::path path = corpus_dir() / name;
    const RuleLoadResult result = load_rules_file(path);
    if (starts_with(name, "valid-")) {
        EXPECT_TRUE(result.value) << name << " should load:" << all_diagnostics(result);
        EXPECT_FALSE(has_errors(result.diagnostics))
            << name << " should load without an error:" << all_diagnostics(result);
    } else if (starts_with(name, "invalid-")) {
        EXPECT_FALSE(result.value) << name << " should be refused";
        EXPECT_TRUE(has_errors(result.diagnostics)) << name << " should be refused with an error";
        const std::vector<std::string> expected = expected_loader_errors(path);
        ASSERT_EQ(expected.size(), 1u)
            << name << " needs one '" << loader_error_marker << " <part of the message>' line";
        ASSERT_FALSE(expected[0].empty()) << name << ": the '" << loader_error_marker << "' line names no message";
        const bool found = std::any_of(result.diagnostics.begin(), result.diagnostics.end(), [&](const Diagnostic& d) {
            return d.severity == Severity::error && d.message.find(expected[0]) != std::string::npos;
        });
        EXPECT_TRUE(found) << name << ": no error contains '" << expected[0] << "'; got:" << all_diagnostics(result);
    } else {
        ADD_FAILURE() << name << ": corpus file names start with valid- or invalid-";
    }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param.substr(0, info.param.size() - std::string_view(".yaml").size());
    std::replace_if(
        name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, SchemaCorpus, ::testing::ValuesIn(corpus_files()), test_name);

TEST(SchemaCorpusContents, HasEnoughValidAndInvalidFiles) {
    const std::vector<std::string> names = corpus_files();
    const auto valid =
        std::count_if(names.begin(), names.end(), [](const std::string& n) { return starts_with(n, "valid-"); });
    const auto invalid =
        std::count_if(names.begin(), names.end(), [](const std::string& n) { return starts_with(n, "invalid-"); });
    EXPECT_GE(names.size(), min_corpus_files) << corpus_dir();
    EXPECT_GT(valid, 0) << corpus_dir();
    EXPECT_GT(invalid, 0) << corpus_dir();
}

}  // namespace
}  // namespace telpolicy::test
