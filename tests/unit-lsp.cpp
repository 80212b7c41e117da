// `telpolicy lsp`: the language server for rules files, driven over its pipes as an editor drives it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lsp_client.hpp"
#include "run_command.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

using nlohmann::json;

const std::filesystem::path validate_corpus = std::filesystem::path(TELPOLICY_TEST_SOURCE_DIR) / "validate";

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The byte column of a UTF-16 column of `line`, as validate counts columns.
std::size_t byte_column(const std::string& line, std::size_t utf16_column) {
    std::size_t units = 0;
    std::size_t i = 0;
    while (i < line.size() && units < utf16_column) {
        const auto lead = static_cast<unsigned char>(line[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        units += length == 4 ? 2 : 1;
        i += length;
    }
    return i;
}

// The diagnostics as validate prints them: "file:line:column: error|warning: message".
std::vector<std::string> as_validate_lines(const json& params, const std::string& path, const std::string& text) {
    const std::vector<std::string> lines = lines_of(text);
    std::vector<std::string> out;
    for (const json& diagnostic : params["diagnostics"]) {
        const auto line = diagnostic["range"]["start"]["line"].get<std::size_t>();
        const auto character = diagnostic["range"]["start"]["character"].get<std::size_t>();
        const std::string severity = diagnostic["severity"] == 1 ? "error" : "warning";
        const std::size_t column = line < lines.size() ? byte_column(lines[line], character) : character;
        out.push_back(path + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + severity + ": " +
                      diagnostic["message"].get<std::string>());
    }
    return out;
}

json open_params(const std::string& uri, const std::string& text, int version = 1) {
    return {{"textDocument", {{"uri", uri}, {"languageId", "yaml"}, {"version", version}, {"text", text}}}};
}

json position_params(const std::string& uri, std::size_t line, std::size_t character) {
    return {{"textDocument", {{"uri", uri}}}, {"position", {{"line", line}, {"character", character}}}};
}

std::vector<std::string> labels_of(const json& completion) {
    std::vector<std::string> labels;
    for (const json& item : completion["result"]["items"]) labels.push_back(item["label"].get<std::string>());
    return labels;
}

bool has(const std::vector<std::string>& words, const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

// A small rules file that loads, with a form, a mailbox, a contact and a described rule.
const std::string sample_rules = R"(format: 1
plugin: xt
countries: [XT]
actions: [new_numbers, port_in, xt.special]
pin: {used: false}
forms:
  - {id: loa-user, title: "Lettre d'autorisation été", version: "2.1", locale: fr-FR, url: "https://example.test/f"}
mailboxes:
  - {id: porting, address: porting@example.test}
contacts:
  - {id: desk, kind: service_desk, name: The desk, url: "https://example.test/desk"}
rules:
  - id: xt.new
    description: New numbers need the letter.
    when: {action: new_numbers}
    then: {forms: [loa-user], mailbox: porting}
  - id: xt.port
    when: {action: port_in}
    then: {contacts: [desk]}
)";

// Validate's lines for a corpus file against the server's diagnostics for the same text.
void expect_same_as_validate(const std::string& name) {
    const std::string path = (validate_corpus / name).string();
    const std::string text = read_text(path);
    const CommandResult validate = run_telpolicy({"validate", path});
    std::vector<std::string> expected = lines_of(validate.out);
    ASSERT_FALSE(expected.empty()) << name;
    // A problem of the whole file ("file: error: ...") is at the file's start in an editor.
    for (std::string& line : expected) {
        if (line.rfind(path + ": ", 0) == 0) line.insert(path.size(), ":1:1");
    }

    LspClient client;
    client.initialize();
    const std::string uri = file_uri(path);
    client.notify("textDocument/didOpen", open_params(uri, text));
    const auto published = client.wait_for_diagnostics(uri);
    ASSERT_TRUE(published) << name;
    EXPECT_EQ(as_validate_lines((*published)["params"], path, text), expected) << name;
}

TEST(LspDiagnostics, AreValidatesForSeveralErrorsAtOnce) { expect_same_as_validate("error-several-at-once.yaml"); }
TEST(LspDiagnostics, AreValidatesForAGapWarning) { expect_same_as_validate("warning-gap.yaml"); }
TEST(LspDiagnostics, AreValidatesForAYamlSyntaxError) { expect_same_as_validate("error-yaml-syntax.yaml"); }
TEST(LspDiagnostics, AreValidatesForAWholeFileProblem) { expect_same_as_validate("error-empty-file.yaml"); }

TEST(LspDiagnostics, CountColumnsInUtf16AfterNonAsciiText) {
    const auto dir = make_temp_dir("telpolicy-lsp");
    // 'é' is two bytes and one UTF-16 unit, '😀' four bytes and two units: the key after them
    // is at byte column 21 (validate's 22) and UTF-16 column 17.
    std::string text = sample_rules;
    text.replace(text.find("forms:\n"), 7, "forms:\n  - {id: \"éé😀\", bogus: 1, title: T}\n");
    const std::string path = (dir / "xt.yaml").string();
    std::ofstream(path, std::ios::binary) << text;
    LspClient client;
    client.initialize();
    const std::string uri = file_uri(path);
    client.notify("textDocument/didOpen", open_params(uri, text));
    const auto published = client.wait_for_diagnostics(uri);
    ASSERT_TRUE(published);
    const json& diagnostics = (*published)["params"]["diagnostics"];
    const auto bogus = std::find_if(diagnostics.begin(), diagnostics.end(), [](const json& d) {
        return d["message"].get<std::string>().find("unknown key 'bogus'") != std::string::npos;
    });
    ASSERT_NE(bogus, diagnostics.end()) << diagnostics.dump();
    EXPECT_EQ((*bogus)["range"]["start"]["line"], 6);
    EXPECT_EQ((*bogus)["range"]["start"]["character"], 17);
    EXPECT_EQ((*bogus)["range"]["end"]["character"], 22);
    EXPECT_EQ((*bogus)["severity"], 1);
    EXPECT_EQ((*bogus)["source"], "telpolicy");
    EXPECT_EQ(as_validate_lines((*published)["params"], path, text), lines_of(run_telpolicy({"validate", path}).out));
}

TEST(LspDiagnostics, ABurstOfChangesEndsWithTheLastTextsDiagnostics) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp-burst/xt.yaml";
    client.notify("textDocument/didOpen", open_params(uri, sample_rules));
    ASSERT_TRUE(client.wait_for_diagnostics(uri, [](const json& p) { return p.value("version", 0) == 1; }));
    for (int version = 2; version <= 6; ++version) {
        const std::string text = sample_rules + "key" + std::to_string(version) + ": 1\n";
        client.notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", version}}},
                                                 {"contentChanges", {{{"text", text}}}}});
    }
    const auto last = client.wait_for_diagnostics(uri, [](const json& p) { return p.value("version", 0) == 6; });
    ASSERT_TRUE(last);
    const std::string diagnostics = (*last)["params"]["diagnostics"].dump();
    EXPECT_NE(diagnostics.find("unknown key 'key6'"), std::string::npos) << diagnostics;
    for (const char* older : {"'key2'", "'key3'", "'key4'", "'key5'"}) {
        EXPECT_EQ(diagnostics.find(older), std::string::npos) << diagnostics;
    }
}

TEST(LspDiagnostics, AreClearedWhenTheFileIsClosed) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp-close/xt.yaml";
    client.notify("textDocument/didOpen", open_params(uri, sample_rules + "oops: 1\n"));
    ASSERT_TRUE(client.wait_for_diagnostics(uri, [](const json& p) { return !p["diagnostics"].empty(); }));
    client.notify("textDocument/didClose", {{"textDocument", {{"uri", uri}}}});
    EXPECT_TRUE(client.wait_for_diagnostics(uri, [](const json& p) { return p["diagnostics"].empty(); }));
}

TEST(LspDiagnostics, PolicyTestsFilesGetNoRulesDiagnostics) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.tests.yaml";
    client.notify("textDocument/didOpen", open_params(uri, "tests:\n  - request: {country: XT}\n    expect: {}\n"));
    const auto published = client.wait_for_diagnostics(uri);
    ASSERT_TRUE(published);
    EXPECT_TRUE((*published)["params"]["diagnostics"].empty());
    EXPECT_EQ(client.request("textDocument/completion", position_params(uri, 1, 4))["result"]["items"].size(), 0U);
}

// The sample with the rule xt.port's `then` being typed: `    then: {forms: [`.
std::string typing_forms() {
    std::string text = sample_rules;
    text.replace(text.find("    then: {contacts: [desk]}"), 28, "    then: {forms: [");
    return text;
}

TEST(LspCompletion, OffersTheFormsOfTheFileAfterFormsBracket) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.yaml";
    client.notify("textDocument/didOpen", open_params(uri, typing_forms()));
    const auto labels = labels_of(client.request("textDocument/completion", position_params(uri, 18, 19)));
    EXPECT_TRUE(has(labels, "loa-user"));
    EXPECT_FALSE(has(labels, "porting"));
}

TEST(LspCompletion, OffersTheKeysOfARuleOfThenAndOfTheTopLevel) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.yaml";
    std::string text = sample_rules;
    text.replace(text.find("    then: {contacts: [desk]}"), 28, "    \n    then: {contacts: [desk], ");
    text += "\n";
    client.notify("textDocument/didOpen", open_params(uri, text));
    const auto rule_keys = labels_of(client.request("textDocument/completion", position_params(uri, 18, 4)));
    EXPECT_TRUE(has(rule_keys, "when"));
    EXPECT_TRUE(has(rule_keys, "description"));
    const auto then_keys = labels_of(client.request("textDocument/completion", position_params(uri, 19, 29)));
    EXPECT_TRUE(has(then_keys, "deny"));
    EXPECT_TRUE(has(then_keys, "requires"));
    const auto top_keys = labels_of(client.request("textDocument/completion", position_params(uri, 20, 0)));
    EXPECT_TRUE(has(top_keys, "mailboxes"));
    EXPECT_FALSE(has(top_keys, "when"));
}

TEST(LspCompletion, OffersTheFilesActionsMailboxesAndCodes) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.yaml";
    // The file parsed once: its ids outlive the lines being typed.
    client.notify("textDocument/didOpen", open_params(uri, sample_rules));
    ASSERT_TRUE(client.wait_for_diagnostics(uri));
    std::string text = sample_rules;
    text.replace(text.find("    when: {action: port_in}"), 27, "    when: {action: ");
    text.replace(text.find("    then: {contacts: [desk]}"), 28, "    then: {mailbox: p, deny: {code: ");
    client.notify("textDocument/didChange",
                  {{"textDocument", {{"uri", uri}, {"version", 2}}}, {"contentChanges", {{{"text", text}}}}});
    const auto actions = labels_of(client.request("textDocument/completion", position_params(uri, 17, 19)));
    EXPECT_TRUE(has(actions, "xt.special"));
    EXPECT_FALSE(has(actions, "set_pin"));
    const auto mailboxes = labels_of(client.request("textDocument/completion", position_params(uri, 18, 21)));
    EXPECT_TRUE(has(mailboxes, "porting"));
    EXPECT_FALSE(has(mailboxes, "desk"));  // a service desk is no mailbox
    const auto codes = labels_of(client.request("textDocument/completion", position_params(uri, 18, 36)));
    EXPECT_TRUE(has(codes, "numbers.missing"));
    EXPECT_TRUE(has(codes, "xt."));
}

TEST(LspHover, GivesARulesDescription) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.yaml";
    client.notify("textDocument/didOpen", open_params(uri, sample_rules));
    const json hover = client.request("textDocument/hover", position_params(uri, 12, 10));
    EXPECT_NE(hover["result"]["contents"]["value"].get<std::string>().find("New numbers need the letter."),
              std::string::npos)
        << hover.dump();
}

TEST(LspHover, GivesAFormsTitleVersionAndLocaleWhereItIsNamed) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.yaml";
    client.notify("textDocument/didOpen", open_params(uri, sample_rules));
    const std::string value =
        client.request("textDocument/hover", position_params(uri, 15, 22))["result"]["contents"]["value"];
    EXPECT_NE(value.find("Lettre d'autorisation été"), std::string::npos) << value;
    EXPECT_NE(value.find("2.1"), std::string::npos) << value;
    EXPECT_NE(value.find("fr-FR"), std::string::npos) << value;
    const std::string contact =
        client.request("textDocument/hover", position_params(uri, 18, 25))["result"]["contents"]["value"];
    EXPECT_NE(contact.find("https://example.test/desk"), std::string::npos) << contact;
}

TEST(LspDefinition, JumpsFromAReferenceToTheFormsLine) {
    LspClient client;
    client.initialize();
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.yaml";
    client.notify("textDocument/didOpen", open_params(uri, sample_rules));
    const json form = client.request("textDocument/definition", position_params(uri, 15, 22));
    EXPECT_EQ(form["result"]["uri"], uri);
    EXPECT_EQ(form["result"]["range"]["start"]["line"], 6);
    EXPECT_EQ(form["result"]["range"]["start"]["character"], 9);
    const json mailbox = client.request("textDocument/definition", position_params(uri, 15, 41));
    EXPECT_EQ(mailbox["result"]["range"]["start"]["line"], 8);
    EXPECT_TRUE(client.request("textDocument/definition", position_params(uri, 0, 0))["result"].is_null());
}

TEST(LspLifecycle, ShutdownThenExitExitsZero) {
    LspClient client;
    client.initialize();
    EXPECT_TRUE(client.request("shutdown", nullptr)["result"].is_null());
    client.notify("exit", nullptr);
    EXPECT_EQ(client.wait_exit(), 0);
}

TEST(LspLifecycle, ExitWithoutShutdownExitsOne) {
    LspClient client;
    client.initialize();
    client.notify("exit", nullptr);
    EXPECT_EQ(client.wait_exit(), 1);
}

TEST(LspLifecycle, AnswersUnknownRequestsWithMethodNotFound) {
    LspClient client;
    client.initialize();
    EXPECT_EQ(client.request("textDocument/formatting", json::object())["error"]["code"], -32601);
    EXPECT_EQ(client.request("textDocument/hover", json::object())["result"], nullptr);
}

TEST(LspLifecycle, RequestsBeforeInitializeAreRefused) {
    LspClient client;
    EXPECT_EQ(client.request("textDocument/hover", json::object())["error"]["code"], -32002);
}

TEST(LspTransport, GarbageDoesNotStopTheServer) {
    LspClient client;
    client.send_raw("garbage without a header\r\n\r\n");
    client.send_raw("Content-Length: twelve\r\n\r\n");
    client.send_raw("Content-Length: 9\r\n\r\nnot json!");
    client.send_raw("Content-Length: 2\r\n\r\n[]");
    client.send_raw("Content-Length: 13\r\n\r\n{\"method\": 5}");
    const std::string not_utf8 = "Content-Length: 4\r\n\r\n\xff\xfe";
    client.send_raw(not_utf8 + std::string(1, '\0') + "\x01");  // a NUL inside the body
    client.send(json{{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"}, {"params", 7}});
    client.send(json{{"jsonrpc", "2.0"}, {"id", 99}, {"method", "initialize"}, {"params", "no"}});
    const auto parse_error = client.wait_for([](const json& m) { return m.contains("error") && m["error"]["code"] == -32700; });
    EXPECT_TRUE(parse_error);
    const auto initialized = client.wait_for([](const json& m) { return m.contains("id") && m["id"] == 99; });
    ASSERT_TRUE(initialized);
    EXPECT_TRUE((*initialized)["result"].contains("capabilities"));
    // Hostile documents and positions, then a clean shutdown.
    const std::string uri = "file:///tmp/telpolicy-lsp/xt.yaml";
    client.notify("textDocument/didOpen", open_params(uri, std::string(100, '[') + "\n\t\"\xff: {&a [*a, *a]}"));
    client.request("textDocument/completion", position_params(uri, 1, 4000000));
    client.request("textDocument/hover", position_params(uri, 99, 0));
    client.notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", "x"}}},
                                             {"contentChanges", {{{"range", 5}, {"text", 3}}}}});
    EXPECT_TRUE(client.wait_for_diagnostics(uri));
    EXPECT_TRUE(client.request("shutdown", nullptr)["result"].is_null());
    client.notify("exit", nullptr);
    EXPECT_EQ(client.wait_exit(), 0);
}

}  // namespace
}  // namespace telpolicy::test
