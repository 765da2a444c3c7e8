import type { Photo, Problem } from '@carebook/contracts';
import { refreshSession } from './client';
import { CONSISTENCY_HEADER, consistencyToken, rememberConsistency } from './consistency';
import { ApiError, networkProblem } from './problem';
import { tokens } from './tokens';

/**
 * Multipart photo upload through XMLHttpRequest, the one browser API that reports upload
 * progress. A 401 refreshes the session once and retries, like every other call.
 */
export function uploadPhoto(
  providerId: string,
  version: number,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<{ photo: Photo; version: number }> {
  const attempt = (retry: boolean) =>
    new Promise<{ photo: Photo; version: number }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1/providers/${providerId}/photos`);
      xhr.setRequestHeader('if-match', `"${version}"`);
      const access = tokens.access();
      if (access) xhr.setRequestHeader('authorization', `Bearer ${access}`);
      const consistency = consistencyToken();
      if (consistency) xhr.setRequestHeader(CONSISTENCY_HEADER, consistency);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => reject(new ApiError(networkProblem()));
      xhr.onload = async () => {
        rememberConsistency(xhr.getResponseHeader(CONSISTENCY_HEADER));
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status === 401 && !retry && (await refreshSession())) {
          attempt(true).then(resolve, reject);
          return;
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body as { photo: Photo; version: number });
        else
          reject(
            new ApiError(
              (body as Problem | null) ?? {
                type: 'about:blank',
                title: 'Upload failed',
                status: xhr.status,
                detail: `The upload failed (${xhr.status}).`,
                code: 'UNKNOWN',
                requestId: '',
              },
            ),
          );
      };
      const form = new FormData();
      form.append('file', file);
      xhr.send(form);
    });
  return attempt(false);
}
