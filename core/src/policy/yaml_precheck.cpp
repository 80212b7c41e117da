// The YAML pre-check: UTF-8 text first, quotes closed where they should be, then over parser events
// (a syntax error placed where it starts): nesting depth, aliases counted as if written out in full,
// and keys given twice in one mapping.
#include "policy/yaml_precheck.hpp"

#include <cstdint>
#include <map>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include "policy/yaml_position.hpp"
#include "policy/yaml_syntax.hpp"
#include "text/text_encoding.hpp"

namespace telpolicy {
namespace {

struct LimitCrossed {
    YamlTextProblem problem;
};

std::size_t saturating_add(std::size_t a, std::size_t b) noexcept { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

class LimitChecker final : public YAML::EventHandler {
public:
    explicit LimitChecker(const Limits& limits) : limits_(limits) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        child(mark, "~");
        finish_anchor(anchor, 0);
    }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
        child(mark, value);
        finish_anchor(anchor, 0);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        child(mark, std::nullopt);
        if (anchor == 0 || anchor > anchors_.size() || !anchors_[anchor - 1].finished) {
            // yaml-cpp would build a node that contains itself: any walk of it never ends.
            stop(mark, "this alias refers to a node that contains it; an alias may only repeat a node that is "
                       "already complete");
        }
        // The alias stands for its node written out in full: itself, plus every alias inside.
        const std::size_t uses = saturating_add(1, anchors_[anchor - 1].aliases_inside);
        total_aliases_ = saturating_add(total_aliases_, uses);
        if (!open_.empty()) open_.back().aliases_inside = saturating_add(open_.back().aliases_inside, uses);
        if (total_aliases_ > limits_.max_yaml_aliases) {
            stop(mark, "the file uses more than " + std::to_string(limits_.max_yaml_aliases) +
                           " aliases, counting those inside an aliased node each time it is used; refusing it "
                           "rather than expanding it (change the limit with --max-yaml-aliases)");
        }
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        child(mark, std::nullopt);
        open(mark, anchor, false);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        child(mark, std::nullopt);
        open(mark, anchor, true);
    }
    void OnMapEnd() override { close(); }

private:
    struct OpenNode {
        YAML::anchor_t anchor;
        std::size_t aliases_inside;
        bool is_map{false};
        bool next_is_key{true};                   // in a mapping, nodes alternate: key, value
        std::map<std::string, YAML::Mark> keys{};  // the mapping's scalar keys, where each first appears
    };
    struct Anchor {
        bool finished{false};
        std::size_t aliases_inside{0};
    };

    [[noreturn]] static void stop(const YAML::Mark& mark, std::string message, std::string code = "yaml.limit") {
        throw LimitCrossed{{mark, std::move(message), std::move(code)}};
    }

    // A node begins inside the innermost open collection: in a mapping, a key given twice is refused,
    // since the nodes would keep one value and silently drop the other. `key` is its text when it is
    // a scalar (a complex or aliased key is not compared).
    void child(const YAML::Mark& mark, const std::optional<std::string>& key) {
        if (open_.empty() || !open_.back().is_map) return;
        OpenNode& map = open_.back();
        const bool is_key = map.next_is_key;
        map.next_is_key = !map.next_is_key;
        if (!is_key || !key) return;
        const auto [first, inserted] = map.keys.emplace(*key, mark);
        if (!inserted) {
            stop(mark, "the key '" + *key + "' is given twice in this mapping, first at " + line_and_column(first->second) +
                           "; YAML would keep one value and drop the other: remove or rename one",
                 "yaml.duplicate_key");
        }
    }

    void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
        open_.push_back({anchor, 0, is_map});
        if (anchor != 0) anchor_slot(anchor).finished = false;
        if (open_.size() > limits_.max_yaml_depth) {
            stop(mark, "mappings and lists are nested more than " + std::to_string(limits_.max_yaml_depth) +
                           " levels deep here (change the limit with --max-yaml-depth)");
        }
    }

    void close() {
        if (open_.empty()) return;
        const OpenNode node = open_.back();
        open_.pop_back();
        finish_anchor(node.anchor, node.aliases_inside);
        if (!open_.empty()) {
            open_.back().aliases_inside = saturating_add(open_.back().aliases_inside, node.aliases_inside);
        }
    }

    void finish_anchor(YAML::anchor_t anchor, std::size_t aliases_inside) {
        if (anchor == 0) return;
        Anchor& slot = anchor_slot(anchor);
        slot.finished = true;
        slot.aliases_inside = aliases_inside;
    }

    // yaml-cpp numbers anchors 1, 2, 3... in order of appearance within a document.
    Anchor& anchor_slot(YAML::anchor_t anchor) {
        if (anchor > anchors_.size()) anchors_.resize(anchor);
        return anchors_[anchor - 1];
    }

    const Limits& limits_;
    std::vector<OpenNode> open_;
    std::vector<Anchor> anchors_;
    std::size_t total_aliases_{0};
};

}  // namespace

std::optional<YamlTextProblem> precheck_yaml(std::string_view text, const Limits& limits) {
    if (auto encoding = find_encoding_problem(text)) {
        YAML::Mark mark;
        mark.pos = static_cast<int>(encoding->offset);
        mark.line = encoding->line;
        mark.column = encoding->column;
        return YamlTextProblem{mark, std::move(encoding->message), "text.encoding"};
    }
    if (auto quote = find_runaway_quote(text)) return YamlTextProblem{quote->mark, std::move(quote->message), "yaml.syntax"};
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    LimitChecker checker(limits);
    try {
        parser.HandleNextDocument(checker);
    } catch (const LimitCrossed& crossed) {
        return crossed.problem;
    } catch (const YAML::Exception& error) {
        // The parser's words and place can mislead ("end of map not found", lines after the mistake).
        auto syntax = explain_syntax_error(text, error.mark, error.msg);
        return YamlTextProblem{syntax.mark, std::move(syntax.message), "yaml.syntax"};
    }
    return std::nullopt;
}

std::string yaml_text_problem(std::string_view yaml_text, const Limits& limits) {
    const auto problem = precheck_yaml(yaml_text, limits);
    if (!problem) return {};
    return std::to_string(problem->mark.line + 1) + ":" + std::to_string(problem->mark.column + 1) + ": " +
           problem->message;
}

}  // namespace telpolicy
