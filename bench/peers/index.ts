import path from 'node:path'
import { AccordPeer } from './accord.ts'
import { ForwarderPeer, HocuspocusPeer, YWebsocketPeer } from './inMemoryPeers.ts'
import type { PeerKind, PeerServer } from './types.ts'

/** A fresh, not yet started server of this kind; its log goes into `runDir`. */
export async function createPeer(kind: PeerKind, runDir: string): Promise<PeerServer> {
  const stamp = Date.now().toString(36)
  switch (kind) {
    case 'accord':
      return AccordPeer.create(runDir)
    case 'y-websocket':
      return new YWebsocketPeer(path.join(runDir, `y-websocket-${stamp}.log`))
    case 'hocuspocus':
      return new HocuspocusPeer(path.join(runDir, `hocuspocus-${stamp}.log`))
    case 'floor':
      return new ForwarderPeer(path.join(runDir, `floor-${stamp}.log`))
  }
}
