/** A multipart/form-data body as a browser sends the enrollment form: fields and at most one file. */
import { randomBytes } from 'node:crypto';

export type FormPart = { name: string; value: string } | { name: string; filename: string; content: Buffer | string; type?: string };

export function multipartForm(parts: FormPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----tandem${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'filename' in part ? `form-data; name="${part.name}"; filename="${part.filename}"` : `form-data; name="${part.name}"`;
    const type = 'filename' in part ? `\r\nContent-Type: ${part.type ?? 'text/csv'}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(
      Buffer.isBuffer('filename' in part ? part.content : part.value)
        ? 'filename' in part
          ? (part.content as Buffer)
          : Buffer.from(part.value)
        : Buffer.from('filename' in part ? (part.content as string) : part.value),
    );
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
