/**
 * Image processing with sharp: accepts JPEG, PNG, WebP, AVIF and GIF (detected from the bytes, not the name),
 * applies the EXIF orientation, drops all metadata (EXIF, GPS, XMP, ICC profiles are not copied), and renders
 * responsive widths in AVIF, WebP and a JPEG/PNG fallback. sharp is loaded at the first image.
 */
import type { Metadata, OutputInfo } from 'sharp';
import { ValidationError } from '../lib/errors.ts';

export const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif'] as const;
/** Largest upload in bytes. */
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
/** Largest image in pixels (width × height): a 50-megapixel camera frame. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Widths rendered, in CSS pixels; never wider than the original. */
export const VARIANT_WIDTHS = [480, 800, 1200, 1600] as const;

export type VariantFormat = 'avif' | 'webp' | 'jpeg' | 'png';

export interface MediaVariant {
  format: VariantFormat;
  width: number;
  height: number;
  bytes: number;
  key: string;
}

export interface ProcessedImage {
  format: string;
  width: number;
  height: number;
  /** Rendered files, keyed later by the caller. */
  outputs: { format: VariantFormat; width: number; height: number; data: Buffer }[];
}

const refuse = (message: string): ValidationError => new ValidationError({ image: message });

/** Validates and renders an uploaded image. Throws ValidationError (field `image`) for anything that is not one. */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  if (!bytes.length) throw refuse('Choose an image file to upload.');
  if (bytes.length > MAX_IMAGE_BYTES) throw refuse(`The file is larger than ${MAX_IMAGE_BYTES / 1048576} MB.`);
  // sharp and libvips (about 130 ms of CPU and 15 MB to load) are loaded at the first upload, not at every start.
  const { default: sharp } = await import('sharp');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
  } catch {
    throw refuse('This file is not an image we can read. Upload a JPEG, PNG, WebP, AVIF or GIF.');
  }
  if (!meta.format || !(ACCEPTED_FORMATS as readonly string[]).includes(meta.format)) {
    throw refuse(`${meta.format ? meta.format.toUpperCase() : 'This'} files are not accepted. Upload a JPEG, PNG, WebP, AVIF or GIF.`);
  }
  if (!meta.width || !meta.height) throw refuse('The image has no size.');
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) throw refuse(`The image is larger than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels.`);

  // Orientation from EXIF, then no metadata at all in any output (sharp copies none unless asked).
  const upright = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, animated: false }).rotate();
  let base: { data: Buffer; info: OutputInfo };
  try {
    base = await upright.toBuffer({ resolveWithObject: true });
  } catch {
    throw refuse('The image is damaged and cannot be read.');
  }
  const { width, height } = base.info;
  const fallback: VariantFormat = meta.hasAlpha ? 'png' : 'jpeg';
  const widths = [...new Set([...VARIANT_WIDTHS.filter((w) => w < width), Math.min(width, VARIANT_WIDTHS.at(-1)!)])].sort((a, b) => a - b);
  const outputs: ProcessedImage['outputs'] = [];
  for (const w of widths) {
    const resized = sharp(base.data).resize({ width: w, withoutEnlargement: true });
    for (const format of ['avif', 'webp', fallback] as const) {
      const pipeline =
        format === 'avif' ? resized.clone().avif({ quality: 50, effort: 2 }) : format === 'webp' ? resized.clone().webp({ quality: 78 }) : format === 'png' ? resized.clone().png() : resized.clone().jpeg({ quality: 80, mozjpeg: true });
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
      outputs.push({ format, width: info.width, height: info.height, data });
    }
  }
  return { format: meta.format, width, height, outputs };
}
