//! URLs as rapport may show them: without `user:password@`, whatever the
//! URL is for (a model server, the store, a homeserver), and a check for a
//! password an admin wrote into one.

/// `url` without its userinfo: `https://ana:key@host/x` becomes
/// `https://host/x`. Text without a scheme is treated as starting with the
/// host, so `ana:key@host` becomes `host` too.
pub fn strip_userinfo(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = authority_end(url, start);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..start], &url[start + at + 1..]),
        None => url.to_owned(),
    }
}

/// Every URL in a text (an error from a library, say) without its userinfo.
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find("://") {
        let start = found + 3;
        let end = authority_end(rest, start);
        out.push_str(&rest[..start]);
        let authority = &rest[start..end];
        out.push_str(
            authority
                .rfind('@')
                .map_or(authority, |at| &authority[at + 1..]),
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether `url` carries a password, as `user:password@` or `password=`.
pub fn has_password(url: &str) -> bool {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority = &url[start..authority_end(url, start)];
    let in_userinfo = authority
        .rfind('@')
        .and_then(|at| authority[..at].split_once(':'))
        .is_some_and(|(_, password)| !password.is_empty());
    let in_query = url.split_once('?').is_some_and(|(_, query)| {
        query.split('&').any(|pair| {
            pair.strip_prefix("password=")
                .is_some_and(|p| !p.is_empty())
        })
    });
    in_userinfo || in_query
}

/// Where the authority that begins at `start` ends: at the path, the query,
/// the fragment, or anything that cannot be part of a URL in running text.
fn authority_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace() || "\"'<>`()".contains(c))
        .map_or(text.len(), |i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_goes_and_the_rest_stays() {
        assert_eq!(
            strip_userinfo("https://ana:s3cret@model.example/v1?x=1"),
            "https://model.example/v1?x=1"
        );
        assert_eq!(
            strip_userinfo("postgres://rapport@db/rapport"),
            "postgres://db/rapport"
        );
        assert_eq!(
            strip_userinfo("ana:s3cret@matrix.example.org"),
            "matrix.example.org"
        );
        assert_eq!(strip_userinfo("http://host/a@b"), "http://host/a@b");
        assert_eq!(strip_userinfo("matrix.example.org"), "matrix.example.org");
        // A password holding an @ still goes entirely.
        assert_eq!(strip_userinfo("http://u:p@ss@host"), "http://host");
    }

    #[test]
    fn urls_inside_text_lose_their_userinfo() {
        assert_eq!(
            redact_urls("cannot reach \"postgres://u:pw@db:5432/x\" nor http://k@h/ today"),
            "cannot reach \"postgres://db:5432/x\" nor http://h/ today"
        );
        assert_eq!(redact_urls("no url here"), "no url here");
    }

    #[test]
    fn passwords_are_found_in_userinfo_and_query() {
        assert!(has_password("postgres://rapport:pw@db/rapport"));
        assert!(has_password("postgres://db/rapport?user=r&password=pw"));
        assert!(!has_password("postgres://rapport@db/rapport"));
        assert!(!has_password("postgres://rapport:@db/rapport"));
        assert!(!has_password("sqlite://data/rapport.db"));
    }
}
