#include "spec/facility_data.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace clustersim {

double FacilityData::constant(const std::string& name) const {
  const auto it = constants.find(name);
  if (it == constants.end())
    throw std::out_of_range("data/facility has no constant '" + name + "' (constants: in cooling.yaml)");
  return it->second.value;
}

bool parse_facility_start(const std::string& text, double& hour_of_year, std::string& error) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char extra = 0;
  const int n_seconds = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &extra);
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &extra);
  const int n_date = std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &extra);
  if (!(n_seconds == 6 || n == 5 || (n_date == 3 && n < 4)) || sec < 0 || sec > 59) {
    error = "'" + text + "' is not a date YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]";
    return false;
  }
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0) || h < 0 || h > 23 || mi < 0 ||
      mi > 59) {
    error = "'" + text + "' is not a valid date and time";
    return false;
  }
  int day = 0;
  for (int m = 0; m < mo - 1; ++m) day += kDays[m];
  day += std::min(d, kDays[mo - 1]) - 1;
  hour_of_year = day * 24.0 + h + mi / 60.0 + sec / 3600.0;
  return true;
}

}  // namespace clustersim
