/** The meeting in progress on the deliverable the editor shows, as the server pushes it, and a way to command it. */
import { useCallback, useEffect, useState } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import type { MeetingCommand, MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { listenForMeetings, sendMeetingCommand } from './meetingChannel.ts'
import { meetingsApi } from './meetingsApi.ts'

export interface MeetingLive {
  state: MeetingLiveState | null
  /** Server time minus local time, for the speaking time countdown. */
  clockOffsetMs: number
  refused: string | null
  /** Counts the connections that heard the meeting's state on hello: a new one must be told again who follows. */
  connection: number
  send: (action: MeetingCommand) => void
}

export function useMeetingLive(provider: WebsocketProvider | null, deliverableId: string): MeetingLive {
  const [state, setState] = useState<MeetingLiveState | null>(null)
  const [clockOffsetMs, setOffset] = useState(0)
  const [refused, setRefused] = useState<string | null>(null)
  const [connection, setConnection] = useState(0)
  useEffect(() => {
    if (!provider) return
    let heard = false
    // The server sends the state right after each hello: the first one after a (re)connection starts a new count.
    let fresh = true
    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected') fresh = true
    }
    provider.on('status', onStatus)
    // The first push may have come before this listener: ask once; a push wins over the answer.
    meetingsApi.liveOn(deliverableId).then(
      (answer) => {
        if (!heard) setState(answer.state)
      },
      () => undefined,
    )
    const stopListening = listenForMeetings(provider, (message) => {
      heard = true
      if (message.type === 'meeting-refused') {
        setRefused(message.message)
        return
      }
      if (fresh) {
        fresh = false
        setConnection((n) => n + 1)
      }
      setRefused(null)
      setState(message.meeting)
      setOffset(Date.parse(message.serverTime) - Date.now())
    })
    return () => {
      provider.off('status', onStatus)
      stopListening()
    }
  }, [provider, deliverableId])
  const meetingId = state?.meetingId
  const send = useCallback(
    (action: MeetingCommand) => {
      if (provider && meetingId) sendMeetingCommand(provider, meetingId, action)
    },
    [provider, meetingId],
  )
  return { state, clockOffsetMs, refused, connection, send }
}
