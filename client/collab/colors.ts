/** Presence colours come from the server; text drawn on them must stay readable (WCAG contrast). */

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value)
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** Black or white, whichever contrasts more with the background. */
export function readableTextColor(background: string): string {
  if (!isHexColor(background)) return '#000000'
  const l = luminance(background)
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff'
}

export function presenceColor(value: unknown): string {
  return isHexColor(value) ? value : '#6b7280'
}
