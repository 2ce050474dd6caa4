//! Generated contact photos (contactPhoto_ref): a real `image/png`, a symmetric 5×5 pattern
//! of squares in a colour taken from the user's key, like an identicon. It is deterministic
//! per user and visibly not initials, so a test or a screenshot can tell a loaded photo from
//! the widget's initials fallback.

use std::io;

/// Side of the image in pixels (5 cells of 16 px and a margin of 8 px on each side).
pub const SIZE: u32 = 96;
const CELLS: u32 = 5;
const CELL: u32 = 16;
const MARGIN: u32 = (SIZE - CELLS * CELL) / 2;
const BACKGROUND: [u8; 3] = [0xf0, 0xf0, 0xf0];

/// 64-bit FNV-1a: stable across builds and platforms (std's hasher is not), so a user's photo
/// and ETag stay the same from one run to the next.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The pattern: which cells are filled (columns 3 and 4 mirror 1 and 0), and the colour.
fn pattern(key: &str) -> ([[bool; CELLS as usize]; CELLS as usize], [u8; 3]) {
    let h = fnv1a(key.as_bytes());
    let mut cells = [[false; CELLS as usize]; CELLS as usize];
    for (row, line) in cells.iter_mut().enumerate() {
        for col in 0..3 {
            let bit = row * 3 + col;
            let on = (h >> bit) & 1 == 1;
            line[col] = on;
            line[CELLS as usize - 1 - col] = on;
        }
    }
    // Hue from the high bits; saturation and lightness fixed so the colour is strong.
    let hue = ((h >> 32) % 360) as f32;
    (cells, hsl_to_rgb(hue, 0.65, 0.45))
}

fn hsl_to_rgb(hue: f32, s: f32, l: f32) -> [u8; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match hue as u32 / 60 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let byte = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [byte(r), byte(g), byte(b)]
}

/// The RGB pixels of `key`'s photo, row by row.
fn pixels(key: &str) -> Vec<u8> {
    let (cells, colour) = pattern(key);
    let mut out = Vec::with_capacity((SIZE * SIZE * 3) as usize);
    for y in 0..SIZE {
        for x in 0..SIZE {
            let cell = |v: u32| {
                v.checked_sub(MARGIN)
                    .map(|v| v / CELL)
                    .filter(|c| *c < CELLS)
            };
            let filled = match (cell(x), cell(y)) {
                (Some(cx), Some(cy)) => cells[cy as usize][cx as usize],
                _ => false,
            };
            out.extend_from_slice(if filled { &colour } else { &BACKGROUND });
        }
    }
    out
}

/// `key`'s photo as PNG bytes.
pub fn png(key: &str) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, SIZE, SIZE);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(io::Error::other)?;
    writer
        .write_image_data(&pixels(key))
        .map_err(io::Error::other)?;
    writer.finish().map_err(io::Error::other)?;
    Ok(bytes)
}

/// The photo's ETag: a hash of the bytes and the photo's generation (so switching a photo off
/// and on again changes it), quoted.
pub fn etag(bytes: &[u8], generation: u32) -> String {
    format!("\"{:016x}-{generation}\"", fnv1a(bytes))
}

/// Whether an `If-None-Match` value names `tag` (a list, `*`, or weak tags; RFC 9110 §13.1.2:
/// weak comparison).
pub fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    #[test]
    fn a_real_png_of_the_documented_size_with_a_mirrored_pattern() {
        let bytes = png("dana@contoso.com").unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let (info, pixels) = decode(&bytes);
        assert_eq!((info.width, info.height), (SIZE, SIZE));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let at = |x: u32, y: u32| {
            let i = ((y * SIZE + x) * 3) as usize;
            [pixels[i], pixels[i + 1], pixels[i + 2]]
        };
        assert_eq!(at(0, 0), BACKGROUND, "the margin is background");
        for y in 0..SIZE {
            for x in 0..SIZE {
                assert_eq!(at(x, y), at(SIZE - 1 - x, y), "mirrored at ({x},{y})");
            }
        }
        let coloured = (0..SIZE * SIZE)
            .filter(|i| at(i % SIZE, i / SIZE) != BACKGROUND)
            .count();
        assert!(coloured > 0, "some cells are filled");
    }

    #[test]
    fn deterministic_per_user_and_different_between_users() {
        assert_eq!(
            png("dana@contoso.com").unwrap(),
            png("dana@contoso.com").unwrap()
        );
        assert_ne!(pixels("dana@contoso.com"), pixels("sarad@contoso.com"));
        assert_ne!(
            pattern("dana@contoso.com").1,
            pattern("sarad@contoso.com").1
        );
    }

    #[test]
    fn etags_follow_bytes_and_generation() {
        let bytes = png("dana@contoso.com").unwrap();
        let tag = etag(&bytes, 0);
        assert!(tag.starts_with('"') && tag.ends_with('"'));
        assert_eq!(tag, etag(&bytes, 0));
        assert_ne!(tag, etag(&bytes, 1));
        assert_ne!(tag, etag(&png("sarad@contoso.com").unwrap(), 0));
        assert!(matches(&tag, &tag));
        assert!(matches(&format!("\"x\", W/{tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(!matches("\"x\"", &tag));
    }

    #[test]
    fn colours_cover_the_hue_circle() {
        for hue in [0.0, 60.0, 120.0, 180.0, 240.0, 300.0, 359.0] {
            let [r, g, b] = hsl_to_rgb(hue, 0.65, 0.45);
            assert!(r.max(g).max(b) > 150 && r.min(g).min(b) < 60, "{hue}");
        }
    }
}
