import { describe, expect, it } from 'vitest'
import { runPowerCutCampaign } from './powerCutCampaign.ts'
import { tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()

describe('acknowledged means durable', () => {
  it('keeps every acknowledged update through 30 power cuts at random moments', async () => {
    const result = await runPowerCutCampaign(tempDir(), { seed: 20240601, cuts: 30 })
    expect(result.problems).toEqual([])
    // The workload did what it is meant to test.
    expect(result.acknowledged).toBeGreaterThan(200)
    expect(result.compactions).toBeGreaterThan(3)
  })

  it('a store that skips fsync is caught by the power-cut check', async () => {
    const result = await runPowerCutCampaign(tempDir(), {
      seed: 20240601,
      cuts: 30,
      disk: { skipFileSync: true },
    })
    expect(result.problems.length).toBeGreaterThan(0)
  })

  it('a store that skips directory fsync is caught by the power-cut check', async () => {
    const options = { seed: 20240601, cuts: 30, disk: { skipDirectorySync: true } }
    const result = await runPowerCutCampaign(tempDir(), options)
    expect(result.problems.length).toBeGreaterThan(0)
  })
})
