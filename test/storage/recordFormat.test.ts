/**
 * The torn-or-damaged rule (SYNC.md §5), exhaustively on a small log: every prefix an interrupted append can
 * leave reads as a torn tail, and every single flipped bit, in any record including the last, reads as damage.
 */
import { describe, expect, it } from 'vitest'
import { encodeRecord, scanRecords } from '../../server/storage/recordFormat.ts'

const encoder = new TextEncoder()
const payloads = ['', 'a', 'two words', '{"type":"agreed","clauseId":"c1"}'].map((s) => encoder.encode(s))
const log = Buffer.concat(payloads.map(encodeRecord))

describe('scanRecords', () => {
  it('reads every prefix of a log as its whole records plus, at most, a torn tail', () => {
    for (let length = 0; length <= log.byteLength; length++) {
      const scan = scanRecords(log.subarray(0, length))
      expect(scan.stop?.torn ?? true, `prefix of ${length} bytes`).toBe(true)
      expect(scan.records.map((r) => Buffer.from(r))).toEqual(
        payloads.slice(0, scan.records.length).map((p) => Buffer.from(p)),
      )
    }
  })

  it('reads zeros where a crash extended the file past the last record as a torn tail', () => {
    for (const zeros of [1, 7, 8, 9, 4096]) {
      const scan = scanRecords(Buffer.concat([log, new Uint8Array(zeros)]))
      expect(scan.stop).toEqual({
        offset: log.byteLength,
        torn: true,
        reason: `zero-filled tail of ${zeros} bytes`,
      })
      expect(scan.records).toHaveLength(payloads.length)
    }
  })

  it('reads every single flipped bit as damage, in the last record as anywhere else', () => {
    for (let bit = 0; bit < log.byteLength * 8; bit++) {
      const damaged = Buffer.from(log)
      damaged[bit >> 3]! ^= 1 << (bit & 7)
      const stop = scanRecords(damaged).stop
      expect(stop, `bit ${bit}`).toBeDefined()
      expect(stop!.torn, `bit ${bit}: ${stop!.reason}`).toBe(false)
    }
  })

  it('reads a length prefix past the end as torn only when the bytes after it do not complete the record', () => {
    const last = encodeRecord(payloads[3]!)
    const start = log.byteLength - last.byteLength
    const torn = scanRecords(log.subarray(0, log.byteLength - 1)).stop
    expect(torn).toEqual({ offset: start, torn: true, reason: 'incomplete record' })
    const lengthened = Buffer.from(log)
    lengthened.writeUInt32BE(last.byteLength, start)
    expect(scanRecords(lengthened).stop).toMatchObject({ offset: start, torn: false })
  })
})
