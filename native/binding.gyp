# Builds faiss-node's own src/faiss.cc against Debian's FAISS (libfaiss-dev, a static
# libfaiss.a built with OpenMP) instead of the GitHub clone its install script wants.
# Run by scripts/build-native.mjs; the .node it produces is copied to where faiss-node's
# `bindings` loader looks (node_modules/faiss-node/build/Release/faiss-node.node).
{
  "targets": [
    {
      "target_name": "faiss-node",
      "sources": [
        "<!(node paths.cjs faiss-source)"
      ],
      "include_dirs": [
        "<!(node paths.cjs addon-api-include)",
        "/usr/include"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++14"],
      "cflags_cc": [
        "-std=gnu++17",
        "-fexceptions",
        "-frtti",
        "-O3",
        "-fopenmp",
        "-include", "<(module_root_dir)/faiss_compat.h"
      ],
      # libfaiss.a calls OpenMP: without -fopenmp/-lgomp the addon links but dies at the
      # first search with "undefined symbol: omp_get_max_threads".
      "ldflags": ["-fopenmp"],
      "libraries": ["-lfaiss", "-lopenblas", "-lgomp"]
    }
  ]
}
