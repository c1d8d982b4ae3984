//! The editor keeps a user's bytes: round trips, indentation, line ends, comments.
use super::*;
use serde_json::json;

fn doc(text: &str) -> Doc {
    Doc::new(text.to_string()).expect("test documents parse")
}

#[test]
fn comments_and_trailing_commas_are_read() {
    let node = parse("// settings\n{\n  /* a */ \"a\": [1, 2,],\n  \"b\": {\"c\": null},\n}\n")
        .expect("parses");
    assert_eq!(node.value(), json!({"a": [1, 2], "b": {"c": null}}));
}

#[test]
fn broken_documents_name_the_line() {
    for (text, needle) in [
        ("{\n\"a\": }", "line 2"),
        ("{\"a\": 1", "line 1"),
        ("[1] x", "after the end"),
        ("{\"a\": tru}", "expected a value"),
    ] {
        let e = parse(text).expect_err(text);
        assert!(e.contains(needle), "{text:?}: {e}");
    }
}

#[test]
fn an_item_added_then_removed_gives_the_original_bytes_back() {
    let original = "{\n    \"hooks\": {\n        \"Stop\": [\n            {\"x\": 1}\n        ]\n    },\n    \"other\": true\n}\n";
    let mut d = doc(original);
    let path = [Step::Key("hooks"), Step::Key("Stop")];
    d.push(&path, &json!({"y": [1]})).expect("pushes");
    assert!(
        d.text
            .contains("            {\n                \"y\": [\n                    1\n"),
        "inserted in the file's own four-space indent:\n{}",
        d.text
    );
    assert_eq!(
        d.root().expect("valid").value()["hooks"]["Stop"][1],
        json!({"y": [1]})
    );
    d.remove_item(&path, 1).expect("removes");
    assert_eq!(d.text, original);
}

#[test]
fn members_added_to_new_containers_are_pruned_back_to_the_original() {
    for original in ["{\n\t\"model\": \"x\"\n}", "{}\n", "{\"a\": 1}"] {
        let mut d = doc(original);
        d.add_member(&[], "hooks", &json!({})).expect("adds");
        d.add_member(&[Step::Key("hooks")], "SessionStart", &json!([]))
            .expect("adds");
        let path = [Step::Key("hooks"), Step::Key("SessionStart")];
        d.push(&path, &json!({"command": "c"})).expect("pushes");
        assert_eq!(
            d.root().expect("valid").value()["hooks"]["SessionStart"][0]["command"],
            json!("c")
        );
        d.remove_item(&path, 0).expect("removes");
        d.prune(&path).expect("prunes");
        let expected = if original == "{}\n" { "{}\n" } else { original };
        assert_eq!(d.text, expected, "from {original:?}");
    }
}

#[test]
fn a_file_with_crlf_line_ends_keeps_them() {
    let original = "{\r\n  \"a\": [\r\n    1\r\n  ]\r\n}\r\n";
    let mut d = doc(original);
    d.push(&[Step::Key("a")], &json!({"b": 2})).expect("pushes");
    assert!(!d.text.replace("\r\n", "").contains('\n'), "{:?}", d.text);
    d.remove_item(&[Step::Key("a")], 1).expect("removes");
    assert_eq!(d.text, original);
}

#[test]
fn removing_the_first_of_several_keeps_the_rest_as_written() {
    let mut d = doc("[\n  1,\n  2,\n  3\n]");
    d.remove_item(&[], 0).expect("removes");
    assert_eq!(d.text, "[\n  2,\n  3\n]");
    let mut d = doc("[1, 2]");
    d.push(&[], &json!({"a": [1]})).expect("pushes");
    assert_eq!(d.text, "[1, 2, {\"a\":[1]}]");
}
