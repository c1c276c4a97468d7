import type * as FaissNode from 'faiss-node';

type Faiss = typeof FaissNode;

export interface HnswParams {
  efConstruction: number;
  efSearch: number;
}

/**
 * faiss-node exposes no setter for HNSW's efConstruction/efSearch (efSearch stays at 16, which
 * caps recall), but both are plain fields of FAISS's index serialisation. This finds them in the
 * serialised form of an index written by FAISS ("IHNf" = IndexHNSWFlat, faiss/impl/index_write.cpp):
 *
 *   fourcc, header (d:i32, ntotal:i64, 2 x i64, is_trained:u8, metric:i32[, metric_arg:f32]),
 *   5 vectors (u64 length + items: assign_probas f64, cum_nneighbor_per_level i32, levels i32,
 *   offsets u64, neighbors i32), entry_point:i32, max_level:i32, efConstruction:i32,
 *   efSearch:i32, upper_beam:i32, then the storage index.
 *
 * Returns the byte offset of efConstruction (efSearch follows it).
 */
export function hnswParamsOffset(buffer: Buffer): number {
  const fourcc = buffer.subarray(0, 4).toString('latin1');
  if (fourcc !== 'IHNf') throw new Error(`faiss-hnsw: expected an IndexHNSWFlat ("IHNf") buffer, got "${fourcc}"`);
  let offset = 4 + 4 + 8 + 16 + 1;
  const metric = buffer.readInt32LE(offset);
  offset += 4;
  if (metric > 1) offset += 4; // metric_arg, only written for the non-L2/IP metrics
  for (const itemSize of [8, 4, 4, 8, 4]) {
    offset += 8 + Number(buffer.readBigUInt64LE(offset)) * itemSize;
  }
  return offset + 8; // skip entry_point, max_level
}

export function readHnswParams(index: FaissNode.Index): HnswParams {
  const buffer = index.toBuffer();
  const at = hnswParamsOffset(buffer);
  return { efConstruction: buffer.readInt32LE(at), efSearch: buffer.readInt32LE(at + 4) };
}

/** A copy of `index` with the given parameters (serialise, patch, deserialise: do it while empty). */
export function withHnswParams(faiss: Faiss, index: FaissNode.Index, params: HnswParams): FaissNode.Index {
  const buffer = index.toBuffer();
  const at = hnswParamsOffset(buffer);
  buffer.writeInt32LE(params.efConstruction, at);
  buffer.writeInt32LE(params.efSearch, at + 4);
  return faiss.Index.fromBuffer(buffer);
}
