// Builds a snapshot from the plugin and rules folders: each plugin found, its rules file loaded and
// checked against its descriptor, its native checks bound, its countries put in the table.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include <telpolicy/diagnostic.hpp>
#include <telpolicy/engine.hpp>

#include "runtime/snapshot.hpp"

namespace telpolicy {

// A plugin that cannot be used is refused and the others load. The problems that must stop a reload
// (a rules file with an error, a plugin of `in_use` that no longer finds its rules file) are also
// added to `errors`.
std::shared_ptr<Snapshot> build_snapshot(const EngineOptions& options, spdlog::logger& log, const Snapshot* in_use,
                                         std::uint64_t revision, std::vector<Diagnostic>& errors);

// An error about a whole file (no line), as reloads report them.
Diagnostic whole_file_error(std::string file, std::string message);

// "a, b" for messages; "(none)" when empty.
std::string dirs_text(const std::vector<std::filesystem::path>& dirs);

}  // namespace telpolicy
