// What the rules watch compares between two polls: every file of the plugin and rules folders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include <telpolicy/engine.hpp>

namespace telpolicy {

// What the watch compares between two polls: every file of the plugin and rules folders, with its
// size and modification time.
struct FileStamp {
    std::filesystem::path path;
    std::uintmax_t size{0};
    std::filesystem::file_time_type::rep time{0};
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};
using Fingerprint = std::vector<FileStamp>;

// The files of `options`' plugin and rules folders, sorted by path; editors' swap and backup files
// are left out.
Fingerprint fingerprint_of(const EngineOptions& options);

}  // namespace telpolicy
