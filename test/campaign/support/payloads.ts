/**
 * Hostile content: XSS and injection payloads for every place a person can put text (names, organizations,
 * group and deliverable titles, clause headings and text, objection notes and suggestions), and odd values for
 * route parameters. Shared by the Node campaign and the browser test. Every script payload calls `alert`, which
 * the browser test traps.
 */
export const XSS_PAYLOADS: string[] = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  '<svg><script>alert(4)</script></svg>',
  '<iframe src="javascript:alert(5)"></iframe>',
  '<a href="javascript:alert(6)">click</a>',
  'javascript:alert(7)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==',
  '<img src="data:image/svg+xml,<svg onload=alert(9)>">',
  '<div style="background:url(javascript:alert(10))">x</div>',
  '<style>*{background:expression(alert(11))}</style>',
  'x" style="width:expression(alert(12))" y="',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(13)>',
  '<details open ontoggle=alert(14)>',
  '<body onload=alert(15)>',
  '{{constructor.constructor("alert(16)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is the literal text, not a template.
  '${alert(17)}',
  "'; DROP TABLE users; --",
  '../../../../etc/passwd',
  '\u202eevil\u202c gnp.exe',
  'mixed עברית and English \u2067isolate\u2069',
  'zero\u200bwidth\u200djoiners\ufeff',
  '😀 emoji 🏳️‍🌈 and 𝕏',
  '<!--',
  ']]><![CDATA[<script>alert(18)</script>',
]

/** Refused by validation (control characters, over-long), never stored, never a 500. */
export const INVALID_PAYLOADS: string[] = [
  'tab\there',
  'nul\u0000byte',
  'bell\u0007',
  'line\nbreak',
  'A'.repeat(100_000),
]

export const ODD_IDS: string[] = [
  '..',
  '.',
  '%2e%2e',
  '..%2f..%2fmetadata.json',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5c..%5cwindows',
  '%00',
  'a%00b',
  'a'.repeat(65),
  'b'.repeat(5000),
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '%',
  '%zz',
  '%C0%AE%C0%AE',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'CON',
  '~root',
  '%20',
]
