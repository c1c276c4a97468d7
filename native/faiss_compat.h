// Force-included before faiss-node's src/faiss.cc (see binding.gyp).
// faiss-node 0.5.1 targets FAISS 1.7.4, which declares faiss::idx_t in MetricType.h;
// Debian 12's FAISS 1.7.3 declares it only as faiss::Index::idx_t.
#pragma once
#include <cstdint>
namespace faiss {
using idx_t = int64_t;
}
