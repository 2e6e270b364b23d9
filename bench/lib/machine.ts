/** The machine the numbers were measured on. */
import { readFileSync } from 'node:fs'
import os from 'node:os'

export interface Machine {
  cpuModel: string
  cores: number
  memoryGb: number
  node: string
  platform: string
  kernel: string
}

export function describeMachine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown'
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8')
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpuModel
  } catch {
    // not Linux
  }
  return {
    cpuModel,
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
  }
}
