/** Images in documents: stored after the editor check and sniffing, served after the read check. Never sees a request. */
import { randomUUID } from 'node:crypto';
import { ATTACHMENT_PATH, attachmentIdOf } from '../../../shared/content-refs.ts';
import type { Attachment } from '../../../shared/rich-content.ts';
import type { Caller } from '../../http/auth.ts';
import { HttpError, notFound, payloadTooLarge } from '../../http/problem.ts';
import type { AttachmentRecord } from '../../storage/attachment-store.ts';
import type { Store } from '../../storage/store.ts';
import type { AccessService } from '../access/service.ts';
import { sniffImage } from './sniff.ts';

/** An attachment with its bytes. */
export interface StoredAttachment {
  record: AttachmentRecord;
  data: Uint8Array;
}

const unsupportedImage = () =>
  new HttpError(415, 'Unsupported Media Type', 'only PNG, JPEG, GIF and WebP images can be attached (SVG is not accepted)');

/** The attachments feature. */
export class AttachmentService {
  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    /** `MAX_ATTACHMENT_BYTES`. */
    readonly maxBytes: number,
  ) {}

  /** Stores an image into a document (editors): 413 past the limit, 415 unless its bytes are an accepted image. */
  async upload(documentId: string, caller: Caller, userId: string, data: Uint8Array): Promise<Attachment> {
    await this.access.authorize(documentId, caller, 'edit');
    return this.add(documentId, userId, data);
  }

  /** Stores an image into a document the caller has just been authorized for (import chooses the id its content names). */
  async add(documentId: string, userId: string, data: Uint8Array, id: string = randomUUID()): Promise<Attachment> {
    if (data.byteLength > this.maxBytes) throw payloadTooLarge(`the image is ${data.byteLength} bytes; the limit is ${this.maxBytes}`);
    const contentType = sniffImage(data);
    if (!contentType) throw unsupportedImage();
    const record: AttachmentRecord = { id, documentId, contentType, size: data.byteLength, createdBy: userId, createdAt: Date.now() };
    if (!(await this.store.attachments.create(record, data))) throw notFound(`no document with id ${documentId}`);
    return { id: record.id, url: `${ATTACHMENT_PATH}${record.id}`, contentType, size: record.size };
  }

  /** An attachment, if the caller may read its document; 404 alike for unknown ids and unreadable documents. */
  async read(id: string, caller: Caller): Promise<StoredAttachment> {
    const found = attachmentIdOf(`${ATTACHMENT_PATH}${id}`) ? await this.store.attachments.get(id) : null;
    if (!found) throw notFound(`no attachment with id ${id}`);
    try {
      await this.access.authorize(found.record.documentId, caller, 'read');
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) throw notFound(`no attachment with id ${id}`);
      throw error;
    }
    return found;
  }

  /** The attachment an image `src` of this document names (export), or null. */
  async ofDocument(documentId: string, src: unknown): Promise<StoredAttachment | null> {
    const id = attachmentIdOf(src);
    const found = id ? await this.store.attachments.get(id) : null;
    return found && found.record.documentId === documentId ? found : null;
  }
}
