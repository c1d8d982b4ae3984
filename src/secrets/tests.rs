//! The secret scan finds what it should and nothing else.

use super::*;

fn rules(text: &str) -> Vec<&'static str> {
    scan_text("f", text).iter().map(|e| e.rule).collect()
}

#[test]
fn real_shaped_credentials_are_found_and_near_misses_are_not() {
    let cases: [(&str, &str, &str); 14] = [
        (
            "aws-secret-access-key",
            "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "see src/main/java/com/Acme/Http2ClientFactor",
        ),
        (
            "bearer-token",
            "Authorization: Bearer 3f9a1c7e5b2d48f0a6c1e9b7d3f5a2c4",
            "send a Bearer token in the header",
        ),
        (
            "secret-assignment",
            "{\"password\": \"h3Jk9Lm2Np4Qr6\"}",
            "{\"password\": \"<redacted>\"}",
        ),
        ("aws-access-key-id", "key AKIAIOSFODNN7EXAMPLF here", "AKIAIOSFODNN7EXAMP is short"),
        ("github-token", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_tooShort123"),
        ("gitlab-token", "glpat-aBcDeFgHiJ0123456789", "glpat-short"),
        ("slack-token", "xoxb-1234567890-abcdefghij", "xoxb-123"),
        ("stripe-key", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39Hq is short"),
        ("model-provider-key", "sk-proj-aBcDeFgHiJkLmNoPqRsTuVwXyZ012345", "task-sk-short"),
        ("google-api-key", "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "AIzaShort"),
        (
            "jwt",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "eyJhbGciOiJIUzI1NiJ9 alone",
        ),
        ("url-credentials", "https://deploy:s3cr3tPa55@example.com/repo", "https://user@example.com/repo"),
        ("secret-assignment", "password=Tr0ub4dor&3xQ!", "password = <your password>"),
        (
            "private-key",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----",
        ),
    ];
    for (rule, sample, near_miss) in cases {
        assert!(rules(sample).contains(&rule), "{rule} finds {sample:?}");
        assert!(
            rules(near_miss).is_empty(),
            "{near_miss:?} is no credential: {:?}",
            rules(near_miss)
        );
    }
    assert!(rules("-----BEGIN RSA PRIVATE KEY-----").contains(&"private-key"));
    assert!(
        rules("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8sT2vLm9")
            .contains(&"aws-secret-access-key")
    );
    assert!(rules("token: 8f3a9c2e7b1d4f6a").contains(&"secret-assignment"));
    assert!(rules("api-key=h3Jk9Lm2Np4Qr6St8Uv0").contains(&"secret-assignment"));
    assert!(
        !rules("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_empty(),
        "AWS's documented example key is shaped like a real one"
    );
    assert!(
        rules(
            "the AWS key AKIAIOSFODNN7EXAMPLE has secret wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12"
        )
        .contains(&"aws-secret-access-key"),
        "no slash, but the text speaks of AWS"
    );
    assert!(rules("password = changeme-your-password").is_empty());
}

#[test]
fn the_preview_shows_four_characters_only() {
    let found = scan_text(
        "state.next[0]",
        "use ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 now",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].preview(), "ghp_…[redacted]");
    assert_eq!(found[0].field, "state.next[0]");
}

#[test]
fn ordinary_handoff_text_is_not_a_secret() {
    for text in [
        "retry the token refresh when the password reset flow returns 401",
        "set TOKEN_TTL = 3600 in config",
        "the secret: keep the API stable",
        "see https://example.com/docs/auth#tokens",
        "sk-learn is the library",
        "git handoff update --done \"…\"",
    ] {
        assert!(rules(text).is_empty(), "{text:?}: {:?}", rules(text));
    }
}

#[test]
fn no_text_makes_the_scanner_panic() {
    let pieces = [
        "ghp_",
        "sk-",
        "AKIA",
        "eyJ",
        "://",
        "@",
        ":",
        "=",
        "password",
        "token",
        "-----BEGIN ",
        "PRIVATE KEY-----",
        "\n",
        " ",
        "\"",
        "'",
        "é",
        "日本",
        "🦀",
        "a",
        "Z",
        "9",
        "_",
        "-",
        ".",
    ];
    for text in crate::test_support::random_texts(0x9E37_79B9_7F4A_7C15, &pieces, 5000, 40) {
        let _ = scan_text("f", &text);
    }
}
