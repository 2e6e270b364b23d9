import type { ChainedCommands, Editor } from '@tiptap/core'
import type { EditorState } from '@tiptap/pm/state'
import { type KeyboardEvent, useId, useRef, useState } from 'react'
import { sortableProblemAt } from './clauseDecorations.ts'
import type { InsertableBlock } from './entryCommands.ts'
import { LinkForm } from './LinkForm.tsx'
import { clauseAt } from './outline.ts'
import { explainRefusal } from './refusalNotice.ts'
import { removalRefusal, writingRefusal } from './toolReasons.ts'
import { useLazyEditorState } from './useLazyEditorState.ts'
import type { MoveKind } from './yStructure.ts'

interface Tool {
  /** Visible text, which is also the accessible name (WCAG 2.5.3: what you see is what you say). */
  label: string
  /** A longer explanation, shown as a tooltip. */
  hint: string
  keys?: string
  run: (editor: Editor) => void
  can: (editor: Editor) => boolean
  active?: (editor: Editor) => boolean
  /** Why the tool cannot act where the caret is (an agreed clause, a required one), said to the user. */
  why?: (state: EditorState) => string | null
}

type Group = { name: string; tools: Tool[] }

/** The tool's command, applied to a chain: run for real (focused) or tried (`can`). */
type Command = (chain: ChainedCommands) => ChainedCommands

function tool(
  label: string,
  hint: string,
  keys: string | undefined,
  command: Command,
  extra: Partial<Tool> = {},
): Tool {
  return {
    label,
    hint,
    keys,
    run: (e) => void command(e.chain().focus()).run(),
    can: (e) => command(e.can().chain()).run(),
    ...extra,
  }
}

/** A tool that writes at the caret: never in agreed text. */
const writing = (label: string, hint: string, keys: string | undefined, command: Command, active?: string) =>
  tool(label, hint, keys, command, {
    why: writingRefusal,
    ...(active ? { active: (e: Editor) => e.isActive(active) } : {}),
  })

const move = (label: string, hint: string, keys: string, kind: MoveKind) =>
  writing(label, hint, keys, (c) => c.moveClause(kind))

const entry = (label: string, hint: string, keys: string, kind: InsertableBlock) =>
  writing(label, hint, keys, (c) => c.insertEntry(kind))

const TABLE = { rows: 3, cols: 3, withHeaderRow: true }

const GROUPS: Group[] = [
  {
    name: 'Clause',
    tools: [
      tool('Add clause', 'Add a clause after this one', 'Control+Enter', (c) => c.addClauseAfter()),
      writing('Add sub-clause', 'Add a sub-clause at the end of this clause', 'Control+Shift+Enter', (c) =>
        c.addSubClause(),
      ),
      move('Move up', 'Move this clause above the previous one', 'Alt+Shift+ArrowUp', 'up'),
      move('Move down', 'Move this clause below the next one', 'Alt+Shift+ArrowDown', 'down'),
      move('Promote', 'Make this clause a sibling of its parent', 'Alt+Shift+ArrowLeft', 'promote'),
      move('Demote', 'Make this clause a sub-clause of the previous one', 'Alt+Shift+ArrowRight', 'demote'),
      tool(
        'Remove clause',
        'Remove this clause and its sub-clauses',
        'Control+Alt+Backspace',
        (c) => c.removeClause(),
        {
          why: removalRefusal,
        },
      ),
    ],
  },
  {
    name: 'Insert',
    tools: [
      entry('Definition', 'Insert a definition: term [source]: definition', 'Control+Alt+D', 'definition'),
      entry('Abbreviation', 'Insert an abbreviation and its expansion', 'Control+Alt+A', 'abbreviation'),
      entry('Reference', 'Insert a reference: [tag] text', 'Control+Alt+R', 'reference'),
      entry('Requirement', 'Insert a requirement with the next identifier', 'Control+Alt+Q', 'requirement'),
      entry('Note', 'Insert a NOTE paragraph', 'Control+Alt+N', 'note'),
      writing('Table', 'Insert a table of 3 by 3 cells with a header row', undefined, (c) =>
        c.insertTable(TABLE),
      ),
      writing('Bullets', 'Bulleted list', 'Control+Shift+8', (c) => c.toggleBulletList(), 'bulletList'),
      writing('Numbering', 'Numbered list', 'Control+Shift+7', (c) => c.toggleOrderedList(), 'orderedList'),
    ],
  },
  {
    name: 'Format',
    tools: [
      writing('Bold', 'Bold', 'Control+B', (c) => c.toggleBold(), 'bold'),
      writing('Italic', 'Italic', 'Control+I', (c) => c.toggleItalic(), 'italic'),
      writing('Sub', 'Subscript', 'Control+,', (c) => c.toggleSubscript(), 'subscript'),
      writing('Sup', 'Superscript', 'Control+.', (c) => c.toggleSuperscript(), 'superscript'),
    ],
  },
  {
    name: 'History',
    tools: [
      tool('Undo', 'Undo my last change (only mine)', 'Control+Z', (c) => c.undo()),
      tool('Redo', 'Redo my last undone change', 'Control+Shift+Z', (c) => c.redo()),
    ],
  },
]

/** Link and sort act through their own controls; they are tools in the toolbar's keyboard order all the same. */
const LINK = tool('Link', 'Add or change a web or e-mail link', 'Control+K', (c) => c, {
  why: writingRefusal,
})
const SORT = tool(
  'Sort A–Z',
  'Sort the terms or abbreviations of this clause alphabetically',
  undefined,
  (c) => c,
  {
    why: writingRefusal,
  },
)

const TOOLS = GROUPS.flatMap((g) => g.tools)

function sortProblemHere(editor: Editor) {
  const here = clauseAt(editor.state.selection.$from)
  if (!here) return undefined
  return sortableProblemAt(editor.state, here.pos)
}

/** The editing tools, one tab stop (arrow keys move between tools, as in the ARIA toolbar pattern). */
interface ToolbarProps {
  editor: Editor | null
  disabled: boolean
  linking: boolean
  setLinking: (open: boolean) => void
}

const ALL_TOOLS = [...TOOLS, LINK, SORT]

interface ToolStates {
  can: boolean[]
  active: boolean[]
  why: (string | null)[]
}

const nothing = (): ToolStates => ({
  can: ALL_TOOLS.map(() => false),
  active: ALL_TOOLS.map(() => false),
  why: ALL_TOOLS.map((): string | null => null),
})

/** Whether each tool can act where the caret is, whether it is pressed there, and why it cannot act. */
function toolStates(e: Editor | null, disabled: boolean): ToolStates {
  if (!e || e.isDestroyed || disabled || !e.isEditable) return nothing()
  const why = ALL_TOOLS.map((t) => t.why?.(e.state) ?? null)
  const can = [
    ...TOOLS.map((t) => t.can(e)),
    e.can().setLink({ href: 'https://example.org' }),
    !!sortProblemHere(e),
  ]
  return {
    can: can.map((able, i) => able && !why[i]),
    active: ALL_TOOLS.map((t) => t.active?.(e) ?? false),
    why,
  }
}

const sameList = <T,>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((x, i) => x === b[i])
const sameStates = (a: ToolStates, b: ToolStates) =>
  sameList(a.can, b.can) && sameList(a.active, b.active) && sameList(a.why, b.why)

export function EditorToolbar({ editor, disabled, linking, setLinking }: ToolbarProps) {
  const [focusIndex, setFocusIndex] = useState(0)
  const ref = useRef<HTMLDivElement>(null)
  const idBase = useId()
  // Computed off the keystroke's path (useLazyEditorState): a click asks again (`fresh`), so it never acts on a
  // state the last keys have changed.
  const snapshot = useLazyEditorState(editor, (e) => toolStates(e, disabled), sameStates, [disabled])
  // One hidden description per distinct reason; the buttons it applies to point at it.
  const reasons = [...new Set(snapshot.why.filter((w): w is string => !!w))]
  const reasonId = (why: string) => `${idBase}-why-${reasons.indexOf(why)}`

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button[data-tool]') ?? [])]
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement)
    if (current < 0) return
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -current, End: buttons.length - 1 - current }[
      event.key
    ]
    if (step === undefined) return
    event.preventDefault()
    const next = (current + step + buttons.length) % buttons.length
    buttons[next]?.focus()
    setFocusIndex(next)
  }

  let index = -1
  const button = (tool: Tool, run: () => void) => {
    index++
    const mine = index
    const slot = ALL_TOOLS.indexOf(tool)
    const enabled = snapshot.can[slot]
    const active = snapshot.active[slot]
    const why = snapshot.why[slot]
    const hint = tool.keys ? `${tool.hint} (${tool.keys.replaceAll('+', ' + ')})` : tool.hint
    return (
      <button
        key={tool.label}
        type="button"
        data-tool
        className={`tool tool-${tool.label.toLowerCase().replaceAll(' ', '-')}${active ? ' active' : ''}`}
        aria-keyshortcuts={tool.keys}
        aria-pressed={tool.active ? active : undefined}
        title={why ? `${hint}: ${why}` : hint}
        aria-disabled={!enabled}
        aria-describedby={why ? reasonId(why) : undefined}
        tabIndex={mine === focusIndex ? 0 : -1}
        onFocus={() => setFocusIndex(mine)}
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => {
          if (!editor) return
          const fresh = toolStates(editor, disabled)
          if (fresh.can[slot]) run()
          else if (fresh.why[slot]) explainRefusal(editor.view, fresh.why[slot])
        }}
      >
        {tool.label}
      </button>
    )
  }

  const sort = () => {
    const problem = editor && sortProblemHere(editor)
    if (problem) editor.chain().focus().sortEntries(problem.entry, problem.clausePos).run()
  }
  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label="Editing tools" ref={ref} onKeyDown={onKeyDown}>
        {GROUPS.map((group) => (
          // biome-ignore lint/a11y/useSemanticElements: a labelled group inside an ARIA toolbar, not a form fieldset
          <div key={group.name} className="tool-group" role="group" aria-label={group.name}>
            {group.tools.map((tool) => button(tool, () => tool.run(editor!)))}
            {group.name === 'Format' && button(LINK, () => setLinking(true))}
            {group.name === 'Insert' && button(SORT, sort)}
          </div>
        ))}
      </div>
      {reasons.map((why) => (
        <span key={why} id={reasonId(why)} hidden>
          {why}
        </span>
      ))}
      {linking && editor && <LinkForm editor={editor} onClose={() => setLinking(false)} />}
    </div>
  )
}
