/**
 * The presence the caret plugin draws from, minus the news of this user's own caret. y-tiptap's cursor plugin
 * redraws the carets (one more editor transaction, every plugin and the whole view compared again) on every
 * presence change, and this user's own caret changes on every keystroke, though the plugin never draws it. Seen
 * through this view, a change that concerns only this client does not reach the plugin; everything else (reading
 * the states, publishing the own caret) goes to the real presence.
 */
import type { Awareness } from 'y-protocols/awareness'

interface Changes {
  added: number[]
  updated: number[]
  removed: number[]
}
type Listener = (changes: Changes, origin: unknown) => void

export function othersAwareness(awareness: Awareness): Awareness {
  const wrappers = new Map<Listener, Listener>()
  const concernsOthers = ({ added, updated, removed }: Changes) =>
    added.length > 0 || removed.length > 0 || updated.some((id) => id !== awareness.clientID)
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'on' || property === 'off')
        return (event: string, listener: Listener) => {
          if (event !== 'change') return target[property](event, listener)
          if (property === 'on') {
            const wrapper: Listener = (changes, origin) => {
              if (concernsOthers(changes)) listener(changes, origin)
            }
            wrappers.set(listener, wrapper)
            return target.on(event, wrapper)
          }
          const wrapper = wrappers.get(listener)
          wrappers.delete(listener)
          return target.off(event, wrapper ?? listener)
        }
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
