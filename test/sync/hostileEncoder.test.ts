/**
 * The hand-written update encoder of the hostile-client tests (test/support/craftedUpdates.ts) writes what
 * Yjs reads: checked by decoding with `Y.decodeUpdate` and by applying to a Y.Doc. The last tests pin down
 * the Yjs behaviour the hostile tests rely on: where an overlapping struct really goes.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import {
  attributeItem,
  clocksHeld,
  deletedRanges,
  encodeUpdate,
  lastIdOf,
  listItems,
} from '../support/craftedUpdates.ts'

/** <paragraph>hello</paragraph> in root `body`, written by client 1 at clocks 0 to 6. */
const paragraph = encodeUpdate({
  structs: [
    { client: 1, clock: 0, parent: { root: 'body' }, content: { element: 'paragraph' } },
    { client: 1, clock: 1, parent: { id: { client: 1, clock: 0 } }, content: { xmlText: true } },
    { client: 1, clock: 2, parent: { id: { client: 1, clock: 1 } }, content: { string: 'hello' } },
  ],
})

function docWith(...updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return doc
}

const pending = (doc: Y.Doc) => (doc.store as unknown as { pendingStructs: unknown }).pendingStructs

describe('encodeUpdate', () => {
  test('writes structs that Y.decodeUpdate reads back field by field', () => {
    const { structs, ds } = Y.decodeUpdate(paragraph)
    expect(structs.map((s) => [s.id.client, s.id.clock, s.length])).toEqual([
      [1, 0, 1],
      [1, 1, 1],
      [1, 2, 5],
    ])
    const [element, text, string] = structs as Y.Item[]
    expect(element!.parent).toBe('body')
    expect((element!.content as Y.ContentType).type).toBeInstanceOf(Y.XmlElement)
    expect(text!.parent).toEqual(Y.createID(1, 0))
    expect((text!.content as Y.ContentType).type).toBeInstanceOf(Y.XmlText)
    expect((string!.content as Y.ContentString).str).toBe('hello')
    expect(ds.clients.size).toBe(0)
  })

  test('applies to a Y.Doc as the text it describes, with nothing pending', () => {
    const doc = docWith(paragraph)
    expect(doc.getXmlFragment('body').toString()).toBe('<paragraph>hello</paragraph>')
    expect(pending(doc)).toBeNull()
  })

  test('writes a delete set that deletes those clocks', () => {
    const doc = docWith(paragraph, encodeUpdate({ structs: [], deletes: [{ client: 1, clock: 2, len: 2 }] }))
    expect(doc.getXmlFragment('body').toString()).toBe('<paragraph>llo</paragraph>')
    expect(deletedRanges(doc)).toEqual([{ client: 1, clock: 2, len: 2 }])
  })

  test('writes an attribute with its key when it has a parent', () => {
    const doc = docWith(
      paragraph,
      encodeUpdate({
        structs: [
          {
            client: 2,
            clock: 0,
            parent: { id: { client: 1, clock: 0 } },
            parentSub: 'id',
            content: { any: ['a'] },
          },
        ],
      }),
    )
    const element = doc.getXmlFragment('body').get(0) as Y.XmlElement
    expect(element.getAttribute('id')).toBe('a')
  })

  test('leaves the key off an attribute written over an earlier value: Yjs takes it from the origin', () => {
    const first = encodeUpdate({
      structs: [
        {
          client: 2,
          clock: 0,
          parent: { id: { client: 1, clock: 0 } },
          parentSub: 'id',
          content: { any: ['a'] },
        },
      ],
    })
    const over = encodeUpdate({
      structs: [
        { client: 3, clock: 0, origin: { client: 2, clock: 0 }, parentSub: 'id', content: { any: ['b'] } },
      ],
    })
    const decoded = Y.decodeUpdate(over).structs[0] as Y.Item
    expect(decoded.parentSub).toBeNull()
    expect(decoded.parent).toBeNull()
    const doc = docWith(paragraph, first, over)
    expect((doc.getXmlFragment('body').get(0) as Y.XmlElement).getAttribute('id')).toBe('b')
  })

  test('writes formatting marks, deleted runs and GC structs', () => {
    const doc = docWith(
      paragraph,
      encodeUpdate({
        structs: [
          { client: 4, clock: 0, origin: { client: 1, clock: 6 }, content: { format: ['bold', true] } },
          { client: 4, clock: 1, origin: { client: 4, clock: 0 }, content: { string: '!' } },
          { client: 4, clock: 2, origin: { client: 4, clock: 1 }, content: { deleted: 3 } },
          { client: 4, clock: 5, content: { gc: 2 } },
        ],
      }),
    )
    expect(doc.getXmlFragment('body').toString()).toBe('<paragraph>hello<bold>!</bold></paragraph>')
    expect(clocksHeld(doc, 4, 8)).toEqual([
      'ContentFormat',
      'char !',
      'ContentDeleted',
      'ContentDeleted',
      'ContentDeleted',
      'GC',
      'GC',
      'missing',
    ])
  })

  test('refuses to write what the format cannot carry', () => {
    expect(() =>
      encodeUpdate({
        structs: [
          {
            client: 1,
            clock: 0,
            origin: { client: 9, clock: 0 },
            parent: { root: 'body' },
            content: { string: 'x' },
          },
        ],
      }),
    ).toThrow(/no parent/)
    expect(() =>
      encodeUpdate({
        structs: [
          { client: 1, clock: 0, parent: { root: 'body' }, content: { string: 'x' } },
          { client: 1, clock: 5, parent: { root: 'body' }, content: { string: 'y' } },
        ],
      }),
    ).toThrow(/does not follow/)
  })
})

describe('what Yjs does with a struct that overlaps stored clocks', () => {
  test("it is sliced and put after the client's previous item, not at its declared origin", () => {
    // Client 5 wrote "abc" into a second paragraph; client 1's "hello" is in the first.
    const doc = docWith(
      paragraph,
      encodeUpdate({
        structs: [
          { client: 5, clock: 0, parent: { root: 'body' }, content: { element: 'paragraph' } },
          { client: 5, clock: 1, parent: { id: { client: 5, clock: 0 } }, content: { xmlText: true } },
          { client: 5, clock: 2, parent: { id: { client: 5, clock: 1 } }, content: { string: 'abc' } },
        ],
      }),
    )
    const [first, second] = doc.getXmlFragment('body').toArray() as Y.XmlElement[]
    const overlapping = encodeUpdate({
      structs: [
        {
          client: 5,
          clock: 4,
          origin: lastIdOf(listItems(first!.get(0) as Y.XmlText).at(-1)!),
          content: { string: 'cXYZ' },
        },
      ],
    })
    // Declared: after "hello", in the first paragraph. Yjs: after client 5's "abc", in the second.
    Y.applyUpdate(doc, overlapping)
    expect((second!.get(0) as Y.XmlText).toString()).toBe('abcXYZ')
    expect((first!.get(0) as Y.XmlText).toString()).toBe('hello')
  })

  test('an attribute item placed after a text item deletes that text item', () => {
    const doc = docWith(
      paragraph,
      encodeUpdate({
        structs: [
          {
            client: 2,
            clock: 0,
            parent: { id: { client: 1, clock: 0 } },
            parentSub: 'k',
            content: { any: ['v'] },
          },
        ],
      }),
    )
    const element = doc.getXmlFragment('body').get(0) as Y.XmlElement
    // Client 1's last item is "hello"; the struct overlaps it by one clock and takes its key from its origin.
    Y.applyUpdate(
      doc,
      encodeUpdate({
        structs: [
          { client: 1, clock: 6, origin: attributeItem(element, 'k').id, content: { any: ['x', 'w'] } },
        ],
      }),
    )
    expect(doc.getXmlFragment('body').toString()).toBe('<paragraph k="w"></paragraph>')
  })
})
