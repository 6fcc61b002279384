#pragma once
/// @file
/// The flows every fabric transfer is made of: collectives (collective.hpp), pipeline sends, the expert
/// all-to-all and the KV-cache handoffs of disaggregated serving all move their bytes with these few calls,
/// so one flow size, one all-to-all approximation and one peer limit hold for all of them.
///
/// A flow is one SimGrid communication of a token whose simulated size is the bytes (rounded to the nearest
/// byte), between a put and a get on one mailbox; it shares links with every other flow of the platform.
/// Latency terms (alpha) are analytic: the platform's links carry none (topologies/simgrid_platform.hpp).
/// Sends are never detached (SIMGRID.md trap 2).

#include <cstdint>
#include <simgrid/s4u.hpp>
#include <vector>

namespace clustersim {

/// At most this many peers per server in one simulated all-to-all: a server's bytes are spread over them
/// (same injection, fewer coupled flows; SIMGRID.md: coupled flows cost superlinearly).
constexpr int kMaxAllToAllPeers = 16;

/// The simulated size of a flow of `bytes`: the nearest whole byte (0 for bytes <= 0).
uint64_t flow_size(double bytes);

/// The one all-to-all approximation: the offsets (in 1..n-1, ascending) of the peers a server sends to in an
/// all-to-all over `n` servers, server i sending to (i + offset) mod n. For n - 1 <= kMaxAllToAllPeers every
/// other server; beyond, k = kMaxAllToAllPeers peers at strided offsets 1 + floor(j (n-1) / k), j = 0..k-1,
/// so every server also receives k flows and the peers spread over the whole group (leaf and pod uplink
/// loads match the uniform pattern on average; per-destination incast is not reproduced). Empty for n < 2.
std::vector<int> all_to_all_offsets(int n);

/// Starts a flow of `bytes` into `box`, at most `rate_Bps` when positive (SimGrid's rate bound), and returns it.
simgrid::s4u::CommPtr start_flow(simgrid::s4u::Mailbox* box, double bytes, double rate_Bps = -1);

/// One phase of concurrent flows from the calling actor: a flow of `flow_bytes` into each mailbox of
/// `send_to` (each at most `rate_Bps` when positive), and `receives` flows taken from `inbox`, all posted at once.
/// Returns when every one is done, with the simulated time spent.
double exchange_flows(const std::vector<simgrid::s4u::Mailbox*>& send_to, simgrid::s4u::Mailbox* inbox, int receives,
                      double flow_bytes, double rate_Bps = -1);

/// Blocking point-to-point send of one flow of `bytes` into `box` (the receiver calls receive_flow).
void send_flow(simgrid::s4u::Mailbox* box, double bytes);

/// Blocking receive of one flow from `box`.
void receive_flow(simgrid::s4u::Mailbox* box);

/// Analytic (alpha-beta) time of one transfer of `bytes`: bytes / `bandwidth_Bps` + `alpha_s` (a transfer
/// inside a server, over the scale-up domain, or an ideal fabric transfer).
double alpha_beta_time_s(double bytes, double bandwidth_Bps, double alpha_s);

}  // namespace clustersim
