#include "service_metrics.hpp"

#include <prometheus/text_serializer.h>

#include <telpolicy/violation_codes.hpp>

namespace telpolicy::server {
namespace {

// 25 us to 100 ms: a decision takes well under a millisecond; the upper buckets catch stalls.
const prometheus::Histogram::BucketBoundaries decision_buckets{0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                                                0.001,    0.0025,  0.005,  0.01,    0.025,
                                                                0.05,     0.1};

std::string_view outcome_of(const Decision& decision) {
    if (decision.allowed()) return "allowed";
    for (const Violation& violation : decision.violations) {
        if (violation.code == violation_code::request_invalid) return "invalid";
    }
    return "denied";
}

prometheus::MetricFamily counter_family(std::string name, std::string help, std::uint64_t value) {
    prometheus::MetricFamily family;
    family.name = std::move(name);
    family.help = std::move(help);
    family.type = prometheus::MetricType::Counter;
    prometheus::ClientMetric metric;
    metric.counter.value = static_cast<double>(value);
    family.metric.push_back(std::move(metric));
    return family;
}

// A metric without labels: a family of one.
prometheus::Gauge& unlabelled_gauge(prometheus::Registry& registry, const std::string& name, const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}
prometheus::Counter& unlabelled_counter(prometheus::Registry& registry, const std::string& name,
                                        const std::string& help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

ServiceMetrics::ServiceMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      decisions_(prometheus::BuildCounter()
                     .Name("telpolicy_decisions_total")
                     .Help("Decisions made, by outcome (allowed, denied, invalid) and served country")
                     .Register(*registry_)),
      decision_seconds_family_(prometheus::BuildHistogram()
                                   .Name("telpolicy_decision_duration_seconds")
                                   .Help("Time from a decision request read to its response ready")
                                   .Register(*registry_)),
      decision_seconds_(decision_seconds_family_.Add({}, decision_buckets)),
      responses_(prometheus::BuildCounter()
                     .Name("telpolicy_http_responses_total")
                     .Help("HTTP responses, by endpoint and status code (4xx and 5xx are the errors)")
                     .Register(*registry_)),
      errors_(prometheus::BuildCounter()
                  .Name("telpolicy_errors_total")
                  .Help("Errors answered, by code (request_invalid, not_found, body_too_large, request_timeout, ...)")
                  .Register(*registry_)),
      reloads_(prometheus::BuildCounter()
                   .Name("telpolicy_reloads_total")
                   .Help("Rules reloads, by result (applied, failed)")
                   .Register(*registry_)),
      revision_(unlabelled_gauge(*registry_, "telpolicy_rules_revision",
                                  "Revision of the rules in use (1 at start, one more per applied reload)")),
      plugins_loaded_(unlabelled_gauge(*registry_, "telpolicy_plugins_loaded",
                                        "Plugins whose rules are in use")),
      connections_max_(unlabelled_gauge(*registry_, "telpolicy_connections_max",
                                         "Connections served at most (--max-connections), besides the probes' reserve")),
      connections_open_(unlabelled_gauge(*registry_, "telpolicy_connections_open",
                                          "Connections open, the probes' reserve included")),
      connections_displaced_(unlabelled_counter(*registry_, "telpolicy_connections_displaced_total",
                                                 "Idle connections closed for a new one, all places being taken")),
      connections_refused_(unlabelled_counter(*registry_, "telpolicy_connections_refused_total",
                                               "Connections answered 503 and closed: every place, the reserve too, was taken")),
      evaluations_queued_(unlabelled_gauge(*registry_, "telpolicy_evaluations_queued",
                                            "Requests waiting for or on an evaluation thread (--max-queued-requests)")) {}

void ServiceMetrics::count_decision(const Decision& decision, std::chrono::nanoseconds duration) {
    // Only a country some plugin served becomes a label: made-up codes cannot grow the label set.
    const bool served = decision.plugin && decision.country && decision.country->size() == 2;
    const std::uint32_t country = served ? (static_cast<std::uint32_t>(static_cast<unsigned char>((*decision.country)[0])) << 8) |
                                               static_cast<unsigned char>((*decision.country)[1])
                                         : 0;
    const std::string_view outcome = outcome_of(decision);
    decisions_
        .get(outcome, country,
             [&] {
                 return prometheus::Labels{{"outcome", std::string(outcome)},
                                           {"country", served ? *decision.country : std::string("none")}};
             })
        .Increment();
    decision_seconds_.Observe(std::chrono::duration<double>(duration).count());
}

void ServiceMetrics::count_response(std::string_view endpoint, unsigned status) {
    responses_
        .get(endpoint, status,
             [&] {
                 return prometheus::Labels{{"endpoint", std::string(endpoint)}, {"code", std::to_string(status)}};
             })
        .Increment();
}

void ServiceMetrics::count_error(std::string_view code) {
    errors_.get(code, 0, [&] { return prometheus::Labels{{"code", std::string(code)}}; }).Increment();
}

void ServiceMetrics::rules_in_use(const Engine& engine) {
    const LoadReport report = engine.load_report();
    revision_.Set(static_cast<double>(report.revision));
    plugins_loaded_.Set(static_cast<double>(report.loaded.size()));
}

void ServiceMetrics::reloaded(const ReloadResult& result, const Engine& engine) {
    reloads_.Add({{"result", result.applied ? "applied" : "failed"}}).Increment();
    if (result.applied) rules_in_use(engine);
}

void ServiceMetrics::connection_limit(std::size_t max_connections) {
    connections_max_.Set(static_cast<double>(max_connections));
}
void ServiceMetrics::connection_opened() { connections_open_.Increment(); }
void ServiceMetrics::connection_closed() { connections_open_.Decrement(); }
void ServiceMetrics::connection_displaced() { connections_displaced_.Increment(); }
void ServiceMetrics::connection_refused() { connections_refused_.Increment(); }
void ServiceMetrics::evaluation_queued() { evaluations_queued_.Increment(); }
void ServiceMetrics::evaluation_finished() { evaluations_queued_.Decrement(); }

std::string ServiceMetrics::render(const ExternalCounts& external) const {
    std::vector<prometheus::MetricFamily> families = registry_->Collect();
    families.push_back(counter_family("telpolicy_decision_log_written_total", "Decision log lines written",
                                      external.decision_log_written));
    families.push_back(counter_family("telpolicy_decision_log_dropped_total",
                                      "Decision log lines dropped because the queue was full or the write failed",
                                      external.decision_log_dropped));
    families.push_back(counter_family("telpolicy_decision_log_write_errors_total", "Failed writes to the decision log",
                                      external.decision_log_write_errors));
    families.push_back(counter_family("telpolicy_decision_log_waits_total",
                                      "Decisions that waited for room in the decision log's queue (--decision-log-full block)",
                                      external.decision_log_waits));
    return prometheus::TextSerializer().Serialize(families);
}

}  // namespace telpolicy::server
