// Calls to the reconstruction surface (/api/v1), which answers errors in FastAPI's shapes: {"detail": "message"}, or
// for a request it could not validate {"detail": [{"loc": [...], "msg": "..."}]}. Both become an ApiFailure whose
// message is a sentence for people; a 401 ends the session as the platform calls do.
import { ApiFailure, bearer, refused, request, type ErrorReader } from '../api';

export const reconBase = '/api/v1';

interface FastApiProblem {
  detail?: string | { loc?: (string | number)[]; msg?: string }[];
}

/** FastAPI's shapes: a sentence, or a list of fields with what is wrong with each. */
const fastApi: ErrorReader = (answer) => {
  const problem = (answer ?? {}) as FastApiProblem;
  if (typeof problem.detail === 'string') return { message: problem.detail };
  if (!Array.isArray(problem.detail)) return {};
  const fields: Record<string, string[]> = {};
  for (const item of problem.detail) {
    const name = String(item.loc?.at(-1) ?? 'request').replaceAll('_', ' ');
    (fields[name] ??= []).push(item.msg ?? 'is not valid');
  }
  return { message: Object.entries(fields).map(([name, reasons]) => `${name} ${reasons.join(', ')}`).join('; '), fields };
};

/** The session's token, or an ApiFailure(401) that has ended the session. */
export const token = bearer;

export const recon = <T>(method: string, path: string, body?: URLSearchParams | FormData) => request<T>(method, reconBase + path, body, fastApi);

/** What a refused request says, from its status and its FastAPI body (read by `body`). */
export const refusal = (status: number, body: () => Promise<unknown>) => refused(status, body, fastApi);

/**
 * A sentence for a failed action (`what`: "The reconstruction was not started"), saying what to do; null for a 401,
 * after which the console shows sign-in with its own message.
 */
export function explain(e: unknown, what: string): string | null {
  if (!(e instanceof ApiFailure)) return `${what}: something unexpected went wrong. Reload the page and try again.`;
  const said = e.message.replace(/\.$/, '');
  switch (e.status) {
    case 401:
      return null;
    case 0:
      return `${what}: ${e.message}`;
    case 403:
      return `${what}: ${said}. Ask an administrator of your organization if you need to do this.`;
    case 404:
      return `${what}: ${said}.`;
    case 409:
      return `${what}: ${said}. Wait for the job to finish, or cancel it below, then try again.`;
    case 413:
      return `${what}: ${said}. Choose a smaller file, or a shorter video.`;
    case 422:
      return `${what}: ${said}. Correct it and try again.`;
    case 429:
      return `${what}: ${said}`;
  }
  return `${what}: ${said}.`;
}

export interface ReconProject {
  id: number;
  name: string;
  status: 'draft' | 'processing' | 'completed' | 'failed' | 'archived';
  total_frames: number;
  processed_frames: number;
  reconstruction_quality: number;
  processing_time: number;
}

export interface Job {
  id: number;
  project_id: number;
  job_type: 'frame_extraction' | 'reconstruction';
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: number;
  current_stage: string | null;
  parameters: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}

export interface ReconStatus {
  project_id: number;
  status: ReconProject['status'];
  total_frames: number;
  processed_frames: number;
  reconstruction_quality: number;
  processing_time: number;
  current_job: Job | null;
  files: { video: boolean; frames: boolean; mesh: boolean; textured_mesh: boolean; point_cloud: boolean };
}

export interface JobStarted {
  message: string;
  job_id: number;
  project_id: number;
  status: string;
}

export interface JobLogs {
  job_id: number;
  status: Job['status'];
  logs: string[];
}

export const qualities = [
  { value: 'low', label: 'Low: fastest, fewer points' },
  { value: 'medium', label: 'Medium (default)' },
  { value: 'high', label: 'High: slower, more points' },
  { value: 'extreme', label: 'Extreme: slowest, most detail' },
] as const;

export const jobTypeName = (type: string) => (type === 'frame_extraction' ? 'Frame extraction' : type === 'reconstruction' ? 'Reconstruction' : type);

/** A job's name, as its link says it: "Frame extraction 12". */
export const jobName = (job: Pick<Job, 'job_type' | 'id'>) => `${jobTypeName(job.job_type)} ${job.id}`;

export const active = (status: string) => status === 'pending' || status === 'running';

export const statusWord = (status: string) => (status === 'pending' ? 'queued' : status);
