/** The Versions screen's calls (docs/API.md "Versions"). */
import type { ApiComparison, ApiVersion, ApiVersionDetail } from '../../shared/api/versions.ts'
import { http } from '../api/http.ts'

const id = (value: string) => encodeURIComponent(value)
const base = (deliverableId: string) => `/api/deliverables/${id(deliverableId)}`

export interface VersionList {
  versions: ApiVersion[]
  /** Version files the server could not read back intact, with its message naming the file. */
  unreadable: { id: string; message: string }[]
}

export const versionsApi = {
  list: (deliverableId: string) => http.get<VersionList>(`${base(deliverableId)}/versions`),
  save: (deliverableId: string, name: string) =>
    http.post<{ version: ApiVersion }>(`${base(deliverableId)}/versions`, { name }),
  detail: (deliverableId: string, versionId: string) =>
    http.get<{ version: ApiVersionDetail }>(`${base(deliverableId)}/versions/${id(versionId)}`),
  compare: (deliverableId: string, from: string, to: string) =>
    http.get<{ comparison: ApiComparison }>(`${base(deliverableId)}/compare?from=${id(from)}&to=${id(to)}`),
  restore: (deliverableId: string, versionId: string) =>
    http.post<{ changed: boolean }>(`${base(deliverableId)}/versions/${id(versionId)}/restore`),
}
