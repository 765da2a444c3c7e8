/** Just enough MIME (RFC 2045-2047) to read what nodemailer sends, for the SMTP tests. */
export interface MimePart {
  headers: Map<string, string>;
  contentType: string;
  params: Map<string, string>;
  body: Buffer;
  parts: MimePart[];
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

const WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/** Decodes RFC 2047 encoded words; adjacent words are joined before UTF-8 decoding. */
export function decodeHeader(value: string): string {
  return value.replace(/=\?[^?]+\?[BbQq]\?[^?]*\?=(?:\s+=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g, (run) =>
    Buffer.concat(
      [...run.matchAll(WORD)].map(([, , enc = '', data = '']) =>
        enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' ')),
      ),
    ).toString('utf8'),
  );
}

function parseParams(value: string): { value: string; params: Map<string, string> } {
  const [first = '', ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params.set(
      p.slice(0, eq).trim().toLowerCase(),
      p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, ''),
    );
  }
  return { value: first.trim().toLowerCase(), params };
}

/** Parses a raw message (or part), given as a latin1 string so bytes survive. */
export function parseMime(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const { value: contentType, params } = parseParams(headers.get('content-type') ?? 'text/plain');
  const boundary = params.get('boundary');
  if (contentType.startsWith('multipart/') && boundary) {
    const segments = body.split(`--${boundary}`).slice(1);
    const parts = segments
      .filter((s) => !s.startsWith('--'))
      .map((s) => parseMime(s.replace(/^\r\n/, '').replace(/\r\n$/, '')));
    return { headers, contentType, params, body: Buffer.alloc(0), parts };
  }
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    cte === 'base64'
      ? Buffer.from(body, 'base64')
      : cte === 'quoted-printable'
        ? qpBytes(body.replace(/=\r\n/g, ''))
        : Buffer.from(body, 'latin1');
  return { headers, contentType, params, body: decoded, parts: [] };
}

export function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part];
}
