import { describe, expect, it } from 'vitest'
import { cleanPastedHtml } from './pasteCleanup.ts'

describe('pasting from Word', () => {
  it('drops Office markup, comments, styles and scripts but keeps the structure', () => {
    const word =
      '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p{color:red}</style></head><body>' +
      '<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->' +
      '<p class="MsoNormal">Hello<o:p></o:p></p><script>alert(1)</script><ul><li>One</li></ul></body></html>'
    const cleaned = cleanPastedHtml(word)
    expect(cleaned).toContain('<p class="MsoNormal">Hello</p>')
    expect(cleaned).toContain('<ul><li>One</li></ul>')
    expect(cleaned).not.toMatch(/script|style|o:p|mso 9/)
  })
})
