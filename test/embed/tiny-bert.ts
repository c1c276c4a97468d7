/**
 * Writes a tiny but real sentence-transformers-shaped model for transformers.js: a BERT
 * WordPiece tokenizer and an ONNX graph whose last_hidden_state is a lookup in a fixed
 * embedding table (one Gather node). No npm package ships the weights of a real
 * sentence-transformers model, so this exercises the real loading, tokenising, ONNX Runtime
 * and pooling path with outputs the tests can compute by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TINY_DIMS = 8;
export const TINY_VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
  'the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'query', 'passage', ':', 'fast',
];
const SPECIAL = TINY_VOCAB.slice(0, 5);

/** Row `id` of the embedding table. */
export function tinyRow(id: number): number[] {
  return Array.from({ length: TINY_DIMS }, (_, d) => (((id + 1) * (d + 3)) % 11) - 5);
}

export function tinyTokenId(token: string): number {
  const id = TINY_VOCAB.indexOf(token);
  if (id < 0) throw new Error(`not in the tiny vocabulary: ${token}`);
  return id;
}

// --- protobuf wire format, just enough for an ONNX ModelProto ---
type Bytes = number[];
function varint(n: number): Bytes {
  const out: Bytes = [];
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const int = (field: number, n: number): Bytes => [...varint(field * 8), ...varint(n)];
const bytes = (field: number, data: Bytes | Uint8Array): Bytes => [...varint(field * 8 + 2), ...varint(data.length), ...data];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, 'utf8')]);

const FLOAT = 1;
const INT64 = 7;
function valueInfo(name: string, elemType: number, dims: (string | number)[]): Bytes {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'string' ? str(2, d) : int(1, d)));
  const tensorType = [...int(1, elemType), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

function onnxModel(): Uint8Array {
  const table = new Float32Array(TINY_VOCAB.flatMap((_, id) => tinyRow(id)));
  const initializer = [
    ...int(1, TINY_VOCAB.length),
    ...int(1, TINY_DIMS),
    ...int(2, FLOAT),
    ...str(8, 'embeddings'),
    ...bytes(9, new Uint8Array(table.buffer)),
  ];
  const node = [...str(1, 'embeddings'), ...str(1, 'input_ids'), ...str(2, 'last_hidden_state'), ...str(3, 'lookup'), ...str(4, 'Gather')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'tiny-bert'),
    ...bytes(5, initializer),
    ...bytes(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    ...bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', TINY_DIMS])),
  ];
  const opset = int(2, 13);
  return Uint8Array.from([...int(1, 7), ...str(2, 'ragbench-test'), ...bytes(7, graph), ...bytes(8, opset)]);
}

function tokenizerJson(): object {
  const special = (t: string) => ({ SpecialToken: { id: t, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content, id) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, special('[SEP]')],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [tinyTokenId(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i])),
    },
  };
}

/** Writes the model files under `<modelsDir>/<repo>/`; `onnxName` picks quantized or not. */
export function writeTinyBert(modelsDir: string, repo: string, onnxName = 'model_quantized.onnx'): string {
  const dir = join(modelsDir, repo);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: TINY_DIMS }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512,
      pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]',
    }),
  );
  writeFileSync(join(dir, 'onnx', onnxName), onnxModel());
  return dir;
}
