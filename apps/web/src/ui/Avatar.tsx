import './avatar.css';
/** A photo thumbnail, or initials on a calm tint when there is none. */
export function Avatar({
  name,
  photoKey,
  size = 64,
}: {
  name: string;
  photoKey: string | null;
  size?: number;
}) {
  if (photoKey) {
    const src = photoKey.startsWith('/') ? photoKey : `/${photoKey}`;
    return <img className="avatar" src={src} alt="" width={size} height={size} loading="lazy" />;
  }
  const initials = name
    .split(/\s+/)
    // Titles and abbreviations ("Dr.", "Dra.", "med.", "Prof") and small words are not initials.
    .filter(
      (w) => /^[A-Za-zÀ-ž]/.test(w) && !w.endsWith('.') && !/^(dr|dra|prof|the|of|and|de|del)$/i.test(w),
    )
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return (
    <span
      className="avatar avatar-initials"
      aria-hidden="true"
      style={{ width: size, height: size, ['--hue' as string]: hash % 360 }}
    >
      {initials}
    </span>
  );
}
