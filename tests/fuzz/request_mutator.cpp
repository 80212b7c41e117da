// The structure-aware request mutator (request_mutator.hpp), and the libFuzzer hook that installs it.
#include "request_mutator.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace telpolicy::fuzz {
namespace {

using json = nlohmann::json;

// A JSON value kept as it was written, which nlohmann's own document cannot do: a number keeps its
// spelling (1e3, -0, 10.0), a string its escapes, and an object may give a key twice.
struct Node {
    enum class Kind { scalar, array, object } kind{Kind::scalar};
    std::string text;               // a scalar's JSON text
    std::vector<std::string> keys;  // an object's keys, as JSON text, in order
    std::vector<Node> children;     // an array's items, or an object's values (children[i] is keys[i]'s)
};

Node scalar(std::string text) { return Node{Node::Kind::scalar, std::move(text), {}, {}}; }

std::string json_string(std::string_view text) { return json(std::string(text)).dump(); }

// Builds a Node tree from nlohmann's SAX events, which report a repeated key and a float's spelling.
class TreeBuilder {
public:
    bool null() { return add(scalar("null")); }
    bool boolean(bool value) { return add(scalar(value ? "true" : "false")); }
    bool number_integer(json::number_integer_t value) { return add(scalar(std::to_string(value))); }
    bool number_unsigned(json::number_unsigned_t value) { return add(scalar(std::to_string(value))); }
    bool number_float(json::number_float_t, const json::string_t& spelling) { return add(scalar(spelling)); }
    bool string(json::string_t& value) { return add(scalar(json_string(value))); }
    bool binary(json::binary_t&) { return false; }
    bool start_object(std::size_t) { return open(Node::Kind::object); }
    bool key(json::string_t& key) {
        open_.back()->keys.push_back(json_string(key));
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(Node::Kind::array); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

    Node root;

private:
    bool add(Node node) {
        if (open_.empty()) {
            root = std::move(node);
        } else {
            open_.back()->children.push_back(std::move(node));
        }
        return true;
    }
    bool open(Node::Kind kind) {
        add(Node{kind, {}, {}, {}});
        // Only the innermost open container grows, so the pointers to the outer ones stay valid.
        open_.push_back(open_.empty() ? &root : &open_.back()->children.back());
        return true;
    }
    bool close() {
        open_.pop_back();
        return true;
    }

    std::vector<Node*> open_;
};

// What the contract's fields hold, right and wrong: the values the mutator writes (as JSON text).
const std::vector<std::string_view> country_values = {
    R"("US")", R"("PR")", R"("DE")", R"("GB")", R"("FR")", R"("us")", R"("pR")", R"("XX")",
    R"("U")",  R"("USA")", R"("")",  R"("U\u0053")", "\"\xc3\x9cS\"", R"("U ")"};
const std::vector<std::string_view> action_values = {
    R"("port_in")", R"("port_out")", R"("new_numbers")", R"("convert_to_service")", R"("transfer_tenant")",
    R"("set_pin")", R"("clear_pin")", R"("PORT_IN")",   R"("")",               R"("not_a_word")",
    R"("port_in ")"};
const std::vector<std::string_view> number_type_values = {
    R"("user")", R"("subscriber")", R"("service")", R"("toll_free")", R"("unspecified")", R"("mobile")", R"("")"};
const std::vector<std::string_view> phone_numbers = {
    R"("+12025550143")", R"("+18005550199")", R"("+17875550123")", R"("+442079460958")", R"("+33142685300")",
    R"("+4930901820")",  R"("12")",          R"("")",             R"("+1 (202) 555-0143")", R"("2025550143")",
    "\"+1202555014\xef\xbc\x93\""};
const std::vector<std::string_view> pin_values = {
    R"("1234")",  R"("123456")", R"("0000000000")", R"("")", R"("12a4")", "\"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\"",
    R"("1234567890123")", R"("\u0031234567")", R"("cial charac")", R"("654321")"};
const std::vector<std::string_view> locale_values = {
    R"("en-US")", R"("fr_CA")", R"("es")", R"("zh-Hant-TW")", R"("x")", R"("en-")", R"("")", R"("abcdefghi-US")",
    R"("123")"};
const std::vector<std::string_view> boolean_values = {"true", "false", R"("true")", "1", "0"};
// Whole numbers spelled every way JSON allows, and the edges of 64 bits and of a double.
const std::vector<std::string_view> number_values = {
    "0",        "-0",        "-1",         "5000",       "1e3",       "1E+2",       "10.0",
    "-0.0",     "1.5",       "0.1e1",      "1e-400",     "1e308",     "1e400",      "2e19",
    "18446744073709551615",  "18446744073709551616",    "9223372036854775807",     "-9223372036854775808",
    "-9223372036854775809",  "9007199254740993",        "123456789012345678901234567890", "0.0000001"};
// Strings with escapes, surrogates (paired and lone), non-ASCII and bytes that are not UTF-8.
const std::vector<std::string_view> string_values = {
    R"("\u0000")", R"("\ud83d\ude00")", R"("\ud800")", R"("\udc00")", "\"\xc3\xa9\"", R"("\u00e9")", R"("\"")",
    R"("\\")",     R"("\n")",           R"("\/")",     "\"\xff\"",   "\"\x01\"",     "\"\x7f\"",    "\"\xe6\x97\xa5\"",
    R"("")"};
// Keys the contract does not define, some of which decode to one it does.
const std::vector<std::string_view> other_keys = {
    R"("extra")", R"("Country")", R"("country ")", R"("\u0063ountry")", R"("")", R"("pin\u0000")", R"("act\u0069on")"};
const std::vector<std::string_view> field_keys = {R"("country")", R"("action")",     R"("number_type")",
                                                  R"("numbers")", R"("count")",      R"("pin")",
                                                  R"("pin_is_set")", R"("locale")"};
// What may follow the object, or come before it: nothing of it is JSON except whitespace and a BOM.
const std::vector<std::string_view> trailers = {
    std::string_view("\0", 1), std::string_view("\0x", 2), " ", "\n", "\r\n", "\t", " {}",
    R"({"country":"US","action":"port_in"})", "x", "]", "}", ",", "\n{\"country\":\"US\",\"action\":\"port_in\"}\n",
    "//", "/* */"};
const std::vector<std::string_view> leaders = {"\xef\xbb\xbf", " ", "\n", std::string_view("\0", 1), "\xef\xbb\xbf\xef\xbb\xbf"};

class Mutator {
public:
    explicit Mutator(unsigned seed) : random_(seed) {}

    std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }
    bool one_in(std::size_t n) { return below(n) == 0; }
    std::string_view pick(const std::vector<std::string_view>& values) { return values[below(values.size())]; }

    // Up to three changes of the structure, then the text with the bytes that may surround it. A
    // change leaves most requests invalid: an eighth of the time, the bytes around a request are all
    // that changes, so that a valid one stays valid to a reader that misses them.
    std::string mutate(Node root) {
        const bool surroundings_only = one_in(8);
        const std::size_t changes = surroundings_only ? 0 : 1 + below(3);
        for (std::size_t i = 0; i < changes; ++i) change(root);
        std::string text;
        if (one_in(16)) text += pick(leaders);
        const bool spaced = one_in(3);
        write(root, spaced, text);
        if (surroundings_only || one_in(6)) text += pick(trailers);
        return text;
    }

private:
    void change(Node& root) {
        switch (below(9)) {
            case 0:
            case 1: return set_field(root, pick(field_keys), contract_value_or_any);
            case 2: return set_field(root, pick(field_keys), any_type);
            case 3: return replace_some_value(root, any_type);
            case 4: return remove_some_member(root);
            case 5: return repeat_some_member(root);
            case 6: return nest_some_value(root);
            case 7: return set_field(root, pick(other_keys), any_type);
            default: return swap_some_members(root);
        }
    }

    enum ValueChoice { contract_value_or_any, any_type };

    Node value_for(std::string_view key, ValueChoice choice) {
        if (choice == any_type || one_in(5)) return any_value(0);
        if (key == R"("country")") return scalar(std::string(pick(country_values)));
        if (key == R"("action")") return scalar(std::string(pick(action_values)));
        if (key == R"("number_type")") return scalar(std::string(pick(number_type_values)));
        if (key == R"("count")") return scalar(std::string(pick(number_values)));
        if (key == R"("pin")") return one_in(4) ? long_string('7') : scalar(std::string(pick(pin_values)));
        if (key == R"("pin_is_set")") return scalar(std::string(pick(boolean_values)));
        if (key == R"("locale")") return scalar(std::string(pick(locale_values)));
        if (key == R"("numbers")") {
            Node list{Node::Kind::array, {}, {}, {}};
            // Up to six: past the small limit (4) that the request-parser target also reads with.
            for (std::size_t n = below(7); n > 0; --n) list.children.push_back(scalar(std::string(pick(phone_numbers))));
            return list;
        }
        return any_value(0);
    }

    // Strings just over the limits a reader enforces (a PIN's 12 and 64 bytes) and far beyond.
    Node long_string(char fill) {
        static constexpr std::size_t lengths[] = {12, 13, 64, 65, 300, 2000};
        return scalar('"' + std::string(lengths[below(std::size(lengths))], fill) + '"');
    }

    Node any_value(int depth) {
        switch (below(depth < 3 ? 8 : 6)) {
            case 0: return scalar("null");
            case 1: return scalar(std::string(pick(boolean_values)));
            case 2: return scalar(std::string(pick(number_values)));
            case 3: return scalar(std::string(pick(string_values)));
            case 4: return one_in(3) ? long_string('a') : scalar(std::string(pick(action_values)));
            case 5: return scalar(std::string(pick(country_values)));
            case 6: {
                Node list{Node::Kind::array, {}, {}, {}};
                for (std::size_t n = below(4); n > 0; --n) list.children.push_back(any_value(depth + 1));
                return list;
            }
            default: {
                Node object{Node::Kind::object, {}, {}, {}};
                for (std::size_t n = below(3); n > 0; --n) {
                    object.keys.emplace_back(one_in(2) ? pick(field_keys) : pick(other_keys));
                    object.children.push_back(any_value(depth + 1));
                }
                return object;
            }
        }
    }

    // The first member with this key gets a new value; without one, the key is added somewhere.
    void set_field(Node& root, std::string_view key, ValueChoice choice) {
        Node value = value_for(key, choice);
        const auto found = std::find(root.keys.begin(), root.keys.end(), key);
        if (found != root.keys.end()) {
            root.children[static_cast<std::size_t>(found - root.keys.begin())] = std::move(value);
            return;
        }
        insert_member(root, std::string(key), std::move(value));
    }

    void insert_member(Node& object, std::string key, Node value) {
        const std::size_t at = below(object.keys.size() + 1);
        object.keys.insert(object.keys.begin() + static_cast<std::ptrdiff_t>(at), std::move(key));
        object.children.insert(object.children.begin() + static_cast<std::ptrdiff_t>(at), std::move(value));
    }

    // Every value below the root, or every object (the root included), depth first.
    static void collect(Node& node, std::vector<Node*>& values, std::vector<Node*>& objects) {
        if (node.kind == Node::Kind::object) objects.push_back(&node);
        for (Node& child : node.children) {
            values.push_back(&child);
            collect(child, values, objects);
        }
    }

    void replace_some_value(Node& root, ValueChoice choice) {
        std::vector<Node*> values;
        std::vector<Node*> objects;
        collect(root, values, objects);
        if (values.empty()) return set_field(root, pick(field_keys), choice);
        *values[below(values.size())] = value_for("", choice);
    }

    Node& some_object(Node& root) {
        std::vector<Node*> values;
        std::vector<Node*> objects;
        collect(root, values, objects);
        return *objects[below(objects.size())];
    }

    void remove_some_member(Node& root) {
        Node& object = some_object(root);
        if (object.keys.empty()) return;
        const auto at = static_cast<std::ptrdiff_t>(below(object.keys.size()));
        object.keys.erase(object.keys.begin() + at);
        object.children.erase(object.children.begin() + at);
    }

    // A key given twice: the contract refuses it at every depth; a reader that keeps the last (or
    // the first) would read another request than one that keeps the other.
    void repeat_some_member(Node& root) {
        Node& object = some_object(root);
        if (object.keys.empty()) return set_field(root, pick(field_keys), contract_value_or_any);
        const std::size_t at = below(object.keys.size());
        std::string key = object.keys[at];
        Node value = one_in(2) ? object.children[at] : value_for(key, contract_value_or_any);
        insert_member(object, std::move(key), std::move(value));
    }

    // A value wrapped in arrays or objects, sometimes to just around the depth limit (32).
    void nest_some_value(Node& root) {
        std::vector<Node*> values;
        std::vector<Node*> objects;
        collect(root, values, objects);
        if (values.empty()) return;
        Node& target = *values[below(values.size())];
        static constexpr std::size_t levels[] = {1, 2, 3, 30, 31, 32, 33};
        const bool in_arrays = one_in(2);
        for (std::size_t n = levels[below(std::size(levels))]; n > 0; --n) {
            Node wrapper{in_arrays ? Node::Kind::array : Node::Kind::object, {}, {}, {}};
            if (!in_arrays) wrapper.keys.emplace_back(R"("a")");
            wrapper.children.push_back(std::move(target));
            target = std::move(wrapper);
        }
    }

    void swap_some_members(Node& root) {
        Node& object = some_object(root);
        if (object.keys.size() < 2) return;
        const std::size_t a = below(object.keys.size());
        const std::size_t b = below(object.keys.size());
        std::swap(object.keys[a], object.keys[b]);
        std::swap(object.children[a], object.children[b]);
    }

    static void write(const Node& node, bool spaced, std::string& out) {
        switch (node.kind) {
            case Node::Kind::scalar: out += node.text; return;
            case Node::Kind::array:
                out += '[';
                for (std::size_t i = 0; i < node.children.size(); ++i) {
                    if (i > 0) out += spaced ? ", " : ",";
                    write(node.children[i], spaced, out);
                }
                out += ']';
                return;
            case Node::Kind::object:
                out += '{';
                for (std::size_t i = 0; i < node.children.size(); ++i) {
                    if (i > 0) out += spaced ? ",\n  " : ",";
                    out += node.keys[i];
                    out += spaced ? ": " : ":";
                    write(node.children[i], spaced, out);
                }
                out += '}';
                return;
        }
    }

    std::mt19937 random_;
};

}  // namespace

std::size_t mutate_request(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
    Mutator mutator(seed);
    // A third of the time, and for anything that is not a JSON object, bytes: what the structure
    // cannot reach (a broken token, a stray byte inside a string) is found this way.
    if (mutator.one_in(3)) return LLVMFuzzerMutate(data, size, max_size);
    TreeBuilder builder;
    const char* const text = reinterpret_cast<const char*>(data);
    if (!json::sax_parse(text, text + size, &builder) || builder.root.kind != Node::Kind::object) {
        return LLVMFuzzerMutate(data, size, max_size);
    }
    const std::string mutated = mutator.mutate(std::move(builder.root));
    if (mutated.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
    std::memcpy(data, mutated.data(), mutated.size());
    // Now and then a byte-level change of the new text as well.
    if (mutator.one_in(8)) return LLVMFuzzerMutate(data, mutated.size(), max_size);
    return mutated.size();
}

}  // namespace telpolicy::fuzz

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
    return telpolicy::fuzz::mutate_request(data, size, max_size, seed);
}
