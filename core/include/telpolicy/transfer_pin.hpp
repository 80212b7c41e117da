// The transfer PIN: a credential that is held, checked and wiped, but never printed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace telpolicy {

// Holds a PIN's bytes. It has no stream operator and no formatter on purpose: the only way to the
// value is `reveal()`, which the PIN checks call; the memory is cleared when the object dies.
class TransferPin {
public:
    TransferPin() = default;
    explicit TransferPin(std::string_view value);
    TransferPin(const TransferPin& other);
    TransferPin(TransferPin&& other) noexcept;
    TransferPin& operator=(const TransferPin& other);
    TransferPin& operator=(TransferPin&& other) noexcept;
    ~TransferPin();

    // The raw UTF-8 bytes. Never log, print or copy them into a message.
    [[nodiscard]] std::string_view reveal() const noexcept { return value_; }
    [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

private:
    void wipe() noexcept;
    std::string value_;
};

}  // namespace telpolicy
