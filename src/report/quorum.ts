/**
 * What a consensus scenario's quorum can and cannot guarantee, in plain words. The claims and
 * their wording are docs/consensus.md's ("What a 2/3 quorum can and cannot guarantee with 2
 * liars of 5"), with this scenario's backends, weights and counts put in.
 */

/** The quorum when a suite does not set query.quorum (src/store/consensus/options.ts). */
export const DEFAULT_QUORUM = 2 / 3;

export interface QuorumBackend {
  name: string;
  baseWeight: number;
  /** Gives wrong answers: an injected lie or dropped writes, or flagged suspect by the router. */
  liar: boolean;
  /** Does not answer (injected crash, slowness past the timeout, flapping) but does not lie. */
  down: boolean;
}

export interface QuorumReading {
  quorum: number;
  /** Whether the suite set the quorum or the default applies. */
  quorumSource: 'suite' | 'default';
  backends: number;
  healthy: number;
  /** Share of the configured base weight held by healthy backends (neither lying nor down). */
  healthyShare: number;
  liarShare: number;
  /** The healthy backends alone make the quorum: the faults are within what it tolerates. */
  tolerated: boolean;
  /** One line: how many are healthy, their share of the weight against the quorum. */
  summary: string;
  /** Only when not tolerated. */
  can: string[];
  cannot: string[];
}

/** 0.6666… -> "2/3", 0.6 -> "3/5", 0.73 -> "0.73": fractions of small denominators read better. */
export function fractionText(x: number): string {
  for (let d = 1; d <= 12; d++) {
    const n = Math.round(x * d);
    if (Math.abs(n / d - x) < 1e-9) return d === 1 ? String(n) : `${n}/${d}`;
  }
  return Number(x.toFixed(3)).toString();
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const names = (bs: readonly QuorumBackend[]): string => bs.map((b) => b.name).join(', ');

const TRUTH = 'Truth. A quorum certifies agreement, not correctness: backends that share a bug, a bad embedding or the same stale data agree on the same wrong answer.';
const MAJORITY_OF_LIARS = 'Anything against liars that hold the majority of the weight: they become the consensus, the honest backends lose trust, and lies are certified.';

export interface QuorumFacts {
  /** Queries whose merged top-k did not meet the quorum, of how many. */
  noQuorum: number;
  queries: number;
  /** Lying backends flagged suspect, and the query count after which the last of them was (null if none was). */
  flagged: number;
  flaggedAfter: number | null;
}

/** Reads a scenario's quorum against its faulty backends (weights are base weights, trust 1). */
export function readQuorum(backends: readonly QuorumBackend[], quorum: number | null, facts: QuorumFacts): QuorumReading {
  const q = quorum ?? DEFAULT_QUORUM;
  const total = backends.reduce((s, b) => s + b.baseWeight, 0);
  const share = (bs: readonly QuorumBackend[]): number => (total > 0 ? bs.reduce((s, b) => s + b.baseWeight, 0) / total : 0);
  const liars = backends.filter((b) => b.liar);
  const down = backends.filter((b) => !b.liar && b.down);
  const healthy = backends.filter((b) => !b.liar && !b.down);
  const healthyShare = share(healthy);
  const liarShare = share(liars);
  // Exact fractions (2/3 of 3 equal backends) must count as reaching the quorum.
  const tolerated = healthyShare >= q - 1e-9;
  const qText = fractionText(q);
  const reading: QuorumReading = {
    quorum: q,
    quorumSource: quorum === null ? 'default' : 'suite',
    backends: backends.length,
    healthy: healthy.length,
    healthyShare,
    liarShare,
    tolerated,
    summary: '',
    can: [],
    cannot: [],
  };
  const faulty = backends.length - healthy.length;
  const held = `${healthy.length} of ${backends.length} backends are healthy, holding ${fractionText(healthyShare)} of the weight`;
  if (faulty === 0) {
    reading.summary = `All ${backends.length} backends are healthy; the quorum is ${qText} of the configured weight.`;
    return reading;
  }
  if (tolerated) {
    reading.summary = `${held}: at least the quorum (${qText}), so the healthy backends alone make a quorum; the ${plural(faulty, 'faulty backend')} (${names([...liars, ...down])}) cannot stop it or outvote it.`;
    return reading;
  }
  reading.summary = `${held}, less than the quorum (${qText}): the ${plural(faulty, 'faulty backend')} (${names([...liars, ...down])}) are more than this quorum tolerates.`;

  if (liars.length && liarShare >= 0.5) {
    reading.can.push(`Nothing about the answers: the liars (${names(liars)}) hold ${fractionText(liarShare)} of the weight.`);
    reading.cannot.push(MAJORITY_OF_LIARS, TRUTH);
    return reading;
  }
  if (liars.length) {
    const honestMajority = healthyShare > liarShare;
    reading.can.push(
      honestMajority
        ? `No lie is certified. The liars hold ${fractionText(liarShare)} of the weight, below ${qText}, and their trust can only fall (the honest backends are a majority whenever they answer, so the consensus is theirs and they never lose trust). A quorum therefore always includes an honest backend whose top-k shares at least agreeOverlap·k ids with the merged answer; when the honest backends agree with each other (exact search), a quorum-met answer is exactly their answer.`
        : `No lie is certified. The liars hold ${fractionText(liarShare)} of the weight, below ${qText}, so a quorum always includes an honest backend. But the honest backends are no majority: a split vote moves nobody's trust, so the quorum is never met and the best-effort answer may mix true and false ids.`,
    );
    if (honestMajority) {
      reading.can.push(
        `The honest plurality answers, even before the quorum is met: ${healthy.length} presence votes beat ${liars.length}, even if the liars collude on the same wrong ids.`,
      );
      const flagged =
        facts.flaggedAfter === null || facts.flagged === 0
          ? ' and no liar was flagged suspect'
          : facts.flagged === liars.length
            ? `, and the liars were flagged suspect after ${plural(facts.flaggedAfter, 'query', 'queries')}`
            : `, and ${facts.flagged} of the ${liars.length} liars were flagged suspect (the last after ${plural(facts.flaggedAfter, 'query', 'queries')})`;
      const here = `Here ${plural(facts.noQuorum, 'query', 'queries')} of ${facts.queries} went without a quorum${flagged}.`;
      reading.can.push(
        `Liveness after a few queries. At first the honest backends hold ${fractionText(healthyShare)} < ${qText}, so the first queries are not certified (returned best effort and flagged, or refused with onNoQuorum: error). The liars' trust then falls until the honest weight reaches the quorum. ${here}`,
      );
    }
    reading.cannot.push(
      'An answer when one more backend fails. If an honest backend is also down, the honest backends may face colluding liars with no majority on either side: trust does not move, the quorum is never met, and the best-effort answer is a mixture of true and false ids. Safety holds — nothing is certified — but the answer is lost until the honest backend returns.',
      MAJORITY_OF_LIARS,
      TRUTH,
      'The order of ties or ANN misses among honest backends. If the honest backends disagree with each other at the tail of the top-k (approximate search), coordinated liar votes can win those tail places.',
    );
    return reading;
  }
  // Only crashed, slow or flapping backends: they do not vote, so they cannot lie, but they count.
  reading.can.push(
    `Nothing false is certified by ${names(down)}: a crashed, slow or behind backend does not vote, and a slow or crashed backend is not a liar (its trust does not change).`,
  );
  reading.cannot.push(
    `A quorum while they are down. The quorum counts the configured weight, answering or not, so the ${plural(healthy.length, 'healthy backend')} (${fractionText(healthyShare)}) never reach ${qText}: answers are best effort and flagged (here ${facts.noQuorum} of ${facts.queries} queries), or refused with onNoQuorum: error, until enough backends return.`,
    TRUTH,
  );
  return reading;
}
