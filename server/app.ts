/**
 * Builds the whole server on one port: the HTTP API, the built client and the sync WebSocket. Used by
 * `main.ts` and by the tests, which start it on a random loopback port with a temporary DATA_DIR.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import express from 'express'
import helmet from 'helmet'
import { isWellFormedId } from '../shared/domain/ids.ts'
import { CLOSE_CODES } from '../shared/protocol/messages.ts'
import { LoginLimiter } from './auth/loginLimiter.ts'
import { SessionService } from './auth/sessions.ts'
import type { ClusterNode } from './cluster/clusterNode.ts'
import type { Config } from './config.ts'
import type { AppContext } from './context.ts'
import { AccountService } from './domain/accountService.ts'
import { AnnotationService } from './domain/annotationService.ts'
import { consensusExtension } from './domain/consensusExtension.ts'
import { ConsensusService } from './domain/consensusService.ts'
import { openDecisionRecord, openEventRecord } from './domain/decisionRecordFile.ts'
import { DeliverableService } from './domain/deliverableService.ts'
import { GroupService } from './domain/groupService.ts'
import { MeetingService } from './domain/meetingService.ts'
import { MembershipService } from './domain/membershipService.ts'
import { apiRouter } from './http/api.ts'
import { errorHandler } from './http/errors.ts'
import { requestId } from './http/middleware.ts'
import { createLogger, type Logger } from './logger.ts'
import { ContributionDocuments } from './meetings/contributionDocuments.ts'
import { broadcastTo, meetingExtension } from './meetings/meetingExtension.ts'
import { MeetingRooms } from './meetings/meetingRooms.ts'
import { openStorage } from './storage/backend.ts'
import { type FileSystem, nodeFileSystem } from './storage/fileSystem.ts'
import { databaseAnswers } from './storage/postgres/probe.ts'
import { AccessControl } from './sync/accessControl.ts'
import { ConnectionLimiter } from './sync/connectionLimiter.ts'
import { DocumentHub } from './sync/documentHub.ts'
import { attachSyncServer } from './sync/upgrade.ts'
import { VersionService } from './versions/versionService.ts'

export interface AccordServer {
  ctx: AppContext
  server: http.Server
  listen(): Promise<number>
  /** Flushes everything to disk and closes every connection. */
  close(code?: number): Promise<void>
}

export async function createAccordServer(
  config: Config,
  options: { logger?: Logger; fileSystem?: FileSystem } = {},
): Promise<AccordServer> {
  const logger = options.logger ?? createLogger(config.logLevel)
  const fs = options.fileSystem ?? nodeFileSystem
  await mkdir(config.dataDir, { recursive: true })
  if (config.redisUrl && !config.databaseUrl)
    throw new Error(
      'REDIS_URL (a cluster node) needs DATABASE_URL: the nodes share their state in PostgreSQL.',
    )
  const storage = await openStorage(config, fs, logger)
  const metadata = storage.metadata
  if (metadata.unreadable) logger.error(metadata.unreadable)
  const store = storage.documents
  const hub = new DocumentHub(store, config, logger)
  const consensus: ConsensusService = new ConsensusService(
    hub,
    metadata,
    (id) => openDecisionRecord(storage.eventLogs, id, logger),
    (deliverable): string | null => meetings.openMeetingFor(deliverable)?.id ?? null,
  )
  const meetings: MeetingService = new MeetingService(metadata, consensus)
  const meetingFiles = storage.meetingFiles
  const meetingRooms = new MeetingRooms(meetings, metadata, { files: meetingFiles, logger }, broadcastTo(hub))
  await meetingRooms.restore()
  meetings.onStatusChange = (meeting) => {
    meetingRooms.statusChanged(meeting)
    // Those already connected when the meeting opens attend it.
    if (meeting.status === 'open')
      for (const deliverable of meetings.treated(meeting))
        for (const connection of hub.loaded(deliverable.id)?.connections ?? []) {
          const user = metadata.user(connection.user.id)
          if (user && connection.speaksAccord)
            void meetings.recordAttendance(meeting.id, user).catch(() => undefined)
        }
    // Issue 23: each treated deliverable keeps a named version "Output of <meeting>" (its clause hashes are in
    // the meeting's outputs too); a version that cannot be saved is logged, the closing stands.
    if (meeting.status === 'closed')
      for (const deliverable of meetings.treated(meeting))
        versions
          .saveAtMeetingClose(deliverable.id, meeting.title)
          .catch((error: unknown) =>
            logger.error({ err: error, deliverableId: deliverable.id }, 'meeting output version not saved'),
          )
  }
  const annotations = new AnnotationService(hub, metadata, consensus, (id) =>
    openEventRecord(storage.eventLogs, id, logger, 'annotations'),
  )
  consensus.use(annotations)
  const sessions = new SessionService(metadata)
  const loginLimiter = new LoginLimiter({
    perAccount: config.loginLimitPerAccount,
    perAccountGlobal: config.loginLimitPerAccountGlobal,
    perAddress: config.loginLimitPerAddress,
    windowSeconds: config.loginLimitWindowSeconds,
  })
  const access = new AccessControl(hub, metadata, sessions)
  const deliverables = new DeliverableService(metadata, hub, consensus, logger)
  const versions = new VersionService(hub, consensus, storage.versions, metadata.groupLookup, logger)
  // The agreement is durable already: a version that cannot be saved is logged, and the agreement stands.
  consensus.use({
    everyClauseAgreed: (deliverableId) =>
      versions
        .saveAutomatic(deliverableId, 'Every clause agreed', 'all-agreed')
        .then(() => undefined)
        .catch((error: unknown) =>
          logger.error({ err: error, deliverableId }, 'automatic version not saved'),
        ),
  })
  // A cluster node (docs/CLUSTER.md): leases, relay and metadata in step with the other nodes.
  let listeningPort = config.port
  // Loaded only for a cluster: the embedded default never loads the Redis client or the proxy.
  const clusterModule = config.redisUrl && storage.database ? await import('./cluster/clusterNode.ts') : null
  const forwarding = clusterModule ? await import('./http/forwardToOwner.ts') : null
  const cluster: ClusterNode | null =
    clusterModule && config.redisUrl && storage.database
      ? await clusterModule.ClusterNode.start(
          {
            config: { ...config, redisUrl: config.redisUrl },
            pool: storage.database,
            hub,
            metadata,
            recheckAccess: () => access.recheckAll(),
            openMeetingDeliverables: () =>
              metadata.data.meetings
                .filter((meeting) => meeting.status === 'open')
                .map((meeting) => meetings.treated(meeting).map((deliverable) => deliverable.id)),
            logger,
          },
          () => `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${listeningPort}`,
        )
      : null
  const setupToken = config.setupToken ?? randomBytes(18).toString('base64url')
  const passwordCost = config.scryptCost
  const ctx: AppContext = {
    config,
    logger,
    metadata,
    sessions,
    connectionLimiter: new ConnectionLimiter({
      perSession: config.syncConnectionsPerSession,
      windowSeconds: config.syncConnectionsWindowSeconds,
    }),
    loginLimiter,
    hub,
    accounts: new AccountService(metadata, sessions, loginLimiter, logger, { setupToken, passwordCost }),
    groups: new GroupService(metadata),
    memberships: new MembershipService(metadata, deliverables, access),
    deliverables,
    consensus,
    meetings,
    meetingRooms,
    contributionDocuments: new ContributionDocuments(meetings, meetingFiles, logger),
    annotations,
    versions,
    access,
    setupToken,
    passwordCost,
    ...(cluster ? { refreshOnMiss: () => cluster.metadataSync.refreshOnMiss() } : {}),
    health: async () => {
      if (cluster) return cluster.health()
      if (!storage.database) return {}
      const database = (await databaseAnswers(storage.database)) ? 'ok' : 'unreachable'
      return { dependencies: { database } }
    },
  }
  hub.use(consensusExtension(consensus, logger))
  hub.use(meetingExtension({ rooms: meetingRooms, meetings, metadata }, logger))

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', config.trustProxy)
  app.use(requestId())
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: config.cookieSecure,
    }),
  )
  app.use((req, res, next) => {
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      logger.info(
        { reqId: req.id, method: req.method, url: req.originalUrl, status: res.statusCode, ms },
        'request',
      )
    })
    next()
  })
  if (cluster && forwarding) {
    const { forwardToOwner } = forwarding
    app.use('/api/deliverables/:id', forwardToOwner(cluster, logger))
    // A meeting in progress is held by the node that owns its deliverables (cluster/meetingAffinity.ts).
    app.use(
      '/api/meetings/:id',
      forwardToOwner(cluster, logger, (req) => {
        const deliverableId = req.params.id === 'live' ? String(req.query.deliverableId ?? '') : null
        if (deliverableId !== null) return isWellFormedId(deliverableId) ? deliverableId : null
        const meeting = metadata.meeting(String(req.params.id))
        return (meeting && meetings.treated(meeting)[0]?.id) ?? null
      }),
    )
  }
  app.use('/api', apiRouter(ctx))
  serveClient(app, config)
  app.use(errorHandler(logger))

  const server = http.createServer(app)
  const wss = attachSyncServer(server, ctx, cluster ?? undefined)

  return {
    ctx,
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(config.port, config.host, () => {
          const address = server.address()
          listeningPort = typeof address === 'object' && address ? address.port : config.port
          resolve(listeningPort)
        })
      }),
    async close(code = CLOSE_CODES.goingAway) {
      server.close()
      // Automatic versions (every clause agreed, a meeting closed) are written in the background: finish them first.
      await versions.settled()
      await cluster?.close()
      await hub.shutdown(code, 'server shutting down')
      await cluster?.disconnect()
      for (const client of wss.clients) client.terminate()
      await metadata.flush()
      await storage.close()
      server.closeAllConnections()
    },
  }
}

/** The built client, with index.html for every other GET so that client-side routes load. */
function serveClient(app: express.Express, config: Config): void {
  const index = path.join(config.clientDir, 'index.html')
  app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }))
  app.get(/^(?!\/api\/|\/sync\/).*/, (_req, res, next) => {
    if (!existsSync(index)) return next()
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(index)
  })
}
