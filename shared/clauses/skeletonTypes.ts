/** The clause skeleton of every deliverable type, with DOMAIN.md's standard sentences. */
import type { DeliverableType } from '../domain/types.ts'
import {
  abbreviation,
  buildClauses,
  type ClauseSpec,
  definition,
  documentNoun,
  p,
  reference,
  requirement,
  type Skeleton,
  table,
} from './skeletons.ts'

const TR_NOTE =
  'This Technical Report is an informative ITU-T publication. Mandatory provisions such as those found in ITU-T ' +
  'Recommendations lie outside the scope of this Technical Report, which should only be referenced ' +
  'bibliographically in ITU-T Recommendations.'

function frontMatter(type: DeliverableType): ClauseSpec[] {
  const front: ClauseSpec[] = [
    { title: 'Summary', kind: 'unnumbered' },
    { title: 'Keywords', kind: 'unnumbered' },
  ]
  if (documentNoun(type) === 'Technical Report') {
    front.push(
      { title: 'Note', kind: 'unnumbered', blocks: [p(TR_NOTE)] },
      { title: 'Change log', kind: 'unnumbered' },
      { title: 'Acknowledgements', kind: 'unnumbered' },
    )
  }
  return front
}

function commonClauses(type: DeliverableType): ClauseSpec[] {
  const noun = `This ${documentNoun(type)}`
  const conventions =
    type === 'requirements'
      ? [
          p(
            'The keywords "is required to" indicate a requirement which must be strictly followed and from which ' +
              `no deviation is permitted if conformance to ${noun.toLowerCase()} is to be claimed.`,
          ),
          p(
            'The keywords "is recommended to" indicate a requirement which is recommended but which is not absolutely required.',
          ),
          p('The keywords "can optionally" indicate an optional requirement which is permissible.'),
        ]
      : [p('None.')]
  return [
    { title: 'Scope', blocks: [p(`${noun} ...`)] },
    { title: 'References', required: true, blocks: [p('None.')] },
    {
      title: 'Definitions',
      required: true,
      blocks: [],
      children: [
        {
          title: 'Terms defined elsewhere',
          blocks: [p(`${noun} uses the following terms defined elsewhere:`), definition('', '', '')],
        },
        {
          title: `Terms defined in this ${documentNoun(type)}`,
          blocks: [p(`${noun} defines the following terms:`), definition('', '')],
        },
      ],
    },
    {
      title: 'Abbreviations and acronyms',
      required: true,
      blocks: [p(`${noun} uses the following abbreviations and acronyms:`), abbreviation('', '')],
    },
    { title: 'Conventions', required: true, blocks: conventions },
  ]
}

function annex(type: DeliverableType, title: string): ClauseSpec {
  return {
    title,
    kind: 'annex',
    blocks: [p(`(This annex forms an integral part of this ${documentNoun(type)}.)`)],
  }
}

function appendix(type: DeliverableType, title: string): ClauseSpec {
  return {
    title,
    kind: 'appendix',
    blocks: [p(`(This appendix does not form an integral part of this ${documentNoun(type)}.)`)],
  }
}

function bodyClauses(type: DeliverableType): ClauseSpec[] {
  switch (type) {
    case 'terms':
      return [{ title: 'Overview' }, appendix(type, 'Terms under study')]
    case 'use-cases':
      return [
        { title: 'Overview' },
        {
          title: 'Use cases',
          blocks: [],
          children: [
            {
              title: 'Use case 1',
              blocks: [
                'Description:',
                'Actors:',
                'Pre-conditions:',
                'Flow:',
                'Post-conditions:',
                'Derived requirements:',
              ].map((label) => p(label)),
            },
          ],
        },
        appendix(type, 'Use case template'),
      ]
    case 'requirements':
      return [
        { title: 'Overview' },
        { title: 'Requirements', blocks: [requirement('REQ-001', 'The platform is required to ...')] },
        annex(type, 'Summary of requirements'),
      ]
    case 'gap-analysis':
      return [
        { title: 'Methodology' },
        {
          title: 'Standards landscape',
          blocks: [
            table(
              ['Body and group', 'Standard or project', 'Scope', 'Relation to the topic', 'Gap'],
              [['', '', '', '', '']],
            ),
          ],
        },
        { title: 'Gaps identified' },
        appendix(type, 'Bodies consulted'),
      ]
    case 'technical-report':
      return [{ title: 'Overview' }, { title: 'Technical framework' }, appendix(type, 'Examples')]
    case 'roadmap':
      return [
        { title: 'Overview' },
        {
          title: 'Pre-standardization roadmap',
          blocks: [table(['Topic', 'Body', 'Expected deliverable', 'Target date'], [['', '', '', '']])],
        },
        { title: 'Next steps' },
      ]
    case 'final-report':
      return [
        { title: 'Introduction' },
        { title: 'Work programme and meetings' },
        { title: 'Deliverables' },
        { title: 'Conclusions and recommendations to TSAG' },
      ]
  }
}

export function skeletonFor(type: DeliverableType, newId: () => string): Skeleton {
  const bibliography: ClauseSpec = {
    title: 'Bibliography',
    kind: 'unnumbered',
    blocks: [
      reference(
        '[b-ITU-T A.7]',
        'Recommendation ITU-T A.7 (2016), Focus groups: Establishment and working procedures.',
      ),
    ],
  }
  return buildClauses(
    [...frontMatter(type), ...commonClauses(type), ...bodyClauses(type), bibliography],
    newId,
  )
}
