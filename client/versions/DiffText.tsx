import type { DiffPart } from '../../shared/versions/compare.ts'

/**
 * Parts of a comparison as a redline: <ins> underlined, <del> struck through (DOMAIN.md "Revision marks"). The
 * hidden labels say it to screen readers that do not announce the elements themselves.
 */
export function DiffText({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.kind === 'insert' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their order
          <ins key={index}>
            <span className="visually-hidden">[inserted: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </ins>
        ) : part.kind === 'delete' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their order
          <del key={index}>
            <span className="visually-hidden">[deleted: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their order
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  )
}
