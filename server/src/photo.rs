//! Generated contact photos: an SVG circle with the contact's initials.

/// Initials of up to two words of the display name.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

pub fn svg(name: &str, key: &str) -> String {
    const COLOURS: [&str; 6] = [
        "#0063b1", "#8764b8", "#038387", "#ca5010", "#498205", "#c239b3",
    ];
    let sum: usize = key.bytes().map(usize::from).sum();
    let colour = COLOURS[sum % COLOURS.len()];
    let text: String = initials(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\"><circle cx=\"32\" cy=\"32\" r=\"32\" fill=\"{colour}\"/><text x=\"32\" y=\"41\" font-family=\"Segoe UI, Arial, sans-serif\" font-size=\"24\" fill=\"#fff\" text-anchor=\"middle\">{text}</text></svg>"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials() {
        assert_eq!(super::initials("Dana Birkby"), "DB");
        assert_eq!(super::initials("  sara  "), "S");
        assert!(super::svg("<script>", "x").contains("<text"));
        assert!(!super::svg("<script>", "x").contains("<script>"));
    }
}
