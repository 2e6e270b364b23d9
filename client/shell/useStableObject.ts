import { useRef } from 'react'

/**
 * The same object as on the last render while every property is the same (`Object.is`), so a context value built
 * from many parts changes only when one part does, without repeating every part in a dependency list.
 */
export function useStableObject<T extends object>(value: T): T {
  const last = useRef(value)
  if (!sameProperties(last.current, value)) last.current = value
  return last.current
}

function sameProperties(a: object, b: object): boolean {
  const aKeys = Object.keys(a)
  if (aKeys.length !== Object.keys(b).length) return false
  return aKeys.every(
    (key) => Object.hasOwn(b, key) && Object.is(a[key as keyof typeof a], b[key as keyof typeof b]),
  )
}
