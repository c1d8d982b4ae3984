//! Credentials in packet text. Packets travel to every clone and server and keep every
//! revision, so a secret written once cannot be taken back: every string is scanned before a
//! write and every revision before it leaves. The rules follow the public formats of common
//! credentials; each is a small matcher, no regular expressions. The scan is pure; `refuse`
//! turns its findings into a refusal.

mod refuse;

pub use refuse::refuse;

/// One credential found in a packet string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// The dotted field path (`state.next[2]`).
    pub field: String,
    /// The rule that matched (`github-token`).
    pub rule: &'static str,
    /// The matched text, kept in memory only to fingerprint it; never printed.
    pub secret: String,
}

impl Exposure {
    /// Shows the start of the secret and hides the rest: `ghp_…[redacted]`.
    pub fn preview(&self) -> String {
        let shown: String = self.secret.chars().take(4).collect();
        format!("{shown}…[redacted]")
    }
}

/// A rule: its name and a matcher returning the byte ranges it finds in a text.
struct Rule {
    name: &'static str,
    find: fn(&str) -> Vec<(usize, usize)>,
}

const RULES: &[Rule] = &[
    Rule {
        name: "private-key",
        find: private_key,
    },
    Rule {
        name: "aws-access-key-id",
        find: aws_key_id,
    },
    Rule {
        name: "aws-secret-access-key",
        find: aws_secret,
    },
    Rule {
        name: "github-token",
        find: github_token,
    },
    Rule {
        name: "gitlab-token",
        find: gitlab_token,
    },
    Rule {
        name: "slack-token",
        find: slack_token,
    },
    Rule {
        name: "stripe-key",
        find: stripe_key,
    },
    Rule {
        name: "model-provider-key",
        find: model_key,
    },
    Rule {
        name: "google-api-key",
        find: google_key,
    },
    Rule {
        name: "jwt",
        find: jwt,
    },
    Rule {
        name: "bearer-token",
        find: bearer,
    },
    Rule {
        name: "url-credentials",
        find: url_credentials,
    },
    Rule {
        name: "secret-assignment",
        find: assignment,
    },
];

/// Finds every credential in `text`, reporting it under `field`.
pub fn scan_text(field: &str, text: &str) -> Vec<Exposure> {
    let mut out: Vec<Exposure> = Vec::new();
    for rule in RULES {
        for (start, end) in (rule.find)(text) {
            let secret = text[start..end].to_string();
            if !out
                .iter()
                .any(|e| e.secret.contains(&secret) || secret.contains(&e.secret))
            {
                out.push(Exposure {
                    field: field.to_string(),
                    rule: rule.name,
                    secret,
                });
            }
        }
    }
    out
}

/// Finds every credential in every string of a packet.
pub fn scan_packet(packet: &crate::packet::Packet) -> Vec<Exposure> {
    crate::packet::strings(packet)
        .into_iter()
        .flat_map(|(field, text)| scan_text(&field, text))
        .collect()
}

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Finds `prefix` followed by at least `min` bytes accepted by `body`, starting on a boundary.
fn prefixed(
    text: &str,
    prefixes: &[&str],
    min: usize,
    body: fn(u8) -> bool,
) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for prefix in prefixes {
        let mut from = 0;
        while let Some(at) = text[from..].find(prefix).map(|i| i + from) {
            from = at + prefix.len();
            if at > 0 && is_token_char(bytes[at - 1]) {
                continue;
            }
            let end = from + bytes[from..].iter().take_while(|b| body(**b)).count();
            if end - from >= min {
                out.push((at, end));
            }
        }
    }
    out
}

fn private_key(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("-----BEGIN ").map(|i| i + from) {
        from = at + 11;
        let line_end = text[from..].find('\n').map_or(text.len(), |i| i + from);
        let header = &text[from..line_end];
        if header.contains("PRIVATE KEY") && header.trim_end().ends_with("-----") {
            out.push((at, line_end));
        }
    }
    out
}

fn aws_key_id(text: &str) -> Vec<(usize, usize)> {
    prefixed(text, &["AKIA", "ASIA", "ABIA", "ACCA"], 16, |b| {
        b.is_ascii_uppercase() || b.is_ascii_digit()
    })
    .into_iter()
    .filter(|(s, e)| e - s == 20)
    .collect()
}

/// A 40-character AWS secret access key: base64 letters with upper and lower case and a digit,
/// standing alone, where the text speaks of AWS or of a secret, or holds a `+` in the key (a git
/// object id, hex in one case, never matches; nor does a path without such words).
fn aws_secret(text: &str) -> Vec<(usize, usize)> {
    let key_char = |b: u8| b.is_ascii_alphanumeric() || b == b'/' || b == b'+';
    let lower = text.to_ascii_lowercase();
    let about_aws = lower.contains("aws") || lower.contains("secret");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !key_char(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && key_char(bytes[i]) {
            i += 1;
        }
        let word = &bytes[start..i];
        let mixed = word.iter().any(u8::is_ascii_uppercase)
            && word.iter().any(u8::is_ascii_lowercase)
            && word.iter().any(u8::is_ascii_digit);
        // A `/` alone is a path's; `+` is base64's own.
        let slashed = word.contains(&b'+');
        let bounded = start == 0 || !matches!(bytes[start - 1], b'_' | b'-' | b'=' | b'.');
        if word.len() == 40
            && mixed
            && bounded
            && (about_aws || slashed)
            && entropy(&text[start..i]) >= 4.0
        {
            out.push((start, i));
        }
    }
    out
}

fn github_token(text: &str) -> Vec<(usize, usize)> {
    let mut out = prefixed(text, &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], 36, |b| {
        b.is_ascii_alphanumeric()
    });
    out.extend(prefixed(text, &["github_pat_"], 40, |b| {
        b.is_ascii_alphanumeric() || b == b'_'
    }));
    out
}

fn gitlab_token(text: &str) -> Vec<(usize, usize)> {
    prefixed(text, &["glpat-"], 20, is_token_char)
}

fn slack_token(text: &str) -> Vec<(usize, usize)> {
    prefixed(
        text,
        &["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"],
        10,
        |b| b.is_ascii_alphanumeric() || b == b'-',
    )
}

fn stripe_key(text: &str) -> Vec<(usize, usize)> {
    prefixed(
        text,
        &["sk_live_", "rk_live_", "sk_test_", "rk_test_"],
        24,
        |b| b.is_ascii_alphanumeric(),
    )
}

fn model_key(text: &str) -> Vec<(usize, usize)> {
    // OpenAI (`sk-…`, `sk-proj-…`) and Anthropic (`sk-ant-…`) keys.
    prefixed(text, &["sk-"], 32, is_token_char)
}

fn google_key(text: &str) -> Vec<(usize, usize)> {
    prefixed(text, &["AIza"], 35, is_token_char)
}

fn jwt(text: &str) -> Vec<(usize, usize)> {
    prefixed(text, &["eyJ"], 10, |b| is_token_char(b) || b == b'.')
        .into_iter()
        .filter(|(s, e)| {
            let parts: Vec<&str> = text[*s..*e].split('.').collect();
            parts.len() == 3 && parts[1].starts_with("eyJ") && parts.iter().all(|p| p.len() >= 10)
        })
        .collect()
}

/// `Bearer <token>`, as in an `Authorization` header: 20 or more token characters.
fn bearer(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("bearer ").map(|i| i + from) {
        from = at + 7;
        if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        let start = from + bytes[from..].iter().take_while(|b| **b == b' ').count();
        let end = start
            + bytes[start..]
                .iter()
                .take_while(|b| is_token_char(**b) || matches!(b, b'.' | b'~' | b'+' | b'/' | b'='))
                .count();
        let value = &text[start..end];
        if value.len() >= 20 && entropy(value) >= 3.0 && !is_placeholder(value) {
            out.push((start, end));
        }
    }
    out
}

fn url_credentials(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("://").map(|i| i + from) {
        from = at + 3;
        let rest = &text[from..];
        let authority_end = rest
            .find(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if let Some(at_sign) = authority.rfind('@') {
            if let Some((user, password)) = authority[..at_sign].split_once(':') {
                if !user.is_empty() && !password.is_empty() && !is_placeholder(password) {
                    out.push((from, from + at_sign));
                }
            }
        }
    }
    out
}

/// Key names whose value is a secret when assigned (`password=…`, `api_key: …`).
const SECRET_KEYS: [&str; 15] = [
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "api_key",
    "api-key",
    "apikey",
    "access_key",
    "access-key",
    "secret_key",
    "secret-key",
    "client_secret",
    "client-secret",
    "private_key",
];

fn assignment(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for key in SECRET_KEYS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(key).map(|i| i + from) {
            from = at + key.len();
            let mut i = from;
            // `key = v`, `key: v`, and JSON's `"key": "v"`.
            while i < bytes.len() && matches!(bytes[i], b' ' | b'"' | b'\'') {
                i += 1;
            }
            if i >= bytes.len() || !matches!(bytes[i], b'=' | b':') {
                continue;
            }
            i += 1;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'"' | b'\'') {
                i += 1;
            }
            let start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !matches!(bytes[i], b'"' | b'\'' | b',' | b';')
            {
                i += 1;
            }
            let value = &text[start..i];
            if value.len() >= 8 && entropy(value) >= 3.0 && !is_placeholder(value) {
                out.push((start, i));
            }
        }
    }
    out
}

/// Values that stand for a secret rather than being one: markup around a name, or a value made
/// mostly of words like `changeme` (a key that merely contains `EXAMPLE` is still a key).
fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let words: usize = [
        "password", "changeme", "example", "redacted", "secret", "token", "your",
    ]
    .iter()
    .map(|w| lower.matches(w).count() * w.len())
    .sum();
    ["<", "${", "{{", "***", "xxx", "...", "…", "$(", "%("]
        .iter()
        .any(|p| lower.contains(p))
        || words * 2 >= lower.len()
}

/// Shannon entropy of a text, in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in text.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    #[allow(clippy::cast_precision_loss)] // counts of a short string
    let total = text.chars().count() as f64;
    counts
        .values()
        .map(|n| {
            #[allow(clippy::cast_precision_loss)]
            let p = *n as f64 / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests;
