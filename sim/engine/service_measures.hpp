#pragma once
/// @file
/// What the results keep of an inference service's requests, added one request at a time: counts and token sums
/// (of the detailed sample, and weighted to the whole fleet), latency quantiles in bounded memory
/// (QuantileSketch: exact up to 16.7M requests) and output tokens per sampling interval. A long run folds each
/// request in when it is done and frees it (InferenceServiceRuntime::stream), so memory follows the requests in
/// flight, not the run's length; the sums are of whole tokens, so the order of folding changes no number.

#include <vector>

#include "common/statistics.hpp"
#include "models/inference/request.hpp"

namespace clustersim {

struct ServiceMeasures {
  long arrived = 0, completed = 0, good = 0;
  double input_tokens = 0, output_tokens = 0, good_output_tokens = 0;
  double first_arrival_s = -1, last_done_s = -1;
  double completed_output_tokens = 0;
  QuantileSketch ttft_s, tpot_s, e2e_s;
  /// The same counts in the whole fleet: each request weighted by what it stands for (fleet_weight).
  double fleet_arrived = 0, fleet_completed = 0, fleet_good = 0, fleet_input_tokens = 0, fleet_output_tokens = 0,
         fleet_good_output_tokens = 0, fleet_completed_output_tokens = 0;
  /// Output tokens per sampling interval (index of the sample closing the interval that holds the request's decode
  /// midpoint; fleet-weighted when weights are given, else of the sample).
  std::vector<double> interval_tokens;

  /// Adds request `q` that arrived before the run's end `end_s` (`weight`: what it stands for in the fleet, 0 for
  /// a constant sample, which finish_constant scales). `samples`: the sample times (ascending).
  void add(const ServingRequest& q, double weight, double slo_ttft_s, double slo_tpot_s,
           const std::vector<double>& samples, double end_s);
  /// A constant sample: the fleet counts are the sample's times `scale`.
  void finish_constant(double scale);
};

}  // namespace clustersim
