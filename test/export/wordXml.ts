/** Reading Word's XML in the export and import suites: tracked changes with their author, date and text. */

export interface WordChange {
  author: string
  date: string
  text: string
}

/** The w:ins or w:del elements of a document.xml, with their author, date and text. */
export function wordChanges(xml: string, tag: 'w:ins' | 'w:del'): WordChange[] {
  const textTag = tag === 'w:ins' ? 'w:t' : 'w:delText'
  return [...xml.matchAll(new RegExp(`<${tag} ([^>]*)>(.*?)</${tag}>`, 'g'))].map((m) => ({
    author: /w:author="([^"]*)"/.exec(m[1]!)![1]!,
    date: /w:date="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
    text: [...m[2]!.matchAll(new RegExp(`<${textTag}[^>]*>([^<]*)</${textTag}>`, 'g'))]
      .map((t) => t[1])
      .join(''),
  }))
}
