/**
 * Photos on the BOA form (spec §4): the limits and every Dutch text of the field. Safe for islands: no
 * server code.
 */

/** The form field (a plain file input, several files). */
export const PHOTO_FIELD = 'fotos';
/** The hidden field that carries the token of the photos kept for this form (photos.server.ts). */
export const PHOTO_SET_FIELD = 'fotoSet';
/** The submit button that removes one kept photo: its value is the photo's id. */
export const PHOTO_REMOVE_FIELD = 'fotoVerwijderen';

export const PHOTO_LABEL = "Foto's";
export const PHOTO_MAX_COUNT = 5;
export const PHOTO_MAX_BYTES = 15 * 1024 * 1024;
/** A decoded image larger than this is refused (a decompression bomb): 50 megapixels, more than any phone camera. */
export const PHOTO_MAX_PIXELS = 50_000_000;
/** The stored full view: at most this many pixels on the long side. */
export const PHOTO_MAX_SIDE = 2048;
export const PHOTO_THUMB_SIDE = 320;
/** The types a browser may offer (`accept`); the server decides by decoding, never by the name or type. */
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/heic,image/heif,image/webp';

/**
 * The largest body the BOA form reads: five photos of the largest size and the form's text around them.
 * Every other route keeps the small limit (src/platform/refusal.ts).
 */
export const PHOTO_FORM_LIMIT_BYTES = PHOTO_MAX_COUNT * PHOTO_MAX_BYTES + 1024 * 1024;

export const PHOTO_MESSAGES = {
  notAnImage: 'Dit bestand is geen foto. Kies een JPEG-, PNG-, HEIC- of WebP-bestand.',
  broken: 'Deze foto is beschadigd of niet compleet. Kies de foto opnieuw of maak een nieuwe foto.',
  tooLarge: 'Deze foto is te groot. Een foto mag hoogstens 15 MB zijn.',
  tooManyPixels: 'Deze foto heeft te veel beeldpunten. Een foto mag hoogstens 50 megapixel zijn.',
  tooMany: `U kunt hoogstens ${PHOTO_MAX_COUNT} foto's toevoegen.`,
  heic: 'Deze HEIC-foto kunnen wij niet lezen. Kies de foto als JPEG, of zet de camera van uw telefoon op "Meest compatibel".',
} as const;

export const PHOTO_HINT = `Hoogstens ${PHOTO_MAX_COUNT} foto's van hoogstens 15 MB: JPEG, PNG, HEIC of WebP. Wij bewaren de foto's zonder plaats, tijd of toestel.`;

/** "1 foto toegevoegd", "2 foto's toegevoegd". */
export const photosAdded = (n: number): string => (n === 1 ? '1 foto toegevoegd' : `${n} foto's toegevoegd`);

/** The message for one refused file, with its name when the browser gave one. */
export const fileMessage = (message: string, fileName: string): string => (fileName ? `${fileName}: ${message}` : message);
