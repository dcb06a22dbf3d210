/** Identifiers shaped like MLflow's: 32 lowercase hex run ids and adjective-noun-NNN run names. */

export function newRunId(): string {
  return crypto.randomUUID().replaceAll('-', '')
}

// Short words so that "adjective-noun-NNN" stays within MLflow's 20 characters.
const ADJECTIVES = ['amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'eager', 'fast', 'gentle',
  'glad', 'grand', 'happy', 'keen', 'kind', 'lucid', 'merry', 'neat', 'nimble', 'proud', 'quick', 'quiet',
  'rare', 'sharp', 'shy', 'silent', 'sly', 'smart', 'swift', 'tidy', 'vast', 'warm', 'wise', 'witty', 'zesty']
const NOUNS = ['ant', 'bass', 'bat', 'bear', 'bee', 'carp', 'cat', 'crab', 'crow', 'deer', 'doe', 'dove', 'eel',
  'elk', 'fox', 'frog', 'gnat', 'goat', 'hare', 'hawk', 'jay', 'koi', 'lark', 'lion', 'lynx', 'mole', 'moth',
  'newt', 'owl', 'ox', 'puma', 'ram', 'seal', 'slug', 'snail', 'swan', 'toad', 'vole', 'wasp', 'wolf', 'wren', 'yak']

export function newRunName(random: () => number = Math.random): string {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(random() * 1000)}`
}

/** Hex SHA-256 of a text, used as a code version when no git commit is known. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join('')
}
