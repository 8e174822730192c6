#include "compress/second_order/sequential_pass.h"

#include <algorithm>
#include <map>

#include "compress/layer_inputs.h"
#include "compress/layer_walk.h"
#include "compress/second_order/hessian.h"
#include "core/error.h"
#include "core/progress.h"

namespace qz::compress {

void for_each_layer_hessian(nn::Model& model, const torch::Tensor& calibration,
                            const std::vector<std::string>& exclude, const std::string& label,
                            const HessianStep& step) {
  QZ_CHECK(calibration.defined() && calibration.size(0) > 0,
           "[{}] needs calibration data: pass --data (and --calib-samples)", label);
  std::vector<std::string> pending;
  for (const nn::LayerSlot* slot : selected_layers(model, {label, exclude}))
    pending.push_back(slot->name());
  Progress bar(label, static_cast<int64_t>(pending.size()));
  int64_t done = 0;
  while (!pending.empty()) {
    const std::string target = pending.front();
    const nn::LayerSlot* slot = model.find_layer(target);
    InputHessian hessian(slot->get()->kind() == nn::LayerKind::Conv2d
                             ? slot->get()->in_features() * slot->get()->geometry().kernel *
                                   slot->get()->geometry().kernel
                             : slot->get()->in_features());
    // A later layer that receives the target's own input tensor (same storage, held alive so
    // the allocator cannot hand its address to another tensor) in every batch shares its
    // Hessian: q, k and v read one norm output.
    torch::Tensor held;
    std::map<std::string, int64_t> matches;
    int64_t batches = 0;
    for_each_layer_input(model, calibration, [&](const std::string& name, const torch::Tensor& x) {
      if (name == target) {
        held = x;
        ++batches;
        hessian.add(layer_input_rows(*slot->get(), x));
      } else if (held.defined() && x.data_ptr() == held.data_ptr() && x.sizes() == held.sizes()) {
        ++matches[name];
      }
    });
    const torch::Tensor h = hessian.matrix();
    std::vector<std::string> sharing;
    for (const auto& name : pending)
      if (name == target || matches[name] == batches) sharing.push_back(name);
    for (const auto& name : sharing) {
      step(*model.find_layer(name), h);
      bar.update(++done, name);
    }
    std::erase_if(pending, [&](const std::string& n) {
      return std::find(sharing.begin(), sharing.end(), n) != sharing.end();
    });
  }
  bar.finish();
}

}  // namespace qz::compress
