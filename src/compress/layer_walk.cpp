#include "compress/layer_walk.h"

#include <algorithm>
#include <optional>

#include "core/error.h"
#include "core/progress.h"

namespace qz::compress {

void check_exclude(const nn::Model& model, const std::vector<std::string>& exclude,
                   const std::string& pass) {
  for (const auto& name : exclude)
    QZ_CHECK(model.find_layer(name) != nullptr, "[{}] --exclude names unknown layer '{}'", pass,
             name);
}

void require_dense(const nn::LayerSlot& slot, const std::string& pass, const std::string& advice) {
  QZ_CHECK(slot.get()->is_dense(), "[{}] layer '{}' is {}: {}", pass, slot.name(),
           slot.get()->scheme().dump(), advice);
}

std::vector<const nn::LayerSlot*> selected_layers(const nn::Model& model, const LayerWalk& walk) {
  check_exclude(model, walk.exclude, walk.pass);
  std::vector<const nn::LayerSlot*> slots;
  for (const auto& slot : model.layers())
    if (std::find(walk.exclude.begin(), walk.exclude.end(), slot.name()) == walk.exclude.end())
      slots.push_back(&slot);
  return slots;
}

void walk_dense_layers(const nn::Model& model, const LayerWalk& walk,
                       const std::function<void(const nn::LayerSlot&)>& fn) {
  const auto slots = selected_layers(model, walk);
  for (const nn::LayerSlot* slot : slots) require_dense(*slot, walk.pass, walk.advice);
  std::optional<Progress> bar;
  if (walk.show_progress) bar.emplace(walk.pass, static_cast<int64_t>(slots.size()));
  int64_t done = 0;
  for (const nn::LayerSlot* slot : slots) {
    if (bar) bar->update(done, slot->name());
    fn(*slot);
    ++done;
  }
  if (bar) bar->finish();
}

}  // namespace qz::compress
