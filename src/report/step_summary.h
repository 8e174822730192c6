// Human-readable summaries of what compression steps report (compress/step_report.h): the
// per-layer error table of the quantizing methods and the few lines each other step prints.
#pragma once

#include <string>
#include <vector>

#include "compress/step_report.h"

namespace qz::report {

// One row per quantized layer: method, FP32 and stored bytes, weight SQNR and errors, and the
// output MSE on the calibration inputs ("-" when `output_measured` is false).
std::string quantized_layers_table(const std::vector<compress::LayerReport>& layers,
                                   bool output_measured);

// What one recipe step did, as text ending in a newline (empty when it has nothing to say).
std::string step_summary(const compress::StepReport& step);

}  // namespace qz::report
