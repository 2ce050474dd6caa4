//! Initials and a background colour for a person without a photo: pure functions of the name,
//! so every badge of one person looks the same, on every page.

/// Background colours for initials, each with white text at a contrast of at least 4.5:1
/// (WCAG AA; checked by the tests). The avatar's stylesheet (`src/ui/avatar/avatar.css`) has
/// them as `.ucwa-avatar--c{index}`: a test checks the two agree.
pub const AVATAR_COLORS: [&str; 10] = [
    "#a4262c", "#8e562e", "#0b6a0b", "#00758f", "#0f6cbd", "#5c2e91", "#881798", "#b4009e",
    "#2e4a7d", "#6b5600",
];

/// The initials of `name`: the first letters of its first and last word ("Dana Birkby" → "DB"),
/// one letter for names in scripts that do not separate given and family names by spaces
/// (Chinese, Japanese, Korean, Thai…). Combining marks stay with their letter; punctuation,
/// symbols, emoji and bracketed parts ("(Contoso)") are skipped. When nothing is left, the user
/// part of `uri` (`sip:dana.birkby@…` → "DB"), and "?" when not even that has a letter.
pub fn initials(name: &str, uri: &str) -> String {
    from_words(words(name))
        .or_else(|| {
            let bare = uri.strip_prefix("sip:").unwrap_or(uri);
            let user = bare.split('@').next().unwrap_or(bare);
            from_words(
                user.split(['.', '_', '-', ' '])
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .unwrap_or_else(|| "?".to_owned())
}

/// The index in [`AVATAR_COLORS`] of `name`'s colour (FNV-1a over its bytes, so it never
/// changes between loads or pages).
pub fn avatar_color_index(name: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for b in name.trim().bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    hash as usize % AVATAR_COLORS.len()
}

/// The words of `name` outside brackets.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut depth = 0u32;
    for c in name.chars() {
        match c {
            '(' | '[' | '{' | '<' | '（' | '【' => depth += 1,
            ')' | ']' | '}' | '>' | '）' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ if c.is_whitespace() || c == ',' => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn from_words(words: Vec<String>) -> Option<String> {
    let mut letters = words.iter().filter_map(|w| first_letter(w));
    let first = letters.next()?;
    if is_unspaced_script(first.chars().next()?) {
        return Some(first);
    }
    Some(match letters.next_back() {
        Some(last) => first + &last,
        None => first,
    })
}

/// The first letter (or digit) of `word`, upper-cased, with the combining marks after it.
fn first_letter(word: &str) -> Option<String> {
    let mut chars = word
        .chars()
        .skip_while(|&c| !c.is_alphanumeric() || is_mark(c));
    let letter = chars.next()?;
    let mut out: String = letter.to_uppercase().collect();
    out.extend(chars.take_while(|&c| is_mark(c)));
    Some(out)
}

/// Combining marks (and joiners/variation selectors) of the scripts names are written in.
fn is_mark(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957
        | 0x0962..=0x0963 | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0E31 | 0x0E34..=0x0E3A
        | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C..=0x200D
        | 0x20D0..=0x20FF | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
}

/// Scripts whose names are not split into given and family name by a space, or where the
/// first letter alone is the custom: CJK, kana, Hangul, Thai, Lao, Khmer, Myanmar.
fn is_unspaced_script(c: char) -> bool {
    matches!(u32::from(c),
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1100..=0x11FF | 0x1780..=0x17FF | 0x3040..=0x30FF
        | 0x3130..=0x318F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "sip:someone@contoso.com";

    #[test]
    fn first_and_last_word() {
        assert_eq!(initials("Dana Birkby", URI), "DB");
        assert_eq!(initials("sara maria davis", URI), "SD");
        assert_eq!(initials("Cher", URI), "C");
        assert_eq!(initials("  Birkby,  Dana ", URI), "BD");
    }

    #[test]
    fn scripts_with_spaces_between_names() {
        assert_eq!(initials("Анна Петрова", URI), "АП");
        assert_eq!(initials("Νίκος Παπαδόπουλος", URI), "ΝΠ");
        assert_eq!(initials("محمد علي", URI), "مع");
        assert_eq!(initials("דנה כהן", URI), "דכ");
        assert_eq!(initials("अमित शर्मा", URI), "अश");
        assert_eq!(initials("ángel ñúñez", URI), "ÁÑ");
    }

    #[test]
    fn scripts_without_spaces_take_one_letter() {
        assert_eq!(initials("王小明", URI), "王");
        assert_eq!(initials("山田 太郎", URI), "山");
        assert_eq!(initials("김민준", URI), "김");
        assert_eq!(initials("สมชาย ใจดี", URI), "ส");
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        // "Émile Zoë" written with combining accents (NFD).
        assert_eq!(
            initials("E\u{301}mile O\u{308}zil", URI),
            "E\u{301}O\u{308}"
        );
        // A mark before any letter is not an initial.
        assert_eq!(initials("\u{301}anna", URI), "A");
    }

    #[test]
    fn punctuation_brackets_and_emoji_are_skipped() {
        assert_eq!(initials("Dana Birkby (Contoso)", URI), "DB");
        assert_eq!(initials("[External] Sara Davis", URI), "SD");
        assert_eq!(initials("🦀 Dana \"DB\" Birkby 🎉", URI), "DB");
        assert_eq!(initials("'Dana' -Birkby-", URI), "DB");
        assert_eq!(initials("<b>Dana</b> Birkby", URI), "DB");
    }

    #[test]
    fn fallback_to_the_sip_user_then_a_question_mark() {
        assert_eq!(initials("", "sip:dana.birkby@contoso.com"), "DB");
        assert_eq!(initials("🎉🎉", "sip:sarad@contoso.com"), "S");
        assert_eq!(initials("   ", "sarad@contoso.com"), "S");
        assert_eq!(initials("", ""), "?");
        assert_eq!(initials("(())", "sip:@x"), "?");
    }

    #[test]
    fn colour_is_deterministic_and_spread() {
        assert_eq!(
            avatar_color_index("Dana Birkby"),
            avatar_color_index(" Dana Birkby ")
        );
        let names = [
            "Dana Birkby",
            "Sara Davis",
            "Анна",
            "王小明",
            "Kim",
            "Lee",
            "Ana",
            "Bo",
        ];
        let distinct: std::collections::BTreeSet<_> =
            names.iter().map(|n| avatar_color_index(n)).collect();
        assert!(distinct.len() >= 4, "{distinct:?}");
    }

    #[test]
    fn the_stylesheet_has_every_colour_at_its_index() {
        let css = include_str!("../ui/avatar/avatar.css");
        for (i, colour) in AVATAR_COLORS.iter().enumerate() {
            let rule =
                format!(".ucwa-avatar--c{i} .ucwa-avatar__initials {{ background: {colour}; }}");
            assert!(css.contains(&rule), "missing: {rule}");
        }
        assert!(!css.contains(&format!(".ucwa-avatar--c{}", AVATAR_COLORS.len())));
    }

    #[test]
    fn every_colour_keeps_white_text_readable() {
        fn channel(hex: &str) -> f64 {
            let c = f64::from(u8::from_str_radix(hex, 16).unwrap()) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        for colour in AVATAR_COLORS {
            let l = 0.2126 * channel(&colour[1..3])
                + 0.7152 * channel(&colour[3..5])
                + 0.0722 * channel(&colour[5..7]);
            let contrast = 1.05 / (l + 0.05);
            assert!(contrast >= 4.5, "{colour}: {contrast}");
        }
    }
}
