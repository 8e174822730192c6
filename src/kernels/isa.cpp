#include "kernels/isa.h"

#include <cstdlib>
#include <iterator>
#include <mutex>

#include "core/cpu_features.h"
#include "core/error.h"

namespace qz::kernels {

std::string isa_name(Isa isa) {
  switch (isa) {
    case Isa::Ref:
      return "ref";
    case Isa::Avx2:
      return "avx2";
    case Isa::Avx512:
      return "avx512";
    case Isa::Neon:
      return "neon";
  }
  return "?";
}

bool isa_supported(Isa isa) {
  const CpuFeatures& f = cpu_features();
  switch (isa) {
    case Isa::Ref:
      return true;
    case Isa::Avx2:
      return f.avx2 && f.fma && f.f16c;
    case Isa::Avx512:
      return isa_supported(Isa::Avx2) && f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq &&
             f.avx512_vnni;
    case Isa::Neon:
      return f.neon;
  }
  return false;
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : kArchIsas)
    if (isa_supported(isa)) out.push_back(isa);
  return out;
}

namespace {

// "ref, avx2 or avx512": the levels QZ_ISA accepts on this architecture.
std::string level_names() {
  std::string out;
  const size_t n = std::size(kArchIsas);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += i + 1 == n ? " or " : ", ";
    out += isa_name(kArchIsas[i]);
  }
  return out;
}

}  // namespace

Isa active_isa() {
  static Isa chosen = Isa::Ref;
  static std::once_flag once;
  std::call_once(once, [] {
    chosen = supported_isas().back();
    const char* forced = std::getenv("QZ_ISA");
    if (forced == nullptr || *forced == '\0') return;
    const std::string name = forced;
    bool known = false;
    for (Isa isa : kArchIsas) {
      if (isa_name(isa) != name) continue;
      known = true;
      QZ_CHECK(isa_supported(isa), "[kernels] QZ_ISA={}: this CPU lacks the instructions for it",
               name);
      chosen = isa;
    }
    QZ_CHECK(known, "[kernels] QZ_ISA={}: expected {}", name, level_names());
  });
  return chosen;
}

}  // namespace qz::kernels
