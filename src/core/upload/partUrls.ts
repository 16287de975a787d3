// Signed part URLs of one upload session: asked for as the parts need them, at most 25 per call (OSS's limit),
// signed again when they are about to expire or storage refused one; the first call opens the session.
import type { StorageLocation } from '../dm/ids';
import { uploadRefusalOf } from '../dm/uploadRefusals';
import { MAX_URLS_PER_CALL, type SignedUpload } from '../oss/signedUpload';
import { SIGNED_URL_MINUTES } from '../transfer/settings';
import { UploadSessionGone } from './partPut';

/** A URL this close to its expiry is signed again before a part starts on it. */
const EXPIRY_MARGIN_MS = 30_000;

export interface UploadSession {
  readonly uploadKey: string;
  readonly uploadExpiresAt?: number;
}

export class PartUrls {
  private readonly urls = new Map<number, { url: string; expiresAt: number }>();
  private signing?: Promise<void>;

  constructor(
    private readonly oss: Pick<SignedUpload, 'uploadUrls'>,
    private readonly storage: StorageLocation,
    private readonly name: string,
    private readonly partCount: number,
    private session: UploadSession | undefined,
    /** A new session was opened: record its key before any part is sent under it. */
    private readonly onSession: (session: UploadSession) => Promise<void>,
    private readonly signal: AbortSignal,
  ) {}

  get uploadKey(): string | undefined {
    return this.session?.uploadKey;
  }

  /** A fresh URL for the part: signed now, with the parts after it, when it has none that will last. */
  async urlFor(partNumber: number): Promise<string> {
    const known = this.urls.get(partNumber);
    if (known && known.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return known.url;
    // One signing at a time; a URL it brought is used however the clocks differ.
    while (this.signing) await this.signing;
    const signed = this.urls.get(partNumber);
    if (signed && signed !== known) return signed.url;
    this.signing = this.sign(partNumber).finally(() => (this.signing = undefined));
    await this.signing;
    return (this.urls.get(partNumber) as { url: string }).url;
  }

  /** Storage refused this URL: the next `urlFor` signs the part again. */
  forget(partNumber: number, url: string): void {
    if (this.urls.get(partNumber)?.url === url) this.urls.delete(partNumber);
  }

  private async sign(firstPart: number): Promise<void> {
    const count = Math.min(MAX_URLS_PER_CALL, this.partCount - firstPart + 1);
    // Expiry by this machine's clock, which is the one that decides when to sign again.
    const expiresAt = Date.now() + SIGNED_URL_MINUTES * 60_000;
    let signed;
    try {
      signed = await this.oss.uploadUrls(
        this.storage,
        { firstPart, count, uploadKey: this.session?.uploadKey, minutesExpiration: SIGNED_URL_MINUTES },
        { signal: this.signal, name: this.name },
      );
    } catch (error) {
      if (this.session && uploadRefusalOf(error) === 'UPLOAD_EXPIRED') throw new UploadSessionGone(`The upload session of "${this.name}" is gone: ${(error as Error).message}`);
      throw error;
    }
    if (!this.session || this.session.uploadKey !== signed.uploadKey) {
      this.session = { uploadKey: signed.uploadKey, ...(signed.uploadExpiresAt !== undefined ? { uploadExpiresAt: signed.uploadExpiresAt } : {}) };
      await this.onSession(this.session);
    }
    for (const part of signed.parts) this.urls.set(part.partNumber, { url: part.url, expiresAt });
  }
}
