// The JSON bodies of the HTTP API. scripts/generate-openapi-schemas.mjs turns these types (and the
// engine views they name) into schema/api-schemas.json, the `components.schemas` of the OpenAPI
// document; a test checks the committed file equals a fresh generation.
import type { Diagnostic } from '@luoshi/dsl';
import type {
  ClosedCampaign,
  DeployedProcess,
  HistoryEntry,
  HostEvent,
  InstanceState,
  OrganisationUnit,
  Outcomes,
  RankedSubject,
  Rollup,
  SendResult,
  StartedCampaign,
  SubjectView,
  TaskView,
  TrackedItemView,
  ExtensionRequestView,
} from '@luoshi/engine';

/** One process file sent for deployment: its name (for diagnostics) and its YAML or JSON text. */
export interface ProcessFileText {
  readonly file: string;
  readonly text: string;
}

/** Body of `POST /v1/processes`: the campaigns with the sub-processes they use. */
export interface DeployRequest {
  /** @minItems 1 */
  readonly files: readonly ProcessFileText[];
}

/** Answer of `POST /v1/processes`: one version per campaign, and any warnings. */
export interface DeployResponse {
  readonly versions: readonly DeployedProcess[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Answer of `GET /v1/processes/{id}`: a deployed version with its bundle. */
export interface ProcessVersion {
  readonly processId: string;
  readonly version: number;
  readonly hash: string;
  readonly deployedAt: number;
  /** The campaign and the sub-processes it uses, as deployed. */
  readonly bundle: Record<string, unknown>;
}

/** One deployed process with its versions, in `GET /v1/processes`. */
export interface ProcessSummary {
  readonly processId: string;
  /** The version new campaigns start on. */
  readonly latest: number;
  readonly versions: readonly { readonly version: number; readonly deployedAt: number; readonly hash: string }[];
}

/** Answer of `GET /v1/processes`: every deployed process. */
export interface ProcessList {
  readonly processes: readonly ProcessSummary[];
}

/** Body of `POST /v1/campaigns`. */
export interface StartCampaignRequest {
  readonly process: string;
  /**
   * Default: the latest deployed version.
   * @TJS-type integer
   */
  readonly version?: number;
  readonly organisation: OrganisationUnit;
  /**
   * Default: a fresh id. 1 to 100 characters (code points, as `maxLength` counts them), not "." or "..", no "/", no control, invisible-format, line-separator or lone surrogate character (else 422 ENGINE_INVALID_CAMPAIGN_ID). The pattern is an ECMAScript one with Unicode property escapes (flag `u`).
   * @minLength 1
   * @maxLength 100
   * @pattern ^(?!\.\.?$)[^/\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+$
   */
  readonly campaignId?: string;
}

/** Body of `POST /v1/campaigns/{id}/close` (终止活动): the office closes the campaign, or the part at and under a unit. */
export interface CloseCampaignRequest {
  /**
   * Why (本通知自印发之日起施行，原…同时废止): recorded in each instance's history and state.
   * @minLength 1
   * @maxLength 500
   */
  readonly reason: string;
  /** The unit the campaign is closed at and under; default the whole campaign. */
  readonly unit?: string;
  /**
   * When, as an ISO 8601 date and time with its offset (`2026-06-30T17:00:00+08:00`); default now
   * (the campaign's clock). An instance already past it refuses the whole closing (409 ENGINE_TIME_BACKWARDS).
   * @pattern ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$
   */
  readonly at?: string;
}

/** The JSON of every error answer: a stable code and the message in both languages. */
export interface ErrorBody {
  readonly code: string;
  readonly message: { readonly zh: string; readonly en: string };
  readonly details: Readonly<Record<string, unknown>>;
  /** Validation findings with file, line and column (`POST /v1/processes`). */
  readonly diagnostics?: readonly Diagnostic[];
}

/** Answer of `GET /v1/campaigns/{id}/instances`. */
export type InstanceStates = readonly InstanceState[];
/** Answer of `GET /v1/campaigns/{id}/rankings/{ranking}`. */
export type Standings = readonly RankedSubject[];
/** Answer of `GET /v1/instances/{id}/history`. */
export type History = readonly HistoryEntry[];
/** Answer of `GET /v1/instances/{id}/tasks`. */
export type Tasks = readonly TaskView[];
/** Answer of `GET /v1/campaigns/{id}/items`: the items tracked to closure (督办事项) at and under a unit. */
export type TrackedItems = readonly TrackedItemView[];
/** Answer of `GET /v1/campaigns/{id}/extensions`: the pending extension requests (待审批延期申请) at and under a unit. */
export type ExtensionRequests = readonly ExtensionRequestView[];
/** Answer of `GET /v1/instances/{id}/subjects`. */
export type Subjects = readonly SubjectView[];

export type { ClosedCampaign, HostEvent, InstanceState, Outcomes, Rollup, SendResult, StartedCampaign };
