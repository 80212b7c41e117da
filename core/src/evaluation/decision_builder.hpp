// Fills a Decision in place, reusing the strings and slots it already holds: a Decision that a
// host keeps and passes again is refilled without heap allocation once it has grown to its working
// size. Evaluation writes decisions only through this.
#pragma once

#include <algorithm>
#include <string_view>

#include <telpolicy/decision.hpp>

namespace telpolicy {

class DecisionBuilder {
public:
    // Starts a new decision in `decision`; what it held before is overwritten or dropped by finish().
    explicit DecisionBuilder(Decision& decision) noexcept : decision_(decision) {}
    DecisionBuilder(const DecisionBuilder&) = delete;
    DecisionBuilder& operator=(const DecisionBuilder&) = delete;
    ~DecisionBuilder() { finish(); }

    [[nodiscard]] Decision& decision() noexcept { return decision_; }
    [[nodiscard]] std::size_t violation_count() const noexcept { return violations_; }
    [[nodiscard]] bool has_mailbox() const noexcept { return mailbox_set_; }

    void add_form(const Form& form) {
        Form& slot = next_slot(decision_.forms, forms_);
        slot.id.assign(form.id);
        slot.title.assign(form.title);
        assign_optional(slot.version, form.version);
        assign_optional(slot.locale, form.locale);
        assign_optional(slot.url, form.url);
    }

    void set_action(std::string_view word) {
        if (decision_.action) {
            decision_.action->assign(word);
        } else {
            decision_.action.emplace(word);
        }
    }

    void set_as_of(std::optional<Instant> instant) noexcept {
        decision_.as_of = instant;
        as_of_set_ = true;
    }

    // Adds a destination; the first mailbox added is also the decision's `mailbox`.
    void add_contact(const Contact& contact) {
        Contact& slot = next_slot(decision_.contacts, contacts_);
        slot.kind = contact.kind;
        slot.name.assign(contact.name);
        assign_optional(slot.address, contact.address);
        assign_optional(slot.url, contact.url);
        if (contact.kind == ContactKind::mailbox && contact.address) set_mailbox_once(*contact.address);
    }

    // The first mailbox set stays: earlier rules take precedence.
    void set_mailbox_once(std::string_view address) {
        if (mailbox_set_) return;
        mailbox_set_ = true;
        if (decision_.mailbox) {
            decision_.mailbox->assign(address);
        } else {
            decision_.mailbox.emplace(address);
        }
    }

    void add_requirement(std::string_view item) { add_unique(decision_.requirements, requirements_, item); }
    void add_note(std::string_view note) { add_unique(decision_.notes, notes_, note); }
    // Notes that repeat per number are all kept, even when two read alike.
    std::string& add_note_slot() { return next_slot(decision_.notes, notes_); }
    void add_matched_rule(std::string_view rule) { next_slot(decision_.matched_rules, matched_rules_).assign(rule); }

    // A violation whose message the caller writes into the returned slot (assign/append reuse it).
    Violation& add_violation(std::string_view code, std::string_view rule) {
        Violation& slot = next_slot(decision_.violations, violations_);
        slot.code.assign(code);
        slot.rule.assign(rule);
        slot.message.clear();
        return slot;
    }
    void add_violation(std::string_view code, std::string_view message, std::string_view rule) {
        add_violation(code, rule).message.assign(message);
    }

    // Drops what the decision held beyond what this evaluation wrote.
    void finish() {
        decision_.forms.resize(forms_);
        decision_.contacts.resize(contacts_);
        decision_.requirements.resize(requirements_);
        decision_.notes.resize(notes_);
        decision_.violations.resize(violations_);
        decision_.matched_rules.resize(matched_rules_);
        if (!mailbox_set_) decision_.mailbox.reset();
        if (!as_of_set_) decision_.as_of.reset();
    }

private:
    template <typename T>
    static T& next_slot(std::vector<T>& items, std::size_t& used) {
        if (used == items.size()) items.emplace_back();
        return items[used++];
    }

    static void assign_optional(std::optional<std::string>& slot, const std::optional<std::string>& value) {
        if (!value) {
            slot.reset();
        } else if (slot) {
            slot->assign(*value);
        } else {
            slot.emplace(*value);
        }
    }

    static void add_unique(std::vector<std::string>& items, std::size_t& used, std::string_view value) {
        if (std::find(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(used), value) !=
            items.begin() + static_cast<std::ptrdiff_t>(used)) {
            return;
        }
        next_slot(items, used).assign(value);
    }

    Decision& decision_;
    std::size_t forms_{0};
    std::size_t contacts_{0};
    std::size_t requirements_{0};
    std::size_t notes_{0};
    std::size_t violations_{0};
    std::size_t matched_rules_{0};
    bool mailbox_set_{false};
    bool as_of_set_{false};
};

}  // namespace telpolicy
