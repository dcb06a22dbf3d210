/**
 * Markdown rendered safely: marked turns it into HTML and DOMPurify strips scripts, handlers and
 * javascript: links before it reaches the DOM. The only place the app sets innerHTML.
 */
import DOMPurify from 'dompurify'
import { Marked } from 'marked'
import { useMemo } from 'preact/hooks'

const markdown = new Marked({ gfm: true, breaks: false, async: false })

/** Sanitised HTML for a Markdown string (exported for tests). */
export function markdownToSafeHtml(source: string): string {
  const html = markdown.parse(source, { async: false })
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'iframe'], FORBID_ATTR: ['style'] })
}

// Links in user Markdown open outside the app and cannot reach back to it.
DOMPurify.addHook('afterSanitizeAttributes', node => {
  if (node.tagName === 'A' && node.getAttribute('href')) {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  }
})

/** A block of rendered Markdown. */
export function Markdown({ source, class: className }: { source: string; class?: string }) {
  const html = useMemo(() => markdownToSafeHtml(source), [source])
  return <div class={`markdown ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />
}
