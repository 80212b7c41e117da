// Plugin discovery and loading with Boost.DLL; each way of failing has its own message, as LLVM's
// pass-plugin loader does, and one broken plugin never stops the others.
#include "runtime/plugin_loader.hpp"

#include "policy/plugin_name.hpp"

#include "request/region_codes.hpp"
#include "text/text_excerpt.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

#include <boost/dll/shared_library_load_mode.hpp>
#include <spdlog/logger.h>

namespace telpolicy {
namespace {

std::string api_version(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

std::vector<std::filesystem::path> libraries_in(const std::filesystem::path& dir, spdlog::logger& log) {
    std::vector<std::filesystem::path> found;
    std::error_code error;
    std::filesystem::directory_iterator it(dir, error);
    if (error) {
        log.warn("plugin directory {} cannot be read: {}", dir.string(), error.message());
        return found;
    }
    const std::string suffix = boost::dll::shared_library::suffix().string();
    for (const auto& entry : it) {
        if (entry.path().extension() == suffix && entry.is_regular_file(error)) found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::string octal_mode(mode_t mode) {
    char digits[8];
    const auto end = std::to_chars(digits, digits + sizeof digits, mode & 07777u, 8).ptr;
    std::string text(digits, end);
    return std::string(text.size() < 4 ? 4 - text.size() : 0, '0') + text;
}

// Whether a folder writable by others is still safe because of its sticky bit: only above the
// plugin's own folder, where others may add entries but not rename or remove the one that leads to
// the plugin (/tmp).
enum class StickyFolder { refused, accepted };

// Why `path` is not to be trusted: who besides its owner may write it, or whose it is.
std::string untrusted_because(const std::filesystem::path& path, StickyFolder sticky = StickyFolder::refused) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return path.string() + " cannot be checked: " + std::strerror(errno);
    const bool group = (info.st_mode & S_IWGRP) != 0;
    const bool others = (info.st_mode & S_IWOTH) != 0;
    const bool safe_by_sticky_bit = sticky == StickyFolder::accepted && (info.st_mode & S_ISVTX) != 0;
    if ((group || others) && !safe_by_sticky_bit) {
        return path.string() + " is writable by " + (group && others ? "group and others" : group ? "group" : "others") +
               " (mode " + octal_mode(info.st_mode) + ")";
    }
    if (info.st_uid != 0 && info.st_uid != ::geteuid()) {
        return path.string() + " is owned by user " + std::to_string(info.st_uid) +
               ", neither root nor the user running telpolicy (uid " + std::to_string(::geteuid()) + ")";
    }
    return {};
}

// Why the file that would be loaded, or a folder on its way from the root, is not to be trusted.
std::string real_path_problem(const std::filesystem::path& real_path) {
    const std::filesystem::path folder = real_path.parent_path();
    if (std::string problem = untrusted_because(folder); !problem.empty()) return "its folder " + problem;
    if (std::string problem = untrusted_because(real_path); !problem.empty()) return problem;
    for (std::filesystem::path above = folder; above != above.root_path();) {
        above = above.parent_path();
        if (std::string problem = untrusted_because(above, StickyFolder::accepted); !problem.empty()) {
            return "a folder above it: " + problem;
        }
    }
    return {};
}

// The first bytes of every ELF file: anything else is no shared library, whatever its name.
bool starts_as_elf(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::array<char, 4> magic{};
    return file.read(magic.data(), magic.size()) && magic == std::array<char, 4>{'\x7f', 'E', 'L', 'F'};
}

}  // namespace

PluginTrust check_plugin_trust(const std::filesystem::path& library) {
    PluginTrust trust;
    std::error_code error;
    trust.real_path = std::filesystem::canonical(library, error);
    if (error) {
        trust.real_path.clear();
        trust.problem = library.string() + " cannot be resolved: " + error.message();
        return trust;
    }
    trust.problem = real_path_problem(trust.real_path);
    const std::filesystem::path given = std::filesystem::absolute(library, error).lexically_normal();
    if (!trust.problem.empty() && given != trust.real_path) {
        trust.problem += " (" + library.string() + " leads to " + trust.real_path.string() + " through a symbolic link)";
    }
    return trust;
}

std::string descriptor_problem(const telpolicy_plugin_descriptor* descriptor) {
    if (descriptor == nullptr) return "the entry point returned no descriptor (the plugin reported that it cannot run)";
    if (descriptor->api_major != TELPOLICY_PLUGIN_API_MAJOR) {
        return "wrong plugin API version: the plugin was built for API " +
               api_version(descriptor->api_major, descriptor->api_minor) + ", this host supports API " +
               api_version(TELPOLICY_PLUGIN_API_MAJOR, TELPOLICY_PLUGIN_API_MINOR) + " (the major must match)";
    }
    if (descriptor->api_minor > TELPOLICY_PLUGIN_API_MINOR) {
        return "the plugin needs plugin API " + api_version(descriptor->api_major, descriptor->api_minor) +
               ", newer than this host's " + api_version(TELPOLICY_PLUGIN_API_MAJOR, TELPOLICY_PLUGIN_API_MINOR) +
               "; upgrade telpolicy";
    }
    if (descriptor->name == nullptr || !is_plugin_name(descriptor->name)) {
        return "the descriptor's name is missing or not a lower-case identifier (a-z, 0-9, _; at most 32)";
    }
    if (descriptor->version == nullptr || *descriptor->version == '\0') return "the descriptor has no version";
    if (descriptor->countries == nullptr || descriptor->countries[0] == nullptr) {
        return "the descriptor lists no countries";
    }
    for (const char* const* country = descriptor->countries; *country != nullptr; ++country) {
        const std::string_view code(*country);
        if (code.size() != 2 || !std::isupper(static_cast<unsigned char>(code[0])) ||
            !std::isupper(static_cast<unsigned char>(code[1]))) {
            return "the descriptor lists the country '" + printable_excerpt(code) +
                   "', which is not an upper-case ISO 3166-1 alpha-2 code (such as US)";
        }
        if (!is_country_code(code)) {
            return "the descriptor lists the country '" + std::string(code) +
                   "', which is not an assigned ISO 3166-1 alpha-2 code (libphonenumber knows no such region)";
        }
    }
    if (descriptor->rules_file == nullptr || *descriptor->rules_file == '\0') {
        return "the descriptor names no rules file";
    }
    if (std::string_view(descriptor->rules_file).find('/') != std::string_view::npos) {
        return "the descriptor's rules file must be a file name, not a path";
    }
    // The fields of API 1.1 exist only in descriptors of 1.1 and later: never read them in a 1.0 one.
    if (descriptor->api_minor >= 1 && descriptor->checks != nullptr) {
        std::set<std::string_view> names;
        for (const telpolicy_plugin_check* check = descriptor->checks; check->name != nullptr; ++check) {
            if (!is_plugin_name(check->name)) {
                return "the descriptor offers a check whose name is not a lower-case identifier (a-z, 0-9, _)";
            }
            if (check->check == nullptr) return "the descriptor's check '" + std::string(check->name) + "' has no function";
            if (!names.insert(check->name).second) {
                return "the descriptor offers two checks named '" + std::string(check->name) + "'";
            }
        }
    }
    return {};
}

std::string initialization_problem(const telpolicy_plugin_descriptor& descriptor) {
    if (descriptor.api_minor < 1 || descriptor.initialize == nullptr) return {};
    std::array<char, 512> error{};
    const int status = descriptor.initialize(error.data(), error.size());
    if (status == 0) return {};
    error.back() = '\0';
    const std::string why(error.data());
    return "its initialization reported failure (status " + std::to_string(status) + ")" + (why.empty() ? "" : ": " + why);
}

PluginDiscovery discover_plugins(const std::vector<std::filesystem::path>& dirs, spdlog::logger& log,
                                 bool allow_untrusted) {
    PluginDiscovery result;
    for (const auto& dir : dirs) {
        for (const auto& path : libraries_in(dir, log)) {
            const auto refuse = [&](std::string reason) {
                log.warn("plugin {} refused: {}", path.string(), reason);
                result.refused.push_back({path, std::move(reason)});
            };
            // Checked before loading, on the file that is then loaded: loading runs the library's
            // code (its constructors), and a link could lead anywhere.
            const PluginTrust trust = check_plugin_trust(path);
            if (!trust.problem.empty()) {
                if (!allow_untrusted || trust.real_path.empty()) {
                    refuse(trust.problem + "; refusing it (use --allow-untrusted-plugins to load it anyway)");
                    continue;
                }
                log.warn("loading plugin {} although {}, as allowed", path.string(), trust.problem);
            }
            if (!starts_as_elf(trust.real_path)) {
                refuse("not a shared library: the file is not an ELF file (it does not start with \\x7fELF)");
                continue;
            }
            PluginLibrary plugin;
            plugin.path = path;
            boost::system::error_code error;
            // RTLD_LOCAL (the default) keeps one plugin's symbols from resolving another's.
            plugin.library.load(boost::dll::fs::path(trust.real_path.string()), boost::dll::load_mode::rtld_now, error);
            if (error) {
                refuse("not a loadable shared library: " + error.message());
                continue;
            }
            if (!plugin.library.has(TELPOLICY_PLUGIN_ENTRY_NAME)) {
                refuse("entry point " TELPOLICY_PLUGIN_ENTRY_NAME " not found (is TELPOLICY_PLUGIN_ENTRY used?)");
                continue;
            }
            const auto entry =
                plugin.library.get_alias<const telpolicy_plugin_descriptor*()>(TELPOLICY_PLUGIN_ENTRY_NAME);
            plugin.descriptor = entry();
            if (std::string problem = descriptor_problem(plugin.descriptor); !problem.empty()) {
                refuse(std::move(problem));
                continue;
            }
            if (std::string problem = initialization_problem(*plugin.descriptor); !problem.empty()) {
                refuse(std::move(problem));
                continue;
            }
            for (const char* const* country = plugin.descriptor->countries; *country != nullptr; ++country) {
                plugin.countries.emplace_back(*country);
            }
            if (plugin.descriptor->api_minor >= 1 && plugin.descriptor->checks != nullptr) {
                for (const telpolicy_plugin_check* check = plugin.descriptor->checks; check->name != nullptr; ++check) {
                    plugin.checks.push_back(*check);
                }
            }
            result.plugins.push_back(std::move(plugin));
        }
    }
    return result;
}

}  // namespace telpolicy
