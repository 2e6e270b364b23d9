/**
 * Counts the structs of a v1 update without building them. Decoding costs several microseconds a struct
 * (`Y.decodeUpdate` builds an Item and its content for each), so an update of hundreds of thousands of
 * one-character structs froze the server for seconds before any check could refuse it. This walks the same
 * format (Yjs `readClientsStructRefs`, `readItemContent`) skipping over strings and buffers, and stops as soon as
 * the count passes the limit, so that refusing an oversized update costs a fraction of the limit's worth.
 */
import * as decoding from 'lib0/decoding'

const BITS5 = 31
const BIT6 = 32
const BIT7 = 64
const BIT8 = 128
const XML_ELEMENT = 3
const XML_HOOK = 5

export class StructScanError extends Error {}

function skipId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
}

function skipBytes(decoder: decoding.Decoder): void {
  const length = decoding.readVarUint(decoder)
  if (decoder.pos + length > decoder.arr.length) throw new StructScanError('length past the end')
  decoder.pos += length
}

function skipContent(decoder: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // deleted
      decoding.readVarUint(decoder)
      return
    case 2: {
      // JSON: a count of strings
      const count = decoding.readVarUint(decoder)
      for (let i = 0; i < count; i++) skipBytes(decoder)
      return
    }
    case 3: // binary
    case 4: // string
    case 5: // embed
      skipBytes(decoder)
      return
    case 6: // format: key and value
      skipBytes(decoder)
      skipBytes(decoder)
      return
    case 7: {
      const typeRef = decoding.readVarUint(decoder)
      if (typeRef === XML_ELEMENT || typeRef === XML_HOOK) skipBytes(decoder)
      return
    }
    case 8: {
      const count = decoding.readVarUint(decoder)
      for (let i = 0; i < count; i++) decoding.readAny(decoder)
      return
    }
    case 9: // a sub-document: guid and options
      skipBytes(decoder)
      decoding.readAny(decoder)
      return
    default:
      throw new StructScanError(`unknown content ${ref}`)
  }
}

/** The number of structs (and client groups) in the update, or `limit + 1` once it passes `limit`. */
export function countStructs(update: Uint8Array, limit: number): number {
  const decoder = decoding.createDecoder(update)
  let count = 0
  try {
    const groups = decoding.readVarUint(decoder)
    for (let g = 0; g < groups; g++) {
      const structs = decoding.readVarUint(decoder)
      decoding.readVarUint(decoder) // client
      decoding.readVarUint(decoder) // first clock
      count++
      for (let s = 0; s < structs; s++) {
        if (++count > limit) return limit + 1
        const info = decoding.readUint8(decoder)
        const ref = info & BITS5
        if (ref === 0 || ref === 10) {
          decoding.readVarUint(decoder)
          continue
        }
        if (info & BIT8) skipId(decoder)
        if (info & BIT7) skipId(decoder)
        if ((info & (BIT7 | BIT8)) === 0) {
          if (decoding.readVarUint(decoder) === 1) skipBytes(decoder)
          else skipId(decoder)
          if (info & BIT6) skipBytes(decoder)
        }
        skipContent(decoder, ref)
      }
      if (count > limit) return limit + 1
    }
  } catch (error) {
    if (error instanceof StructScanError) throw error
    throw new StructScanError((error as Error).message)
  }
  return count
}
