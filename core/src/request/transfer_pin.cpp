// TransferPin: clears its bytes whenever it lets go of them.
#include <telpolicy/transfer_pin.hpp>

#include <string.h>  // explicit_bzero: a memset the optimizer may not remove

namespace telpolicy {

TransferPin::TransferPin(std::string_view value) : value_(value) {}

TransferPin::TransferPin(const TransferPin& other) : value_(other.value_) {}

TransferPin::TransferPin(TransferPin&& other) noexcept : value_(other.value_) { other.wipe(); }

TransferPin& TransferPin::operator=(const TransferPin& other) {
    if (this != &other) {
        wipe();
        value_ = other.value_;
    }
    return *this;
}

TransferPin& TransferPin::operator=(TransferPin&& other) noexcept {
    if (this != &other) {
        wipe();
        value_ = other.value_;
        other.wipe();
    }
    return *this;
}

TransferPin::~TransferPin() { wipe(); }

void TransferPin::wipe() noexcept {
    // Clear the whole buffer, not only the used part: short strings live inside the object.
    explicit_bzero(value_.data(), value_.capacity());
    value_.clear();
}

}  // namespace telpolicy
