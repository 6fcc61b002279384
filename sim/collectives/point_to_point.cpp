#include "sim/collectives/point_to_point.hpp"

#include <algorithm>
#include <cmath>

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

int token = 0;  // the payload of every flow: only its simulated size matters

}  // namespace

uint64_t flow_size(double bytes) { return bytes > 0 ? static_cast<uint64_t>(std::llround(bytes)) : 0; }

std::vector<int> all_to_all_offsets(int n) {
  std::vector<int> offsets;
  if (n < 2) return offsets;
  const int peers = std::min(n - 1, kMaxAllToAllPeers);
  offsets.reserve(peers);
  for (int j = 0; j < peers; ++j) offsets.push_back(1 + static_cast<int>(static_cast<long long>(j) * (n - 1) / peers));
  return offsets;
}

sg4::CommPtr start_flow(sg4::Mailbox* box, double bytes, double rate_Bps) {
  if (rate_Bps <= 0) return box->put_async(&token, flow_size(bytes));
  sg4::CommPtr comm = box->put_init(&token, flow_size(bytes));
  comm->set_rate(rate_Bps);
  comm->start();
  return comm;
}

double exchange_flows(const std::vector<sg4::Mailbox*>& send_to, sg4::Mailbox* inbox, int receives, double flow_bytes,
                      double rate_Bps) {
  const double t0 = sg4::Engine::get_clock();
  std::vector<int*> sink(receives);
  std::vector<sg4::CommPtr> comms;
  comms.reserve(send_to.size() + receives);
  for (sg4::Mailbox* box : send_to) comms.push_back(start_flow(box, flow_bytes, rate_Bps));
  for (int j = 0; j < receives; ++j) comms.push_back(inbox->get_async<int>(&sink[j]));
  sg4::Comm::wait_all(comms);
  return sg4::Engine::get_clock() - t0;
}

void send_flow(sg4::Mailbox* box, double bytes) { box->put(&token, flow_size(bytes)); }

void receive_flow(sg4::Mailbox* box) { box->get<int>(); }

double alpha_beta_time_s(double bytes, double bandwidth_Bps, double alpha_s) { return bytes / bandwidth_Bps + alpha_s; }

}  // namespace clustersim
