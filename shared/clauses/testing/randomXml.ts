/**
 * Random Yjs XML content for the property tests of shared/clauses: nested elements with random attributes
 * (scalars, JSON objects and arrays, Yjs nodes), text with overlapping formatting (several marks on one run,
 * marks whose value is not an object) and embeds, empty elements. Quirky on purpose: the serializer must match
 * Yjs's output on whatever an editor can send, not only on what the editor writes.
 */
import fc from 'fast-check'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../editor/extensions.ts'

export type Scalar = string | number | boolean | null
export type JsonValue = Scalar | JsonValue[] | { [key: string]: JsonValue }

export interface TextSpec {
  kind: 'text'
  text: string
  /** Applied in order; positions are taken modulo the text's length. */
  formats: { at: number; length: number; marks: Record<string, JsonValue> }[]
  /** A JSON object or array, or an element of that name. */
  embeds: { at: number; value: object | string }[]
}

export interface ElementSpec {
  kind: 'element'
  name: string
  attributes: { key: string; value: { json: JsonValue } | { node: NodeSpec } }[]
  children: NodeSpec[]
}

export type NodeSpec = TextSpec | ElementSpec

const shortString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', ' ', '<b>', '"quoted"', '&amp;', 'a\nb', 'İ', 'Scope'),
)

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  shortString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
)

const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(shortString, tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value

const attributeKey = fc.oneof(
  fc.constantFrom('id', 'kind', 'textAlign', 'level', 'data-x', 'Z', 'a', 'b', 'toString', '__proto__'),
  fc.string({ maxLength: 4 }),
)

const markName = fc.constantFrom(
  'bold',
  'italic',
  'link',
  'strike',
  'code',
  'subscript',
  'textStyle',
  'Z',
  'a',
)

const markValue: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 3,
    arbitrary: fc.dictionary(fc.constantFrom('href', 'target', 'rel', 'color', 'z', 'a'), scalar, {
      noNullPrototype: true,
    }),
  },
  // null removes the mark.
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: json },
)

const elementName = fc.oneof(
  fc.constantFrom('paragraph', 'clauseHeading', 'tableRow', 'definition', 'Heading', 'P', 'İtem'),
  fc.string({ minLength: 1, maxLength: 5 }),
)

const textSpec: fc.Arbitrary<TextSpec> = fc.record({
  kind: fc.constant('text' as const),
  text: fc.string({ unit: 'binary', maxLength: 12 }),
  formats: fc.array(
    fc.record({
      at: fc.nat(12),
      length: fc.nat(12),
      marks: fc.dictionary(markName, markValue, { minKeys: 1, maxKeys: 3, noNullPrototype: true }),
    }),
    { maxLength: 4 },
  ),
  embeds: fc.array(
    fc.record({
      at: fc.nat(12),
      value: fc.oneof(
        fc.dictionary(shortString, json, { maxKeys: 2, noNullPrototype: true }),
        fc.array(json),
        elementName,
      ),
    }),
    { maxLength: 1 },
  ),
})

function elementSpec(depth: number): fc.Arbitrary<ElementSpec> {
  const child = depth > 0 ? nodeSpec(depth - 1) : textSpec
  return fc.record({
    kind: fc.constant('element' as const),
    name: elementName,
    attributes: fc.array(
      fc.record({
        key: attributeKey,
        value: fc.oneof(
          { weight: 6, arbitrary: fc.record({ json: scalar }) },
          { weight: 2, arbitrary: fc.record({ json }) },
          { weight: 1, arbitrary: fc.record({ node: child }) },
        ),
      }),
      { maxLength: 4 },
    ),
    children: fc.array(child, { maxLength: 4 }),
  })
}

/** A text or an element nesting up to `depth` levels of elements. */
export function nodeSpec(depth: number): fc.Arbitrary<NodeSpec> {
  return depth > 0 ? fc.oneof(textSpec, elementSpec(depth)) : textSpec
}

/**
 * Appends the node to `parent`, which must already be in a Y.Doc: content is written after integration, as an
 * editor's updates do, so every kind of content goes through Yjs's own integration.
 */
export function appendNode(parent: Y.XmlFragment, spec: NodeSpec): Y.XmlElement | Y.XmlText {
  const node = spec.kind === 'text' ? new Y.XmlText() : new Y.XmlElement(spec.name)
  parent.insert(parent.length, [node])
  fill(node, spec)
  return node
}

function fill(node: Y.XmlElement | Y.XmlText, spec: NodeSpec): void {
  if (spec.kind === 'text') fillText(node as Y.XmlText, spec)
  else fillElement(node as Y.XmlElement, spec)
}

function fillText(text: Y.XmlText, spec: TextSpec): void {
  text.insert(0, spec.text)
  for (const { at, length, marks } of spec.formats) {
    const start = at % (text.length + 1)
    text.format(start, Math.min(length, text.length - start), marks)
  }
  for (const { at, value } of spec.embeds) {
    const embed = typeof value === 'string' ? new Y.XmlElement(value) : value
    text.insertEmbed(at % (text.length + 1), embed)
  }
}

function fillElement(element: Y.XmlElement, spec: ElementSpec): void {
  const attributes = element as unknown as Y.XmlElement<Record<string, JsonValue | Y.XmlElement | Y.XmlText>>
  for (const { key, value } of spec.attributes) {
    if ('json' in value) {
      attributes.setAttribute(key, value.json)
      continue
    }
    const node = value.node.kind === 'text' ? new Y.XmlText() : new Y.XmlElement(value.node.name)
    attributes.setAttribute(key, node)
    fill(node, value.node)
  }
  for (const child of spec.children) appendNode(element, child)
}

/** The body holding these nodes, as a server stores it: decoded from the update that wrote them. */
export function bodyOf(specs: NodeSpec[]): Y.XmlFragment {
  const sender = new Y.Doc()
  const body = sender.getXmlFragment(BODY_FIELD)
  sender.transact(() => {
    for (const spec of specs) appendNode(body, spec)
  })
  return storedBody(sender)
}

/** The body of a document holding everything `sender` wrote, decoded from one update. */
export function storedBody(sender: Y.Doc): Y.XmlFragment {
  const stored = new Y.Doc()
  Y.applyUpdate(stored, Y.encodeStateAsUpdate(sender))
  return stored.getXmlFragment(BODY_FIELD)
}
