// One row per row of every country page the bundled plugins encode (docs/sources/teams/), through
// the public engine and the contract's JSON: what the organization asks, and the decision the page
// implies. The rows are data, tests/page-facts/<country>.yaml, written from the pages themselves
// (not from the rules files), and every row of every page must have one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>

#include <yaml-cpp/yaml.h>

#include "test_engine.hpp"
#include "yaml_json.hpp"

namespace telpolicy::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path facts_dir = fs::path(TELPOLICY_TEST_SOURCE_DIR) / "page-facts";
const fs::path pages_dir = fs::path(TELPOLICY_TEST_SOURCE_DIR) / ".." / "docs" / "sources";

struct PageFact {
    std::string file;   // tests/page-facts/<country>.yaml
    int line{0};        // where the row is in it
    std::string name;   // for gtest: <COUNTRY>_row<N>_<index>
    int row{0};         // the page's table row, from 1
    std::string task;   // the row's words
    json request;
    YAML::Node expect;  // allowed, codes, forms, destinations, send, notes_mention
};

void PrintTo(const PageFact& fact, std::ostream* out) { *out << fact.file << ":" << fact.line << " row " << fact.row; }

using cli::yaml_to_json;

std::vector<fs::path> fact_files() {
    std::vector<fs::path> files;
    if (!fs::is_directory(facts_dir)) return files;
    for (const auto& entry : fs::directory_iterator(facts_dir)) {
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<PageFact> load_facts() {
    std::vector<PageFact> facts;
    for (const fs::path& file : fact_files()) {
        const YAML::Node root = YAML::LoadFile(file.string());
        const std::string country = file.stem().string();
        std::size_t index = 0;
        for (const YAML::Node& item : root["rows"]) {
            PageFact fact;
            fact.file = fs::relative(file, fs::path(TELPOLICY_TEST_SOURCE_DIR) / "..").string();
            fact.line = item.Mark().line + 1;
            fact.row = item["row"].as<int>();
            fact.task = item["task"].as<std::string>("");
            fact.request = yaml_to_json(item["request"]);
            fact.expect = item;
            std::string upper = country;
            std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
            fact.name = upper + "_row" + std::to_string(fact.row) + "_" + std::to_string(++index);
            facts.push_back(std::move(fact));
        }
    }
    return facts;
}

// The rows of a page's tables, as Markdown reads them: after a header line and its |:---| separator,
// every line holding a '|' up to a blank line (a row may lack its leading or closing '|').
int table_rows(const fs::path& page) {
    std::ifstream in(page);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    static const std::regex separator(R"(^\s*\|?\s*:?-{3,}:?\s*\|)");
    int rows = 0;
    bool in_table = false;
    for (const std::string& line : lines) {
        if (std::regex_search(line, separator)) {
            in_table = true;  // the header line before it is not a row
            continue;
        }
        if (line.find_first_not_of(" \t\r") == std::string::npos || line.find('|') == std::string::npos) {
            in_table = false;
            continue;
        }
        if (in_table) ++rows;
    }
    return rows;
}

std::vector<std::string> strings(const YAML::Node& node) {
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(item.as<std::string>());
    return out;
}

// A decision's destination as the rows write it: "<kind> <address or url>".
std::vector<std::string> destinations(const json& decision) {
    std::vector<std::string> out;
    for (const auto& contact : decision["contacts"]) {
        const json& where = contact["address"].is_null() ? contact["url"] : contact["address"];
        out.push_back(contact["kind"].get<std::string>() + " " + (where.is_null() ? contact["name"].get<std::string>()
                                                                                  : where.get<std::string>()));
    }
    return out;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

class PageFacts : public ::testing::TestWithParam<PageFact> {};

TEST_P(PageFacts, GiveTheDecisionThePageImplies) {
    const PageFact& fact = GetParam();
    SCOPED_TRACE(fact.task);
    const json decision = decide_with_bundle(fact.request.dump());
    const YAML::Node& expect = fact.expect;
    const auto expected_codes = strings(expect["codes"]);
    EXPECT_EQ(codes(decision), expected_codes);
    EXPECT_EQ(decision["allowed"], expected_codes.empty());
    const std::string country = fact.request.value("country", "");
    EXPECT_EQ(decision["plugin"]["name"], lower(country));
    if (expect["forms"]) {
        const json wanted = yaml_to_json(expect["forms"]);
        json got = json::array();
        for (const auto& form : decision["forms"]) {
            got.push_back({{"title", form["title"]}, {"version", form["version"]}, {"locale", form["locale"]}, {"url", form["url"]}});
        }
        EXPECT_EQ(got, wanted);
    }
    if (expect["destinations"]) {
        EXPECT_EQ(destinations(decision), strings(expect["destinations"]));
    }
    if (expect["send"]) {
        EXPECT_EQ(decision["requires"].get<std::vector<std::string>>(), strings(expect["send"]));
    }
    std::string notes;
    for (const auto& note : decision["notes"]) notes += lower(note.get<std::string>()) + "\n";
    for (const std::string& words : strings(expect["notes_mention"])) {
        EXPECT_NE(notes.find(lower(words)), std::string::npos) << "no note mentions '" << words << "':\n" << notes;
    }
}

INSTANTIATE_TEST_SUITE_P(Pages, PageFacts, ::testing::ValuesIn(load_facts()),
                         [](const ::testing::TestParamInfo<PageFact>& row) { return row.param.name; });

// Every bundled country but the United States (whose seeds tests/unit-seed-facts.cpp covers) has
// its page's facts.
TEST(PageFactsCover, EveryBundledCountry) {
    for (const auto& entry : fs::directory_iterator(TELPOLICY_TEST_RULES_DIR)) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(".yaml") || name.ends_with(".tests.yaml") || name == "us.yaml") continue;
        EXPECT_TRUE(fs::exists(facts_dir / name)) << name << " has no page facts in " << facts_dir;
    }
}

// Every table row of every page has at least one fact, and no fact names a row the page lacks.
TEST(PageFactsCover, EveryRowOfEveryPage) {
    const auto facts = load_facts();
    const auto files = fact_files();
    ASSERT_FALSE(files.empty()) << "no page facts in " << facts_dir;
    for (const fs::path& file : files) {
        const YAML::Node root = YAML::LoadFile(file.string());
        const fs::path page = pages_dir / root["page"].as<std::string>();
        ASSERT_TRUE(fs::exists(page)) << file << " names a page that is not kept: " << page;
        const int rows = table_rows(page);
        std::set<int> covered;
        for (const YAML::Node& item : root["rows"]) covered.insert(item["row"].as<int>());
        for (int row = 1; row <= rows; ++row) {
            EXPECT_TRUE(covered.count(row) != 0) << file.filename() << ": row " << row << " of " << page.filename()
                                                 << " has no fact";
        }
        EXPECT_TRUE(covered.empty() || *covered.rbegin() <= rows)
            << file.filename() << " names row " << *covered.rbegin() << " but " << page.filename() << " has " << rows;
    }
}

}  // namespace
}  // namespace telpolicy::test
