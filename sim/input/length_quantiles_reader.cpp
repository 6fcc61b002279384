#include "sim/input/length_quantiles_reader.hpp"

#include <cstdio>
#include <fstream>

#include "common/diagnostics.hpp"

namespace clustersim {

LengthQuantiles read_length_quantiles(const std::string& path) {
  std::ifstream in(path);
  Diagnostics diags;
  if (!in) {
    diags.add({path, 0, 0}, "", "cannot read length distribution", "expected quantile,input_tokens,output_tokens");
    throw ConfigError(diags);
  }
  LengthQuantiles q;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (line.empty() || line[0] == '#' || line[0] == 'q') continue;
    double p = 0, input = 0, output = 0;
    if (std::sscanf(line.c_str(), "%lf,%lf,%lf", &p, &input, &output) != 3) {
      diags.add({path, lineno, 1}, "", "malformed row '" + line.substr(0, 80) + "'",
                "expected quantile,input_tokens,output_tokens");
      throw ConfigError(diags);
    }
    q.input_tokens.push_back(input);
    q.output_tokens.push_back(output);
  }
  if (q.input_tokens.size() < 2) {
    diags.add({path, 0, 0}, "", "a length distribution needs at least 2 quantiles", "");
    throw ConfigError(diags);
  }
  return q;
}

}  // namespace clustersim
