import type { Listing } from '@carebook/contracts';
import { useEffect, useId, useState } from 'react';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { uploadPhoto } from '../../api/upload';
import './photos-editor.css';

const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export function PhotosEditor({ listing, onChanged }: { listing: Listing; onChanged: () => void }) {
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = (f: File | undefined) => {
    setMessage(null);
    if (!f) return setFile(null);
    if (!TYPES.includes(f.type)) return setMessage({ ok: false, text: 'Choose a JPEG, PNG or WebP image.' });
    if (f.size > MAX_BYTES) return setMessage({ ok: false, text: 'That image is larger than 10 MB.' });
    setFile(f);
  };

  const upload = async () => {
    if (!file) return;
    setProgress(0);
    setMessage(null);
    try {
      await uploadPhoto(listing.id, listing.version, file, setProgress);
      setMessage({ ok: true, text: 'Photo uploaded.' });
      setFile(null);
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: plainMessage(err) });
    } finally {
      setProgress(null);
    }
  };

  const remove = async (photoId: string) => {
    try {
      await api.deletePhoto(listing.id, photoId, listing.version);
      onChanged();
    } catch (err) {
      setMessage({ ok: false, text: plainMessage(err) });
    }
  };

  return (
    <div>
      <h2>Photos</h2>
      <p className="muted">JPEG, PNG or WebP up to 10 MB. Location data is removed from every photo.</p>
      <ul className="photo-grid" aria-label="Current photos">
        {listing.photos.map((p, i) => (
          <li key={p.id}>
            <img
              src={`/${p.variants.card.jpeg}`}
              alt={`${listing.name} (${i + 1} of ${listing.photos.length})`}
              width={p.variants.card.width}
              height={p.variants.card.height}
            />
            <button type="button" className="btn btn-secondary btn-small" onClick={() => remove(p.id)}>
              Remove photo {i + 1}
            </button>
          </li>
        ))}
      </ul>
      {listing.photos.length === 0 && (
        <p className="muted">No photos yet. Listings with a photo get more bookings.</p>
      )}
      <div className="upload">
        <label htmlFor={inputId} className="btn btn-secondary">
          Choose a photo
        </label>
        <input
          id={inputId}
          className="visually-hidden-file"
          type="file"
          accept={TYPES.join(',')}
          onChange={(e) => choose(e.target.files?.[0])}
        />
        {preview && (
          <figure className="preview">
            <img src={preview} alt="Chosen file, not yet uploaded" />
            <figcaption>{file?.name}</figcaption>
          </figure>
        )}
        {file && (
          <button type="button" className="btn" onClick={upload} disabled={progress !== null}>
            Upload photo
          </button>
        )}
        {progress !== null && (
          <div className="progress-wrap">
            <progress max={1} value={progress} aria-label="Upload progress" />
            <span>{Math.round(progress * 100)}%</span>
          </div>
        )}
        {message && (
          <p
            className={`notice ${message.ok ? 'notice-ok' : 'notice-error'}`}
            role={message.ok ? 'status' : 'alert'}
          >
            {message.text}
          </p>
        )}
      </div>
    </div>
  );
}
