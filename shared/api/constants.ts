/**
 * Values of the API that the browser needs at run time, in a module without zod: importing a zod schema module
 * into the client would load zod, which probes `new Function` on load, and the Content-Security-Policy (no eval)
 * reports that as a violation on every page.
 */
export const EXPORT_FORMATS = ['docx', 'pdf', 'html', 'md'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** The `to` of a comparison with the present text (`GET /api/deliverables/:id/compare?from=…&to=now`). */
export const NOW = 'now'
