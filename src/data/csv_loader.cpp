#include "data/csv_loader.h"

#include "io/csv_table.h"
#include "io/read_file.h"

namespace qz::data {

Dataset load_csv(const std::string& path, const DataOptions& options) {
  Dataset d;
  d.spec = "csv:" + path;
  d.task = Task::Classification;
  io::CsvTable table = io::parse_csv_table(io::read_file(path), path);
  d.num_classes = table.num_classes;
  const int64_t n = static_cast<int64_t>(table.labels.size());
  Split all;
  all.inputs = torch::from_blob(table.features.data(), {n, table.columns}, torch::kFloat32).clone();
  all.targets = torch::from_blob(table.labels.data(), {n}, torch::kInt64).clone();
  all.slices = all.targets.unsqueeze(1).clone();
  d.input_shape = {all.inputs.size(1)};
  d.slices = class_slices(d.num_classes);
  split_randomly(all, options, d);
  // Standardise with training statistics only.
  const auto mean = d.train.inputs.mean(0, true);
  const auto std = d.train.inputs.std(0, false, true).clamp_min(1e-6);
  for (Split* s : {&d.train, &d.val, &d.test}) s->inputs = (s->inputs - mean) / std;
  return d;
}

}  // namespace qz::data
