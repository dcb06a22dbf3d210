/** Saves a Blob the app made (archives, web bundles) as a download, without holding its URL longer than needed. */

/** Starts a download of `blob` named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName })
  document.body.append(link)
  link.click()
  link.remove()
  // The browser has read the URL once the click is handled; keep it a while for slow disks.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** `prefix-2026-05-01-1420.zip`: a sortable, filesystem-safe name for what is exported now. */
export function timestampedName(prefix: string, extension = 'zip'): string {
  const now = new Date()
  const pad = (value: number) => String(value).padStart(2, '0')
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`
  return `${prefix.replace(/[^\w.-]+/g, '-')}-${stamp}.${extension}`
}
