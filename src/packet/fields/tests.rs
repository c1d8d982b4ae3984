//! The registry is complete and consistent with the serialized packet.

use super::*;

#[test]
fn every_field_has_one_name_and_every_flag_one_field() {
    let names: Vec<&str> = FIELDS.iter().map(|f| f.name()).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    let mut flags: Vec<&str> = FIELDS.iter().filter_map(|f| f.flag()).collect();
    flags.extend(ListField::ALL.iter().map(|f| f.spec().remove_flag));
    flags.extend(PairField::ALL.iter().map(|f| f.spec().remove_flag));
    let count = flags.len();
    flags.sort_unstable();
    flags.dedup();
    assert_eq!(flags.len(), count);
    for field in ListField::ALL {
        assert!(FIELDS.contains(&Field::List(field)), "{field:?}");
    }
    for field in PairField::ALL {
        assert!(FIELDS.contains(&Field::Pairs(field)), "{field:?}");
    }
}

#[test]
fn every_field_name_is_a_key_of_the_serialized_packet() {
    let json = crate::packet::to_json(&crate::test_support::full_packet());
    for field in FIELDS {
        let found = field.name().split('.').try_fold(&json, |v, key| v.get(key));
        assert!(found.is_some(), "{} is not in {json}", field.name());
    }
    assert!(rank("author") < rank("task") && rank("task.non_goals") < rank("control"));
    assert_eq!(rank("colour"), usize::MAX);
}

#[test]
fn every_key_of_the_serialized_packet_is_a_registered_field() {
    let json = crate::packet::to_json(&crate::test_support::full_packet());
    let mut keys = Vec::new();
    for (key, value) in json.as_object().expect("object") {
        match value.as_object() {
            Some(section) => keys.extend(section.keys().map(|k| format!("{key}.{k}"))),
            None => keys.push(key.clone()),
        }
    }
    for key in keys {
        assert!(Field::named(&key).is_some(), "{key} is not in the registry");
    }
}
