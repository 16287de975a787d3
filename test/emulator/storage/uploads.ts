/**
 * Upload sessions (OSS signeds3upload + S3 multipart) and the storage objects reserved by POST storage.
 * Part bytes go to files in a temp folder of this emulator instance (made on first use, removed on close).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choices } from '../choices';
import { FileContent, type Segment } from './fileContent';

export interface UploadedPart extends Segment {
  /** Quoted md5 hex, as S3 answers in ETag. */
  etag: string;
}

export interface UploadSession {
  uploadKey: string;
  bucketKey: string;
  objectKey: string;
  createdAt: number;
  /** uploadExpiration: after it, the session and its parts are gone. */
  expiresAt: number;
  parts: Map<number, UploadedPart>;
  /** Set once completed (the uploadKey is spent). */
  completed?: { size: number; etag: string; contentType: string };
}

/** A storage object handed out by POST storage, for a file in this folder of this project. */
export interface Reservation {
  bucketKey: string;
  objectKey: string;
  projectId: string;
  folderId: string;
  /** The app that asked for it: only it may upload there. */
  clientId: string;
  name: string;
}

export type CompletionRefusal = { refused: string };

export interface Assembled {
  content: FileContent;
  /** S3's multipart ETag: md5 of the parts' md5s, then "-<parts>". */
  etag: string;
}

export class Uploads {
  readonly sessions = new Map<string, UploadSession>();
  readonly reservations = new Map<string, Reservation>();
  private folder?: string;
  private nextFile = 0;

  constructor(private readonly now: () => number, private readonly parentFolder: string = tmpdir()) {}

  reserve(reservation: Reservation): void {
    this.reservations.set(`${reservation.bucketKey}/${reservation.objectKey}`, reservation);
  }

  reservation(bucketKey: string, objectKey: string): Reservation | undefined {
    return this.reservations.get(`${bucketKey}/${objectKey}`);
  }

  begin(bucketKey: string, objectKey: string): UploadSession {
    const createdAt = this.now();
    const session: UploadSession = {
      uploadKey: randomBytes(48).toString('base64url'),
      bucketKey,
      objectKey,
      createdAt,
      expiresAt: createdAt + choices.upload.sessionHours * 3_600_000,
      parts: new Map(),
    };
    this.sessions.set(session.uploadKey, session);
    return session;
  }

  /** The session behind an uploadKey, if it is still alive (an expired one is dropped with its parts). */
  session(uploadKey: string): UploadSession | undefined {
    const session = this.sessions.get(uploadKey);
    if (!session) return undefined;
    if (!(this.now() < session.expiresAt) && !session.completed) {
      this.sessions.delete(uploadKey);
      for (const part of session.parts.values()) void rm(part.path, { force: true });
      return undefined;
    }
    return session;
  }

  /** A fresh path for the bytes of one part PUT (the temp folder is made on first use). */
  partPath(): string {
    this.folder ??= mkdtempSync(join(this.parentFolder, 'aps-emulator-uploads-'));
    return join(this.folder, `${++this.nextFile}-${randomUUID()}.part`);
  }

  /** Records a part whose bytes are complete at `path`; a part sent again replaces the earlier one, as in S3. */
  async keepPart(session: UploadSession, partNumber: number, path: string, size: number, md5: Buffer): Promise<UploadedPart> {
    const kept = `${path}.done`;
    await rename(path, kept);
    const part: UploadedPart = { path: kept, size, etag: `"${md5.toString('hex')}"` };
    const earlier = session.parts.get(partNumber);
    session.parts.set(partNumber, part);
    if (earlier) await rm(earlier.path, { force: true });
    return part;
  }

  /** The object the uploaded parts make, in part order, or why S3 would not assemble them. */
  assemble(session: UploadSession, expected: { size?: number; eTags?: string[] }, enforcePartSizes: boolean): Assembled | CompletionRefusal {
    const numbers = [...session.parts.keys()].sort((a, b) => a - b);
    if (numbers.length === 0) return { refused: 'No part of this upload was received; upload the parts before completing it.' };
    const parts = numbers.map((number) => session.parts.get(number) as UploadedPart);
    const min = choices.upload.minPartBytes;
    const small = parts.findIndex((part, index) => index < parts.length - 1 && part.size < min);
    if (enforcePartSizes && small >= 0) {
      return { refused: `Your proposed upload is smaller than the minimum allowed size: part ${numbers[small]} has ${parts[small].size} bytes, and every part but the last must have at least ${min} (EntityTooSmall).` };
    }
    const content = new FileContent(parts);
    if (expected.size !== undefined && expected.size !== content.size) {
      return { refused: `The uploaded parts hold ${content.size} bytes, not the ${expected.size} the request gives as size.` };
    }
    if (expected.eTags !== undefined) {
      const unquoted = (tag: string) => tag.replace(/^"|"$/g, '');
      const wrong = parts.findIndex((part, index) => unquoted(String(expected.eTags?.[index] ?? '')) !== unquoted(part.etag));
      if (wrong >= 0 || expected.eTags.length !== parts.length) {
        return { refused: `The eTags do not match the uploaded parts${wrong >= 0 ? ` (part ${numbers[wrong]})` : ''}.` };
      }
    }
    const md5s = Buffer.concat(parts.map((part) => Buffer.from(part.etag.replace(/"/g, ''), 'hex')));
    return { content, etag: `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"` };
  }

  /** Removes every part file (the emulator is closing). */
  close(): void {
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }
}
