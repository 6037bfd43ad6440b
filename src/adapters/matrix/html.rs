//! A reply's plain text as Matrix HTML (`formatted_body`), so clients show
//! lists as lists: every character is escaped first (a person's words are
//! never markup), then the shapes our prompts use become tags. Lines that
//! start with "•" or a keycap are list items, an indented line continues
//! the item before it, and a line that is all quotation (“…”) is a quote.
//! The plain `body` stays beside it for clients without HTML.

use super::render::KEYCAPS;

/// What a line of a reply is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line<'a> {
    Item(&'a str),
    Continued(&'a str),
    Quote(&'a str),
    Plain(&'a str),
}

fn line_of(line: &str) -> Line<'_> {
    if let Some(rest) = line.strip_prefix("• ") {
        return Line::Item(rest);
    }
    if KEYCAPS.iter().any(|keycap| line.starts_with(keycap)) {
        return Line::Item(line);
    }
    if line.starts_with("  ") && !line.trim().is_empty() {
        return Line::Continued(line.trim());
    }
    let trimmed = line.trim();
    let quoted = trimmed.len() > 2 && trimmed.starts_with('“') && trimmed.ends_with('”');
    if quoted {
        Line::Quote(trimmed)
    } else {
        Line::Plain(line)
    }
}

/// Escapes the characters HTML gives a meaning to in text (we write no
/// attributes, so an apostrophe may stay).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The HTML for a reply's text.
pub fn formatted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut in_list = false;
    let mut after_text = false;
    for line in text.lines().map(line_of) {
        let item = matches!(line, Line::Item(_) | Line::Continued(_));
        if in_list && !item {
            out.push_str("</li></ul>");
            in_list = false;
            after_text = false;
        }
        match line {
            Line::Item(words) => {
                out.push_str(if in_list { "</li><li>" } else { "<ul><li>" });
                out.push_str(&escape(words));
                in_list = true;
            }
            // A continuation with no item before it reads as text.
            Line::Continued(words) if in_list => {
                out.push_str("<br>");
                out.push_str(&escape(words));
            }
            Line::Quote(words) => {
                out.push_str("<blockquote>");
                out.push_str(&escape(words));
                out.push_str("</blockquote>");
                after_text = false;
            }
            Line::Continued(words) | Line::Plain(words) => {
                if after_text {
                    out.push_str("<br>");
                }
                out.push_str(&escape(words));
                after_text = true;
            }
        }
    }
    if in_list {
        out.push_str("</li></ul>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_become_a_list_and_indented_lines_stay_in_their_item() {
        let html = formatted(
            "Pairing needs both of you.\n• pair invite — invite\n  Each change waits.\n• pair leave — end it\nThat's all.",
        );
        assert_eq!(
            html,
            "Pairing needs both of you.<ul><li>pair invite — invite<br>Each change waits.</li>\
             <li>pair leave — end it</li></ul>That's all."
        );
    }

    #[test]
    fn a_persons_words_are_never_markup() {
        let html = formatted("ana wrote: <b>hi</b> & \"bye\"\n“<script>alert(1)</script>”");
        assert_eq!(
            html,
            "ana wrote: &lt;b&gt;hi&lt;/b&gt; &amp; &quot;bye&quot;\
             <blockquote>“&lt;script&gt;alert(1)&lt;/script&gt;”</blockquote>"
        );
    }

    #[test]
    fn choices_are_a_list_and_plain_lines_keep_their_breaks() {
        let html = formatted(
            "Pick one\n1️⃣ Accept — pair accept\n2️⃣ Decline — pair decline\nReply with the number.",
        );
        assert_eq!(
            html,
            "Pick one<ul><li>1️⃣ Accept — pair accept</li><li>2️⃣ Decline — pair decline</li></ul>\
             Reply with the number."
        );
        assert_eq!(formatted("one\ntwo"), "one<br>two");
    }
}
