// What the decision service counts, exposed at GET /metrics in Prometheus' text format
// (prometheus-cpp: its registry, counter, histogram and text serializer).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <telpolicy/decision.hpp>
#include <telpolicy/engine.hpp>

#include "counter_index.hpp"

namespace telpolicy::server {

// Counts that live elsewhere (the decision log's), read when the metrics are rendered.
struct ExternalCounts {
    std::uint64_t decision_log_written{0};
    std::uint64_t decision_log_dropped{0};
    std::uint64_t decision_log_write_errors{0};
    std::uint64_t decision_log_waits{0};
};

class ServiceMetrics {
public:
    ServiceMetrics();

    // Labels are the outcome (allowed, denied, invalid) and the country, when a plugin served it
    // ("none" otherwise, so that made-up codes cannot grow the label set). Never reads the request.
    void count_decision(const Decision& decision, std::chrono::nanoseconds duration);
    // Every response, by endpoint ("other" for paths that are not ours) and status code. The
    // endpoint is a literal, as are error codes: the counters are kept by them.
    void count_response(std::string_view endpoint, unsigned status);
    // Every error answered, by its code ("not_found", "body_too_large", "request_invalid", …: the
    // service's fixed set, literals).
    void count_error(std::string_view code);
    // The rules in use (revision number, plugins loaded): at start, then after every reload of
    // `engine`, which also counts the reload by its result.
    void rules_in_use(const Engine& engine);
    void reloaded(const ReloadResult& result, const Engine& engine);
    // The transport's (HttpServer's): connections open and the limit, those displaced (the longest
    // idle, closed for a new one) and those refused; requests waiting for or on an evaluation
    // thread. Refusals for a full queue are errors of code "overloaded".
    void connection_limit(std::size_t max_connections);
    void connection_opened();
    void connection_closed();
    void connection_displaced();
    void connection_refused();
    void evaluation_queued();
    void evaluation_finished();

    // Prometheus text exposition format, version 0.0.4.
    [[nodiscard]] std::string render(const ExternalCounts& external) const;

private:
    std::shared_ptr<prometheus::Registry> registry_;
    CounterIndex decisions_;
    prometheus::Family<prometheus::Histogram>& decision_seconds_family_;
    prometheus::Histogram& decision_seconds_;
    CounterIndex responses_;
    CounterIndex errors_;
    prometheus::Family<prometheus::Counter>& reloads_;
    prometheus::Gauge& revision_;
    prometheus::Gauge& plugins_loaded_;
    prometheus::Gauge& connections_max_;
    prometheus::Gauge& connections_open_;
    prometheus::Counter& connections_displaced_;
    prometheus::Counter& connections_refused_;
    prometheus::Gauge& evaluations_queued_;
};

}  // namespace telpolicy::server
