# The kernels/ sources a build compiles for its target processor, with each ISA's flags on that
# ISA's own files only (never on a target), so one binary runs on any CPU of its architecture
# and picks its kernels at run time (kernels/isa.h). Shared by the main build, tests/sanitize
# and tests/arm64, so the three can never disagree on a file's flags.
#
#   x86-64   */avx2*.cpp     AVX2 + FMA + F16C
#            */avx512*.cpp   AVX-512 F/BW/VL/DQ + VNNI
#   AArch64  */neon.cpp      ARMv8-A Advanced SIMD (every AArch64 CPU has it)
#            */neon_dot*.cpp ARMv8.2-A with the dot-product extension (sdot/udot)
#
# No FP contraction in ISA files: the integer GEMM's float formula must round as the
# reference's does. GCC 12's own AVX-512 intrinsics headers trip -Wuninitialized (GCC bug
# 105593, fixed in GCC 13), so that warning is off there.
function(qz_kernel_sources out root)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${root}/src/kernels/*.cpp)
  file(GLOB_RECURSE avx2 CONFIGURE_DEPENDS ${root}/src/kernels/*/avx2*.cpp)
  file(GLOB_RECURSE avx512 CONFIGURE_DEPENDS ${root}/src/kernels/*/avx512*.cpp)
  file(GLOB_RECURSE neon CONFIGURE_DEPENDS ${root}/src/kernels/*/neon*.cpp)
  file(GLOB_RECURSE neon_dot CONFIGURE_DEPENDS ${root}/src/kernels/*/neon_dot*.cpp)
  # The epilogue's SiLU clamps by comparisons: without -fno-trapping-math GCC will not
  # if-convert them, and the loop stays scalar (the flag changes no result, only what the
  # compiler may speculate).
  set_source_files_properties(${root}/src/kernels/epilogue.cpp PROPERTIES
    COMPILE_OPTIONS "-fno-trapping-math")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    if(neon)
      list(REMOVE_ITEM srcs ${neon})
    endif()
    set_source_files_properties(${avx2} PROPERTIES
      COMPILE_OPTIONS "-mavx2;-mfma;-mf16c;-ffp-contract=off")
    set_source_files_properties(${avx512} PROPERTIES
      COMPILE_OPTIONS "-mavx2;-mfma;-mf16c;-mavx512f;-mavx512bw;-mavx512vl;-mavx512dq;-mavx512vnni;-ffp-contract=off;-Wno-uninitialized;-Wno-maybe-uninitialized")
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
    list(REMOVE_ITEM srcs ${avx2} ${avx512})
    set_source_files_properties(${neon} PROPERTIES COMPILE_OPTIONS "-ffp-contract=off")
    if(neon_dot)
      set_source_files_properties(${neon_dot} PROPERTIES
        COMPILE_OPTIONS "-march=armv8.2-a+dotprod;-ffp-contract=off")
    endif()
  else()
    message(STATUS "quantize: no vector kernels for ${CMAKE_SYSTEM_PROCESSOR}; the scalar reference runs")
    list(REMOVE_ITEM srcs ${avx2} ${avx512} ${neon})
  endif()
  set(${out} ${srcs} PARENT_SCOPE)
endfunction()
