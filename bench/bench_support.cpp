// Shared set-up of the benchmark programs (bench_support.hpp).
#include "bench_support.hpp"

#include "request/region_codes.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace telpolicy::bench {

EngineOptions us_engine_options() {
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_BENCH_US_PLUGIN_DIR};
    options.rules_dirs = {TELPOLICY_BENCH_RULES_DIR};
    return options;
}

EngineOptions bundle_engine_options() {
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_BENCH_PLUGIN_DIR};
    options.rules_dirs = {TELPOLICY_BENCH_RULES_DIR};
    return options;
}

const Engine& us_engine() {
    static const Engine engine(us_engine_options());
    return engine;
}

namespace {

class Mix {
public:
    explicit Mix(unsigned seed) : random_(seed) {}

    double roll() { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }
    std::size_t pick(std::size_t low, std::size_t high) {
        return std::uniform_int_distribution<std::size_t>(low, high)(random_);
    }
    template <typename List>
    const auto& choice(const List& list) {
        return list[pick(0, std::size(list) - 1)];
    }
    std::string digits(std::size_t low, std::size_t high) {
        std::string out;
        for (std::size_t i = pick(low, high); i > 0; --i) out += static_cast<char>('0' + pick(0, 9));
        return out;
    }

private:
    std::mt19937 random_;
};

constexpr const char* actions[] = {"new_numbers", "port_in", "convert_to_service", "transfer_tenant",
                                   "port_out",    "set_pin", "clear_pin"};
constexpr const char* countries[] = {"US", "US", "US", "US", "US", "US", "US", "US", "US", "US",
                                     "US", "US", "PR", "PR", "PR", "us", "pr", "BR", "NZ"};
constexpr const char* number_types[] = {"user", "service", "toll_free", "subscriber"};
constexpr const char* locales[] = {"en-US", "en_US", "es-PR", "fr-CA", "EN-us"};
constexpr const char* numbers_list[] = {"+12025550143", "+12025550144",  "+17875550123",
                                        "+18002345678", "+442071838750", "12"};
constexpr const char* invalid_lines[] = {
    "not json",
    "",
    "[1,2]",
    R"({"country":"US"})",
    R"({"action":"port_in"})",
    R"({"country":"US","action":"teleport"})",
    R"({"country":"USA","action":"port_in"})",
    R"({"country":"US","action":"port_in","count":-3})",
    R"({"country":"US","action":"port_in","count":"12"})",
    R"({"country":"US","action":"set_pin","pin":123456})",
    R"({"country":"US","action":"port_in","numbers":"+12025550143"})",
    R"({"country":"US","action":"port_in","number_type":"mobile"})",
    R"({"country":"US","action":"port_in","locale":"x"})",
    R"({"country":"US","action":"port_in")",
    R"({"country":"US","action":"port_in","pin_is_set":"yes"})",
};

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string make_request(Mix& mix, double numbers) {
    const std::string action = mix.choice(actions);
    std::string line = R"({"country":)" + quoted(mix.choice(countries)) + R"(,"action":)" + quoted(action);
    if (mix.roll() < 0.4) line += R"(,"number_type":)" + quoted(mix.choice(number_types));
    const bool needs_pin = action == "set_pin" || action == "convert_to_service" || action == "transfer_tenant" ||
                           action == "port_out";
    if (needs_pin && mix.roll() < 0.85) {
        const double kind = mix.roll();
        line += R"(,"pin":)" + quoted(kind < 0.8 ? mix.digits(6, 10) : kind < 0.9 ? mix.digits(1, 5) : "12ab56");
    }
    if (mix.roll() < 0.5) line += std::string(R"(,"pin_is_set":)") + (mix.roll() < 0.7 ? "true" : "false");
    if (mix.roll() < numbers) {
        line += R"(,"numbers":[)";
        for (std::size_t i = mix.pick(1, 3); i > 0; --i) line += quoted(mix.choice(numbers_list)) + (i > 1 ? "," : "");
        line += "]";
    } else if (mix.roll() < 0.2) {
        constexpr const char* counts[] = {"1", "10", "250", "999", "1200"};
        line += std::string(R"(,"count":)") + mix.choice(counts);
    }
    if (mix.roll() < 0.15) line += R"(,"locale":)" + quoted(mix.choice(locales));
    return line + "}";
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("the US rules no longer hold '" + from + "'");
    text.replace(at, from.size(), to);
}

}  // namespace

std::vector<std::string> make_request_lines(std::size_t count, double numbers, double invalid, unsigned seed) {
    Mix mix(seed);
    std::vector<std::string> lines;
    lines.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        lines.push_back(mix.roll() < invalid ? std::string(mix.choice(invalid_lines)) : make_request(mix, numbers));
    }
    return lines;
}

const std::vector<std::string>& request_lines() {
    static const std::vector<std::string> lines = make_request_lines(4096, 0.0, 0.03);
    return lines;
}

const std::vector<std::string>& request_lines_with_numbers() {
    static const std::vector<std::string> lines = make_request_lines(4096, 0.05, 0.03);
    return lines;
}

const std::string& us_rules_text() {
    static const std::string text = read_file(std::string(TELPOLICY_BENCH_RULES_DIR) + "/us.yaml");
    return text;
}

std::string generated_country(std::size_t index) {
    // The country codes a rules file may hold (request/region_codes.hpp) but US and PR: some 280,
    // more than the 250 the scale benchmark loads.
    std::size_t n = 0;
    for (char a = 'A'; a <= 'Z'; ++a) {
        for (char b = 'A'; b <= 'Z'; ++b) {
            const std::string code{a, b};
            if (code == "US" || code == "PR" || !telpolicy::is_country_code(code)) continue;
            if (n++ == index) return code;
        }
    }
    throw std::out_of_range("no generated country code " + std::to_string(index));
}

std::string generated_rules_text(std::size_t index) {
    const std::string name = "g" + std::to_string(index);
    std::string text = us_rules_text();
    replace_once(text, "plugin: us\n", "plugin: " + name + "\n");
    replace_once(text, "countries: [US, PR]\n", "countries: [" + generated_country(index) + "]\n");
    // Rule ids and the plugin's own violation codes carry the plugin's name.
    for (const std::string prefix : {"id: us.", "code: us."}) {
        const std::string renamed = prefix.substr(0, prefix.size() - 3) + name + ".";
        for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + renamed.size())) {
            text.replace(at, prefix.size(), renamed);
        }
    }
    return text;
}

}  // namespace telpolicy::bench
