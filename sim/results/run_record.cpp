#include "sim/results/run_record.hpp"

namespace clustersim {

namespace {

template <class Row>
bool add_names(const RowTable<Row>& table, const std::string& group, RecordGroupNames& out) {
  if (table.group != group) return false;
  out.known = true;
  out.names = table.names();
  if (table.find(table.dimension) == nullptr) out.names.push_back(table.dimension);
  return true;
}

}  // namespace

std::vector<TableResult> record_tables(const RunRecord& r) {
  return {to_table(job_table(), r.jobs),
          to_table(service_table(), r.services),
          to_table(service_sample_table(), r.service_samples),
          to_table(switch_tier_table(), r.switch_tiers),
          to_table(link_tier_table(), r.link_tiers),
          to_table(power_sample_table(), r.power_samples),
          to_table(schedule_sample_table(), r.schedule_samples),
          to_table(segment_table(), r.segments),
          to_table(pool_table(), r.pools),
          to_table(pool_sample_table(), r.pool_samples),
          to_table(power_trace_table(), r.power_trace),
          to_table(failure_table(), r.failures)};
}

std::vector<ScalarResult> record_scalars(const RunRecord& r) { return to_scalars(summary_fields(), r.summary); }

RecordGroupNames record_group_names(const std::string& group) {
  RecordGroupNames out;
  if (group == "summary") {
    out.known = true;
    for (const auto& f : summary_fields()) out.names.push_back(f.name);
    return out;
  }
  add_names(job_table(), group, out) || add_names(service_table(), group, out) ||
      add_names(service_sample_table(), group, out) || add_names(switch_tier_table(), group, out) ||
      add_names(link_tier_table(), group, out) || add_names(power_sample_table(), group, out) ||
      add_names(schedule_sample_table(), group, out) || add_names(segment_table(), group, out) ||
      add_names(pool_table(), group, out) || add_names(pool_sample_table(), group, out) ||
      add_names(failure_table(), group, out);
  return out;
}

}  // namespace clustersim
