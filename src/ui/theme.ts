/** Light, dark or the system's choice: applied as data-theme on <html>; the CSS does the rest. */
import { readPref } from './prefs.ts'
import { PREF } from './prefs.ts'

export type ThemeChoice = 'light' | 'dark' | 'system'

/** Applies a theme choice; 'system' removes the attribute so the prefers-color-scheme CSS applies. */
export function applyTheme(choice: ThemeChoice = readPref<ThemeChoice>(PREF.theme, 'system')): void {
  const root = document.documentElement
  if (choice === 'system') root.removeAttribute('data-theme')
  else root.setAttribute('data-theme', choice)
  // Charts read CSS variables when they draw: tell them to redraw.
  window.dispatchEvent(new CustomEvent('lablog-theme'))
}

/** The theme actually shown, resolving 'system'. */
export function effectiveTheme(): 'light' | 'dark' {
  const chosen = document.documentElement.getAttribute('data-theme')
  if (chosen === 'light' || chosen === 'dark') return chosen
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}
