/**
 * The campaign's size: `quick` (the default, part of `npm test`, fixed seeds, a few minutes on 2 cores) or `full`
 * (`CAMPAIGN_PROFILE=full`, `npm run campaign`). Seeds are fixed so that a failure replays exactly;
 * `CAMPAIGN_SEED` explores other ones.
 */
export type Profile = 'quick' | 'full'

export const PROFILE: Profile = process.env.CAMPAIGN_PROFILE === 'full' ? 'full' : 'quick'

/** The quick or the full value of a setting. */
export function sized<T>(quick: T, full: T): T {
  return PROFILE === 'full' ? full : quick
}

export const SEED = Number.parseInt(process.env.CAMPAIGN_SEED ?? '20260314', 10)

/** mulberry32: small, fast and good enough to pick moments and operations; the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
