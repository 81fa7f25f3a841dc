/**
 * The keys of a list that is one tab stop (a WAI-ARIA grid with a roving
 * tabindex, each row an item and its action buttons): what a key press asks
 * for, apart from the DOM, so the list's keyboard map is stated once.
 */

/** What a key press asks the list for. */
export type RovingKey =
  /** Focus (and select) another row: one up or down, or the first or last. */
  | { kind: 'row'; to: -1 | 1 | 'first' | 'last' }
  /** Focus the previous or next button of the row. */
  | { kind: 'cell'; step: -1 | 1 }
  /** Move the row's item up or down the list (Alt+Up/Down). */
  | { kind: 'move'; step: -1 | 1 }
  /** Open the row's item (Enter on the item itself). */
  | { kind: 'open' }
  /** Delete the row's item (Delete). */
  | { kind: 'delete' };

type Press = Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/**
 * The request of `press`, or null for a key the list leaves alone (Tab, typing,
 * shortcuts with Ctrl or Meta, Enter or Space on an action button, which click it).
 * `onItem`: the focus is on the row's item rather than one of its actions.
 */
export function rovingKey(press: Press, onItem: boolean): RovingKey | null {
  if (press.ctrlKey || press.metaKey || press.shiftKey) return null;
  const vertical = press.key === 'ArrowUp' ? -1 : press.key === 'ArrowDown' ? 1 : 0;
  if (press.altKey) return vertical === 0 ? null : { kind: 'move', step: vertical };
  if (vertical !== 0) return { kind: 'row', to: vertical };
  switch (press.key) {
    case 'Home':
      return { kind: 'row', to: 'first' };
    case 'End':
      return { kind: 'row', to: 'last' };
    case 'ArrowLeft':
      return { kind: 'cell', step: -1 };
    case 'ArrowRight':
      return { kind: 'cell', step: 1 };
    case 'Enter':
      return onItem ? { kind: 'open' } : null;
    case 'Delete':
      return { kind: 'delete' };
    default:
      return null;
  }
}
