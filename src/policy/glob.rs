//! Branch globs as policy's `exempt` writes them. Pure.

/// Matches a ref glob: `*` any run without `/`, `**` any run, `?` one character but `/`.
/// Linear in the glob times the text (a tracked file must never stall a commit).
pub fn glob_match(glob: &str, text: &str) -> bool {
    enum Token {
        Char(char),
        Any,
        Star,
        DoubleStar,
    }
    let mut tokens = Vec::new();
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '*' if chars.peek() == Some(&'*') => {
                while chars.peek() == Some(&'*') {
                    chars.next();
                }
                Token::DoubleStar
            }
            '*' => Token::Star,
            '?' => Token::Any,
            c => Token::Char(c),
        });
    }
    let t: Vec<char> = text.chars().collect();
    // matched[j]: the tokens so far match the first j characters.
    let mut matched = vec![false; t.len() + 1];
    matched[0] = true;
    for token in &tokens {
        let mut next = vec![false; t.len() + 1];
        for j in 0..=t.len() {
            next[j] = match token {
                Token::Char(c) => j > 0 && matched[j - 1] && t[j - 1] == *c,
                Token::Any => j > 0 && matched[j - 1] && t[j - 1] != '/',
                Token::Star => matched[j] || (j > 0 && next[j - 1] && t[j - 1] != '/'),
                Token::DoubleStar => matched[j] || (j > 0 && next[j - 1]),
            };
        }
        matched = next;
    }
    matched[t.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_ref_patterns() {
        assert!(glob_match("release/*", "release/1.0"));
        assert!(!glob_match("release/*", "release/1.0/hotfix"));
        assert!(glob_match("release/**", "release/1.0/hotfix"));
        assert!(glob_match("main", "main"));
        assert!(!glob_match("main", "main2"));
        assert!(glob_match("v?", "v1"));
        assert!(glob_match("**", "a/b/c") && glob_match("*", "") && !glob_match("*", "a/b"));
        assert!(glob_match("a/**/z", "a/b/c/z") && glob_match("fix-*-*", "fix-1-2"));
        let hostile = "**a**a**a**a**a**a**a**a**b";
        assert!(
            !glob_match(hostile, &"a".repeat(4000)),
            "answers at once, and correctly"
        );
    }
}
