//! What people type, made safe to show to someone else: control characters
//! and bidirectional overrides are removed (they can hide or reverse what a
//! line seems to say), text with nothing visible counts as empty, and line
//! breaks inside a quoted answer are indented so they cannot pass for a
//! line of rapport's own, or of the partner's.
//!
//! Joiners (emoji sequences) and the left-to-right / right-to-left marks
//! (Hebrew, Arabic) stay: they change how text looks, not what it says.

/// Removes control characters other than line breaks (a tab becomes a
/// space, a carriage return goes) and the bidirectional embeddings,
/// overrides and isolates (U+202A–202E, U+2066–2069).
pub fn clean(input: &str) -> String {
    input
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Whether the text shows anything: a character that is neither white
/// space nor one of the invisible formatting characters (zero-width space,
/// joiners, marks, word joiner, byte-order mark, variation selectors, soft
/// hyphen).
pub fn is_visible(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace() && !is_invisible(c))
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// How far a quoted answer's later lines are indented.
pub const QUOTE_INDENT: &str = "    ";

/// Indents every line after the first, so a multi-line answer quoted in a
/// list stays visibly inside its own item.
pub fn indent_continuation(text: &str, indent: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_controls_go_while_joiners_and_marks_stay() {
        assert_eq!(clean("\u{202E}evil\u{202C} text"), "evil text");
        assert_eq!(clean("a\u{2066}b\u{2069}c"), "abc");
        assert_eq!(clean("bell\u{7}\r\nnext\tword"), "bell\nnext word");
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(clean(family), family, "the joiner keeps the emoji whole");
        let hebrew = "שלום\u{200F} ok";
        assert_eq!(clean(hebrew), hebrew, "a right-to-left mark stays");
    }

    #[test]
    fn text_of_only_invisible_characters_is_not_visible() {
        assert!(!is_visible(""));
        assert!(!is_visible(" \n "));
        assert!(!is_visible("\u{200B}\u{200C}\u{200D}\u{FEFF}\u{2060}"));
        assert!(is_visible("\u{200B}x"));
        assert!(is_visible("❤️"));
        assert!(is_visible("שלום"));
    }

    #[test]
    fn continuation_lines_are_indented() {
        assert_eq!(
            indent_continuation("fine\n• ben (10): I agree", "   "),
            "fine\n   • ben (10): I agree"
        );
        assert_eq!(indent_continuation("one line", "   "), "one line");
    }
}
