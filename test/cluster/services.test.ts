/**
 * The services cluster tests run around Accord's nodes (test/support): a Redis that restarts on the same port, the
 * HAProxy configuration operators are given (deploy/haproxy.cfg), and nodes that can be killed and restarted
 * behind it.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ClusterNodes } from '../support/clusterNodes.ts'
import { HAPROXY_TEMPLATE, haproxyConfig } from '../support/haproxy.ts'
import { request } from '../support/http.ts'
import { answersPing, startThrowawayRedis } from '../support/redis.ts'
import { processAlive } from '../support/serviceProcess.ts'
import { startTestCluster, type TestCluster } from '../support/testCluster.ts'

describe('throwaway Redis', () => {
  test('answers PING; after stop() it is gone, and start() brings it back on the same port', async () => {
    const redis = await startThrowawayRedis()
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`)
      expect(await answersPing(redis.port)).toBe(true)
      const firstPid = redis.pid()!
      await redis.stop('SIGKILL')
      expect(await answersPing(redis.port)).toBe(false)
      expect(processAlive(firstPid)).toBe(false)
      await redis.start()
      expect(await answersPing(redis.port)).toBe(true)
      expect(redis.pid()).not.toBe(firstPid)
    } finally {
      await redis.close()
    }
    expect(await answersPing(redis.port)).toBe(false)
  })
})

describe('deploy/haproxy.cfg as the tests and npm run cluster run it', () => {
  const backends = [
    { name: 'node-1', url: 'http://127.0.0.1:5001' },
    { name: 'node-2', url: 'http://127.0.0.1:5002' },
  ]

  test('only the bind address and the server lines change; checks, timeouts and balancing are the template’s', async () => {
    const template = await readFile(HAPROXY_TEMPLATE, 'utf8')
    const generated = haproxyConfig(template, '127.0.0.1:6000', backends)
    const significant = (text: string) => text.split('\n').filter((line) => !/^\s+(bind|server)\s/.test(line))
    expect(significant(generated)).toEqual(significant(template))
    expect(generated).toMatch(/^ {4}bind 127\.0\.0\.1:6000$/m)
    expect(generated.match(/^\s+server\s.*$/gm)).toEqual([
      '    server node-1 127.0.0.1:5001',
      '    server node-2 127.0.0.1:5002',
    ])
  })

  test('round robin, WebSocket-aware, health-checked on /api/health, forwardfor, and no sticky sessions', async () => {
    const template = await readFile(HAPROXY_TEMPLATE, 'utf8')
    const directives = template.split('\n').filter((line) => !/^\s*(#|$)/.test(line))
    const has = (pattern: RegExp) => directives.some((line) => pattern.test(line))
    expect(has(/^\s+mode http$/)).toBe(true)
    expect(has(/^\s+balance roundrobin$/)).toBe(true)
    expect(has(/^\s+timeout tunnel \S+/)).toBe(true)
    expect(has(/^\s+option forwardfor$/)).toBe(true)
    expect(has(/^\s+http-check send meth GET uri \/api\/health\b/)).toBe(true)
    expect(has(/^\s+http-check expect status 200$/)).toBe(true)
    expect(has(/^\s+(cookie|stick|stick-table|hash-type|balance (source|uri|hdr))\b/)).toBe(false)
  })

  test('a backend name that HAProxy would misread is refused', () => {
    expect(() =>
      haproxyConfig('  bind x\n  server a b', '1:2', [{ name: 'a b', url: 'http://h:1' }]),
    ).toThrow(/Backend name/)
  })
})

describe('a test cluster: nodes behind the balancer', () => {
  let cluster: TestCluster
  let nodes: ClusterNodes
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 2 })
    nodes = cluster.nodes
  }, 120_000)
  afterAll(async () => cluster?.stop())

  /** Which nodes answered `count` health requests through the balancer (all must answer 200). */
  async function servedBy(count: number): Promise<string[]> {
    const names: string[] = []
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${cluster.url}/api/health`)
      expect(response.status).toBe(200)
      await response.body?.cancel()
      names.push(response.headers.get('x-served-by') ?? '')
    }
    return names
  }

  test('each node has its own id, port and pid, and the balancer alternates between them', async () => {
    expect(nodes.nodes.map((node) => node.nodeId)).toEqual(['node-1', 'node-2'])
    expect(new Set(nodes.nodes.map((node) => node.port)).size).toBe(2)
    expect(processAlive(nodes.pid(0)!) && processAlive(nodes.pid(1)!)).toBe(true)
    expect(new Set(await servedBy(4))).toEqual(new Set(['node-1', 'node-2']))
  })

  test('browsers behind the balancer send its origin: the nodes accept it (PUBLIC_ORIGIN), not a foreign one', async () => {
    const setup = {
      token: cluster.setupToken,
      email: 'first@example.org',
      name: 'First',
      password: 'long enough pw',
    }
    const foreign = await request(cluster.url, 'POST', '/api/setup', setup, { origin: 'http://evil.example' })
    expect(foreign.status).toBe(403)
    const own = await request(cluster.url, 'POST', '/api/setup', setup, { origin: cluster.url })
    expect(own.status).toBe(201)
  })

  test('a SIGKILLed node is routed around at once; restart(i) brings it back on the same address', async () => {
    const killedPid = nodes.pid(0)!
    await nodes.kill(0, 'SIGKILL')
    expect(nodes.running(0)).toBe(false)
    expect(processAlive(killedPid)).toBe(false)
    // Whether or not a health check noticed yet: a refused connection is retried on the other node (redispatch).
    expect(new Set(await servedBy(4))).toEqual(new Set(['node-2']))
    await nodes.restart(0)
    expect(nodes.pid(0)).not.toBe(killedPid)
    expect((await fetch(`${nodes.nodes[0]!.url}/api/health`)).status).toBe(200)
  }, 90_000)

  test('SIGSTOP pauses a node and SIGCONT resumes it (the pause a lease must survive)', async () => {
    await nodes.kill(1, 'SIGSTOP')
    const paused = await fetch(`${nodes.nodes[1]!.url}/api/health`, {
      signal: AbortSignal.timeout(500),
    }).catch((error: Error) => error)
    expect(paused).toBeInstanceOf(Error)
    await nodes.kill(1, 'SIGCONT')
    expect((await fetch(`${nodes.nodes[1]!.url}/api/health`)).status).toBe(200)
    expect(nodes.running(1)).toBe(true)
  })
})
