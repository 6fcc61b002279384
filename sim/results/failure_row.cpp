#include "sim/results/failure_row.hpp"

namespace clustersim {

const RowTable<FailureRow>& failure_table() {
  using R = FailureRow;
  static const RowTable<FailureRow> table{
      "failures",
      "failure",
      {number("time", "s", "when the component failed", &R::time_s),
       text("class", "failure class of the catalog (data/catalog/reliability.yaml)", &R::failure_class),
       count("component", "which one: GPU, server, NIC or leaf index by the class's scope", &R::component),
       count("servers", "servers it cut off", &R::servers),
       count("first_server", "the first of them (-1: none)", &R::first_server),
       number("repair_time", "s", "how long they are out (0: a restart clears it)", &R::repair_s),
       text("job", "the training job it stopped, or whose hot spare it took (\"\": none)", &R::job),
       text("effect",
            "interrupted (a running job stopped), spare (a job's idle hot spare), stopping (a job already "
            "stopping), idle (free servers), degraded (a spine or core: bandwidth), service (an inference service's "
            "servers: not modelled), none (no such switch in this fabric)",
            &R::effect)}};
  return table;
}

}  // namespace clustersim
