import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { BODY_FIELD } from '../editor/extensions.ts'
import { bodyOf, nodeSpec } from './testing/randomXml.ts'
import { isXmlNode, type XmlNode, xmlString } from './xmlString.ts'

// Fixed, so that a failure is reproducible; fast-check prints the counterexample.
const SEED = 20_260_611

/** The body and every XML node inside it, attribute values included. */
function nodesOf(body: Y.XmlFragment): XmlNode[] {
  const found: XmlNode[] = []
  const stack: XmlNode[] = [body]
  while (stack.length > 0) {
    const node = stack.pop()!
    found.push(node)
    if (node instanceof Y.XmlText) continue
    const inside: unknown[] = node.toArray()
    if (node instanceof Y.XmlElement) inside.push(...Object.values(node.getAttributes()))
    stack.push(...inside.filter(isXmlNode))
  }
  return found
}

const element = (name = 'paragraph') => {
  const body = new Y.Doc().getXmlFragment(BODY_FIELD)
  const node = new Y.XmlElement(name)
  body.insert(0, [node])
  return node
}

const nestedArray = (depth: number, leaf: unknown): unknown[] => {
  let value = [leaf]
  for (let i = 1; i < depth; i++) value = [value]
  return value
}

describe("xmlString gives exactly Yjs's toString()", () => {
  test('on random nested documents: attributes, marks, embeds, empty elements', () => {
    fc.assert(
      fc.property(fc.array(nodeSpec(4), { maxLength: 4 }), (specs) => {
        for (const node of nodesOf(bodyOf(specs))) expect(xmlString(node)).toBe(node.toString())
      }),
      { seed: SEED, numRuns: 300 },
    )
  })

  test('on a nesting as deep as Yjs can serialize, with attributes and marks at every level', () => {
    const top = element('listItem')
    top.doc!.transact(() => {
      let parent = top
      for (let level = 0; level < 400; level++) {
        const text = new Y.XmlText()
        const child = new Y.XmlElement(level % 2 ? 'listItem' : 'Paragraph')
        parent.insert(0, [text, child])
        text.insert(0, `level ${level}`, { bold: {}, link: { href: `#${level}`, target: null } })
        child.setAttribute('level', String(level))
        parent = child
      }
    })
    expect(xmlString(top)).toBe(top.toString())
  })

  test('on children, attribute values and embeds that are not XML', () => {
    const node = element()
    const list = node as unknown as Y.XmlFragment & { insert(index: number, content: unknown[]): void }
    list.insert(0, ['text', 5, -0, true, [1, [2, null, [undefined]], 'x'], { a: 1 }, new Uint8Array([1, 2])])
    list.insert(list.length, [new Y.Text('plain'), new Y.Map(), new Y.Array()])
    const attributes = node as unknown as Y.XmlElement<Record<string, unknown[] | object>>
    attributes.setAttribute('list', [1, [2, [3, null]], {}])
    attributes.setAttribute('object', { a: [1] })
    const text = new Y.XmlText()
    node.insert(0, [text])
    text.insert(0, 'ab', { color: 'red', mark: [1, [2]] })
    text.insertEmbed(1, [[1, 2], 3])
    const embedded = new Y.XmlElement('image')
    text.insertEmbed(0, embedded, { bold: {} })
    embedded.setAttribute('src', 'a.png')
    embedded.insert(0, [new Y.XmlText('caption')])
    expect(xmlString(node)).toBe(node.toString())
  })

  test('reads a null child and an object whose toString is data where Yjs throws', () => {
    const node = element()
    ;(node as unknown as { insert(index: number, content: unknown[]): void }).insert(0, [null, 'a'])
    expect(() => node.toString()).toThrow(TypeError)
    expect(xmlString(node)).toBe('<paragraph>nulla</paragraph>')
    ;(node as unknown as Y.XmlElement<Record<string, object>>).setAttribute('x', { toString: 1 })
    expect(() => node.toString()).toThrow(TypeError)
    expect(xmlString(node)).toBe('<paragraph x="[object Object]">nulla</paragraph>')
  })

  test('does not overflow on arrays nested 20,000 deep in an attribute, a mark or an embed', () => {
    const deep = nestedArray(20_000, 'x')
    const node = element()
    ;(node as unknown as Y.XmlElement<Record<string, object>>).setAttribute('data', deep)
    const text = new Y.XmlText()
    node.insert(0, [text])
    text.insert(0, 'ab')
    text.format(0, 1, { mark: { value: deep } })
    text.insertEmbed(2, deep)
    expect(xmlString(node)).toBe('<paragraph data="x"><mark value="x">a</mark>bx</paragraph>')
  })

  test('does not overflow on elements nested 20,000 deep', () => {
    const top = element('listItem')
    top.doc!.transact(() => {
      let parent = top
      for (let level = 0; level < 20_000; level++) {
        const child = new Y.XmlElement('listItem')
        parent.insert(0, [child])
        parent = child
      }
    })
    expect(xmlString(top)).toBe(`${'<listitem>'.repeat(20_001)}${'</listitem>'.repeat(20_001)}`)
  })
})
