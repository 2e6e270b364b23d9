import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { type KeyboardEvent, useRef, useState } from 'react'
import { sortableProblemAt } from './clauseDecorations.ts'
import { LinkForm } from './LinkForm.tsx'
import { clauseAt } from './outline.ts'

interface Tool {
  /** Visible text, which is also the accessible name (WCAG 2.5.3: what you see is what you say). */
  label: string
  /** A longer explanation, shown as a tooltip. */
  hint: string
  keys?: string
  run: (editor: Editor) => void
  can: (editor: Editor) => boolean
  active?: (editor: Editor) => boolean
}

type Group = { name: string; tools: Tool[] }

const chain = (editor: Editor) => editor.chain().focus()

function tool(
  label: string,
  hint: string,
  keys: string | undefined,
  run: (e: Editor) => boolean,
  can: (e: Editor) => boolean,
  active?: (e: Editor) => boolean,
): Tool {
  return { label, hint, keys, run: (e) => void run(e), can, ...(active ? { active } : {}) }
}

const TABLE = { rows: 3, cols: 3, withHeaderRow: true }

const GROUPS: Group[] = [
  {
    name: 'Clause',
    tools: [
      tool(
        'Add clause',
        'Add a clause after this one',
        'Control+Enter',
        (e) => chain(e).addClauseAfter().run(),
        (e) => e.can().addClauseAfter(),
      ),
      tool(
        'Add sub-clause',
        'Add a sub-clause at the end of this clause',
        'Control+Shift+Enter',
        (e) => chain(e).addSubClause().run(),
        (e) => e.can().addSubClause(),
      ),
      tool(
        'Move up',
        'Move this clause above the previous one',
        'Alt+Shift+ArrowUp',
        (e) => chain(e).moveClause('up').run(),
        (e) => e.can().moveClause('up'),
      ),
      tool(
        'Move down',
        'Move this clause below the next one',
        'Alt+Shift+ArrowDown',
        (e) => chain(e).moveClause('down').run(),
        (e) => e.can().moveClause('down'),
      ),
      tool(
        'Promote',
        'Make this clause a sibling of its parent',
        'Alt+Shift+ArrowLeft',
        (e) => chain(e).moveClause('promote').run(),
        (e) => e.can().moveClause('promote'),
      ),
      tool(
        'Demote',
        'Make this clause a sub-clause of the previous one',
        'Alt+Shift+ArrowRight',
        (e) => chain(e).moveClause('demote').run(),
        (e) => e.can().moveClause('demote'),
      ),
      tool(
        'Remove clause',
        'Remove this clause and its sub-clauses',
        'Control+Alt+Backspace',
        (e) => chain(e).removeClause().run(),
        (e) => e.can().removeClause(),
      ),
    ],
  },
  {
    name: 'Insert',
    tools: [
      tool(
        'Definition',
        'Insert a definition: term [source]: definition',
        'Control+Alt+D',
        (e) => chain(e).insertEntry('definition').run(),
        (e) => e.can().insertEntry('definition'),
      ),
      tool(
        'Abbreviation',
        'Insert an abbreviation and its expansion',
        'Control+Alt+A',
        (e) => chain(e).insertEntry('abbreviation').run(),
        (e) => e.can().insertEntry('abbreviation'),
      ),
      tool(
        'Reference',
        'Insert a reference: [tag] text',
        'Control+Alt+R',
        (e) => chain(e).insertEntry('reference').run(),
        (e) => e.can().insertEntry('reference'),
      ),
      tool(
        'Requirement',
        'Insert a requirement with the next identifier',
        'Control+Alt+Q',
        (e) => chain(e).insertEntry('requirement').run(),
        (e) => e.can().insertEntry('requirement'),
      ),
      tool(
        'Note',
        'Insert a NOTE paragraph',
        'Control+Alt+N',
        (e) => chain(e).insertEntry('note').run(),
        (e) => e.can().insertEntry('note'),
      ),
      tool(
        'Table',
        'Insert a table of 3 by 3 cells with a header row',
        undefined,
        (e) => chain(e).insertTable(TABLE).run(),
        (e) => e.can().insertTable(TABLE),
      ),
      tool(
        'Bullets',
        'Bulleted list',
        'Control+Shift+8',
        (e) => chain(e).toggleBulletList().run(),
        (e) => e.can().toggleBulletList(),
        (e) => e.isActive('bulletList'),
      ),
      tool(
        'Numbering',
        'Numbered list',
        'Control+Shift+7',
        (e) => chain(e).toggleOrderedList().run(),
        (e) => e.can().toggleOrderedList(),
        (e) => e.isActive('orderedList'),
      ),
    ],
  },
  {
    name: 'Format',
    tools: [
      tool(
        'Bold',
        'Bold',
        'Control+B',
        (e) => chain(e).toggleBold().run(),
        (e) => e.can().toggleBold(),
        (e) => e.isActive('bold'),
      ),
      tool(
        'Italic',
        'Italic',
        'Control+I',
        (e) => chain(e).toggleItalic().run(),
        (e) => e.can().toggleItalic(),
        (e) => e.isActive('italic'),
      ),
      tool(
        'Sub',
        'Subscript',
        'Control+,',
        (e) => chain(e).toggleSubscript().run(),
        (e) => e.can().toggleSubscript(),
        (e) => e.isActive('subscript'),
      ),
      tool(
        'Sup',
        'Superscript',
        'Control+.',
        (e) => chain(e).toggleSuperscript().run(),
        (e) => e.can().toggleSuperscript(),
        (e) => e.isActive('superscript'),
      ),
    ],
  },
  {
    name: 'History',
    tools: [
      tool(
        'Undo',
        'Undo my last change (only mine)',
        'Control+Z',
        (e) => chain(e).undo().run(),
        (e) => e.can().undo(),
      ),
      tool(
        'Redo',
        'Redo my last undone change',
        'Control+Shift+Z',
        (e) => chain(e).redo().run(),
        (e) => e.can().redo(),
      ),
    ],
  },
]

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

export function EditorToolbar({ editor, disabled, linking, setLinking }: ToolbarProps) {
  const [focusIndex, setFocusIndex] = useState(0)
  const ref = useRef<HTMLDivElement>(null)
  const snapshot = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      if (!e || disabled || !e.isEditable)
        return { can: TOOLS.map(() => false), active: TOOLS.map(() => false), sort: false, link: false }
      return {
        can: TOOLS.map((t) => t.can(e)),
        active: TOOLS.map((t) => t.active?.(e) ?? false),
        sort: !!sortProblemHere(e),
        link: e.can().setLink({ href: 'https://example.org' }),
      }
    },
  })

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
  const button = (tool: Tool, enabled: boolean, active: boolean, run: () => void) => {
    index++
    const mine = index
    return (
      <button
        key={tool.label}
        type="button"
        data-tool
        className={`tool tool-${tool.label.toLowerCase().replaceAll(' ', '-')}${active ? ' active' : ''}`}
        aria-keyshortcuts={tool.keys}
        aria-pressed={tool.active ? active : undefined}
        title={tool.keys ? `${tool.hint} (${tool.keys.replaceAll('+', ' + ')})` : tool.hint}
        aria-disabled={!enabled}
        tabIndex={mine === focusIndex ? 0 : -1}
        onFocus={() => setFocusIndex(mine)}
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => enabled && editor && run()}
      >
        {tool.label}
      </button>
    )
  }

  let toolIndex = -1
  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label="Editing tools" ref={ref} onKeyDown={onKeyDown}>
        {GROUPS.map((group) => (
          // biome-ignore lint/a11y/useSemanticElements: a labelled group inside an ARIA toolbar, not a form fieldset
          <div key={group.name} className="tool-group" role="group" aria-label={group.name}>
            {group.tools.map((tool) => {
              toolIndex++
              const i = toolIndex
              return button(tool, !!snapshot?.can[i], !!snapshot?.active[i], () => tool.run(editor!))
            })}
            {group.name === 'Format' &&
              button(
                tool(
                  'Link',
                  'Add or change a web or e-mail link',
                  'Control+K',
                  () => true,
                  () => true,
                ),
                !!snapshot?.link,
                false,
                () => setLinking(true),
              )}
            {group.name === 'Insert' &&
              button(
                tool(
                  'Sort A–Z',
                  'Sort the terms or abbreviations of this clause alphabetically',
                  undefined,
                  () => true,
                  () => true,
                ),
                !!snapshot?.sort,
                false,
                () => {
                  const problem = editor && sortProblemHere(editor)
                  if (problem) editor.chain().focus().sortEntries(problem.entry, problem.clausePos).run()
                },
              )}
          </div>
        ))}
      </div>
      {linking && editor && <LinkForm editor={editor} onClose={() => setLinking(false)} />}
    </div>
  )
}
