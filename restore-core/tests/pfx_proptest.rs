//! Property tests: `restore_core::pfx` returns a verdict, never panics, on arbitrary bytes and
//! on real PFX files with bytes changed, cut or inserted.

mod pfx_support;

use pfx_support::{read, PASSWORD};
use proptest::prelude::*;
use restore_core::pfx::{check_password, describe, inspect_file, warnings};

/// Runs every public entry point on `bytes`. The results are only required to exist.
fn exercise(bytes: &[u8], password: &str) {
    let inspection = inspect_file("picked.pfx", bytes);
    let pfx = inspection.pfx.as_deref().unwrap_or(bytes);
    let check = check_password(pfx, password);
    let _ = check.message();
    if let Ok(details) = describe(pfx, password) {
        let _ = warnings(&details, 0);
        let _ = warnings(&details, i64::MAX);
        let _ = warnings(&details, i64::MIN);
    }
}

/// Real files the mutations start from: PBES2 with AES, PKCS#12 PBE with RC2 and TripleDES,
/// and a file without a MAC.
fn seeds() -> Vec<Vec<u8>> {
    ["default.pfx", "legacy.pfx", "nomac.pfx", "chain.pfx"]
        .iter()
        .map(|name| read(name))
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Set { index: usize, value: u8 },
    Insert { index: usize, value: u8 },
    Remove { index: usize },
    Truncate { len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(index, value)| Mutation::Set { index, value }),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(index, value)| Mutation::Insert { index, value }),
        1 => any::<usize>().prop_map(|index| Mutation::Remove { index }),
        1 => any::<usize>().prop_map(|len| Mutation::Truncate { len }),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len().max(1);
    match *mutation {
        Mutation::Set { index, value } => {
            if let Some(byte) = bytes.get_mut(index % len) {
                *byte = value;
            }
        }
        Mutation::Insert { index, value } => bytes.insert(index % (bytes.len() + 1), value),
        Mutation::Remove { index } => {
            if !bytes.is_empty() {
                bytes.remove(index % len);
            }
        }
        Mutation::Truncate { len: new_len } => bytes.truncate(new_len % len),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), password in ".{0,12}") {
        exercise(&bytes, &password);
    }

    #[test]
    fn arbitrary_der_prefix(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = vec![0x30, 0x82, 0x01, 0xFF];
        bytes.extend(tail);
        exercise(&bytes, PASSWORD);
    }

    #[test]
    fn arbitrary_text(text in "[ -~\r\n]{0,400}") {
        exercise(text.as_bytes(), PASSWORD);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        exercise(&utf16, PASSWORD);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn mutated_pfx(seed in 0usize..4, mutations in proptest::collection::vec(mutation(), 1..6)) {
        let seeds = seeds();
        let mut bytes = seeds[seed % seeds.len()].clone();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        exercise(&bytes, PASSWORD);
    }
}

/// Inputs that once exercised an edge case, kept so they run on every test run.
#[test]
fn regression_inputs() {
    let cases: &[&[u8]] = &[
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"\xFF\xFE\x00",
        b"\xFE\xFF\xD8\x00",
        b"-----BEGIN -----",
        b"-----BEGIN ",
        b"\x30",
        b"\x30\x80\x00\x00",
        b"\x30\x84\xFF\xFF\xFF\xFF",
        b"====",
        b"MA==",
    ];
    for bytes in cases {
        exercise(bytes, "");
        exercise(bytes, PASSWORD);
    }
}
