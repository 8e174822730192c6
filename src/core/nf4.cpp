#include "core/nf4.h"

namespace qz {

const std::array<float, 16>& nf4_codebook() {
  static const std::array<float, 16> codes = {-1.0f,
                                              -0.6961928009986877f,
                                              -0.5250730514526367f,
                                              -0.39491748809814453f,
                                              -0.28444138169288635f,
                                              -0.18477343022823334f,
                                              -0.09105003625154495f,
                                              0.0f,
                                              0.07958029955625534f,
                                              0.16093020141124725f,
                                              0.24611230194568634f,
                                              0.33791524171829224f,
                                              0.44070982933044434f,
                                              0.5626170039176941f,
                                              0.7229568362236023f,
                                              1.0f};
  return codes;
}

uint8_t nf4_encode(float normalized) {
  const auto& c = nf4_codebook();
  uint8_t index = 0;
  // Move up while the value lies strictly above the midpoint to the next code.
  while (index < 15 && normalized > (c[index] + c[index + 1]) * 0.5f) ++index;
  return index;
}

}  // namespace qz
