/**
 * Realistic sample text for the demo focus group (modelled on FG-MV's deliverables), written into the
 * deliverable skeletons before they are seeded.
 */
import {
  abbreviation,
  definition,
  note,
  type PmNode,
  p,
  reference,
  requirement,
  type Skeleton,
  table,
  text,
} from '../../shared/clauses/skeletons.ts'

/** Replaces the own blocks of the clause titled `title` (sub-clauses stay). */
export function fillClause(skeleton: Skeleton, title: string, blocks: PmNode[]): void {
  const visit = (node: PmNode): boolean => {
    if (node.type === 'clause') {
      const [heading, ...rest] = node.content ?? []
      const headingText = heading?.content?.map((t) => t.text ?? '').join('') ?? ''
      if (headingText === title) {
        node.content = [heading!, ...blocks, ...rest.filter((child) => child.type === 'clause')]
        return true
      }
    }
    return (node.content ?? []).some(visit)
  }
  if (!visit(skeleton.doc)) throw new Error(`no clause titled ${title}`)
}

export function fillTerms(skeleton: Skeleton): void {
  fillClause(skeleton, 'Summary', [
    p(
      'This Technical Specification provides a definition of metaverse and related terms for use in ITU-T work.',
    ),
  ])
  fillClause(skeleton, 'Keywords', [p('Metaverse, definition, virtual world, digital twin.')])
  fillClause(skeleton, 'Scope', [
    p('This Technical Specification defines the term metaverse and a small set of terms needed to use it.'),
  ])
  fillClause(skeleton, 'References', [
    reference(
      '[ITU-T Y.3090]',
      'Recommendation ITU-T Y.3090 (2022), Digital twin network – Requirements and architecture.',
    ),
  ])
  fillClause(skeleton, 'Terms defined elsewhere', [
    p('This Technical Specification uses the following terms defined elsewhere:'),
    definition('digital twin', 'A digital representation of an object of interest.', 'b-ISO/IEC 30173'),
    definition(
      'avatar',
      'A graphical representation of a user in a virtual environment.',
      'b-ITU-T F.748.16',
    ),
  ])
  fillClause(skeleton, 'Terms defined in this Technical Specification', [
    p('This Technical Specification defines the following terms:'),
    definition(
      'metaverse',
      'An integrative ecosystem of virtual worlds offering immersive experiences to users, that modify ' +
        'pre-existing and create new value from economic, environmental, social and cultural perspectives.',
    ),
    note('A metaverse can be virtual, augmented, representative of, or associated with the physical world.'),
    definition('virtual world', 'A computer-simulated environment in which users interact through avatars.'),
  ])
  fillClause(skeleton, 'Abbreviations and acronyms', [
    p('This Technical Specification uses the following abbreviations and acronyms:'),
    abbreviation('AR', 'Augmented Reality'),
    abbreviation('VR', 'Virtual Reality'),
    abbreviation('XR', 'Extended Reality'),
  ])
}

export function fillRequirements(skeleton: Skeleton): void {
  fillClause(skeleton, 'Scope', [
    p('This Technical Specification specifies requirements for interoperable metaverse platforms.'),
  ])
  fillClause(skeleton, 'Requirements', [
    requirement(
      'MV-REQ-001',
      'The platform is required to support avatars that users can carry between virtual worlds.',
    ),
    requirement(
      'MV-REQ-002',
      'The platform is recommended to support accessibility features for users with disabilities.',
    ),
    requirement('MV-REQ-003', 'The platform can optionally support haptic feedback devices.'),
  ])
}

export function fillGapAnalysis(skeleton: Skeleton): void {
  fillClause(skeleton, 'Methodology', [
    p(
      'Work items of other standards bodies were collected from their public work programmes and compared with ' +
        'the scope of the focus group.',
    ),
  ])
  fillClause(skeleton, 'Standards landscape', [
    table(
      ['Body and group', 'Standard or project', 'Scope', 'Relation to the topic', 'Gap'],
      [
        [
          'ISO/IEC JTC 1/SC 24',
          'ISO/IEC 18039',
          'Mixed and augmented reality reference model',
          'Architecture',
          'No metaverse interoperability profile',
        ],
        [
          'IEEE',
          'IEEE 2888',
          'Interfacing cyber and physical world',
          'Digital twins',
          'Identity across worlds',
        ],
        ['W3C', 'WebXR Device API', 'Immersive web content', 'Browser access', 'Persistent avatars'],
      ],
    ),
  ])
}

export function fillTechnicalReport(skeleton: Skeleton): void {
  fillClause(skeleton, 'Summary', [
    p(
      'This Technical Report describes a technical framework for the metaverse: its layers, functions and interfaces.',
    ),
  ])
  fillClause(skeleton, 'Overview', [
    p('A metaverse platform is described as layers: infrastructure, interaction, experience and governance.'),
    p('Each layer exposes interfaces to the layers above it.'),
  ])
  fillClause(skeleton, 'Technical framework', [
    p('The framework identifies the following functional entities:'),
    {
      type: 'bulletList',
      content: [
        'identity and avatar management;',
        'world state synchronization;',
        'content and asset exchange.',
      ].map((item) => ({ type: 'listItem', content: [p(item)] })),
    },
    {
      type: 'paragraph',
      content: [
        text('Interfaces between entities are '),
        text('normative', [{ type: 'italic' }]),
        text(' only where marked.'),
      ],
    },
  ])
}
